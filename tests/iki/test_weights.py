"""The maintained reported workforce (iki.weights, ``AcceptedWorkforce``): kept by the status pipeline
when a report is accepted or leaves acceptance, always equal to a rebuild and to reporting's lookup over
the reports themselves, and giving the same IKI as that lookup."""

import random
from datetime import date

import pytest

from iki import selectors, weights
from iki.engine import compute_from_tally
from iki.models import AcceptedWorkforce
from reporting import selectors as reporting_selectors
from reporting import services
from reporting.models import ReportStatus
from reporting.sections import models as sm
from tests.factories import FactoryAccountFactory
from tests.iki.conftest import make_response
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


def maintained() -> dict[int, int]:
    return dict(AcceptedWorkforce.objects.filter(workforce__isnull=False).values_list("factory_id", "workforce"))


def assert_maintained_equals_rebuilt_and_the_reports(factory_ids) -> None:
    before = maintained()
    assert before == reporting_selectors.workforce_from_latest_accepted_reports(factory_ids)
    weights.rebuild()
    assert maintained() == before


def submitted(factory, period, workforce: int | None):
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.SUBMITTED)
    if workforce is not None:
        sm.Workforce.objects.create(report=report, total=workforce)
    return report


def test_the_weight_follows_verification_validation_and_returns(cast):
    older, newer = PeriodFactory(year=2025, number=2), PeriodFactory(year=2026, number=1)
    factories = [FactoryAccountFactory(kbli_codes=["10110"], workforce=10 * i) for i in range(1, 7)]
    ids = [f.pk for f in factories]
    assert_maintained_equals_rebuilt_and_the_reports(ids)

    old_reports = [submitted(f, older, 100 + i) for i, f in enumerate(factories)]
    new_reports = [submitted(f, newer, 500 + i if i != 3 else None) for i, f in enumerate(factories)]
    for report in old_reports[:5]:
        services.report_verify(actor=cast.verifier, report=report)
    assert_maintained_equals_rebuilt_and_the_reports(ids)
    assert maintained()[factories[0].pk] == 100

    services.report_validate(actor=cast.admin, report=old_reports[0])
    for report in new_reports[:4]:
        services.report_verify(actor=cast.verifier, report=report)
    assert_maintained_equals_rebuilt_and_the_reports(ids)
    assert maintained()[factories[1].pk] == 501
    assert factories[3].pk not in maintained(), "its latest accepted report has no workforce section: the profile applies"

    # sent back after verification: the older accepted report's workforce applies again
    services.report_return(actor=cast.admin, report=new_reports[1], comments={"tenaga_kerja": "Periksa."})
    services.report_validate(actor=cast.admin, report=new_reports[2])
    assert_maintained_equals_rebuilt_and_the_reports(ids)
    assert maintained()[factories[1].pk] == 101 and maintained()[factories[2].pk] == 502


def test_the_iki_is_the_same_as_with_the_lookup_over_the_reports(cast, monkeypatch):
    rng = random.Random(14)
    period = PeriodFactory(year=2025, number=2)
    factories = [FactoryAccountFactory(kbli_codes=["10110", "13111"], workforce=rng.randint(0, 400)) for _ in range(12)]
    for factory in factories[:8]:
        report = submitted(factory, period, rng.randint(0, 900))
        services.report_verify(actor=cast.verifier, report=report)
    answers = ("meningkat", "tetap", "menurun")
    for factory in factories:
        for kbli2 in ("10", "13"):
            make_response(factory, MARCH, kbli2, orders=rng.choice(answers), production=rng.choice(answers), stock=rng.choice(answers))
    services.report_return(actor=cast.admin, report=factory_report(factories[0]), comments={"tenaga_kerja": "Periksa."})

    with_maintained = compute_from_tally(selectors.month_tally(MARCH))
    scan_maintained = compute_from_tally(selectors.month_tally_scan(MARCH))
    monkeypatch.setattr(selectors, "workforce_from_latest_accepted_reports", reporting_selectors.workforce_from_latest_accepted_reports)
    from_reports = compute_from_tally(selectors.month_tally(MARCH))
    assert with_maintained == from_reports == scan_maintained
    assert with_maintained.national is not None


def factory_report(factory):
    return factory.reports.get()


def test_a_months_weight_check_reads_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    period = PeriodFactory(year=2025, number=2)
    factories = [FactoryAccountFactory(kbli_codes=["10110"], workforce=5) for _ in range(30)]
    for factory in factories:
        make_response(factory, MARCH, "10")
        services.report_verify(actor=cast.verifier, report=submitted(factory, period, 77))
    # tally rows, tallied weights, maintained workforce, the changed factories' lines, last month
    with django_assert_max_num_queries(5):
        tally = selectors.month_tally(MARCH)
    assert tally.divisions["10"].weight == 30 * 77
