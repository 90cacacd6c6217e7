"""The mail server and the broker fail while users act (issue 12 §1, §7): nobody waiting gets a 5xx or
waits on them, nothing is lost, and everything is delivered once the fault is gone."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import Registration, User
from reporting.models import OtherData, Report, ReportStatus
from siinas.core import outbox
from siinas.core.models import OutboxMessage
from tests.accounts.factories import make_registration
from tests.accounts.test_registration import _data as registration_post
from tests.helpers import login
from tests.reporting.conftest import (
    IN_WINDOW,
    fill_all,
    period,  # noqa: F401 — fixture
    submit,
)

pytestmark = pytest.mark.django_db
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def blackhole():
    """A server that accepts connections and never says a word (a hanging mail server or broker)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def _smtp(settings, port: int, timeout: float = 1) -> None:
    settings.MAILERS = {"default": {"BACKEND": SMTP, "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout}}}


def _mail_back(settings) -> None:
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def _deliver_after_backoff() -> None:
    latest = max(OutboxMessage.objects.values_list("next_attempt_at", flat=True))
    with time_machine.travel(latest + dt.timedelta(seconds=1)):
        outbox.deliver_due()


def test_upp_approval_with_the_mail_server_refusing_creates_the_account_and_delivers_the_password_later(
    cast, client, settings, django_capture_on_commit_callbacks
):
    registration = make_registration(company_name="PT Kimia Jaya", factory_name="Pabrik Cibitung")
    _smtp(settings, _closed_port())
    login(client, cast.upp)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:registration-approve", args=[registration.pk]), {"account_type": "A"})
    assert response.status_code == 302
    registration.refresh_from_db()
    user = User.objects.get(factory=registration.factory)
    message = OutboxMessage.objects.get(dedupe_key=f"registration-approved-{registration.pk}")
    assert message.status == "pending" and message.attempts == 1 and "Connection refused" in message.last_error

    _mail_back(settings)
    _deliver_after_backoff()
    assert [m.to for m in mail.outbox] == [[registration.email]]
    assert user.username in mail.outbox[0].body
    message.refresh_from_db()
    assert message.status == "sent" and "password" not in str(message.payload).lower()


def test_a_public_registration_with_the_mail_server_down_shows_its_number(
    reference_data, client, settings, django_capture_on_commit_callbacks
):
    _smtp(settings, _closed_port())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), registration_post(), follow=True)
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.number and registration.number in response.content.decode()
    _mail_back(settings)
    _deliver_after_backoff()
    assert registration.number in mail.outbox[0].body


def test_a_report_submit_with_a_hanging_mail_server_answers_at_once_and_the_receipt_follows(
    cast, client, period, settings, blackhole, django_capture_on_commit_callbacks  # noqa: F811
):
    login(client, cast.company_a)
    with time_machine.travel(IN_WINDOW, tick=True):
        client.post(reverse("reporting:report-start"), {"period": period.pk, "report_type": "industri_produksi"})
        report = Report.objects.get(period=period)
        fill_all(client, report)
        _smtp(settings, blackhole, timeout=1)
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(client, report)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    message = OutboxMessage.objects.get(name="reporting-submitted")
    assert message.status == "pending" and "timed out" in message.last_error.lower()
    _mail_back(settings)
    _deliver_after_backoff()
    assert len(mail.outbox) == 1 and "Tanda terima" in mail.outbox[0].body


@pytest.fixture
def unreachable_broker(settings):
    """Production mode (a broker, no in-process tasks) with the broker's port closed."""
    from siinas.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    app._pool = None
    app.amqp._producer_pool = None
    outbox._broker_paused_until = 0.0
    yield app
    outbox.wait_for_publisher()
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None
    outbox._broker_paused_until = 0.0


def _incident(client):
    return client.post(
        reverse("reporting:other-list"),
        {"kind": "kejadian_luar_biasa", "title": "Kebakaran gudang", "description": "Gudang terbakar.", "event_date": "2026-07-14"},
    )


def test_an_incident_report_with_the_broker_down_answers_at_once_and_its_notice_waits_in_the_outbox(
    cast, client, unreachable_broker, settings, django_capture_on_commit_callbacks
):
    login(client, cast.company_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _incident(client)
    assert response.status_code == 302
    assert OtherData.objects.get().notified_at is not None
    outbox.wait_for_publisher()
    assert outbox._broker_paused_until > 0, "the publish failed and this process stopped trying"
    message = OutboxMessage.objects.get(name="reporting-incident")
    assert message.status == "pending" and not mail.outbox

    # The broker is back: the sweep (beat → core.deliver_outbox) delivers what waited.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    outbox.deliver_due()
    assert len(mail.outbox) == 1 and "Kebakaran gudang" in mail.outbox[0].body


def test_with_a_hanging_broker_the_request_does_not_wait_for_the_publish(
    cast, client, unreachable_broker, blackhole, django_capture_on_commit_callbacks
):
    unreachable_broker.conf.broker_url = f"redis://127.0.0.1:{blackhole}/0"
    login(client, cast.company_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _incident(client)
    assert response.status_code == 302
    assert OutboxMessage.objects.get(name="reporting-incident").status == "pending"
