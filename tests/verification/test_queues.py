"""The queues: filters (period, type, province, KBLI, age, late, claim) and a flat query budget."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import Report, ReportStatus
from tests.helpers import login
from tests.reporting.factories import PeriodFactory, ReportFactory
from tests.verification.conftest import bulk_factories

pytestmark = pytest.mark.django_db


def _bulk_reports(factories, period, status, *, late=False, days_ago=1):
    when = timezone.now() - dt.timedelta(days=days_ago)
    return Report.objects.bulk_create(
        Report(factory=f, period=period, report_type="industri_produksi", status=status,
               first_submitted_at=when, last_submitted_at=when, submitted_on_time=not late)
        for f in factories
    )  # fmt: skip


def test_the_verifier_queue_keeps_a_flat_query_budget_with_many_reports(client, cast, period, django_assert_max_num_queries):
    _bulk_reports(bulk_factories(400, tag="q"), period, ReportStatus.SUBMITTED)
    login(client, cast.verifier)
    with django_assert_max_num_queries(13):  # + the newest period, which keys the cached filter form
        response = client.get(reverse("verification:verifier-queue"), {"page": 2})
    assert response.status_code == 200 and response.context["page"].paginator.count == 400


def test_the_validator_queue_keeps_a_flat_query_budget_and_its_divisions(client, cast, period, django_assert_max_num_queries):
    _bulk_reports(bulk_factories(300, tag="v"), period, ReportStatus.VERIFIED)
    _bulk_reports(bulk_factories(50, kbli_code="25111", tag="l"), period, ReportStatus.VERIFIED)
    login(client, cast.validator_pangan)
    with django_assert_max_num_queries(14):  # the page's keys, then its rows; the newest period (filter form)
        response = client.get(reverse("verification:validator-queue"))
    assert response.context["page"].paginator.count == 300
    login(client, cast.validator_logam)
    assert client.get(reverse("verification:validator-queue")).context["page"].paginator.count == 50


def test_queue_filters_narrow_by_province_kbli_period_type_age_and_late(client, cast, period):
    jabar = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED, submitted_on_time=True)
    other_period = PeriodFactory(year=2027, number=2)
    late = ReportFactory(
        factory=cast.factory_b, period=other_period, report_type="industri_produksi_kecil", status=ReportStatus.SUBMITTED,
        submitted_on_time=False, last_submitted_at=timezone.now() - dt.timedelta(days=20),
    )  # fmt: skip
    login(client, cast.verifier)
    url = reverse("verification:verifier-queue")

    def listed(**params):
        return set(client.get(url, params).context["page"])

    assert listed() == {jabar, late}
    assert listed(province="32") == {jabar}
    assert listed(kbli="25") == {late}
    assert listed(period=other_period.pk) == {late}
    assert listed(report_type="industri_produksi") == {jabar}
    assert listed(age="14") == {late}
    assert listed(late="true") == {late}
    assert listed(late="false") == {jabar}
    assert listed(late="") == {jabar, late}


def test_the_late_filter_offers_all_yes_and_no(client, cast):
    login(client, cast.verifier)
    html = client.get(reverse("verification:verifier-queue")).content.decode()
    select = html[html.index('name="late"') : html.index("</select>", html.index('name="late"'))]
    assert '<option value="" selected>Semua</option>' in select and "Tidak diketahui" not in select


def test_the_oldest_submission_waits_at_the_top(client, cast, period):
    newer = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED, last_submitted_at=timezone.now())
    older = ReportFactory(
        factory=cast.factory_b, period=period, report_type="industri_produksi_kecil", status=ReportStatus.SUBMITTED,
        last_submitted_at=timezone.now() - dt.timedelta(days=5),
    )  # fmt: skip
    login(client, cast.verifier)
    assert list(client.get(reverse("verification:verifier-queue")).context["page"]) == [older, newer]
