"""The outbox (issue 12 §1): e-mails and tasks are recorded with the action and delivered after it, with
retries; a failed delivery stays pending instead of raising; admins see and retry what failed."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from siinas.core import outbox
from siinas.core.models import AuditEvent, OutboxMessage
from siinas.lib.emails import queue_email
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_smtp(monkeypatch):
    """The mail transport refuses every message until ``state["up"]`` is set."""
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages
    state = {"up": False, "calls": 0}

    def send(self, messages):
        state["calls"] += 1
        if not state["up"]:
            raise smtplib.SMTPConnectError(421, "mail server down")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send)
    return state


@pytest.fixture(autouse=True)
def _test_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], settings.BASE_DIR / "tests" / "templates"]}
    ]


def _queue(**kwargs):
    return queue_email("core-test", to=["a@contoh.go.id"], context={}, **kwargs)


def test_an_email_is_recorded_in_the_transaction_and_sent_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = _queue(dedupe_key="x-1")
        assert mail.outbox == [], "nothing leaves before the commit"
        assert OutboxMessage.objects.filter(pk=message.pk, status="pending").exists()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<siinas-x-1@")


def test_a_rolled_back_action_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError("the action failed")
    assert not OutboxMessage.objects.exists() and mail.outbox == []


def test_the_same_dedupe_key_records_one_message():
    first = _queue(dedupe_key="letter-9")
    second = _queue(dedupe_key="letter-9")
    assert first.pk == second.pk and OutboxMessage.objects.count() == 1


def test_a_refused_delivery_stays_pending_with_backoff_and_goes_out_when_the_server_is_back(
    refusing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1
    assert "SMTPConnectError" in message.last_error
    assert message.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)

    assert outbox.deliver_due() == (0, 0), "not due before its backoff"
    refusing_smtp["up"] = True
    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1)):
        assert outbox.deliver_due() == (1, 1)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and len(mail.outbox) == 1


def test_after_the_last_attempt_the_message_is_failed_and_an_admin_retries_it(refusing_smtp, client, cast):
    message = _queue()
    now = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        with time_machine.travel(now):
            outbox.deliver(message.pk)
        message.refresh_from_db()
        now = message.next_attempt_at + dt.timedelta(seconds=1)
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == outbox.MAX_ATTEMPTS
    assert outbox.backlog()["failed"] == 1

    login(client, cast.admin)
    listing = client.get(reverse("admin:core_outboxmessage_changelist") + "?status__exact=failed")
    assert listing.status_code == 200 and "core-test" in listing.content.decode()
    refusing_smtp["up"] = True
    response = client.post(
        reverse("admin:core_outboxmessage_changelist"),
        {"action": "retry_now", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="core.outbox_retry", actor=cast.admin).exists()


def test_deliver_outbox_command_sends_what_is_due_and_can_replay_failed_messages(refusing_smtp, capsys):
    message = _queue()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.FAILED, attempts=8)
    refusing_smtp["up"] = True
    call_command("deliver_outbox")
    assert "sent 0 of 0" in capsys.readouterr().out, "a failed message waits for an operator"
    call_command("deliver_outbox", "--retry-failed")
    assert "sent 1 of 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_a_sensitive_message_keeps_only_its_subject_once_delivered(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(
            "accounts-password-reset",
            to=["a@contoh.go.id"],
            context={"user": None, "link": "https://siinas.example/reset/rahasia"},
            sensitive=True,
        )
    message.refresh_from_db()
    assert "rahasia" in mail.outbox[0].body
    assert "rahasia" not in str(message.payload) and message.payload["erased"]


def test_a_task_is_recorded_and_run_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.task_enqueue("core.record_heartbeat", args=["outbox-test"])
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert AuditEvent.objects.filter(action="system.heartbeat", extra__source="outbox-test").exists()


def test_the_sweep_is_on_the_beat_schedule():
    from siinas.celery import app

    app.loader.import_default_modules()
    entries = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "core.deliver_outbox" in entries and "core.deliver_outbox" in app.tasks


def test_no_admin_may_edit_or_forge_an_outbox_message(client, cast):
    login(client, cast.admin)
    assert client.get(reverse("admin:core_outboxmessage_add")).status_code == 403


def test_the_sweep_prunes_messages_delivered_more_than_90_days_ago_and_never_pending_or_failed_ones():
    from siinas.core.tasks import deliver_outbox

    old_sent, recent_sent, old_failed = _queue(), _queue(), _queue()
    long_ago = timezone.now() - dt.timedelta(days=91)
    OutboxMessage.objects.filter(pk=old_sent.pk).update(status="sent", sent_at=long_ago)
    OutboxMessage.objects.filter(pk=recent_sent.pk).update(status="sent", sent_at=timezone.now())
    OutboxMessage.objects.filter(pk=old_failed.pk).update(status="failed", created_at=long_ago)
    deliver_outbox()
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent_sent.pk, old_failed.pk}
