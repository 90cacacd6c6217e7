"""Thin Celery tasks (style.md §14): they take ids and call services.

``run_compliance`` only plans (inserts rows against a unique constraint) and dispatches ids, so it
is idempotent and runs with ``acks_late`` and ``reject_on_worker_lost``: a worker killed mid-run
gets the message redelivered (at once when a pool child dies, after the broker's visibility timeout
when the whole worker does) and the re-run inserts nothing twice. The dispatch goes through the
outbox (one ``send_notice`` row per notice and day), so a broker outage delays it instead of failing
the run. ``send_notice`` only numbers, stores and queues the e-mail in one transaction (the outbox
delivers it); a lost ``send_notice`` message is harmless because the row stays unsent and the next
``run_compliance`` dispatches it again.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from siinas.core.outbox import task_enqueue
from verification.services.compliance import compliance_plan, reminder_send, warning_letter_send


@shared_task(name="verification.run_compliance", acks_late=True, reject_on_worker_lost=True)
def run_compliance(today: str | None = None) -> int:
    """Plan today's reminders and letters and dispatch every unsent one; returns how many were dispatched."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    pending = compliance_plan(today=day)
    with transaction.atomic():
        for notice in pending:
            task_enqueue(
                "verification.send_notice", args=[notice.kind, notice.pk], dedupe_key=f"notice-{notice.kind}-{notice.pk}-{day}"
            )
    return len(pending)


@shared_task(name="verification.send_notice", acks_late=False)
def send_notice(kind: str, pk: int) -> bool:
    """Deliver one planned reminder or warning letter (a no-op when it is already sent)."""
    if kind == "reminder":
        return reminder_send(reminder_id=pk)
    if kind == "letter":
        return warning_letter_send(letter_id=pk)
    raise ValueError(f"unknown notice kind {kind!r}")
