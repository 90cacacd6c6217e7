"""Thin Celery tasks (style.md §14): they take ids and call services.

``iomki_weekly_reminders`` only plans (rows against a unique constraint) and dispatches ids, so a
re-run or redelivery adds nothing twice. ``send_weekly_reminder`` is a no-op for a reminder already
sent; a lost message leaves its row unsent and the next planning run dispatches it again.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from eservice.services import weekly_reminder_plan, weekly_reminder_send


@shared_task(name="eservice.iomki_weekly_reminders", acks_late=True)
def iomki_weekly_reminders(today: str | None = None) -> int:
    """Plan this week's IOMKI report reminders and dispatch every unsent one; returns how many."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    pending = weekly_reminder_plan(today=day)
    for reminder in pending:
        send_weekly_reminder.delay(reminder.pk)
    return len(pending)


@shared_task(
    name="eservice.send_weekly_reminder",
    acks_late=False,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    max_retries=5,
)
def send_weekly_reminder(reminder_id: int) -> bool:
    return weekly_reminder_send(reminder_id=reminder_id)
