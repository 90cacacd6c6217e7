"""The stored measures of validated reports (``ReportMeasures``): written by the status pipeline when a
report is validated, never for other statuses, and equal to a rebuild from the sections."""

from __future__ import annotations

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

    # report 0: workforce 100, industry investment 14, production 500 + 501, export 70 + 0
    assert stored()[reports[0].pk] == (100, 14, None, 1001, 70)
    # report 3: no workforce section, no production, sales with export 73
    assert stored()[reports[3].pk] == (None, 44, None, None, 73)
    # the estate report: estate investment only
    assert stored()[reports[6].pk] == (108, None, 8011, None, None)

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
    assert stored() == {report.pk: (5, None, None, None, None)}
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
