"""Thin tasks: take ids, call services (style.md §14)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reporting.notify_incident", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def notify_incident(other_data_id: int) -> int:
    from reporting.services import other_data_notify

    return other_data_notify(other_data_id=other_data_id)
