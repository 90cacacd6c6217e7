"""Data dan Informasi background jobs: thin, idempotent, calling ``analisis.position``, the sector
selectors and ``analisis.pohon.kept``."""

from __future__ import annotations

from celery import shared_task

from analisis import position
from analisis.pohon import kept
from analisis.sector import selectors as sector


@shared_task(name="analisis.refresh_position_cuts")
def refresh_position_cuts(*, period_id: int, division: str) -> bool:
    """Recompute one KBLI division's Posisi Anda cut points (asked for by a page that found them stale)."""
    return position.refresh_division_cuts(period_id=period_id, division=division)


@shared_task(name="analisis.refresh_sector")
def refresh_sector(*, kbli2: str | None = None) -> None:
    """Recompute the sector overview (and one subsector's page) a public page found stale."""
    sector.refresh(kbli2=kbli2)


@shared_task(name="analisis.refresh_pohon")
def refresh_pohon() -> bool:
    """Recompute Pohon Industri's kept aggregate when the data moved (asked for by a page, and nightly)."""
    return kept.refresh_stale()
