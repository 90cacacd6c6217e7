"""IOMKI: weekly condition reports while the permit is valid, one per week."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from eservice import services
from eservice.models import Status, WeeklyReport
from tests.eservice import builders as b
from tests.helpers import committed, login

pytestmark = pytest.mark.django_db

REPORT = {
    "operating": "1",
    "workforce_on_site": "280",
    "utilisation_pct": "75.5",
    "positive_cases": "0",
    "obstacles": "",
}


@pytest.fixture
def permit(cast):
    return b.application_in(
        Status.APPROVED, user=cast.company_a, service="iomki", reviewer=cast.validator_pangan
    )


def test_the_company_reports_this_week_and_the_officer_sees_it(client, cast, permit):
    login(client, cast.company_a)
    response = client.post(reverse("eservice:weekly-report-create", args=[permit.pk]), REPORT)
    assert response.status_code == 302
    report = WeeklyReport.objects.get()
    assert report.week_start.weekday() == 0 and report.utilisation_pct == 75.5
    login(client, cast.validator_pangan)
    page = client.get(reverse("eservice:application-detail", args=[permit.pk])).content.decode()
    assert "Laporan mingguan" in page and "75,50%" in page


def test_one_report_per_week(client, cast, permit):
    login(client, cast.company_a)
    client.post(reverse("eservice:weekly-report-create", args=[permit.pk]), REPORT)
    response = client.post(reverse("eservice:weekly-report-create", args=[permit.pk]), REPORT)
    assert response.status_code == 200
    assert str(services.WEEKLY_DUPLICATE) in response.content.decode()
    assert WeeklyReport.objects.count() == 1


def test_the_next_week_gets_its_own_report(client, cast, permit):
    login(client, cast.company_a)
    client.post(reverse("eservice:weekly-report-create", args=[permit.pk]), REPORT)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7)):
        login(client, cast.company_a)  # a week later the session has expired
        client.post(reverse("eservice:weekly-report-create", args=[permit.pk]), REPORT)
    assert WeeklyReport.objects.count() == 2


def test_no_report_once_the_permit_has_expired(client, cast, permit):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=200)):
        cast.company_a.password_changed_at = timezone.now()  # keep the 6-month password rule out of the way
        cast.company_a.save(update_fields=["password_changed_at"])
        login(client, cast.company_a)
        response = client.post(reverse("eservice:weekly-report-create", args=[permit.pk]), REPORT)
    assert str(services.WEEKLY_EXPIRED) in response.content.decode()
    assert not WeeklyReport.objects.exists()


def test_utilisation_above_100_percent_is_refused_at_the_field(client, cast, permit):
    login(client, cast.company_a)
    response = client.post(
        reverse("eservice:weekly-report-create", args=[permit.pk]), {**REPORT, "utilisation_pct": "120"}
    )
    assert response.status_code == 200
    assert "lebih kecil dari atau sama dengan 100" in response.content.decode()


def test_only_an_approved_iomki_takes_weekly_reports(client, cast):
    login(client, cast.company_a)
    pending = b.application_in(
        Status.SUBMITTED, user=cast.company_a, service="iomki", reviewer=cast.validator_pangan
    )
    assert client.get(reverse("eservice:weekly-report-create", args=[pending.pk])).status_code == 403
    licence = b.application_in(
        Status.APPROVED, user=cast.company_a, service="e-licensing", reviewer=cast.validator_pangan
    )
    assert client.get(reverse("eservice:weekly-report-create", args=[licence.pk])).status_code == 403


def test_a_holder_without_this_weeks_report_is_reminded_once(cast, permit):
    from eservice.tasks import iomki_weekly_reminders

    with committed():
        assert iomki_weekly_reminders() == 1
    reminders = [m for m in mail.outbox if "Pengingat laporan mingguan IOMKI" in m.subject]
    assert len(reminders) == 1 and cast.factory_a.email in reminders[0].to
    # A second run the same week (or a redelivered message) sends nothing again.
    assert iomki_weekly_reminders() == 0
    assert len([m for m in mail.outbox if "Pengingat" in m.subject]) == 1


def test_no_reminder_once_the_week_is_reported_or_the_permit_has_expired(client, cast, permit):
    from eservice.tasks import iomki_weekly_reminders

    login(client, cast.company_a)
    client.post(reverse("eservice:weekly-report-create", args=[permit.pk]), REPORT)
    assert iomki_weekly_reminders() == 0
    later = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    assert iomki_weekly_reminders(today=later) == 0
    assert not [m for m in mail.outbox if "Pengingat" in m.subject]
