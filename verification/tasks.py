"""Thin Celery tasks (style.md §14): they take ids and call services.

``run_compliance`` only plans (inserts rows against a unique constraint) and dispatches ids, so it
is idempotent and runs with ``acks_late`` and ``reject_on_worker_lost``: a worker killed mid-run
gets the message redelivered (at once when a pool child dies, after the broker's visibility timeout
when the whole worker does) and the re-run inserts nothing twice. ``send_notice`` is *not* ``acks_late``: its side effect is an
e-mail, and a redelivery racing a half-finished delivery is exactly what must not happen; a lost
``send_notice`` message is harmless because the row stays unsent and the next ``run_compliance``
dispatches it again.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from verification.services.compliance import compliance_plan, reminder_send, warning_letter_send


@shared_task(name="verification.run_compliance", acks_late=True, reject_on_worker_lost=True)
def run_compliance(today: str | None = None) -> int:
    """Plan today's reminders and letters and dispatch every unsent one; returns how many were dispatched."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    pending = compliance_plan(today=day)
    for notice in pending:
        send_notice.delay(notice.kind, notice.pk)
    return len(pending)


@shared_task(
    name="verification.send_notice",
    acks_late=False,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    max_retries=5,
)
def send_notice(kind: str, pk: int) -> bool:
    """Deliver one planned reminder or warning letter (a no-op when it is already sent)."""
    if kind == "reminder":
        return reminder_send(reminder_id=pk)
    if kind == "letter":
        return warning_letter_send(letter_id=pk)
    raise ValueError(f"unknown notice kind {kind!r}")
