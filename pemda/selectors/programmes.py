"""IKI and e-service figures of the officer's territory, for the dashboard: aggregates only.

Everything here reads other apps through their public functions (``iki.release``, ``iki.selectors``,
``iki.engine``; ``eservice.catalog`` and ``eservice.models``) and counts the factories of the whole
territory (``pemda_territory_q``), never listing one. A figure behind fewer than 3 companies is hidden
(``MIN_COMPANIES``), as everywhere on the dashboard.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import pemda_territory_q
from accounts.models import User
from eservice.catalog import SERVICES
from eservice.models import Application, Status, StatusChange
from iki import release as iki_release
from iki.engine import EKSPANSI, KONTRAKSI, STABIL, Index, ResponseRecord, compute_index
from iki.models import IkiResponse, month_label
from iki.selectors import first_of_month, previous_month, window_for
from iki.weights import reported_workforce
from pemda.selectors.territory import MIN_COMPANIES, Cell, suppress
from siinas.lib.versions import newest_pk

IKI_STATUS_LABELS = {EKSPANSI: _("Ekspansi"), STABIL: _("Stabil"), KONTRAKSI: _("Kontraksi")}
IOMKI = "iomki"

# --- IKI ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalIki:
    """The latest published national headline (what the public release shows)."""

    period: str
    value: Decimal
    status: str
    status_label: str
    change: Decimal | None
    respondents: int


def national_iki() -> NationalIki | None:
    """The latest *published* month (national figure of at least 3 respondents) as the public release
    shows it: its newest release vintage (docs/statistics.md); None before the first publication."""
    result = iki_release.latest_vintage()
    if result is None:
        return None
    change = result.payload.get("change")
    return NationalIki(
        period=result.period_label,
        value=result.iki,
        status=result.status,
        status_label=str(IKI_STATUS_LABELS.get(result.status, result.status)),
        change=None if change is None else Decimal(str(change)),
        respondents=result.respondents,
    )


def iki_completed_month(today: date | None = None) -> date:
    """The latest month whose questionnaire window has closed (this month after the 23rd, else the
    previous one; an admin-stretched window is respected). One or two small queries."""
    today = today or timezone.localdate()
    month = first_of_month(today)
    for _attempt in range(3):
        if window_for(month).has_closed(today):
            return month
        month = previous_month(month)
    return month


@dataclass(frozen=True)
class IkiMonthCell:
    """Responses of the territory's factories in one month: ``responses`` lines from ``n`` companies."""

    month: date
    responses: int
    n: int

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def hidden(self) -> bool:
        # An empty month (0) is not an aggregate of fewer than 3 companies; only 1–2 are hidden.
        return 0 < self.n < MIN_COMPANIES


def _territory_responses(user: User):
    return IkiResponse.objects.filter(pemda_territory_q(user, "factory__"))


def territory_iki(
    user: User, today: date | None = None, *, version: str | None = None, kept: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The national headline, the territory's response counts for the latest completed month and the
    month before, and the territory's own index for that month (``iki.engine.compute_index`` over its
    responses, weighted like the national one) when at least 3 companies answered.

    With ``version`` (the dashboards' data version, ``pemda.selectors.reports.rates_version``) the counts
    and the index are cached per territory and month for ``RATE_CACHE_SECONDS``: a completed month's
    responses no longer change (its window has closed) and its weights follow accepted reports, which
    the version sees. A fixed number of queries whatever the size of the territory. ``kept``: the
    figures of ``territory_iki_figures`` as kept by ``pemda.figures`` (used when of the same month)."""
    from pemda.selectors.reports import RATE_CACHE_SECONDS

    month = iki_completed_month(today)
    before = previous_month(month)
    key = None
    figures = kept if kept is not None and kept.get("month_of") == month.isoformat() else None
    if figures is None and version is not None:
        raw = f"{user.role}|{user.region_id}|{month.isoformat()}|{version}"
        key = "pemda:iki:" + hashlib.sha256(raw.encode()).hexdigest()
        figures = cache.get(key)
    if figures is None:
        figures = _territory_iki_figures(user, month, before)
        if key is not None:
            cache.set(key, figures, RATE_CACHE_SECONDS)
    current = IkiMonthCell(month, *figures["month"])
    previous = IkiMonthCell(before, *figures["previous"])
    index = Index(*figures["index"]) if figures["index"] is not None else None
    return {
        "national": national_iki(),
        "month": current,
        "previous": previous,
        "index": index,
        "index_status_label": str(IKI_STATUS_LABELS.get(index.status, "")) if index else "",
        "index_hidden": index is None and current.n > 0,
    }


def territory_iki_figures(user: User, today: date | None = None) -> dict[str, Any]:
    """``territory_iki``'s counts and index for the latest completed month, as plain data (kept by
    ``pemda.figures``)."""
    month = iki_completed_month(today)
    return {**_territory_iki_figures(user, month, previous_month(month)), "month_of": month.isoformat()}


def _territory_iki_figures(user: User, month: date, before: date) -> dict[str, Any]:
    """(responses, companies) of ``month`` and ``before`` and ``month``'s index values, as plain data."""
    counts = {
        row["period"]: (row["responses"], row["companies"])
        for row in _territory_responses(user)
        .filter(period__in=[month, before])
        .values("period")
        .annotate(responses=Count("pk"), companies=Count("factory_id", distinct=True))
        .order_by()
    }
    current = counts.get(month, (0, 0))
    index = compute_index(_records(user, month)) if current[1] >= MIN_COMPANIES else None
    return {
        "month": list(current),
        "previous": list(counts.get(before, (0, 0))),
        "index": None if index is None else [index.v_orders, index.v_production, index.v_stock, index.iki],
    }


def _records(user: User, month: date) -> list[ResponseRecord]:
    """The territory's responses of ``month`` as engine records; the weight is the workforce of the
    factory's latest accepted semester report, else its profile (SIINAS.md §5, as iki does)."""
    month_responses = _territory_responses(user).filter(period=month).order_by()
    rows = list(month_responses.values_list("factory_id", "kbli2_id", "factory__workforce", "general", "orders", "production", "stock", "outlook"))
    # iki's maintained latest-accepted workforce (iki.weights), the responding factories joined in the database
    reported = reported_workforce(month_responses.values_list("factory_id", flat=True))
    label = month_label(month)
    return [
        ResponseRecord(label, str(fid), kbli2, reported.get(fid, workforce), general, orders, production, stock, outlook)
        for fid, kbli2, workforce, general, orders, production, stock, outlook in rows
    ]


# --- E-services -----------------------------------------------------------------------------------------

# Drafts are the company's alone (eservice.access): only applications that reached the ministry count.
COUNTED_STATUSES = [(code, label) for code, label in Status.choices if code != Status.DRAFT]


def iomki_valid_q(today: date) -> Q:
    """An IOMKI permit in force: approved and not past its end date (as eservice's weekly report form)."""
    return Q(service=IOMKI, status=Status.APPROVED) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def _territory_eservice_counts(user: User, today: date) -> dict[str, Any]:
    """(applications, companies) per (service, status) and of the IOMKI permits in force: two queries."""
    territory = Application.objects.filter(pemda_territory_q(user, "factory__")).exclude(status=Status.DRAFT)
    counts = {
        (row["service"], row["status"]): (row["applications"], row["companies"])
        for row in territory.values("service", "status")
        .annotate(applications=Count("pk"), companies=Count("factory_id", distinct=True))
        .order_by()
    }
    valid = territory.filter(iomki_valid_q(today)).aggregate(permits=Count("pk"), companies=Count("factory_id", distinct=True))
    return {"counts": counts, "valid": valid}


def territory_eservice_figures(user: User, today: date | None = None) -> dict[str, Any]:
    """``territory_eservice``'s counts as plain data (kept by ``pemda.figures``)."""
    today = today or timezone.localdate()
    return {**_territory_eservice_counts(user, today), "day": today.isoformat()}


def territory_eservice(user: User, today: date | None = None, *, kept: dict[str, Any] | None = None) -> dict[str, Any]:
    """Applications of the territory's factories by service (rows) and status (columns): each cell the
    number of applications, hidden when it covers fewer than 3 companies (with secondary suppression
    over the table), and the IOMKI permits in force.

    The counts are cached per territory and day for ``RATE_CACHE_SECONDS``, keyed by the newest
    application and the newest status change (every move of an application writes one,
    ``eservice.services._move``): a submission or a decision shows at the next view. Two index look-ups
    when cached, four queries otherwise; none with ``kept`` (``territory_eservice_figures`` of the same
    day, kept by ``pemda.figures``)."""
    from pemda.selectors.reports import RATE_CACHE_SECONDS

    today = today or timezone.localdate()
    figures = kept if kept is not None and kept.get("day") == today.isoformat() else None
    if figures is None:
        newest = (newest_pk(Application), newest_pk(StatusChange))
        raw = f"{user.role}|{user.region_id}|{today.isoformat()}|{newest}"
        key = "pemda:eservice:" + hashlib.sha256(raw.encode()).hexdigest()
        figures = cache.get(key)
        if figures is None:
            figures = _territory_eservice_counts(user, today)
            cache.set(key, figures, RATE_CACHE_SECONDS)
    counts, valid = figures["counts"], figures["valid"]
    rows = []
    cells: list[Cell] = []
    for service in SERVICES:
        if not any(s == service.code for s, _status in counts):
            continue
        row_cells = []
        for code, label in COUNTED_STATUSES:
            applications, companies = counts.get((service.code, code), (0, 0))
            row_cells.append(Cell(key=f"{service.code}-{code}", label=str(label), n=companies, values={"applications": applications}))
        cells.extend(c for c in row_cells if c.n)
        rows.append({"code": service.code, "label": service.name, "cells": row_cells})
    suppress(cells)
    iomki_valid = Cell(key="iomki-valid", label=str(_("IOMKI berlaku")), n=valid["companies"], values={"applications": valid["permits"]})
    iomki_valid.hidden = 0 < iomki_valid.n < MIN_COMPANIES
    return {"statuses": COUNTED_STATUSES, "rows": rows, "iomki_valid": iomki_valid}
