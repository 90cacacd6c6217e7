"""Early-warning background jobs: thin, idempotent, calling services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from ews.services import digests_send, signals_refresh


@shared_task(name="ews.refresh_signals", autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def refresh_signals() -> dict[str, int]:
    """Recompute the early-warning signals from the stored aggregates."""
    return signals_refresh()


@shared_task(name="ews.send_weekly_digest", autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def send_weekly_digest() -> int:
    """Queue this week's digest e-mails (once per recipient per week)."""
    return digests_send(today=timezone.localdate())
