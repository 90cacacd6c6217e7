"""IKI background jobs: thin, idempotent, calling services."""

from __future__ import annotations

from celery import shared_task

from iki.services import iki_results_compute_due


@shared_task(name="iki.compute_closed_months", autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def compute_closed_months() -> list[str]:
    """Store every IKI month whose questionnaire window has closed and that has no result yet."""
    return iki_results_compute_due()
