"""Analisis sektor industri (issue 18 §1): per KBLI 2-digit subsector, from validated periodic reports.

One builder per page, plain published data out (what may be shown, never a hidden figure or a cell's
contributors), formatted by the pages, their CSV/XLSX downloads and the public API alike:

- ``sector_overview``: every subsector's figures for the last ``SEMESTERS`` semesters — the national
  table per KBLI division of ``informasi.selectors.division_statistics`` (the same cells, the same
  protection as Informasi Industri), the newest semester with validated reports as the headline;
- ``sector_detail``: one subsector — its headline and trend (rows of the same tables), its 5-digit groups,
  top products and raw materials (``analisis.sector.tables``: protected with the headline), its published
  IKI series and the dominant factors its respondents named in the latest IKI release.

Figures follow Informasi Industri's definitions (docs/statistics.md): a company (account) counts once
per cell, its validated periodic reports of the period summed, in every division it is registered in.
The overview's grouped rows (every semester of the trend, every division and the national total: one
statement) and the detail are cached for the reports' data version, or ``FRESH_ENOUGH_SECONDS``, like
Informasi Industri's groups (docs/analisis.md, "At national scale").
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from analisis.sector import tables
from informasi.selectors import (
    DIVISION,
    FRESH_ENOUGH_SECONDS,
    MAGNITUDES,
    MEANS,
    MEASURES,
    PER_FACTORY_MEASURES,
    PERIODIC_TYPES,
    StatCell,
    StatisticsTable,
    StatRow,
    _cells,
    _protect,
    statistics_version,
)
from reporting.models import Period, ReportMeasures
from reporting.sections.models import CapacityProduct, Material, ProductionRow
from siinas.core.models import Kbli
from siinas.lib import disclosure

log = logging.getLogger(__name__)

SEMESTERS = 4  # the trend's semesters (the newest whose filing window has opened)
IKI_MONTHS = 12  # the subsector's published IKI months shown
CACHE_SECONDS = 600  # figures older than this are recomputed even when the data version has not moved
# With a worker, figures are kept this long and served while a worker recomputes them (``_refresh_later``):
# at 50,000 accounts a cold overview costs seconds, which no public request should wait for.
KEPT_SECONDS = 6 * 3600
REFRESH_EVERY_SECONDS = 60
REFRESH_TASK = "analisis.refresh_sector"


def _fresh(cached: dict, version: str, now: float) -> bool:
    age = now - cached["at"]
    return (cached["version"] == version and age < CACHE_SECONDS) or age < FRESH_ENOUGH_SECONDS


def _refresh_later(kbli2: str | None) -> bool:
    """With a worker (``analisis.position.background``, as the Pemda figures): ask it to recompute the
    overview (and ``kbli2``'s page) at most once per ``REFRESH_EVERY_SECONDS``, and tell the caller to serve
    what it has. Without one (the embedded default) the caller recomputes in the request."""
    from analisis.position import background
    from siinas.core import outbox

    if not background():
        return False
    try:
        if cache.add(f"analisis:sector:refresh:{kbli2 or '-'}", 1, REFRESH_EVERY_SECONDS):
            with transaction.atomic():
                outbox.task_enqueue(REFRESH_TASK, kwargs={"kbli2": kbli2})
    except Exception:  # noqa: BLE001 — the page goes on with the figures it has
        log.warning("sector figures: refresh not requested", exc_info=True)
    return True


def refresh(*, kbli2: str | None = None) -> None:
    """The worker's side of ``_refresh_later``: recompute the overview and, for a subsector, its page."""
    version = statistics_version()
    periods = sector_periods()
    cache.delete(_groups_key([p.pk for p in periods]))
    overview = sector_overview(version=version, periods=periods)
    if kbli2:
        cache.delete(_detail_key(kbli2, overview))
        sector_detail(kbli2, version=version)


def sector_periods(today: date | None = None) -> list[Period]:
    """The last ``SEMESTERS`` semesters whose filing window has opened, oldest first."""
    from django.utils import timezone

    today = today or timezone.localdate()
    found = Period.objects.filter(period_type=Period.Type.SEMESTER, window_opens__lte=today).order_by("-start")[:SEMESTERS]
    return list(reversed(found))


def divisions() -> dict[str, str]:
    """KBLI 2-digit code → "10 Industri makanan" (every division of section C)."""
    return {
        code: f"{code} {title}"
        for code, title in Kbli.objects.filter(level=Kbli.Level.GOLONGAN_POKOK).order_by("code").values_list("code", "title")
    }


def _published(row: StatRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "values": {m: row.cells[m].shown for m in MEASURES},
        "hidden": [m for m in MEASURES if row.cells[m].hidden],
    }


def _empty_row(key: str, label: str) -> dict[str, Any]:
    return {"key": key, "label": label, "values": dict.fromkeys(MEASURES), "hidden": []}


@dataclass
class Overview:
    periods: list[Period]  # oldest first
    period: Period | None  # the headline's: the newest with validated reports
    rows: list[dict[str, Any]]  # per subsector: the headline period's published row, plus "trend"
    total: dict[str, Any] | None
    tables: dict[int, Any]  # period pk → StatisticsTable (protected)


def sector_overview(*, version: str | None = None, periods: list[Period] | None = None) -> Overview:
    """Every subsector with validated reports in any of the trend's semesters: its headline figures and its
    trend (one published row per semester). One cached grouped query for all the semesters
    (``division_tables``)."""
    version = version if version is not None else statistics_version()
    periods = sector_periods() if periods is None else periods
    by_period = division_tables([p.pk for p in periods], version=version)
    with_data = [p for p in periods if by_period[p.pk].total.cells["establishments"].n]
    period = with_data[-1] if with_data else (periods[-1] if periods else None)
    keys = sorted({row.key for table in by_period.values() for row in table.rows})
    labels = {row.key: row.label for table in by_period.values() for row in table.rows}
    found = {p.pk: {row.key: row for row in by_period[p.pk].rows} for p in periods}
    rows = []
    for key in keys:
        trend = []
        for p in periods:
            row = found[p.pk].get(key)
            trend.append({"period": p, **(_published(row) if row else _empty_row(key, labels[key]))})
        headline = next(t for t in trend if t["period"] == period)
        rows.append({**{k: v for k, v in headline.items() if k != "period"}, "trend": trend})
    total = _published(by_period[period.pk].total) if period else None
    return Overview(periods=periods, period=period, rows=rows, total=total, tables=by_period)


# --- The national tables per KBLI division, every semester at once ------------------------------------------


def division_tables(period_ids: list[int], *, version: str | None = None) -> dict[int, StatisticsTable]:
    """``informasi.selectors.division_statistics`` of each period — the same grouped rows (``_cells``), the same
    ``_protect``, so the same published table — from one cached grouped statement for all the periods
    instead of two per period (docs/analisis.md, "At national scale"). The protected cells are kept in the
    same cache entry, so a warm view rebuilds the tables without protecting them again."""
    version = version if version is not None else statistics_version()
    groups = _cached_division_groups(period_ids, version)
    total_label = str(_("Jumlah"))  # in the reader's language, not the cache's
    kept = groups.get("protected")
    if kept is not None:
        return {period_id: _unkept(period_id, kept[period_id], total_label) for period_id in period_ids}
    labels = groups["labels"]
    out = {}
    for period_id in period_ids:
        found = groups["periods"].get(period_id, {"rows": [], "total": None})
        rows = sorted(
            (StatRow(key=key, label=labels.get(key, key), cells=_cells(values)) for key, *values in found["rows"]),
            key=lambda r: r.key,
        )
        total = StatRow(key="total", label=total_label, cells=_cells(found["total"][1:] if found["total"] else None))
        _protect(rows, total)
        out[period_id] = StatisticsTable(period_id=period_id, dimension=DIVISION, province=None, division=None, rows=rows, total=total)
    kept = {period_id: [_kept(row) for row in [*table.rows, table.total]] for period_id, table in out.items()}
    cache.set(_groups_key(period_ids), {**groups, "protected": kept}, KEPT_SECONDS)
    return out


def _kept(row: StatRow) -> tuple:
    cells = tuple((m, c.n, c.total, c.top1, c.top2, c.hidden, c.primary) for m, c in row.cells.items())
    return (row.key, row.label, cells)


def _unkept(period_id: int, kept: list[tuple], total_label: str) -> StatisticsTable:
    rows = [
        StatRow(key=key, label=label, cells={m: StatCell(n, total, top1, top2, hidden, primary) for m, n, total, top1, top2, hidden, primary in cells})
        for key, label, cells in kept
    ]
    total = rows.pop()
    total.label = total_label
    return StatisticsTable(period_id=period_id, dimension=DIVISION, province=None, division=None, rows=rows, total=total)


def _groups_key(period_ids: list[int]) -> str:
    return "analisis:sector:groups:v1:" + hashlib.sha256(",".join(map(str, period_ids)).encode()).hexdigest()


def _cached_division_groups(period_ids: list[int], version: str) -> dict[str, Any]:
    """The grouped rows of ``division_tables``: from the cache when computed for ``version`` or less than
    ``FRESH_ENOUGH_SECONDS`` ago, else one statement (``_division_groups``)."""
    key = _groups_key(period_ids)
    cached = cache.get(key)
    now = time.time()
    if cached is not None and (_fresh(cached, version, now) or _refresh_later(None)):
        return cached
    by_period: dict[int, dict[str, Any]] = {p: {"rows": [], "total": None} for p in period_ids}
    for period_id, *row in _division_groups(period_ids):
        if row[0] == TOTAL_KEY:
            by_period[period_id]["total"] = tuple(row)
        else:
            by_period[period_id]["rows"].append(tuple(row))
    codes = sorted({row[0] for found in by_period.values() for row in found["rows"]})
    labels = {code: f"{code} {title}" for code, title in Kbli.objects.filter(code__in=codes).values_list("code", "title")} if codes else {}
    groups = {"version": version, "at": now, "periods": by_period, "labels": labels}
    cache.set(key, groups, KEPT_SECONDS)
    return groups


TOTAL_KEY = "total"


def _division_groups(period_ids: list[int]) -> list[tuple]:
    """One row per period and KBLI division, and per period its national total (key ``"total"``): (period,
    key, then exactly what ``informasi.selectors._grouped`` gives for that table's row — establishments, per
    magnitude n, sum, largest, second largest, per mean n and sum). One statement for every period.

    ``per_factory``: each company's validated periodic reports of the period summed (as ``_grouped`` sums
    them; in the index's order, no sort); ``cells``: that row once in every division the company is
    registered in and once under "total" (so the total counts it once). The join through
    ``accounts_factory`` is there for the planner: it gives the join a known number of companies (without
    it PostgreSQL guessed millions of rows, sorted, and compiled the statement with JIT: seconds).
    ``firsts``: per group the count, sums and largest value of each measure (hash aggregates over a hundred
    groups); the outer query joins them back to find the second largest — the largest again when two
    companies share it, as ``_grouped``'s ranking gives — without sorting the companies per measure."""
    if not period_ids:
        return []
    types = ", ".join(["%s"] * len(PERIODIC_TYPES))
    periods = ", ".join(["%s"] * len(period_ids))
    firsts = ", ".join(f"COUNT(v_{m}) AS n_{m}, SUM(v_{m}) AS s_{m}, MAX(v_{m}) AS t_{m}" for m in MAGNITUDES)
    firsts += "".join(f", COUNT(v_{m}) AS n_{m}, SUM(v_{m}) AS s_{m}" for m in MEANS)
    columns = ", ".join(
        f"MAX(f.n_{m}), MAX(f.s_{m}), MAX(f.t_{m}), CASE WHEN SUM(CASE WHEN c.v_{m} = f.t_{m} THEN 1 ELSE 0 END) > 1"
        f" THEN MAX(f.t_{m}) ELSE MAX(CASE WHEN c.v_{m} < f.t_{m} THEN c.v_{m} END) END"
        for m in MAGNITUDES
    ) + "".join(f", MAX(f.n_{m}), MAX(f.s_{m})" for m in MEANS)
    values = ", ".join(f"p.v_{m}" for m in (*MAGNITUDES, *MEANS))
    sql = f"""
        WITH per_factory AS (
            SELECT m.period_id AS period_id, m.factory_id AS factory_id,
                   {PER_FACTORY_MEASURES}
            FROM reporting_reportmeasures m
            WHERE m.period_id IN ({periods}) AND m.report_type IN ({types})
            GROUP BY m.period_id, m.factory_id
        ),
        cells AS (
            SELECT p.period_id AS period_id, d.division_id AS grp, {values}
            FROM per_factory p JOIN accounts_factory f ON f.id = p.factory_id
            JOIN (
                SELECT DISTINCT fk.factory_id AS factory_id, k.division_id AS division_id
                FROM accounts_factory_kbli fk JOIN core_kbli k ON k.code = fk.kbli_id WHERE k.division_id IS NOT NULL
            ) d ON d.factory_id = f.id
            UNION ALL
            SELECT p.period_id, '{TOTAL_KEY}', {values} FROM per_factory p
        ),
        firsts AS (
            SELECT period_id, grp, COUNT(*) AS n, {firsts} FROM cells GROUP BY period_id, grp
        )
        SELECT c.period_id, c.grp, MAX(f.n), {columns}
        FROM cells c JOIN firsts f ON f.period_id = c.period_id AND f.grp = c.grp
        GROUP BY c.period_id, c.grp ORDER BY c.period_id, c.grp
    """  # noqa: S608 (only this function's fixed fragments are formatted in; every value is a parameter)
    with connections[router.db_for_read(ReportMeasures)].cursor() as cursor:
        cursor.execute(sql, [*period_ids, *PERIODIC_TYPES])
        return [tuple(row) for row in cursor.fetchall()]


# --- One subsector ---------------------------------------------------------------------------------------


def sector_detail(kbli2: str, *, version: str | None = None) -> dict[str, Any]:
    """Everything the subsector page shows, published (module docstring). Cached for the data version
    (or ``FRESH_ENOUGH_SECONDS``), so a busy page is a few cache reads."""
    version = version if version is not None else statistics_version()
    overview = sector_overview(version=version)
    period = overview.period
    key = _detail_key(kbli2, overview)
    cached = cache.get(key)
    now = time.time()
    if cached is not None and (_fresh(cached, version, now) or _refresh_later(kbli2)):
        detail = cached["detail"]
    else:
        detail = _detail(kbli2, overview)
        if detail.pop("consistent", True):
            cache.set(key, {"version": version, "at": now, "detail": detail}, KEPT_SECONDS)
    row = next((r for r in overview.rows if r["key"] == kbli2), None)
    if detail["groups_total"] is not None:  # the label in the reader's language, not the cache's
        detail = {**detail, "groups_total": {**detail["groups_total"], "label": str(_("Jumlah"))}}
    return {
        **detail,
        "periods": overview.periods,
        "period": period,
        "headline": {k: v for k, v in row.items() if k != "trend"} if row else None,
        "trend": row["trend"] if row else [],
        "iki": iki_series(kbli2),
        "factors": iki_factors(kbli2),
    }


def _detail_key(kbli2: str, overview: Overview) -> str:
    period = overview.period
    raw = f"{kbli2}|{period.pk if period else ''}|{','.join(str(p.pk) for p in overview.periods)}"
    return "analisis:sector:v1:" + hashlib.sha256(raw.encode()).hexdigest()


def _detail(kbli2: str, overview: Overview) -> dict[str, Any]:
    period = overview.period
    empty = {"groups": [], "groups_total": None, "products": None, "materials": None, "consistent": True}
    if period is None:
        return empty
    headline = next((r for r in overview.tables[period.pk].rows if r.key == kbli2), None)
    if headline is None:
        return empty
    companies = company_figures(period.pk, kbli2)
    labels = {code: f"{code} {title}" for code, title in Kbli.objects.filter(code__in={c.group for c in companies}).values_list("code", "title")}
    rows, total, products, materials = tables.protect_subsector(
        companies, headline, product_lines(period.pk, kbli2), material_lines(period.pk, kbli2), labels=labels
    )
    consistent = all(
        (total.cells[m].n, total.cells[m].total) == (headline.cells[m].n, headline.cells[m].total) for m in MEASURES
    )
    if not consistent:
        # The headline was read from Informasi Industri's cache a moment before these reports were: the
        # rows would not add up to it (their difference could be one company). Publish no breakdown now.
        for row in rows:
            for cell in row.cells.values():
                cell.hidden = not cell.empty
        products = tables.TopList(listed=[], other=products.total, total=products.total)
        products.other.hidden = True
    return {
        "groups": [_published(r) for r in rows],
        "groups_total": _published(total),
        "products": _top(products),
        "materials": _top(materials),
        "consistent": consistent,
    }


def _top(top: tables.TopList) -> dict[str, Any]:
    return {
        "listed": [{"key": c.key, "name": c.name, "hs_code": c.hs_code, "value": c.value} for c in top.listed],
        "other": {"value": top.other.shown, "hidden": top.other.hidden and not top.other.empty},
        "total": {"value": top.total.shown, "hidden": top.total.hidden and not top.total.empty},
    }


# --- Reads ------------------------------------------------------------------------------------------------


def company_figures(period_id: int, kbli2: str) -> list[tables.CompanyFigures]:
    """Per company registered in the subsector: its validated periodic reports of the period summed (as
    ``informasi.selectors._grouped`` sums them) and its 5-digit group (its lowest code in the subsector).
    One query."""
    types = ", ".join(["%s"] * len(PERIODIC_TYPES))
    sql = f"""
        WITH division(factory_id, code) AS (
            SELECT fk.factory_id, MIN(fk.kbli_id) FROM accounts_factory_kbli fk JOIN core_kbli k ON k.code = fk.kbli_id
            WHERE k.division_id = %s GROUP BY fk.factory_id
        )
        SELECT m.factory_id, d.code,
               SUM(m.workforce),
               SUM(CASE WHEN m.investment_industry IS NULL AND m.investment_estate IS NULL THEN NULL
                        ELSE COALESCE(m.investment_industry, 0) + COALESCE(m.investment_estate, 0) END),
               SUM(m.production), SUM(m."export"), AVG(m.utilisation)
        FROM reporting_reportmeasures m JOIN division d ON d.factory_id = m.factory_id
        WHERE m.period_id = %s AND m.report_type IN ({types})
        GROUP BY m.factory_id, d.code
    """  # noqa: S608 (fixed fragments only; every value is a parameter)
    with connections[router.db_for_read(ReportMeasures)].cursor() as cursor:
        cursor.execute(sql, [kbli2, period_id, *PERIODIC_TYPES])
        found = cursor.fetchall()
    out = []
    for company, group, workforce, investment, production, export, utilisation in found:
        values = {
            "workforce": None if workforce is None else Decimal(workforce),
            "investment": _dec(investment),
            "production": _dec(production),
            "export": _dec(export),
            "utilisation": None if utilisation is None else Decimal(str(utilisation)),
        }
        out.append(tables.CompanyFigures(company=company, group=group, values=values))
    return out


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value).quantize(Decimal(1))


def _subsector_reports(period_id: int, kbli2: str):
    """The validated periodic reports of the period of companies registered in the subsector (those with
    stored measures: the ones the headline sums)."""
    from accounts.models import Factory

    in_division = Factory.kbli.through.objects.filter(kbli__division_id=kbli2).values("factory_id")
    return ReportMeasures.objects.filter(
        period_id=period_id, report_type__in=PERIODIC_TYPES, factory_id__in=in_division
    ).values("report_id")


@functools.lru_cache(maxsize=4096)
def _key(hs_code: str, name: str) -> str:
    """What groups the lines: the HS code, else the name (case and spaces aside). Memoised: a subsector's
    tens of thousands of lines repeat a few thousand names."""
    return f"hs:{hs_code}" if hs_code else "nama:" + " ".join(name.lower().split())


def product_lines(period_id: int, kbli2: str) -> list[tables.Line]:
    """Every production line of the subsector's reports with its name and HS code as the report's capacity
    list gives them (matched by name, case and outer spaces aside, as utilisation matches them: the first
    listed name, the lowest HS code given). Two plain queries (the lines, the capacity lists), matched here:
    a correlated lookup per line cost half a second at national scale."""
    reports = _subsector_reports(period_id, kbli2)
    listed: dict[tuple[int, str], tuple[str, str]] = {}  # (report, name matched) → (name listed, HS code)
    capacity = CapacityProduct.objects.filter(report_id__in=reports).order_by("report_id", "position", "pk")
    for report_id, name, hs_code in capacity.values_list("report_id", "name", "hs_code"):
        key = (report_id, _matched(name))
        first, code = listed.get(key, (name, ""))
        if hs_code and (not code or hs_code < code):
            code = hs_code
        listed[key] = (first, code)
    rows = ProductionRow.objects.filter(report_id__in=reports).values_list("report_id", "report__factory_id", "product", "value")
    out = []
    for report_id, company, name, value in rows:
        listed_as, code = listed.get((report_id, _matched(name)), (None, ""))
        out.append(tables.Line(_key(code, name), (listed_as or name).strip(), code, company, value))
    return out


def _matched(name: str) -> str:
    """A product name as the capacity list and the production lines are matched (SQL ``LOWER(TRIM(…))``)."""
    return name.strip(" ").lower()


def material_lines(period_id: int, kbli2: str) -> list[tables.Line]:
    """Every raw-material line (bahan baku and penolong) of the subsector's reports. One query."""
    rows = Material.objects.filter(report_id__in=_subsector_reports(period_id, kbli2)).values_list(
        F("report__factory_id"), "name", "hs_code", "value"
    )
    return [tables.Line(_key(code, name), name, code, company, value) for company, name, code, value in rows]


# --- IKI ---------------------------------------------------------------------------------------------------


def iki_series(kbli2: str, limit: int = IKI_MONTHS) -> list[dict[str, Any]]:
    """The subsector's published IKI (each month's newest release vintage), oldest first: its index and
    status, or ``iki: None`` where the release suppressed it (fewer than 3 respondents). One query."""
    from iki.models import IkiRelease
    from iki.release import STATUS_DISPLAY, month_name

    newest: dict[date, dict] = {}
    for period, payload in IkiRelease.objects.order_by("-period", "-vintage").values_list("period", "payload"):
        if period in newest:
            continue
        if len(newest) == limit:
            break
        newest[period] = payload
    out = []
    for period in sorted(newest):
        found = next((s for s in newest[period].get("subsectors", []) if s.get("kbli2") == kbli2), None)
        if found is None:
            continue
        status = found.get("status") or "suppressed"
        iki = found.get("iki") if status != "suppressed" else None
        out.append({"month": period, "label": month_name(period), "iki": iki, "status": status, "status_label": str(STATUS_DISPLAY.get(status, status))})
    return out


def iki_factors(kbli2: str) -> dict[str, Any] | None:
    """The dominant factors the subsector's respondents named in the latest IKI release (its newest
    vintage's frozen inputs), per variable: the ``TOP_FACTORS`` most named, as a percentage of the
    subsector's responses that named any factor for it. Shown only where the release shows the subsector
    (3 respondents or more), and a factor only when at least 3 respondents named it."""
    from iki.models import IkiRelease

    latest = IkiRelease.objects.order_by("-period", "-vintage").values_list("pk", "period").first()
    if latest is None:
        return None
    pk, month = latest
    key = f"analisis:iki-factors:v1:{pk}"
    by_division = cache.get(key)
    if by_division is None:
        inputs, payload = IkiRelease.objects.filter(pk=pk).values_list("inputs", "payload").get()
        by_division = _factors_by_division(inputs, payload)
        cache.set(key, by_division, 24 * 3600)  # a vintage never changes; a revision is a new one
    found = by_division.get(kbli2)
    if not found:
        return None
    from iki.questions import FACTOR_LABELS, VARIABLE_LABELS

    variables = [
        {
            "variable": v["variable"],
            "label": str(VARIABLE_LABELS[v["variable"]]),
            "factors": [{**f, "label": str(FACTOR_LABELS.get(v["variable"], {}).get(f["code"], f["code"]))} for f in v["factors"]],
        }
        for v in found
    ]
    return {"month": month, "variables": variables}


def _factors_by_division(inputs: dict, payload: dict) -> dict[str, list[dict[str, Any]]]:
    from iki.engine import FACTOR_VARIABLES, TOP_FACTORS

    shown = {s["kbli2"] for s in payload.get("subsectors", []) if s.get("status") != "suppressed" and (s.get("respondents") or 0) >= disclosure.MIN_CONTRIBUTORS}
    at = inputs["columns"].index("kbli2"), inputs["columns"].index("factors")
    answered: dict[str, Counter] = defaultdict(Counter)
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for response in inputs.get("responses", []):
        kbli2, factors = response[at[0]], response[at[1]] or {}
        if kbli2 not in shown:
            continue
        for variable in FACTOR_VARIABLES:
            chosen = set(factors.get(variable) or ())
            if chosen:
                answered[kbli2][variable] += 1
                counts[(kbli2, variable)].update(chosen)
    out: dict[str, list[dict[str, Any]]] = {}
    for kbli2 in shown:
        variables = []
        for variable in FACTOR_VARIABLES:
            n = answered[kbli2][variable]
            ranked = sorted(counts[(kbli2, variable)].items(), key=lambda item: (-item[1], item[0]))
            top = [(code, c) for code, c in ranked if c >= disclosure.MIN_CONTRIBUTORS][:TOP_FACTORS]
            if n and top:
                pcts = [{"code": code, "pct": (Decimal(100 * c) / n).quantize(Decimal("0.01"))} for code, c in top]
                variables.append({"variable": variable, "factors": pcts})
        if variables:
            out[kbli2] = variables
    return out

