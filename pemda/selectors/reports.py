"""Aggregates over semester reports for a Pemda territory, the report monitor and the reporting
status of the company list.

- Values (investment, workforce, production, export) come from **validated** reports only, by kab/kota
  and KBLI division for one period and as a trend over periods; every cell states how many companies
  it covers and one of fewer than 3 is hidden (per measure: a factory without production data does not
  make a production cell "safe").
- The reporting rate (expected / submitted / on time / validated) is verification's ``rate_table``
  (one definition of "expected" for the whole portal), suppressed the same way.
- The monitor lists the factories under the officer's authority that owe a report for the period (the
  obligation rule, ``reporting.obligation``), with their report status and lateness, paginated in the database.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import factories_visible_to, pemda_authority_q, pemda_territory_q
from accounts.models import Factory, User
from pemda.selectors.territory import TOTAL, Cell, protected_entry, suppress
from reporting import measures
from reporting.models import Period, Report, ReportMeasures, ReportStatus
from reporting.obligation import owing_q
from reporting.registry import REPORT_TYPES
from reporting.selectors import reports_data_version
from siinas.lib import disclosure
from siinas.lib.bounds import whole_number
from verification.rates import RateRow, RateTable, rate_table

PERIODIC_TYPES = tuple(code for code, spec in REPORT_TYPES.items() if spec.periodic)

MEASURES: dict[str, Any] = {
    "investment": gettext_lazy("Investasi (Rp)"),
    "workforce": gettext_lazy("Tenaga kerja (orang)"),
    "production": gettext_lazy("Nilai produksi (Rp)"),
    "export": gettext_lazy("Nilai ekspor (Rp)"),
}
TREND_PERIODS = 6
RATE_CACHE_SECONDS = 600  # bounds the staleness the data-version keys cannot see (account edits)


def reporting_periods(today=None) -> list[Period]:
    """Periods whose filing window has opened, newest first (the ones a dashboard can speak of)."""
    today = today or timezone.localdate()
    return list(Period.objects.filter(window_opens__lte=today).order_by("-start")[:12])


def pick_period(periods: list[Period], raw: str | None) -> Period | None:
    number = whole_number(raw)
    for period in periods:
        if period.pk == number:
            return period
    return periods[0] if periods else None


# --- Values from validated reports ----------------------------------------------------------------------


def _validated_q(user: User, period_ids: set[int]) -> Q:
    """Validated periodic reports of ``period_ids`` in the officer's territory."""
    return pemda_territory_q(user, prefix="factory__") & Q(
        period_id__in=period_ids, status=ReportStatus.VALIDATED, report_type__in=PERIODIC_TYPES
    )


def _measure_rows(condition: Q, *fields: str, own: Q | None = None) -> list[dict[str, Any]]:
    """One row per validated report matching ``condition``: ``fields`` and its measures ``m_<measure>``
    (and ``own``: whether the report's factory matches ``own``, the viewer's authority, when given).

    The measures are the stored ``ReportMeasures`` rows (written when the report was validated), joined
    after the territory filter. A validated report without a stored row (one written around the status
    pipeline) gets the live sums, in a second query run only then: the live sums' correlated subqueries
    in the main statement would make PostgreSQL plan (and JIT-compile) for them even when none runs."""
    stored = {f"m_{f}": F(f"measures__{f}") for f in measures.FIELDS}
    flags = {"own": ExpressionWrapper(own, output_field=BooleanField())} if own is not None else {}
    rows = list(Report.objects.filter(condition).order_by().values(*fields, **stored, **flags, stored_pk=F("measures__report_id")))
    missing = {row["pk"]: row for row in rows if row["stored_pk"] is None}
    if missing:
        live = measures.with_measures(Report.objects.filter(pk__in=missing)).values("pk", *stored)
        for values in live:
            missing[values["pk"]].update(values)
    return rows


def _measures_of(row: dict[str, Any]) -> dict[str, Decimal]:
    """A report's measures; a section the report does not have gives no value (not a zero)."""
    values: dict[str, Decimal] = {}
    if row["m_workforce"] is not None:
        values["workforce"] = Decimal(row["m_workforce"])
    investment = [v for v in (row["m_investment_industry"], row["m_investment_estate"]) if v is not None]
    if investment:
        values["investment"] = sum((Decimal(v) for v in investment), Decimal(0))
    for measure in ("production", "export"):
        if row[f"m_{measure}"] is not None:
            values[measure] = Decimal(row[f"m_{measure}"])
    return values


@dataclass
class MeasureTable:
    """Rows of one dimension; ``cells[row_key][measure]`` is a suppressed Cell."""

    title: str
    rows: list[tuple[str, str]]
    cells: dict[str, dict[str, Cell]]


# One cell of one measure as the disclosure rules need it: companies with a value, their sum, how many of
# them are under the viewer's authority and their sum, the two largest values of the others.
Figures = tuple[int, Decimal, int, Decimal, tuple[Decimal, ...]]
NO_FIGURES: Figures = (0, Decimal(0), 0, Decimal(0), ())


def _figure_cell(key: str, label: str, figures: Figures) -> Cell:
    n, total, own, own_sum, top = figures
    return Cell(key=key, label=label, n=n, values={"sum": total}, own=own, own_sum=own_sum, top=top)


def protect_measure(cells: list[Cell], total: Cell | None = None) -> None:
    """Protect one measure's column (and its total, when published) as magnitudes: the count rule, the
    dominance rule and secondary suppression (``siinas.lib.disclosure``), over the companies the viewer
    cannot list; a hidden cell hides its n too. The largest values are dropped afterwards. An empty cell
    (no company reported the measure) shows no value either."""
    table = [c for c in cells if c.n] + ([total] if total is not None else [])
    keys = [TOTAL if c is total else str(c.key) for c in table]
    entries = [protected_entry(c, k, "sum") for c, k in zip(table, keys, strict=True)]
    members = tuple(k for k in keys if k != TOTAL)
    groups = [disclosure.Group(members=members, total=TOTAL if total is not None else None)] if members else []
    hidden = disclosure.protect_table(entries, groups, magnitude=True)
    for cell, key in zip(table, keys, strict=True):
        cell.hidden = key in hidden
    for cell in [*cells, *([total] if total is not None else [])]:
        cell.hidden = cell.hidden or cell.n == 0
        cell.top = ()


def _measure_table(title: str, groups: dict[tuple[str, str], dict[str, Figures]], *, totals: dict[str, Cell] | None = None) -> MeasureTable:
    """``groups[(key, label)][measure]`` (``Figures``) → protected cells per measure column; ``totals``: the
    column totals when they are published too (the trend's cell of the same period)."""
    rows = sorted(groups)
    cells: dict[str, dict[str, Cell]] = {key: {} for key, _label in rows}
    for measure in MEASURES:
        column = []
        for key, label in rows:
            cell = _figure_cell(key, label, groups[(key, label)].get(measure, NO_FIGURES))
            cells[key][measure] = cell
            column.append(cell)
        protect_measure(column, (totals or {}).get(measure))
    return MeasureTable(title=title, rows=rows, cells=cells)


def _company_values(prefix: str) -> dict[str, Any]:
    """Per company (the rows grouped by account): the sum of each stored measure (``<prefix>workforce`` …)
    of its reports, NULL when none of them has the measure. Investment is industry and estate together: a
    report has it when it has either."""
    def has(field: str) -> Q:
        return Q(**{f"{prefix}{field}__isnull": False})

    money = DecimalField(max_digits=30, decimal_places=0)
    zero = Value(Decimal(0), output_field=money)
    investment = ExpressionWrapper(
        Coalesce(F(f"{prefix}investment_industry"), zero) + Coalesce(F(f"{prefix}investment_estate"), zero), output_field=money
    )
    return {
        "v_workforce": Sum(f"{prefix}workforce"),
        "v_investment": Sum(Case(When(has("investment_industry") | has("investment_estate"), then=investment), output_field=money)),
        "v_production": Sum(f"{prefix}production"),
        "v_export": Sum(f"{prefix}export"),
    }


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value) if isinstance(value, int) else Decimal(str(value))


def _cell_figures(
    companies: QuerySet, groupings: tuple[tuple[str, ...], ...], sums: tuple[str, ...] = ()
) -> list[list[tuple[tuple, dict[str, Figures], dict]]]:
    """Protection figures per group from ``companies`` — one row per group and company, with the columns
    of the ``groupings``, ``own`` (under the viewer's authority) and ``v_<measure>`` (``_company_values``)
    — for each of the ``groupings`` (the first the longest; the others its prefixes), in one statement: per
    measure the companies with a value, the sum, the viewer's part, and the two largest values of the other
    companies (a window function per measure; docs/statistics.md). ``sums``: further columns of
    ``companies`` summed per group. Returns, per grouping, (key values, figures per measure, sums)."""
    inner, params = companies.query.sql_with_params()
    width = len(groupings[0])
    columns = []
    for m in MEASURES:
        v = f"q.v_{m}"
        columns += [
            f"COUNT({v})",
            f"SUM({v})",
            f"COUNT(CASE WHEN q.own THEN {v} END)",
            f"SUM(CASE WHEN q.own THEN {v} END)",
            f"MAX(CASE WHEN q.r_{m} = 1 AND NOT q.own THEN {v} END)",
            f"MAX(CASE WHEN q.r_{m} = 2 AND NOT q.own THEN {v} END)",
        ]
    columns += [f"SUM(q.{c})" for c in sums]
    parts = []
    for index, keys in enumerate(groupings):
        partition = ", ".join(f"c.{k}" for k in keys)
        windows = ", ".join(
            f"ROW_NUMBER() OVER (PARTITION BY {partition}, c.own ORDER BY COALESCE(c.v_{m}, -1) DESC) AS r_{m}" for m in MEASURES
        )
        selected = [f"q.{k}" for k in keys] + ["NULL"] * (width - len(keys))
        grouped = ", ".join(f"q.{k}" for k in keys)
        # Column names are this module's, never input; values stay parameters of the inner statement.
        select = f"SELECT {index}, {', '.join(selected)}, {', '.join(columns)} FROM (SELECT c.*, {windows} FROM c) q"  # noqa: S608
        parts.append(f"{select} GROUP BY {grouped}")
    # The inner statement is the ORM's compiled SQL, the column names this module's; values are parameters.
    sql = f"WITH c AS ({inner}) " + " UNION ALL ".join(parts)  # noqa: S608
    with connections[companies.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    out: list[list[tuple[tuple, dict[str, Figures], dict]]] = [[] for _keys in groupings]
    for row in fetched:
        index, keys = row[0], groupings[row[0]]
        key, rest = tuple(row[1 : 1 + len(keys)]), row[1 + width :]
        figures: dict[str, Figures] = {}
        for position, m in enumerate(MEASURES):
            n, total, own_n, own_sum, first, second = rest[position * 6 : position * 6 + 6]
            if n:
                top = tuple(_decimal(v) for v in (first, second) if v is not None)
                figures[m] = (n, _decimal(total), own_n, _decimal(own_sum or 0), top)
        extra = dict(zip(sums, rest[len(MEASURES) * 6 :], strict=True))
        out[index].append((key, figures, extra))
    return out


def _figures_of(by_factory: dict[int, Decimal], own: set[int]) -> Figures:
    """The same figures from a cell's companies and their values (the per-report path)."""
    mine = [v for f, v in by_factory.items() if f in own]
    others = disclosure.top_values(v for f, v in by_factory.items() if f not in own)
    return (len(by_factory), sum(by_factory.values(), Decimal(0)), len(mine), sum(mine, Decimal(0)), others)


def shown_periods(period: Period, periods: list[Period]) -> list[Period]:
    """The periods a dashboard's report figures depend on: the chosen one and the trend's."""
    return [period, *periods[:TREND_PERIODS]]


def cached_report_aggregates(
    user: User, period: Period, periods: list[Period], *, version: str | None = None, divisions: bool = True
) -> dict[str, Any]:
    """``report_aggregates`` cached per territory, period set and data version (see ``rates_version``;
    ``version`` over ``shown_periods`` when the caller has it already). ``divisions=False``: without the
    table per KBLI division (``by_division`` is None; the dashboard loads it apart, ``cached_division_values``)."""
    shown = shown_periods(period, periods)
    version = version if version is not None else rates_version()
    raw = f"{user.role}|{user.region_id}|{sorted(p.pk for p in shown)}|{period.pk}|{version}|{divisions}"
    key = "pemda:aggregates:" + hashlib.sha256(raw.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return aggregates_from_portable(cached, period, periods)
    aggregates = report_aggregates(user, period, periods, divisions=divisions)
    cache.set(key, portable_aggregates(aggregates), RATE_CACHE_SECONDS)
    return aggregates


def portable_aggregates(aggregates: dict[str, Any]) -> dict[str, Any]:
    """``report_aggregates`` as plain data (JSON, siinas/lib/cache_serializer.py): periods by their id."""
    return {**aggregates, "trend": [{**row, "period": row["period"].pk} for row in aggregates["trend"]]}


def aggregates_from_portable(portable: dict[str, Any], period: Period, periods: list[Period]) -> dict[str, Any] | None:
    """``portable_aggregates``' inverse; None when a trend period is no longer among ``periods``."""
    by_pk = {p.pk: p for p in shown_periods(period, periods)}
    if any(row["period"] not in by_pk for row in portable["trend"]):
        return None
    return {**portable, "trend": [{**row, "period": by_pk[row["period"]]} for row in portable["trend"]]}


def report_aggregates(user: User, period: Period, periods: list[Period], *, divisions: bool = True) -> dict[str, Any]:
    """Validated-report measures of the territory for ``period`` by kab/kota and KBLI division, and
    the territory totals of each of ``periods`` (trend). A fixed number of queries.

    Summed in the database from the stored measures (``reporting.ReportMeasures``): one row per period,
    kab/kota and division comes back. When a validated report has no stored row (one written around the
    status pipeline: ``reporting.measures.complete``), the figures come from the per-report rows instead
    (``_report_aggregates_from_rows``, the live sums for those reports)."""
    trend_periods = sorted(periods[:TREND_PERIODS], key=lambda p: p.start)
    period_ids = {p.pk for p in trend_periods} | {period.pk}
    if not measures.complete():
        aggregates = _report_aggregates_from_rows(user, period, trend_periods, period_ids)
        return aggregates if divisions else {**aggregates, "by_division": None}
    # One row per period and company (an account files one periodic report a period, seldom two), then per
    # period and kab/kota (the table) and per period (the trend: an account is in one kab/kota) in SQL, with
    # the two largest values of each cell for the dominance rule (docs/statistics.md). The stored rows carry
    # their report's period, account and type: no join with the reports (docs/pemda.md).
    companies = (
        ReportMeasures.objects.filter(
            pemda_territory_q(user, prefix="factory__"), period_id__in=period_ids, report_type__in=PERIODIC_TYPES
        )
        .order_by()
        .annotate(
            g_period=F("period_id"),
            g_region=F("factory__region_id"),
            g_label=F("factory__region__name"),
            fid=F("factory_id"),
            own=ExpressionWrapper(pemda_authority_q(user, prefix="factory__"), output_field=BooleanField()),
        )
        .values("g_period", "g_region", "g_label", "fid", "own")
        .annotate(reports=Count("pk"), **_company_values(""))
    )
    by_region = {}
    validated_reports = 0
    regions, periods_rows = _cell_figures(companies, (("g_period", "g_region", "g_label"), ("g_period",)), ("reports",))
    for (period_id, region, label), figures, extra in regions:
        if period_id == period.pk:
            validated_reports += int(extra["reports"] or 0)  # SUM of a count: numeric on PostgreSQL
            if figures:
                by_region[(region, label)] = figures
    trend_figures = {key[0]: figures for key, figures, _extra in periods_rows}
    result = _aggregates_result(
        by_region=by_region,
        by_division=_division_groups(user, period) if divisions else {},
        trend_figures=trend_figures,
        period=period,
        trend_periods=trend_periods,
        validated_reports=validated_reports,
    )
    return result if divisions else {**result, "by_division": None}


def _division_companies(user: User, period: Period) -> QuerySet:
    """``period``'s validated reports per KBLI division and account (an account once per division, at its
    lowest line there; ``own``: under the viewer's authority), its stored measures summed; ``missing``
    counts reports without a stored row."""
    return (
        _first_division_lines(user)
        .filter(
            factory__reports__period_id=period.pk,
            factory__reports__status=ReportStatus.VALIDATED,
            factory__reports__report_type__in=PERIODIC_TYPES,
        )
        .annotate(
            g_division=F("kbli__division_id"),
            g_label=F("kbli__division__title"),
            fid=F("factory_id"),
            own=ExpressionWrapper(pemda_authority_q(user, prefix="factory__"), output_field=BooleanField()),
        )
        .values("g_division", "g_label", "fid", "own")
        .annotate(
            missing=Count("factory__reports", filter=Q(factory__reports__measures__isnull=True)),
            **_company_values("factory__reports__measures__"),
        )
    )


def _division_rows(user: User, period: Period) -> list[tuple[tuple, dict[str, Figures], dict]]:
    return _cell_figures(_division_companies(user, period), (("g_division", "g_label"),), ("missing",))[0]


def _division_groups(user: User, period: Period, rows=None) -> dict[tuple[str, str], dict[str, Figures]]:
    rows = _division_rows(user, period) if rows is None else rows
    return {(code, f"{code} {title}"): figures for (code, title), figures, _extra in rows if figures and code}


def division_values(user: User, period: Period, periods: list[Period]) -> MeasureTable:
    """``report_aggregates(...)["by_division"]`` alone: one grouped statement from the stored measures (the
    per-report path of ``report_aggregates`` when one of the period's reports has no stored row)."""
    rows = _division_rows(user, period)
    if any(extra["missing"] for _key, _figures, extra in rows):
        return report_aggregates(user, period, periods)["by_division"]
    return _measure_table(_("Per KBLI 2 digit"), _division_groups(user, period, rows))


def cached_division_values(user: User, period: Period, periods: list[Period]) -> MeasureTable:
    """``division_values`` cached like ``cached_report_aggregates`` (same data version and lifetime)."""
    version = rates_version()
    raw = f"{user.role}|{user.region_id}|{period.pk}|{version}"
    key = "pemda:division-values:" + hashlib.sha256(raw.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    table = division_values(user, period, periods)
    cache.set(key, table, RATE_CACHE_SECONDS)
    return table


def _first_division_lines(user: User) -> QuerySet:
    """The territory's KBLI lines that are their account's lowest code in its division: joined to the
    reports, an account registered twice in one division counts (and sums) once there."""
    through = Factory.kbli.through
    lines = through.objects.filter(pemda_territory_q(user, prefix="factory__"), kbli__division__isnull=False)
    lower_in_division = through.objects.filter(
        factory_id=OuterRef("factory_id"), kbli__division_id=OuterRef("kbli__division_id"), kbli_id__lt=OuterRef("kbli_id")
    )
    return lines.exclude(Exists(lower_in_division)).order_by()


def _aggregates_result(
    *,
    by_region: dict[tuple[str, str], dict[str, Figures]],
    by_division: dict[tuple[str, str], dict[str, Figures]],
    trend_figures: dict[int, dict[str, Figures]],
    period: Period,
    trend_periods: list[Period],
    validated_reports: int,
) -> dict[str, Any]:
    """The protected tables: each period's territory total (trend) under the primary rules; the chosen
    period's total, when the trend shows it, protected together with the kab/kota cells that add up to
    it (secondary suppression may hide it too)."""
    trend = []
    for p in trend_periods:
        figures = trend_figures.get(p.pk, {})
        trend.append({"period": p, "cells": {m: _figure_cell(str(p.pk), str(p), figures.get(m, NO_FIGURES)) for m in MEASURES}})
    chosen = next((row["cells"] for row in trend if row["period"].pk == period.pk), None)
    by_region_table = _measure_table(_("Per kabupaten/kota"), by_region, totals=chosen)
    for row in trend:
        if row["cells"] is not chosen:
            for cell in row["cells"].values():
                protect_measure([], cell)
    return {
        "by_region": by_region_table,
        "by_division": _measure_table(_("Per KBLI 2 digit"), by_division),
        "trend": trend,
        "validated_reports": validated_reports,
    }


def _report_aggregates_from_rows(user: User, period: Period, trend_periods: list[Period], period_ids: set[int]) -> dict[str, Any]:
    """``report_aggregates`` from one row per validated report (stored measures, else live sums)."""
    rows = _measure_rows(
        _validated_q(user, period_ids),
        "pk",
        "period_id",
        "factory_id",
        "factory__region_id",
        "factory__region__name",
        own=pemda_authority_q(user, prefix="factory__"),
    )
    own = {row["factory_id"] for row in rows if row["own"]}
    reports = []
    values: dict[int, dict[str, Decimal]] = {}
    for row in rows:
        reports.append((row["pk"], row["period_id"], row["factory_id"], row["factory__region_id"], row["factory__region__name"]))
        values[row["pk"]] = _measures_of(row)
    current = [r for r in reports if r[1] == period.pk]
    divisions: dict[int, set[tuple[str, str]]] = defaultdict(set)
    lines = Factory.kbli.through.objects.filter(
        pemda_territory_q(user, prefix="factory__"),
        factory__reports__period_id=period.pk,
        factory__reports__status=ReportStatus.VALIDATED,
        factory__reports__report_type__in=PERIODIC_TYPES,
    ).distinct().values_list(
        "factory_id", "kbli__division_id", "kbli__division__title"
    )
    for factory_id, division, title in lines:
        if division:
            divisions[factory_id].add((division, f"{division} {title}"))

    by_region: dict[tuple[str, str], dict[str, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    by_division: dict[tuple[str, str], dict[str, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for report_id, _period_id, factory_id, region_id, region_name in current:
        for measure, amount in values.get(report_id, {}).items():
            # A factory filing two periodic reports in one period counts once per cell (summed).
            by_region[(region_id, region_name)][measure][factory_id] = by_region[(region_id, region_name)][measure].get(factory_id, 0) + amount
            for division in divisions.get(factory_id, ()):
                cell = by_division[division][measure]
                cell[factory_id] = cell.get(factory_id, 0) + amount

    trend_groups: dict[int, dict[str, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for report_id, period_id, factory_id, _region, _name in reports:
        for measure, amount in values.get(report_id, {}).items():
            trend_groups[period_id][measure][factory_id] = trend_groups[period_id][measure].get(factory_id, 0) + amount
    def figures(groups: dict[str, dict[int, Decimal]]) -> dict[str, Figures]:
        return {measure: _figures_of(by_factory, own) for measure, by_factory in groups.items() if by_factory}

    return _aggregates_result(
        by_region={k: figures(v) for k, v in by_region.items()},
        by_division={k: figures(v) for k, v in by_division.items()},
        trend_figures={p.pk: figures(trend_groups[p.pk]) for p in trend_periods},
        period=period,
        trend_periods=trend_periods,
        validated_reports=len(current),
    )


def trend_charts(trend: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two line charts (rupiah measures in billions; workforce in persons); hidden points are gaps."""
    labels = [str(row["period"]) for row in trend]

    def series(measure: str, scale: Decimal) -> dict[str, Any]:
        points = []
        for row in trend:
            cell = row["cells"][measure]
            points.append(None if cell.hidden else float(cell.values["sum"] / scale))
        return {"label": str(MEASURES[measure]).replace("(Rp)", "(Rp miliar)"), "values": points}

    billion = Decimal(1_000_000_000)
    rupiah = [series(m, billion) for m in ("investment", "production", "export")]
    workforce = [series("workforce", Decimal(1))]
    charts = []
    if any(v is not None for s in rupiah for v in s["values"]):
        charts.append({"title": _("Tren investasi, produksi dan ekspor (Rp miliar)"), "type": "line", "labels": labels, "series": rupiah})
    if any(v is not None for s in workforce for v in s["values"]):
        charts.append({"title": _("Tren tenaga kerja (orang)"), "type": "line", "labels": labels, "series": workforce})
    return charts


# --- Reporting rate -------------------------------------------------------------------------------------


@dataclass
class RateCell:
    row: RateRow
    hidden: bool


def rates_version() -> str:
    """The data version in the dashboards' cache keys: reporting's ``reports_data_version`` (global, three
    index look-ups: any report change or new account anywhere renews the keys). Edits to an account's
    stage, scale, kab/kota or KBLI are not seen by it: the cache lifetime (``RATE_CACHE_SECONDS``, 10
    minutes) bounds that staleness."""
    return reports_data_version()


def territory_rate_table(user: User, period: Period, by: str, *, version: str | None = None):
    """verification's ``rate_table`` for the territory, cached per territory, period, dimension and data
    version: it groups every account in Python, the slowest part of the dashboard with 10,000 accounts."""
    version = version if version is not None else rates_version()
    key = "pemda:rate:" + hashlib.sha256(f"{user.role}|{user.region_id}|{period.pk}|{by}|{version}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return RateTable(period=period, by=by, rows=cached["rows"], total=cached["total"])
    table = rate_table(user=user, period=period, by=by)
    cache.set(key, {"rows": table.rows, "total": table.total}, RATE_CACHE_SECONDS)
    return table


def rate_figures(user: User, period: Period, by: str, *, version: str | None = None) -> dict[str, Any]:
    """``territory_rate_table``'s rows and total as plain data (kept by ``pemda.figures``)."""
    table = territory_rate_table(user, period, by, version=version)
    return {"rows": table.rows, "total": table.total}


def suppressed_rates(
    user: User, period: Period, by: str, *, version: str | None = None, kept: dict[str, Any] | None = None
) -> tuple[list[RateCell], RateCell]:
    """The territory's reporting-rate table, rows of fewer than 3 expected reports hidden (from ``kept``,
    ``rate_figures`` as kept by ``pemda.figures``, when given)."""
    if kept is not None:
        table = RateTable(period=period, by=by, rows=kept["rows"], total=kept["total"])
    else:
        table = territory_rate_table(user, period, by, version=version)
    cells = suppress([Cell(key=r.key, label=r.label, n=r.expected) for r in table.rows])
    rows = [RateCell(row=r, hidden=c.hidden) for r, c in zip(table.rows, cells, strict=True)]
    return rows, RateCell(row=table.total, hidden=0 < table.total.expected < 3)


# --- Report monitor and company reporting status --------------------------------------------------------

NOT_STARTED = "belum"
LATE = "terlambat"
MONITOR_STATUSES = [
    (NOT_STARTED, gettext_lazy("Belum mengirim")),
    *[(s.value, s.label) for s in ReportStatus],
    (LATE, gettext_lazy("Terlambat (dikirim lewat batas atau belum dikirim setelah batas)")),
]


def _latest_report(period: Period) -> QuerySet[Report]:
    return Report.objects.filter(factory_id=OuterRef("pk"), period=period, report_type__in=PERIODIC_TYPES).order_by(
        # the most advanced report of the period speaks for the factory
        Case(
            When(status=ReportStatus.VALIDATED, then=Value(0)),
            When(status=ReportStatus.VERIFIED, then=Value(1)),
            When(status=ReportStatus.SUBMITTED, then=Value(2)),
            When(status=ReportStatus.RETURNED, then=Value(3)),
            default=Value(4),
            output_field=IntegerField(),
        ),
        "pk",
    )


def with_report_status(queryset: QuerySet[Factory], period: Period) -> QuerySet[Factory]:
    """Annotate each factory with its report of ``period``: status, first submission, on-time flag, id."""
    latest = _latest_report(period)
    return queryset.annotate(
        report_id=Subquery(latest.values("pk")[:1]),
        report_status=Subquery(latest.values("status")[:1]),
        report_submitted_at=Subquery(latest.values("first_submitted_at")[:1]),
        report_on_time=Subquery(latest.values("submitted_on_time")[:1]),
    )


def filter_report_status(queryset: QuerySet[Factory], period: Period, status: str, today=None) -> QuerySet[Factory]:
    """Factories (already annotated by ``with_report_status``) whose report for ``period`` is in ``status``."""
    today = today or timezone.localdate()
    if status == NOT_STARTED:
        return queryset.filter(Q(report_status__isnull=True) | Q(report_status=ReportStatus.DRAFT))
    if status == LATE:
        late = Q(report_on_time=False)
        if today > period.window_closes:
            late |= Q(report_submitted_at__isnull=True)
        return queryset.filter(late)
    return queryset.filter(report_status=status)


def monitor_queryset(user: User, period: Period) -> QuerySet[Factory]:
    """Factories under the officer's authority that owe a report for ``period``, with their report."""
    owing = factories_visible_to(user).filter(owing_q(period))
    return with_report_status(owing, period).order_by("company__name", "name", "pk")


@dataclass
class MonitorRow:
    factory: Factory
    status_label: str
    submitted_at: Any
    on_time: bool | None
    days_late: int | None


def monitor_rows(factories, period: Period, today=None) -> list[MonitorRow]:
    today = today or timezone.localdate()
    labels = dict(ReportStatus.choices)
    rows = []
    for f in factories:
        status = f.report_status
        submitted = f.report_submitted_at is not None
        if submitted:
            days = (timezone.localdate(f.report_submitted_at) - period.window_closes).days
        else:
            days = (today - period.window_closes).days
        rows.append(
            MonitorRow(
                factory=f,
                status_label=str(labels.get(status, _("Belum dibuat"))) if status else _("Belum dibuat"),
                submitted_at=f.report_submitted_at,
                on_time=f.report_on_time if submitted else None,
                days_late=days if days > 0 else None,
            )
        )
    return rows


def factory_reports(user: User, factory: Factory) -> list[dict[str, Any]]:
    """The factory's submitted reports the officer may read (reporting's own scope), newest first."""
    from reporting.access import reports_visible_to

    reports = reports_visible_to(user).filter(factory=factory).order_by("-period__start", "report_type")
    return [
        {
            "pk": r.pk,
            "period_label": str(r.period),
            "type_label": r.get_report_type_display(),
            "status_label": r.get_status_display(),
            "submitted": r.first_submitted_at is not None,
            "on_time": bool(r.submitted_on_time),
        }
        for r in reports
    ]


def measure_display(t: MeasureTable) -> dict[str, Any]:
    """A measure table's rows of cells in ``MEASURES`` order (templates cannot index a dict by a variable key)."""
    return {
        "title": t.title,
        "display": [{"label": label, "cells": [t.cells[key][m] for m in MEASURES]} for key, label in t.rows],
    }


def for_display(aggregates: dict[str, Any]) -> dict[str, Any]:
    """Rows of cells in ``MEASURES`` order; a table left out (``None``: loaded apart) is not shown."""
    tables = [aggregates["by_region"], aggregates["by_division"]]
    return {
        "measure_tables": [measure_display(t) for t in tables if t is not None],
        "trend_display": [{"period": row["period"], "cells": [row["cells"][m] for m in MEASURES]} for row in aggregates["trend"]],
    }


def territory_report_totals(user: User, period: Period, *, account_type: str) -> dict[str, Cell]:
    """Territory totals of the four measures from validated reports of ``period`` for one account type;
    each a Cell (n = companies that reported the measure), hidden under the count and dominance rules
    (a recap is read by others than the officer: no viewer rule)."""
    condition = _validated_q(user, {period.pk}) & Q(factory__account_type=account_type)
    by_measure: dict[str, dict[int, Decimal]] = defaultdict(dict)
    rows = _measure_rows(condition, "pk", "factory_id")
    for row in rows:
        for measure, amount in _measures_of(row).items():
            by_measure[measure][row["factory_id"]] = by_measure[measure].get(row["factory_id"], 0) + amount
    totals = {}
    for measure in MEASURES:
        cell = _figure_cell(measure, str(MEASURES[measure]), _figures_of(by_measure.get(measure, {}), set()))
        protect_measure([], cell)  # a total on its own (a recap): the count and dominance rules
        totals[measure] = cell
    return totals
