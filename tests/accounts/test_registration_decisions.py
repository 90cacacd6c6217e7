"""UPP validation: the queue (oldest first, 1-working-day SLA, overdue highlighted), approve with an
account type, reject with a reason, decided once only."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from accounts import selectors, services
from accounts.models import Company, Factory, Registration, Role, User
from accounts.services import registration as registration_services
from siinas.core.models import AuditEvent, Holiday
from siinas.core.selectors import working_day_deadline
from tests.accounts.factories import make_registration
from tests.factories import CompanyFactory
from tests.helpers import committed, login

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def at(y, m, d, hour=10):
    return dt.datetime(y, m, d, hour, tzinfo=WIB)


def test_the_sla_is_one_working_day_skipping_weekends_and_national_holidays(reference_data):
    Holiday.objects.update_or_create(date=dt.date(2027, 3, 22), defaults={"name": "Libur uji"})  # a Monday
    friday = make_registration(submitted_at=at(2027, 3, 19))
    thursday = make_registration(submitted_at=at(2027, 3, 18))
    with time_machine.travel(at(2027, 3, 22, 12), tick=False):
        rows = {row.registration.pk: row for row in selectors.registration_queue()}
    # Friday → Saturday, Sunday and the Monday holiday do not count: due end of Tuesday.
    assert rows[friday.pk].due_at.astimezone(WIB).date() == dt.date(2027, 3, 23)
    assert rows[friday.pk].due_at == working_day_deadline(friday.submitted_at)
    assert not rows[friday.pk].overdue
    # Thursday → due end of Friday: overdue on the Monday.
    assert rows[thursday.pk].due_at.astimezone(WIB).date() == dt.date(2027, 3, 19)
    assert rows[thursday.pk].overdue


def test_the_queue_is_oldest_first_and_highlights_overdue(cast, client):
    newer = make_registration(submitted_at=at(2027, 5, 5), company_name="PT Baru Sekali")
    older = make_registration(submitted_at=at(2027, 5, 3), company_name="PT Lama Sekali")
    make_registration(submitted_at=at(2027, 5, 4), status=Registration.Status.REJECTED, rejection_reason="x")
    with time_machine.travel(at(2027, 5, 5, 15), tick=False):
        login(client, cast.upp)
        response = client.get(reverse("accounts:registration-queue"))
    rows = response.context["rows"]
    assert [r.registration.pk for r in rows] == [older.pk, newer.pk]
    assert [r.overdue for r in rows] == [True, False]
    html = response.content.decode()
    assert html.index("PT Lama Sekali") < html.index("PT Baru Sekali")
    assert html.count('data-overdue="1"') == 1 and "Terlambat" in html


def test_the_queue_keeps_a_flat_query_budget(cast, client, django_assert_max_num_queries):
    for n in range(40):
        make_registration(submitted_at=at(2027, 5, 1 + n % 20))
    login(client, cast.upp)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:registration-queue"))
    assert len(response.context["rows"]) == 40


def test_approval_creates_the_factory_account_and_its_user_and_emails_the_credentials(
    cast, client, django_capture_on_commit_callbacks
):
    registration = make_registration(company_name="PT Kimia Jaya", factory_name="Pabrik Cibitung")
    login(client, cast.upp)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:registration-approve", args=[registration.pk]), {"account_type": "B"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED and registration.account_type == "B"
    assert registration.decided_by == cast.upp and registration.decided_at is not None
    factory = registration.factory
    assert factory.account_type == "B" and factory.name == "Pabrik Cibitung" and factory.region_id == "32.16"
    assert factory.company.nib == registration.nib and factory.location_key == registration.location_key
    user = User.objects.get(factory=factory)
    assert user.role == Role.COMPANY and user.must_change_password and user.email == registration.email
    body = mail.outbox[-1].body
    assert mail.outbox[-1].to == [registration.email] and user.username in body
    assert AuditEvent.objects.filter(action="accounts.registration.approved", actor=cast.upp, target_id=str(registration.pk)).exists()
    # The upload is kept with the decided registration.
    assert registration.nib_file.storage.exists(registration.nib_file.name)


def test_the_one_time_password_follows_the_password_rule(cast, django_capture_on_commit_callbacks):
    from django.contrib.auth.password_validation import validate_password

    for _ in range(20):
        validate_password(services.generate_one_time_password())


def test_approval_reuses_the_company_of_the_same_nib(cast):
    registration = make_registration(nib=cast.factory_a.company.nib, address="Jalan Kedua 2")
    services.registration_approve(actor=cast.upp, registration_id=registration.pk, account_type="A")
    assert Company.objects.filter(nib=cast.factory_a.company.nib).count() == 1
    assert Factory.objects.filter(company=cast.factory_a.company).count() == 2


def test_usernames_are_unique_even_for_the_same_company_name(cast):
    a = make_registration(company_name="PT Sama Nama", nib="1111111111111")
    b = make_registration(company_name="PT Sama Nama", nib="2222222222222")
    services.registration_approve(actor=cast.upp, registration_id=a.pk, account_type="A")
    services.registration_approve(actor=cast.upp, registration_id=b.pk, account_type="A")
    names = sorted(User.objects.filter(factory__company__nib__in=["1111111111111", "2222222222222"]).values_list("username", flat=True))
    assert names == ["samanama", "samanama2"]


def test_rejection_needs_a_reason_and_emails_it(cast, client, django_capture_on_commit_callbacks):
    registration = make_registration()
    login(client, cast.upp)
    response = client.post(reverse("accounts:registration-reject", args=[registration.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert response.context["reject_form"].errors["reason"]
    registration.refresh_from_db()
    assert registration.is_pending
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:registration-reject", args=[registration.pk]), {"reason": "Softcopy NIB tidak terbaca."})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REJECTED and registration.decided_by == cast.upp
    assert "Softcopy NIB tidak terbaca." in mail.outbox[-1].body and mail.outbox[-1].to == [registration.email]
    assert AuditEvent.objects.filter(action="accounts.registration.rejected", target_id=str(registration.pk)).exists()
    assert registration.nib_file.storage.exists(registration.nib_file.name), "the upload is not lost on rejection"


def test_the_service_refuses_an_empty_reason(cast):
    registration = make_registration()
    with pytest.raises(ValidationError) as exc:
        services.registration_reject(actor=cast.upp, registration_id=registration.pk, reason="")
    assert exc.value.message_dict["reason"] == [registration_services.REASON_REQUIRED]


def test_a_registration_cannot_be_decided_twice(cast, client, django_capture_on_commit_callbacks):
    registration = make_registration()
    services.registration_approve(actor=cast.upp, registration_id=registration.pk, account_type="A")
    with pytest.raises(ValidationError) as exc:
        services.registration_reject(actor=cast.admin, registration_id=registration.pk, reason="terlambat")
    assert exc.value.messages == [registration_services.ALREADY_DECIDED]
    login(client, cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:registration-approve", args=[registration.pk]), {"account_type": "C"})
    assert response.status_code == 400 and registration_services.ALREADY_DECIDED in response.content.decode()
    assert Factory.objects.filter(company__nib=registration.nib).count() == 1
    assert User.objects.filter(factory__company__nib=registration.nib).count() == 1
    registration.refresh_from_db()
    assert registration.decided_by == cast.upp and registration.account_type == "A"


@pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks between connections need PostgreSQL (.ci/run)")
@pytest.mark.django_db(transaction=True)
def test_two_officers_clicking_at_once_decide_it_once(cast):
    registration = make_registration()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def officer(actor, decide):
        try:
            barrier.wait()
            decide(actor)
            outcomes.append("decided")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=officer, args=(cast.upp, lambda a: services.registration_approve(actor=a, registration_id=registration.pk, account_type="A"))),
        threading.Thread(target=officer, args=(cast.admin, lambda a: services.registration_reject(actor=a, registration_id=registration.pk, reason="dobel"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted(["decided", registration_services.ALREADY_DECIDED])
    assert Registration.objects.get(pk=registration.pk).status != Registration.Status.PENDING
    decisions = ["accounts.registration.approved", "accounts.registration.rejected"]
    assert AuditEvent.objects.filter(action__in=decisions, target_id=str(registration.pk)).count() == 1


def test_the_nib_pdf_is_served_only_through_the_authorizing_view(cast, client):
    registration = make_registration()
    login(client, cast.upp)
    response = client.get(reverse("accounts:registration-nib-file", args=[registration.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="accounts.registration.nib_viewed", actor=cast.upp).exists()
    company = login(client.__class__(), cast.company_a)
    assert company.get(reverse("accounts:registration-nib-file", args=[registration.pk])).status_code == 403


def test_a_location_that_got_an_account_meanwhile_cannot_be_approved_again(cast):
    company = CompanyFactory(nib="3333333333333")
    first = make_registration(nib=company.nib, address="Jalan Tunggal 1")
    services.registration_approve(actor=cast.upp, registration_id=first.pk, account_type="A")
    # A twin registration that slipped in before the first was filed (e.g. created by an admin).
    twin = Registration.objects.create(
        company_name="x", nib=company.nib, address="Jalan Tunggal 1", region_id="32.16", npwp="013121660091000",
        email="x@x.id", nib_file=first.nib_file.name,
    )
    with pytest.raises(ValidationError) as exc:
        services.registration_approve(actor=cast.upp, registration_id=twin.pk, account_type="A")
    assert exc.value.messages == [registration_services.LOCATION_HAS_ACCOUNT]


def test_overdue_registrations_are_announced_to_upp_once(cast, django_capture_on_commit_callbacks):
    from accounts.tasks import registration_sla_alerts

    late = make_registration(submitted_at=at(2027, 6, 1), company_name="PT Terlambat")
    make_registration(submitted_at=at(2027, 6, 3), company_name="PT Masih Dalam SLA")
    with time_machine.travel(at(2027, 6, 3, 11), tick=False), committed():
        assert registration_sla_alerts.delay().get() == 1
        assert services.registration_sla_alerts_send() == 0, "a re-run sends nothing twice"
    sent = mail.outbox[-1]
    assert cast.upp.email in sent.to and cast.admin.email in sent.to
    assert "PT Terlambat" in sent.body and "PT Masih Dalam SLA" not in sent.body
    late.refresh_from_db()
    assert late.sla_alert_sent_at is not None


def test_a_type_d_account_is_a_data_partner_not_a_reporting_company(cast):
    registration = make_registration(company_name="Badan Pusat Statistik", business_kind="instansi")
    services.registration_approve(actor=cast.upp, registration_id=registration.pk, account_type="D")
    registration.refresh_from_db()
    user = User.objects.get(email=registration.email)
    assert registration.factory.account_type == "D"
    assert user.role == Role.KL and user.factory is None and user.needs_two_factor
