"""The public datasets of the API (issue 15 §2, §5) as plain data, read by every format (JSON, CSV,
SDMX-CSV in ``api.sdmx``). Nothing here computes or protects a figure of its own:

- **IKI**: each month's newest published release vintage (``iki.models.IkiRelease``), exactly as the
  public page, the PDF and the CSV release show it (``iki.release``) — a subsector under 3 respondents
  carries no number, not even its respondent count (docs/decisions.md, "IKI (issue 6)");
- **industry statistics**: ``informasi.selectors.industry_statistics`` through ``StatisticsTable.published()``,
  the page's own disclosure-controlled table for the same filters; a hidden cell keeps its reason
  (``primary`` or ``secondary``) and never its value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from api.errors import ApiError
from iki.engine import EKSPANSI, KONTRAKSI, MIN_RESPONDENTS, SUPPRESSED
from iki.models import IkiRelease, month_label
from informasi.selectors import MEASURES, PROVINCE, StatisticsTable, industry_statistics, statistics_version
from pemda.selectors.reports import reporting_periods
from reporting.models import Period
from siinas.core.models import Kbli, Region

# The keys of ``iki_compute --json`` (engine.MonthResult.as_contract), in its order.
CONTRACT_KEYS = (
    "period", "iki", "v_orders", "v_production", "v_stock", "respondents", "subsectors", "expanding", "contracting",
    "expanding_gdp_share", "panel_consistency", "general", "outlook",
)  # fmt: skip
SUBSECTOR_KEYS = ("kbli2", "iki", "respondents", "status")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PERIOD_RE = re.compile(r"^(?P<year>\d{4})-(?P<kind>[SQ])(?P<number>[1-4])$")
PERIOD_KINDS = {"S": Period.Type.SEMESTER, "Q": Period.Type.QUARTER}
NATIONAL = "_T"  # the "all subsectors / all divisions" code, as SDMX names a total


# --- IKI ---------------------------------------------------------------------------------------------------


def parse_month(value: str) -> date | None:
    """"2026-11" → date(2026, 11, 1); None when malformed."""
    if not MONTH_RE.match(value or ""):
        return None
    return date(int(value[:4]), int(value[5:7]), 1)


def trend_of(status: str, change: float | None) -> str | None:
    """The word of the release's lead sentence for the change (iki.release.lead_sentence), untranslated:
    ``meningkat``/``melambat`` in ekspansi, ``membaik``/``turun`` otherwise, ``tetap``; None without a
    previous month."""
    if change is None:
        return None
    if change > 0:
        return "membaik" if status == KONTRAKSI else "meningkat"
    if change < 0:
        return "melambat" if status == EKSPANSI else "turun"
    return "tetap"


@dataclass(frozen=True)
class IkiMonth:
    period: str
    iki: float
    change: float | None
    previous_iki: float | None
    status: str
    trend: str | None
    respondents: int
    vintage: int
    published_on: date
    revised: bool


def _newest_vintages(since: date | None = None, until: date | None = None) -> list[IkiRelease]:
    """Each published month's newest vintage, newest month first, without the frozen inputs (one query)."""
    qs = IkiRelease.objects.defer("inputs").order_by("-period", "-vintage")
    if since is not None:
        qs = qs.filter(period__gte=since)
    if until is not None:
        qs = qs.filter(period__lte=until)
    newest: dict[date, IkiRelease] = {}
    for vintage in qs:
        newest.setdefault(vintage.period, vintage)
    return list(newest.values())


def iki_months() -> list[IkiMonth]:
    """Published months, newest first: headline, change, status and the vintage shown."""
    months = []
    for v in _newest_vintages():
        p = v.payload
        months.append(
            IkiMonth(
                period=v.period_label,
                iki=p["iki"],
                change=p.get("change"),
                previous_iki=p.get("previous_iki"),
                status=p["status"],
                trend=trend_of(p["status"], p.get("change")),
                respondents=p["respondents"],
                vintage=v.vintage,
                published_on=timezone.localdate(v.published_at),
                revised=v.is_revision,
            )
        )
    return months


def _suppressed(subsector: dict) -> bool:
    return subsector["status"] == SUPPRESSED or subsector["respondents"] < MIN_RESPONDENTS


def iki_month(month: date) -> dict | None:
    """The ``iki_compute --json`` object of a published month, from its newest vintage (its published
    figures, not a recomputation); None when the month is not published. A suppressed subsector has
    ``iki`` and ``respondents`` null (the public page shows no respondent count for it)."""
    vintage = IkiRelease.objects.defer("inputs").filter(period=month).order_by("-vintage").first()
    if vintage is None:
        return None
    p = vintage.payload
    body = {key: p[key] for key in CONTRACT_KEYS}
    body["period"] = month_label(month)
    body["subsectors"] = [_contract_subsector(s) for s in p["subsectors"]]
    return body


def _contract_subsector(s: dict) -> dict:
    if _suppressed(s):
        return {"kbli2": s["kbli2"], "iki": None, "respondents": None, "status": SUPPRESSED}
    return {key: s[key] for key in SUBSECTOR_KEYS}


@dataclass(frozen=True)
class IkiObservation:
    """One published line of a month: the national figure (``kbli2`` = ``_T``) or a subsector."""

    period: str
    kbli2: str
    iki: float | None
    v_orders: float | None
    v_production: float | None
    v_stock: float | None
    respondents: int | None
    status: str
    vintage: int
    published_on: date

    @property
    def suppressed(self) -> bool:
        return self.status == SUPPRESSED


def iki_observations(since: date | None = None, until: date | None = None) -> list[IkiObservation]:
    """Every published month (oldest first), national line then the 23 subsectors, as released."""
    out = []
    for v in reversed(_newest_vintages(since, until)):
        p = v.payload
        common = {"period": v.period_label, "vintage": v.vintage, "published_on": timezone.localdate(v.published_at)}
        out.append(
            IkiObservation(kbli2=NATIONAL, iki=p["iki"], v_orders=p["v_orders"], v_production=p["v_production"],
                           v_stock=p["v_stock"], respondents=p["respondents"], status=p["status"], **common)
        )  # fmt: skip
        for s in p["subsectors"]:
            if _suppressed(s):
                out.append(IkiObservation(kbli2=s["kbli2"], iki=None, v_orders=None, v_production=None, v_stock=None,
                                          respondents=None, status=SUPPRESSED, **common))  # fmt: skip
            else:
                out.append(
                    IkiObservation(kbli2=s["kbli2"], iki=s["iki"], v_orders=s.get("v_orders"), v_production=s.get("v_production"),
                                   v_stock=s.get("v_stock"), respondents=s["respondents"], status=s["status"], **common)
                )  # fmt: skip
    return out


# --- Industry statistics -----------------------------------------------------------------------------------


def period_code(period: Period) -> str:
    """A reporting period as the API names it: ``2026-S1`` (semester), ``2026-Q3`` (triwulan) — the SDMX
    form of a half-year and a quarter."""
    kind = "S" if period.period_type == Period.Type.SEMESTER else "Q"
    return f"{period.year}-{kind}{period.number}"


def statistics_periods() -> list[Period]:
    """The periods the public page offers (their filing window has opened), newest first."""
    return reporting_periods()


def find_period(code: str) -> Period | None:
    """One of ``statistics_periods()`` by its code; None when malformed or not offered."""
    match = PERIOD_RE.match(code or "")
    if not match:
        return None
    kind, year, number = PERIOD_KINDS[match["kind"]], int(match["year"]), int(match["number"])
    return next((p for p in statistics_periods() if (p.period_type, p.year, p.number) == (kind, year, number)), None)


def provinces() -> list[tuple[str, str]]:
    return list(Region.objects.filter(level=Region.Level.PROVINSI).order_by("code").values_list("code", "name"))


def divisions() -> list[tuple[str, str]]:
    return list(Kbli.objects.filter(level=Kbli.Level.GOLONGAN_POKOK).order_by("code").values_list("code", "title"))


def statistics_filters(province: str | None, kbli: str | None) -> tuple[str | None, str | None]:
    """The filters as codes the page offers (a province, a KBLI division); anything else is a 400."""
    province, kbli = province or None, kbli or None
    if province is not None and province not in dict(provinces()):
        raise ApiError.invalid("province", _("Kode provinsi tidak dikenal (dua digit, mis. 32)."))
    if kbli is not None and kbli not in dict(divisions()):
        raise ApiError.invalid("kbli", _("Golongan pokok KBLI tidak dikenal (dua digit, mis. 10)."))
    return province, kbli


def _number(value: Decimal | None) -> int | float | None:
    """A shown value as a JSON number: whole numbers as integers (rupiah, persons), else 2 decimals."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class StatisticsCell:
    value: int | float | None
    suppressed: str | None  # None (shown, or empty when value is None too), "primary" or "secondary"


@dataclass(frozen=True)
class StatisticsLine:
    key: str  # a province code, a KBLI division, or "total"
    label: str
    cells: dict[str, StatisticsCell]


def statistics_lines(table: StatisticsTable) -> list[StatisticsLine]:
    """The page's table, row for row (total last), from ``published()`` only."""
    lines = []
    for row in table.published():
        cells = {m: StatisticsCell(value=_number(row["values"][m]), suppressed=row["reasons"].get(m)) for m in MEASURES}
        lines.append(StatisticsLine(key=row["key"], label=row["label"], cells=cells))
    return lines


def statistics_table(period: Period, province: str | None = None, division: str | None = None, *, version: str | None = None) -> StatisticsTable:
    """The public page's table for the same filters (rows: provinces, or a province's KBLI divisions)."""
    return industry_statistics(period.pk, province, division, version=version)


def statistics_observations(periods: list[Period], province: str | None = None, division: str | None = None) -> list[dict[str, Any]]:
    """The tables of ``periods`` (same filters) as observations keyed by area × KBLI division: a province
    row is (its code, ``division`` or ``_T``); a KBLI row of a province's table is (the province, its
    division); the total is (the province or ``ID``, ``division`` or ``_T``). A key met twice (a province's
    table filtered to one division: its only row is its total) is kept once."""
    version = statistics_version()
    out = []
    for period in periods:
        table = statistics_table(period, province, division, version=version)
        seen = set()
        for line in statistics_lines(table):
            if line.key == "total":
                key = (province or "ID", division or NATIONAL)
            elif table.dimension == PROVINCE:
                key = (line.key, division or NATIONAL)
            else:
                key = (province, line.key)
            if key in seen:
                continue
            seen.add(key)
            out.append({"period": period_code(period), "period_type": period.period_type, "area": key[0], "kbli": key[1], "cells": line.cells})
    return out
