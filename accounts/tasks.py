"""Thin Celery tasks of the accounts app (style.md §14)."""

from __future__ import annotations

from celery import shared_task

from accounts.services import password_reminders_send, registration_sla_alerts_send


@shared_task(name="accounts.password_expiry_reminders", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def password_expiry_reminders() -> int:
    """Daily: e-mail the 14- and 3-day password-expiry reminders (sent-markers make it idempotent)."""
    return password_reminders_send()


@shared_task(name="accounts.registration_sla_alerts", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def registration_sla_alerts() -> int:
    """Working hours: tell UPP which registrations passed the 1-working-day SLA (each once)."""
    return registration_sla_alerts_send()
