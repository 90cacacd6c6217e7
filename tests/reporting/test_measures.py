"""The stored measures of validated reports (``ReportMeasures``): written by the status pipeline when a
report is validated, never for other statuses, and equal to a rebuild from the sections."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reporting import measures, services
from reporting.models import Report, ReportMeasures, ReportStatus
from reporting.sections import models as sm
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db


def stored() -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in ReportMeasures.objects.values_list("report_id", *measures.FIELDS)}


def live() -> dict[int, tuple]:
    rows = measures.with_measures(Report.objects.filter(status=ReportStatus.VALIDATED))
    return {row[0]: tuple(row[1:]) for row in rows.values_list("pk", *(f"m_{f}" for f in measures.FIELDS))}


def assert_maintained_equals_rebuilt_and_the_sections() -> None:
    before = stored()
    assert before == live()
    measures.rebuild()
    assert stored() == before


def submitted(factory, period, i: int, *, report_type: str = "industri_produksi") -> Report:
    """A submitted report with sections depending on ``i`` (some without production, sales or workforce)."""
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.SUBMITTED, report_type=report_type)
    if i % 4 != 3:
        sm.Workforce.objects.create(report=report, total=100 + i)
    if report_type.startswith("kawasan"):
        sm.EstateInvestment.objects.create(report=report, planned_total=9, land=1000 * i, infrastructure=7, buildings=3, other=1)
        return report
    sm.Investment.objects.create(
        report=report, land=10 * i, buildings=2, machinery=3, other_fixed=4, working_capital=5,
        ownership="pmdn", domestic_pct=100, foreign_pct=0,
    )  # fmt: skip
    if i % 2 == 0:
        for n in range(2):
            sm.CapacityProduct.objects.create(report=report, name=f"P{n}", kbli_code="10110", unit="ton", capacity=10 * (i + n + 1))
            sm.ProductionRow.objects.create(report=report, product=f"P{n}", quantity=1, unit="ton", value=500 + i + n)
    if i % 3 == 0:
        sm.SalesRow.objects.create(report=report, product="P", export_value=70 + i)
        sm.SalesRow.objects.create(report=report, product="Q", export_value=0)
    return report


def test_the_measures_follow_validation_and_returns(cast):
    older, newer = PeriodFactory(year=2025, number=2), PeriodFactory(year=2026, number=1)
    factories = [FactoryAccountFactory(kbli_codes=["10110"]) for _ in range(6)]
    reports = [submitted(f, older, i) for i, f in enumerate(factories)]
    reports.append(submitted(factories[0], newer, 8, report_type="kawasan_komersial"))
    assert_maintained_equals_rebuilt_and_the_sections()
    assert stored() == {}

    for report in reports:
        services.report_verify(actor=cast.verifier, report=report)
    assert stored() == {}, "verified is not validated"
    for report in reports[:4] + reports[6:]:
        services.report_validate(actor=cast.admin, report=report)
    services.report_return(actor=cast.admin, report=reports[4], comments={"tenaga_kerja": "Periksa."})
    assert_maintained_equals_rebuilt_and_the_sections()
    assert set(stored()) == {r.pk for r in reports[:4] + reports[6:]}

    # report 0: workforce 100, industry investment 14, production 500 + 501, export 70 + 0, utilisation of
    # P0 1 ton of 10 ton/year for a semester (20 %), P1 1 of 20 (10 %), weighted by value 500 and 501:
    # (500 × 20 + 501 × 10) / 1001 = 14.995 → 15.00
    assert stored()[reports[0].pk] == (100, 14, None, 1001, 70, Decimal("15.00"))
    # report 3: no workforce section, no production, sales with export 73
    assert stored()[reports[3].pk] == (None, 44, None, None, 73, None)
    # the estate report: estate investment only
    assert stored()[reports[6].pk] == (108, None, 8011, None, None, None)

    # back in Terkirim after the return (as a resubmission leaves it), then verified and validated
    Report.objects.filter(pk=reports[4].pk).update(status=ReportStatus.SUBMITTED)
    services.report_verify(actor=cast.verifier, report=reports[4])
    services.report_validate(actor=cast.admin, report=reports[4])
    assert_maintained_equals_rebuilt_and_the_sections()
    assert reports[4].pk in stored()


def test_leaving_validated_deletes_the_row():
    report = ReportFactory(status=ReportStatus.VALIDATED, factory=FactoryAccountFactory())
    sm.Workforce.objects.create(report=report, total=5)
    measures.refresh(report.pk, ReportStatus.VALIDATED)
    assert stored() == {report.pk: (5, None, None, None, None, None)}
    measures.refresh(report.pk, ReportStatus.RETURNED)
    assert stored() == {}


def test_each_row_carries_its_reports_period_account_and_type_for_the_dashboards(cast):
    period = PeriodFactory(year=2025, number=2)
    report = submitted(FactoryAccountFactory(kbli_codes=["10110"]), period, 0, report_type="industri_produksi")
    services.report_verify(actor=cast.verifier, report=report)
    services.report_validate(actor=cast.admin, report=report)
    expected = (report.period_id, report.factory_id, "industri_produksi")
    assert ReportMeasures.objects.values_list(*measures.FACTS).get(report_id=report.pk) == expected
    measures.rebuild()
    assert ReportMeasures.objects.values_list(*measures.FACTS).get(report_id=report.pk) == expected


def test_complete_says_whether_a_validated_report_has_no_stored_row():
    report = ReportFactory(status=ReportStatus.VALIDATED, factory=FactoryAccountFactory())
    assert not measures.complete(), "written around the pipeline: the readers take the per-report path"
    measures.refresh(report.pk, ReportStatus.VALIDATED)
    assert measures.complete()


# --- Capacity utilisation -------------------------------------------------------------------------------


def _validated_with(lines, *, capacity=(), period=None) -> Report:
    """A validated report with production ``lines`` (product, quantity, unit, value) and capacity rows
    (name, unit, capacity per year), its measures written by ``refresh``."""
    report = ReportFactory(status=ReportStatus.VALIDATED, factory=FactoryAccountFactory(), period=period or PeriodFactory())
    for name, unit, per_year in capacity:
        sm.CapacityProduct.objects.create(report=report, name=name, kbli_code="10110", unit=unit, capacity=per_year)
    for product, quantity, unit, value in lines:
        sm.ProductionRow.objects.create(report=report, product=product, quantity=quantity, unit=unit, value=value)
    measures.refresh(report.pk, ReportStatus.VALIDATED)
    return report


def utilisation(report: Report):
    return ReportMeasures.objects.values_list("utilisation", flat=True).get(report_id=report.pk)


def test_utilisation_is_the_value_weighted_mean_of_the_lines_quantity_over_capacity_for_the_period():
    # A semester: half of the yearly capacity. Gula: 400 of 500 ton (80 %), value 300; Karung: 25 of 50
    # unit (50 %), value 100. Weighted by value: (300 × 80 + 100 × 50) / 400 = 72.5 %.
    report = _validated_with(
        [("Gula", 400, "ton", 300), ("Karung", 25, "unit", 100)],
        capacity=[("Gula", "ton", 1000), ("Karung", "unit", 100)],
    )
    assert utilisation(report) == Decimal("72.50")


def test_lines_without_capacity_value_or_matching_unit_do_not_count():
    report = _validated_with(
        [("Gula", 400, "ton", 300), ("Tetes", 5, "ton", 900), ("Ampas", 5, "ton", 0), ("Karung", 25, "ton", 100)],
        capacity=[("gula ", "ton", 1000), ("Tetes", "ton", 0), ("Ampas", "ton", 10), ("Karung", "unit", 100)],
    )
    assert utilisation(report) == Decimal("80.00"), "Gula alone (its name matched case and spaces aside)"


def test_a_quarter_uses_a_quarter_of_the_yearly_capacity():
    from reporting.models import Period

    quarter = PeriodFactory(period_type=Period.Type.QUARTER, year=2026, number=2, start="2026-04-01", end="2026-06-30")
    report = _validated_with([("Gula", 100, "ton", 1)], capacity=[("Gula", "ton", 1000)], period=quarter)
    assert utilisation(report) == Decimal("40.00")


@pytest.mark.parametrize(
    ("lines", "capacity"),
    [
        ([], []),  # no production section
        ([("Gula", 400, "ton", 300)], []),  # no capacity section
        ([("Gula", 400, "ton", 300)], [("Gula", "ton", 0)]),  # capacity zero
        ([("Gula", 400, "ton", 300)], [("Gula", "unit", 1000)]),  # another unit
        ([("Gula", 400, "ton", 0)], [("Gula", "ton", 1000)]),  # no production value to weigh
    ],
)
def test_utilisation_is_empty_when_not_computable(lines, capacity):
    assert utilisation(_validated_with(lines, capacity=capacity)) is None


def test_rebuild_gives_the_utilisation_refresh_wrote():
    reports = [
        _validated_with([("Gula", 400, "ton", 300), ("Karung", 25, "unit", 100)], capacity=[("Gula", "ton", 1000), ("Karung", "unit", 100)]),
        _validated_with([("Gula", 1, "ton", 3)], capacity=[("Gula", "ton", 7)]),
        _validated_with([("Gula", 1, "ton", 3)]),
    ]
    before = stored()
    assert [before[r.pk][-1] for r in reports] == [Decimal("72.50"), Decimal("28.57"), None]
    measures.rebuild()
    assert stored() == before
