"""Outlier flags for the reviewer (SIINAS.md §3, as DHIS2 does): each number of the submitted version is
checked against the factory's own history (min–max) and its KBLI peers in the same period (z-score).

Flags inform the reviewer; they never block a move. The numbers come from the immutable versions'
snapshots (``ReportVersion.data``: ``sections → code → fields`` and ``rows → table → [row]``); a table's
numeric column is checked as its total, so adding a product row is compared like for like.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from reporting.models import Report, ReportStatus, ReportVersion
from reporting.sections.definitions import SECTION_HANDLERS

Z_THRESHOLD = 3.0  # |z| above this against the peers is flagged
MIN_PEERS = 5  # fewer peers than this say nothing reliable about a distribution
MIN_HISTORY = 2  # earlier periods needed before a min–max range means something
# A variance below this × mean² is rounding noise of the running sums (float64), not a spread.
FLAT_SPREAD = 1e-9
# Numbers that are not measures: a coordinate, a row's position or a year is never an outlier.
NOT_MEASURES = frozenset({"latitude", "longitude", "position", "assessment_year", "year_made"})


@dataclass(frozen=True)
class Flag:
    section: str
    metric: str
    value: float
    check: str  # "riwayat" (own history, min–max) or "sejawat" (KBLI peers, z-score)
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    z: float | None = None
    division: str | None = None  # the KBLI division whose peers flagged it ("sejawat")


def _number(value: Any) -> float | None:
    kind = type(value)
    if kind is str:
        text = value.strip()
        # Most strings are names and codes: a decimal that starts with a letter can only be Infinity
        # or NaN, which are not measures either, so those skip the parse.
        if not text or not (text[0].isdigit() or text[0] in "+-._"):
            return None
        try:
            number = float(text)  # the same double as float(Decimal(text)): both are correctly rounded
        except ValueError:
            number = None
        if number is not None and math.isfinite(number):
            return number
        try:
            parsed = Decimal(text)
        except InvalidOperation:
            return None
        return float(parsed) if parsed.is_finite() else None
    if kind is int:
        return float(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    return None


def numeric_metrics(snapshot: dict[str, Any] | None) -> dict[tuple[str, str], float]:
    """Every number of a snapshot: ``(section, field)`` for header fields, ``(section, table.column)``
    (summed over rows) for tables. Non-numbers (text, choices, booleans) are skipped."""
    metrics: dict[tuple[str, str], float] = {}
    for section, data in ((snapshot or {}).get("sections") or {}).items():
        if not isinstance(data, dict):
            continue
        for name, value in (data.get("fields") or {}).items():
            number = None if name in NOT_MEASURES else _number(value)
            if number is not None:
                metrics[(section, name)] = number
        for table, rows in (data.get("rows") or {}).items():
            totals: dict[str, float] = {}
            for row in rows or []:
                for column, value in (row or {}).items():
                    number = None if column in NOT_MEASURES else _number(value)
                    if number is not None:
                        totals[column] = totals.get(column, 0.0) + number
            for column, total in totals.items():
                metrics[(section, f"{table}.{column}")] = total
    return metrics


def metric_label(section: str, metric: str) -> str:
    """The field's label as the company saw it on the form; a table column reads "<table>: jumlah <column>"."""
    handler = SECTION_HANDLERS.get(section)
    if handler is None:
        return metric
    table, _dot, column = metric.rpartition(".")
    try:
        if table:
            spec = next((r for r in handler.rows if r.prefix == table), None)
            if spec is None:
                return metric
            return f"{spec.title}: jumlah {spec.model._meta.get_field(column).verbose_name}"
        return str(handler.model._meta.get_field(metric).verbose_name) if handler.model else metric
    except FieldDoesNotExist:
        return metric


def _latest_versions(report_ids: Iterable[int]) -> dict[int, dict]:
    """The newest version's data per report — one query."""
    latest: dict[int, dict] = {}
    rows = ReportVersion.objects.filter(report_id__in=list(report_ids)).order_by("report_id", "-number").values_list("report_id", "data")
    for report_id, data in rows:
        latest.setdefault(report_id, data)
    return latest


def min_max_flags(current: dict[tuple[str, str], float], history: list[dict[tuple[str, str], float]]) -> list[Flag]:
    flags = []
    for key, value in current.items():
        past = [h[key] for h in history if key in h]
        if len(past) < MIN_HISTORY:
            continue
        low, high = min(past), max(past)
        if value < low or value > high:
            flags.append(Flag(section=key[0], metric=key[1], value=value, check="riwayat", low=low, high=high))
    return flags


def z_score_flags(current: dict[tuple[str, str], float], peers: list[dict[tuple[str, str], float]]) -> list[Flag]:
    flags = []
    for key, value in current.items():
        values = [p[key] for p in peers if key in p]
        if len(values) < MIN_PEERS:
            continue
        mean = statistics.fmean(values)
        sd = statistics.pstdev(values)
        if sd == 0:
            continue
        z = (value - mean) / sd
        if abs(z) > Z_THRESHOLD:
            flags.append(Flag(section=key[0], metric=key[1], value=value, check="sejawat", mean=mean, z=round(z, 2)))
    return flags


def _peer_distribution(n: int, total: float, total_sq: float) -> tuple[float, float] | None:
    """Mean and population standard deviation from running sums; None when the values have no spread.

    Σx² − (Σx)²/n loses digits when the spread is tiny beside the mean (float64, values up to ~1e12):
    it is clamped at 0, and a variance under ``FLAT_SPREAD`` × mean² counts as no spread at all."""
    mean = total / n
    variance = max((total_sq - total * total / n) / n, 0.0)
    if variance <= FLAT_SPREAD * mean * mean or variance == 0.0:
        return None
    return mean, math.sqrt(variance)


def peer_flags(report: Report, current: dict[tuple[str, str], float]) -> list[Flag]:
    """z-score of each number against the report's KBLI peers, one query on ``PeerMetricSum``.

    Peers: the submitted reports of the same period and type whose factory has a line in the same
    KBLI division, the report itself taken out (its own newest version is in the sums, and a factory
    has one report per period and type). A factory with lines in several divisions is checked against
    each division's distribution and flagged when it is an outlier in one; the flag shows the division
    where |z| is largest (docs/verification.md, "Performance at national scale")."""
    from verification.models import PeerMetricSum

    # A list, not a subquery: the planner then reads only the division's rows by the unique index.
    divisions = sorted({d for d in report.factory.kbli.values_list("division_id", flat=True) if d})
    rows = PeerMetricSum.objects.filter(
        period_id=report.period_id, report_type=report.report_type, division_id__in=divisions
    ).values_list("division_id", "section", "metric", "n", "total", "total_sq")
    best: dict[tuple[str, str], Flag] = {}
    for division, section, metric, n, total, total_sq in rows:
        value = current.get((section, metric))
        if value is None:
            continue
        n, total, total_sq = n - 1, total - value, total_sq - value * value  # the report itself is not its own peer
        if n < MIN_PEERS:
            continue
        distribution = _peer_distribution(n, total, total_sq)
        if distribution is None:
            continue
        mean, sd = distribution
        z = (value - mean) / sd
        if abs(z) <= Z_THRESHOLD:
            continue
        flag = Flag(section=section, metric=metric, value=value, check="sejawat", mean=mean, z=round(z, 2), division=division)
        kept = best.get((section, metric))
        if kept is None or abs(flag.z) > abs(kept.z) or (abs(flag.z) == abs(kept.z) and division < kept.division):
            best[(section, metric)] = flag
    return [best[key] for key in sorted(best)]


def outlier_flags(report: Report) -> list[Flag]:
    """Flags for the newest version of ``report`` — a fixed number of queries whatever the peers.

    History: the factory's reports of the same type in earlier periods (newest version each).
    Peers: the running sums of the KBLI divisions of its factory (``peer_flags``).
    """
    return flags_for_data(report, _latest_versions([report.pk]).get(report.pk))


def newest_version_data(report: Report) -> dict[str, Any] | None:
    """The snapshot of ``report``'s newest version (what was last submitted), None before any — one query."""
    return _latest_versions([report.pk]).get(report.pk)


def flags_for_data(report: Report, current_data: dict[str, Any] | None) -> list[Flag]:
    """:func:`outlier_flags` for a snapshot already read (the review page reads the newest version once)."""
    current = numeric_metrics(current_data)
    if not current:
        return []
    history_ids = Report.objects.filter(
        factory_id=report.factory_id, report_type=report.report_type, period__start__lt=report.period.start
    ).exclude(status=ReportStatus.DRAFT).values_list("pk", flat=True)
    history = [numeric_metrics(d) for d in _latest_versions(history_ids).values()]
    return min_max_flags(current, history) + peer_flags(report, current)
