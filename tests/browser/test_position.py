"""Posisi Anda in the browser (issue 18 §2): a company whose report for the open semester is still with the
officers is told its position waits for validation; once the validator has validated it (through the
reporting services, as the validator's button does), the company opens "Posisi Anda" from the menu, sees
its bands against its subsector — and no other company's figure — and downloads the table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from reporting import services
from reporting.models import ReportMeasures, ReportStatus
from reporting.sections.models import CapacityProduct, Energy, ProductionRow, SalesRow, Workforce
from tests.analisis.position_panel import member, validated_report
from tests.browser.steps import assert_accessible, log_in
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _situation(cast):
    """Whatever the day: a semester open now with 14 other companies of KBLI 10 validated, and company_a's
    report of it verified (waiting for the validator), its sections filled."""
    today = timezone.localdate()
    period = PeriodFactory(
        year=today.year + 7,  # periods of their own, far from any other test's
        number=1,
        window_opens=today - dt.timedelta(days=10),
        window_closes=today + dt.timedelta(days=20),
    )
    for i in range(14):
        member(
            period, production=(i + 1) * 310_000_000, workforce=30 + 7 * i, utilisation=f"{45 + 3 * i}.25",
            domestic=(i + 3) * 100_000_000, export=i * 20_000_000, kwh=12_000 + 1_500 * i,
            previous=(i + 2) * 250_000_000,
        )  # fmt: skip
    last_year = PeriodFactory(year=period.year - 1, number=1)
    validated_report(cast.factory_a, last_year, production=2_000_000_000)
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.VERIFIED)
    Workforce.objects.create(report=report, prod_male_wni=60, prod_female_wni=40, total=100)
    CapacityProduct.objects.create(
        report=report, name="Tepung terigu", kbli_code="10110", unit="ton", capacity=Decimal(10_000)
    )
    ProductionRow.objects.create(
        report=report,
        product="Tepung terigu",
        quantity=Decimal(4_000),
        unit="ton",
        value=Decimal(2_600_000_000),
    )
    SalesRow.objects.create(
        report=report,
        product="Tepung terigu",
        domestic_value=Decimal(1_800_000_000),
        export_value=Decimal(600_000_000),
    )
    Energy.objects.create(report=report, pln_kwh=Decimal(52_000))
    return report


def test_a_company_sees_its_position_once_its_report_is_validated(browsing, cast):
    report = _situation(cast)
    page = browsing.page
    log_in(browsing, cast.company_a)

    browsing.navigate(page.get_by_role("navigation").get_by_role("link", name="Posisi Anda").click)
    assert page.get_by_role("heading", level=1).inner_text() == "Posisi Anda"
    assert "setelah laporan divalidasi" in page.locator("#position-waiting").inner_text()
    # meanwhile, the position of its last validated report (the same semester last year)
    assert f"Semester 1 {report.period.year - 1}" in page.locator("#position-waiting").inner_text()
    browsing.shoot("posisi menunggu validasi")

    services.report_validate(actor=cast.validator_pangan, report=report)
    measures = ReportMeasures.objects.get(report=report)
    assert measures.production == 2_600_000_000 and measures.workforce == 100

    browsing.goto("/analisis/posisi/")
    assert page.locator("#position-waiting").count() == 0
    assert page.get_by_role("heading", name=f"Periode {report.period}").is_visible()
    table = page.locator("#position-table")
    assert table.is_visible()
    text = table.inner_text()
    assert "Subsektor 10" in text and "Kelompok 10110" in text
    assert "26.000.000" in text  # own productivity: Rp 2,6 miliar / 100 workers
    assert "15" in text  # companies compared (14 others and the factory itself)
    assert any(
        band in text
        for band in ("kuartil atas", "di atas median", "median", "di bawah median", "kuartil bawah")
    )
    assert "kurang dari" not in text  # every measure has its band (growth against last year's semester too)
    assert "30,00" in text  # own growth: 2,6 against 2,0 miliar
    assert_accessible(browsing, "posisi anda")
    browsing.shoot("posisi anda")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as downloaded:
        content = downloaded.read()
    assert content.count("\n") == 1 + 10 and "26000000" in content
