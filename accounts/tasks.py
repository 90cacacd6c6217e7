"""Thin Celery tasks of the accounts app (style.md §14)."""

from __future__ import annotations

from celery import shared_task

from accounts.services import (
    password_reminders_send,
    registration_external_check,
    registration_sla_alerts_send,
)


@shared_task(name="accounts.password_expiry_reminders", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def password_expiry_reminders() -> int:
    """Daily: e-mail the 14- and 3-day password-expiry reminders (sent-markers make it idempotent)."""
    return password_reminders_send()


@shared_task(name="accounts.registration_sla_alerts", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def registration_sla_alerts() -> int:
    """Working hours: tell UPP which registrations passed the 1-working-day SLA (each once)."""
    return registration_sla_alerts_send()


@shared_task(name="accounts.check_registration", autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def check_registration(registration_id: int, fresh: bool = False) -> str:
    """After a registration is submitted (or an officer asks again): what OSS and KSWP say about it.
    An outage is stored on the registration, not raised; only a bug is retried."""
    registration = registration_external_check(registration_id=registration_id, fresh=fresh)
    return registration.oss_match if registration is not None else ""
