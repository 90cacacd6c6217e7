"""Analisis background jobs: thin, idempotent, calling ``analisis.pohon.kept``."""

from __future__ import annotations

from celery import shared_task

from analisis.pohon import kept


@shared_task(name="analisis.refresh_pohon")
def refresh_pohon() -> bool:
    """Recompute Pohon Industri's kept aggregate when the data moved (asked for by a page, and nightly)."""
    return kept.refresh_stale()
