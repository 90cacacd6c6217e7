"""The public "Informasi Industri" page in a real browser: the province map is drawn from local files
(no other host), hidden cells hatched, and the page passes the accessibility checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reporting.models import ReportMeasures, ReportStatus
from siinas.core.models import Region
from tests.browser.steps import assert_accessible
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _validated(period, region: str, workforce: int) -> None:
    factory = FactoryAccountFactory(region=Region.objects.get(pk=region), kbli_codes=["10110"])
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.VALIDATED)
    ReportMeasures.objects.create(
        report=report, period=period, factory=factory, report_type=report.report_type, workforce=workforce, production=Decimal(100)
    )


def test_a_visitor_sees_the_province_map_with_hidden_cells_hatched(browsing, reference_data):
    period = PeriodFactory(year=2025, number=1)
    for region, n in (("32.16", 4), ("35.78", 3), ("33.01", 3), ("36.03", 1)):
        for i in range(n):
            _validated(period, region, 10 + i)
    page = browsing.page
    assert browsing.goto("/informasi-industri/?ukuran=workforce").status == 200
    page.locator("svg.province-map-svg path").nth(37).wait_for()
    assert page.locator("svg.province-map-svg path").count() == 38
    # Banten: one company → hidden, hatched; Jawa Barat shown with a colour; Aceh has no data.
    assert page.locator('path[data-code="36"]').get_attribute("fill").startswith("url(#")
    assert page.locator('path[data-code="32"]').get_attribute("fill").startswith("#")
    assert page.locator('path[data-code="11"]').get_attribute("fill") == "#dee2e6"
    legend = page.locator(".province-map-legend").inner_text()
    assert "tidak ditampilkan" in legend and legend.count("≥ 33") == 1  # each class limit once
    assert page.locator("#informasi-charts canvas").count() == 1
    assert_accessible(browsing, "informasi industri")
    browsing.shoot("informasi-industri")
