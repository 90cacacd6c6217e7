"""The dashboard's report values from the stored measures (``reporting.ReportMeasures``) are the ones
the live sums over the sections give; a validated report without a stored row still counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from accounts.models import AccountType, Scale
from pemda.selectors.reports import report_aggregates, reporting_periods, territory_report_totals
from reporting import measures
from reporting.models import ReportMeasures, ReportStatus
from reporting.sections import models as sections
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(dt.datetime(2024, 1, 1))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        yield


def _validated(factory, period, i: int):
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.VALIDATED)
    if i % 5:
        sections.Workforce.objects.create(report=report, total=10 * i)
    sections.Investment.objects.create(
        report=report, land=1000 + i, buildings=1, machinery=2, other_fixed=3, working_capital=4,
        ownership="pmdn", domestic_pct=100, foreign_pct=0,
    )  # fmt: skip
    if i % 2:
        sections.ProductionRow.objects.create(report=report, product="Tepung", quantity=1, unit="ton", value=300 + i)
    if i % 3:
        sections.SalesRow.objects.create(report=report, product="Tepung", export_value=40 + i)
    return report


def _figures(user, period):
    aggregates = report_aggregates(user, period, reporting_periods())

    def table(t):
        return {key: {m: (c.n, c.values["sum"], c.hidden) for m, c in row.items()} for key, row in t.cells.items()}

    trend = [(row["period"].pk, {m: (c.n, c.values["sum"], c.hidden) for m, c in row["cells"].items()}) for row in aggregates["trend"]]
    totals = territory_report_totals(user, period, account_type=AccountType.A)
    return (
        table(aggregates["by_region"]),
        table(aggregates["by_division"]),
        trend,
        aggregates["validated_reports"],
        {m: (c.n, c.values["sum"], c.hidden) for m, c in totals.items()},
    )


def test_the_dashboard_figures_are_the_same_from_stored_and_live_measures(cast, place):
    Factory = type(cast.factory_a)
    Factory.objects.update(created_at=LONG_AGO)
    older, s1 = PeriodFactory(year=2025, number=2), PeriodFactory(year=2026, number=1)
    places = [("32.15", ("10110",)), ("32.16", ("10110", "13111")), ("32.73", ("13111",))]
    i = 0
    for region, kbli in places:
        for _ in range(4):
            factory = place(region, Scale.BESAR, kbli=kbli, created_at=LONG_AGO)
            for period in (older, s1):
                i += 1
                _validated(factory, period, i)
    ReportFactory(factory=factory, period=PeriodFactory(year=2025, number=1), status=ReportStatus.VERIFIED)
    # two codes in one division and two periodic reports in one period: counted once, summed
    twice = place("32.15", Scale.BESAR, kbli=("10110", "10120", "13111"), created_at=LONG_AGO)
    _validated(twice, s1, 7)
    estate = ReportFactory(factory=twice, period=s1, status=ReportStatus.VALIDATED, report_type="kawasan_komersial")
    sections.Workforce.objects.create(report=estate, total=11)
    sections.EstateInvestment.objects.create(report=estate, planned_total=1, land=900, infrastructure=0, buildings=0, other=0)

    live = _figures(cast.pemda_jabar, s1)  # no stored rows: the live sums
    assert ReportMeasures.objects.count() == 0
    assert measures.rebuild() == 26
    assert _figures(cast.pemda_jabar, s1) == live
    assert live[3] == 14 and live[0]["32.16"]["investment"][0] == 4
    assert live[0]["32.15"]["workforce"][:2] == (5, 20 + 40 + 60 + 80 + 70 + 11)
    division_10 = next(cells for key, cells in live[1].items() if key == "10")
    assert division_10["workforce"][:2] == (8, 20 + 40 + 60 + 80 + 70 + 11 + 120 + 140 + 160)  # Kab. Bekasi: one without workforce
    ReportMeasures.objects.update(export=F("export") + 1)
    assert _figures(cast.pemda_jabar, s1) != live, "the stored rows are the ones read"
    measures.rebuild()

    # half of them stored, half live: still the same figures
    ReportMeasures.objects.filter(report__period=older).delete()
    assert _figures(cast.pemda_jabar, s1) == live
