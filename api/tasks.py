"""Partner API background jobs: thin, idempotent, calling ``api.services``."""

from __future__ import annotations

from celery import shared_task

from api import services


@shared_task(name="api.prune_calls")
def prune_calls() -> int:
    """Nightly: drop call logs past their retention (``services.CALL_LOG_DAYS``)."""
    return services.api_calls_prune()
