"""Thin Celery tasks (style.md §14): they take ids and call services.

``iomki_weekly_reminders`` only plans (rows against a unique constraint) and dispatches ids, so a
re-run or redelivery adds nothing twice; the dispatch goes through the outbox. ``send_weekly_reminder``
is a no-op for a reminder already sent; its e-mail is queued in the outbox in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from eservice.services import weekly_reminder_plan, weekly_reminder_send
from siinas.core.outbox import task_enqueue


@shared_task(name="eservice.iomki_weekly_reminders", acks_late=True)
def iomki_weekly_reminders(today: str | None = None) -> int:
    """Plan this week's IOMKI report reminders and dispatch every unsent one; returns how many."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    pending = weekly_reminder_plan(today=day)
    with transaction.atomic():
        for reminder in pending:
            task_enqueue("eservice.send_weekly_reminder", args=[reminder.pk], dedupe_key=f"iomki-reminder-{reminder.pk}-{day}")
    return len(pending)


@shared_task(name="eservice.send_weekly_reminder", acks_late=False)
def send_weekly_reminder(reminder_id: int) -> bool:
    return weekly_reminder_send(reminder_id=reminder_id)
