"""Pemda background jobs: thin, idempotent, calling ``pemda.figures``."""

from __future__ import annotations

from celery import shared_task

from pemda import figures


@shared_task(name="pemda.refresh_territory_figures")
def refresh_territory_figures(*, user_id: int, part: str, period_id: int | None, language: str) -> bool:
    """Recompute one territory's kept dashboard figures (asked for by a page that found them stale)."""
    return figures.refresh(user_id=user_id, part=part, period_id=period_id, language=language)


@shared_task(name="pemda.refresh_stale_figures")
def refresh_stale_figures() -> int:
    """Recompute every kept territory figure whose data moved (nightly, before the offices open)."""
    return figures.refresh_stale()
