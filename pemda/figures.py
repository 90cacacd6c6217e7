"""The Pemda dashboard's figures, kept per territory (``TerritoryFigures``) and refreshed in the background.

A cold province dashboard at 50,000 accounts runs about thirty grouped statements (≈ 240 ms): more than
any page may cost, and the data version they depend on is global, so during a filing window it moves
every few seconds and the page would be cold nearly every time. Instead the costly part of each page
(``PARTS``) is stored as one row per territory (the viewer's role and region), period and language,
with the data version and time it was computed at:

- the row's version is the current one and it is younger than ``FRESH_SECONDS``: the page reads it (one
  query) — what the version cannot see (an account's stage or KBLI edited) is bounded by that age, as
  the caches before it were;
- the row is older or the data moved, and a worker is there (``background()``): the page shows the row
  with its time and a note that the figures are being refreshed, and asks for a refresh (at most one
  per territory, part, period and language every ``REFRESH_EVERY_SECONDS``, through the outbox, so a
  broker that is down costs the page nothing); the worker recomputes and writes the row;
- no row, a row older than ``MAX_AGE`` (the worker has not run for hours), or no worker (the embedded
  default, tests): the page computes the figures itself, as before, and writes the row.

``refresh_stale`` (beat, nightly) recomputes every row whose data moved, so a territory's first view of
the morning finds figures of the night at the latest.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import get_language

from accounts.models import Factory, User
from eservice.models import Application, StatusChange
from iki.models import IkiResponse
from pemda.models import TerritoryFigures
from reporting.models import Period, Report, ReportEvent
from siinas.lib.cache_serializer import from_json, to_json
from siinas.lib.versions import newest_pks

log = logging.getLogger("siinas.pemda")

DASHBOARD = "dashboard"
KBLI = "kbli"
PARTS = (DASHBOARD, KBLI)
# Raise when the shape of a part's figures changes: rows of the old shape are then recomputed.
# 2: cells carry seen/values_hidden, type×status counts carry the authority share (disclosure control);
# 3: the obligation rule changed the expected counts (issue 17 §1, §2).
SHAPE = 3
# A row this young, at the current data version, is served as it is (the former caches' lifetime).
FRESH_SECONDS = 600
# A refresh asked for less than this long ago is not asked for again.
REFRESH_EVERY_SECONDS = 60
# A row older than this is not shown even with a worker: the page computes (the worker may be down).
MAX_AGE = timedelta(hours=6)


@dataclass(frozen=True)
class Kept:
    """A part's figures with the time they were computed at; ``refreshing``: the data moved since and a
    worker is recomputing them."""

    data: dict[str, Any]
    computed_at: datetime
    refreshing: bool


def background() -> bool:
    """Whether a worker refreshes figures (tasks not run in-process), unless settings say otherwise."""
    explicit = getattr(settings, "PEMDA_FIGURES_IN_BACKGROUND", None)
    return (not settings.CELERY_TASK_ALWAYS_EAGER) if explicit is None else bool(explicit)


def scope_of(user: User) -> str:
    return f"{user.role}:{user.region_id}"


def data_version(today=None) -> str:
    """Everything the parts depend on that a primary key shows (one statement): reports and their moves
    and accounts (what reporting's ``reports_data_version`` reads), e-service applications and
    decisions, IKI responses, and the day (figures of "today")."""
    today = today or timezone.localdate()
    # reporting's ``reports_data_version`` (events, reports, accounts) and the programmes' tables.
    newest = newest_pks(ReportEvent, Report, Factory, Application, StatusChange, IkiResponse)
    raw = "|".join(str(v) for v in (SHAPE, *newest, today.isoformat()))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _key(user: User, part: str, period: Period | None, language: str) -> dict[str, Any]:
    return {"scope": scope_of(user), "part": part, "period_key": period.pk if period else 0, "language": language}


def _load(payload: str) -> dict[str, Any] | None:
    try:
        return from_json(payload)
    except Exception:  # noqa: BLE001 — a row of an older code version: compute afresh
        log.info("stored territory figures unreadable; computing afresh", exc_info=True)
        return None


def store(
    user: User, part: str, period: Period | None, language: str, version: str, data: dict[str, Any], compute_ms: int,
    *, exists: bool | None = None,
) -> datetime:
    """Write the part's row (one statement when the caller knows whether it ``exists``)."""
    now = timezone.now()
    fields = {"version": version, "computed_at": now, "compute_ms": compute_ms, "payload": to_json(data)}
    key = _key(user, part, period, language)
    rows = TerritoryFigures.objects.filter(**key)
    if exists:
        rows.update(**fields)
        return now
    if exists is None and rows.update(**fields):
        return now
    try:
        with transaction.atomic():
            TerritoryFigures.objects.create(**key, **fields)
    except IntegrityError:
        # Another computation of the same row came first: write over it (both are current).
        rows.update(**fields)
    return now


def compute(user: User, part: str, period: Period | None) -> tuple[dict[str, Any], int]:
    """A part's figures for the viewer's territory, computed now (and the milliseconds it took)."""
    from pemda.selectors import pages

    started = time.perf_counter()
    data = pages.PART_BUILDERS[part](user, period)
    return data, round((time.perf_counter() - started) * 1000)


def kept_figures(user: User, part: str, period: Period | None) -> Kept:
    """The part's figures for the viewer's territory, period and the active language (module docstring)."""
    language = get_language() or settings.LANGUAGE_CODE
    version = data_version()
    now = timezone.now()
    row = (
        TerritoryFigures.objects.filter(**_key(user, part, period, language))
        .only("version", "computed_at", "payload")
        .first()
    )
    if row is not None:
        data = _load(row.payload)
        if data is not None:
            if row.version == version and now - row.computed_at < timedelta(seconds=FRESH_SECONDS):
                return Kept(data, row.computed_at, refreshing=False)
            if background() and now - row.computed_at < MAX_AGE:
                request_refresh(user, part, period, language)
                return Kept(data, row.computed_at, refreshing=True)
    data, ms = compute(user, part, period)
    computed_at = store(user, part, period, language, version, data, ms, exists=row is not None)
    return Kept(data, computed_at, refreshing=False)


def request_refresh(user: User, part: str, period: Period | None, language: str) -> bool:
    """Ask a worker to recompute the part (at most once per ``REFRESH_EVERY_SECONDS`` per row). Never
    raises: a page must show its figures even when the cache or the database refuse the request."""
    from siinas.core import outbox

    key = _key(user, part, period, language)
    lock = "pemda:figures-refresh:" + "|".join(str(v) for v in key.values())
    try:
        if not cache.add(lock, 1, REFRESH_EVERY_SECONDS):
            return False
        with transaction.atomic():
            outbox.task_enqueue(
                "pemda.refresh_territory_figures",
                kwargs={"user_id": user.pk, "part": part, "period_id": period.pk if period else None, "language": language},
            )
    except Exception:  # noqa: BLE001 — the page goes on with the figures it has
        log.warning("territory figures: refresh not requested", exc_info=True)
        return False
    return True


def refresh(*, user_id: int, part: str, period_id: int | None, language: str) -> bool:
    """The worker's side: recompute and store one row (the viewer who asked stands for the territory; a
    viewer no longer a Pemda officer is skipped)."""
    from pemda.access import PEMDA

    if part not in PARTS:
        return False
    user = User.objects.filter(pk=user_id, is_active=True, role__in=PEMDA).select_related("region").first()
    if user is None or user.region_id is None:
        return False
    period = Period.objects.filter(pk=period_id).first() if period_id else None
    if period_id and period is None:
        return False
    with translation.override(language):
        version = data_version()
        data, ms = compute(user, part, period)
        store(user, part, period, language, version, data, ms)
    return True


def refresh_stale(*, limit: int = 2000) -> int:
    """Recompute every kept row whose data moved (beat, nightly): one officer of each territory stands
    for it. Returns the number of rows refreshed."""
    version = data_version()
    done = 0
    for row in TerritoryFigures.objects.exclude(version=version).order_by("computed_at")[:limit]:
        role, _sep, region = row.scope.partition(":")
        officer = User.objects.filter(role=role, region_id=region or None, is_active=True).order_by("pk").values_list("pk", flat=True).first()
        if officer is None:
            row.delete()
            continue
        if refresh(user_id=officer, part=row.part, period_id=row.period_key or None, language=row.language):
            done += 1
    return done
