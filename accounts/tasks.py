"""Thin Celery tasks of the accounts app (style.md §14)."""

from __future__ import annotations

from celery import shared_task

from accounts.services import password_reminders_send


@shared_task(name="accounts.password_expiry_reminders", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def password_expiry_reminders() -> int:
    """Daily: e-mail the 14- and 3-day password-expiry reminders (sent-markers make it idempotent)."""
    return password_reminders_send()
