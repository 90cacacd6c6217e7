"""Public industry statistics ("Informasi Industri"): aggregates of validated semester reports by period ×
province × KBLI 2-digit, protected before anything leaves this module.

One builder for every format: ``industry_statistics`` returns plain data (dataclasses of numbers and
text, no request) that the public page, its CSV/XLSX downloads, the map and the API's statistics
endpoints all format. Every table passes through ``_protect`` (docs/statistics.md):

- count rule: a cell of fewer than 3 companies is hidden, with its secondary step
  (``pemda.selectors.territory.suppress``);
- capacity utilisation (a mean of ratios): no dominance rule, but protected on its sum (mean × n), which
  the rows add up to: count rule and secondary suppression, see ``_protect``
- dominance rule: a magnitude cell whose largest contributor holds more than 85 % of it is hidden;
- secondary suppression: while the hidden cells of a column, taken together, would still break either
  rule (recoverable by subtracting the shown cells from the shown total), the next smallest is hidden;
- a province's KBLI table hides its total, and at least one row, where the national table hides that
  province.

Formats read ``StatisticsTable.published()`` only (the API's statistics endpoints too): shown values and
the names of hidden cells, never a cell's ``n`` or contributors.

``_protect`` calls the shared disclosure module (``siinas/lib/disclosure.py``); each cell keeps what the
dominance rule needs (``n``, ``total``, ``top1``, ``top2``, the two largest contributors, computed per cell
in SQL).

Figures come from the stored measures of validated periodic reports (``reporting.ReportMeasures``,
maintained by the status pipeline): a company (account) counts once per cell, its reports of the period
summed. Capacity utilisation is the mean over a cell's companies of each company's stored utilisation
(``ReportMeasures.utilisation``; a company with two reports of the period, their mean), over the companies
that have one (docs/statistics.md).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connections, router
from django.utils.translation import gettext_lazy as _

from reporting.models import ReportMeasures
from reporting.registry import REPORT_TYPES
from reporting.selectors import reports_data_version
from siinas.core.models import Kbli, Region
from siinas.lib import disclosure

PERIODIC_TYPES = tuple(sorted(code for code, spec in REPORT_TYPES.items() if spec.periodic))
MAGNITUDES = ("workforce", "investment", "production", "export")
MEASURES: dict[str, Any] = {
    "establishments": _("Jumlah perusahaan"),
    "workforce": _("Tenaga kerja (orang)"),
    "investment": _("Investasi (Rp)"),
    "production": _("Nilai produksi (Rp)"),
    "export": _("Nilai ekspor (Rp)"),
    "utilisation": _("Utilisasi kapasitas (%)"),
}
# Means of the companies' ratios, not sums: ``n`` companies with a value and their mean as the cell's total.
MEANS = ("utilisation",)
PERCENT = Decimal("0.01")
MIN_COMPANIES = disclosure.MIN_CONTRIBUTORS
DOMINANCE_SHARE = disclosure.DOMINANCE_K  # the two largest companies may not hold more than this of a cell
TOTAL = "total"  # the key of a table's total line among its cells
CACHE_SECONDS = 600  # bounds what the data version cannot see (an account's province or KBLI edited)
# Figures computed less than this long ago are served even if the data moved meanwhile: at a deadline the
# version moves every few seconds, and a public page may lag two minutes rather than recompute per view.
FRESH_ENOUGH_SECONDS = 120

PROVINCE = "province"
DIVISION = "division"
PRIMARY, SECONDARY = "primary", "secondary"  # why a cell is hidden (StatisticsTable.published)


@dataclass
class StatCell:
    """One figure: ``n`` companies with a value, their ``total`` and the two largest contributions."""

    n: int
    total: Decimal
    top1: Decimal = Decimal(0)
    top2: Decimal = Decimal(0)
    hidden: bool = False
    primary: bool = False  # hidden by a primary rule (count, dominance); a hidden cell without it is secondary

    @property
    def empty(self) -> bool:
        return self.n == 0

    @property
    def shown(self) -> Decimal | None:
        """The published value: None when hidden by disclosure control or when nobody reported it."""
        return None if self.hidden or self.empty else self.total


@dataclass
class StatRow:
    key: str  # province code or KBLI division code; "total" for the total row
    label: str
    cells: dict[str, StatCell] = field(default_factory=dict)


@dataclass
class StatisticsTable:
    """Rows per province (or per KBLI division inside one province) for one period, already protected."""

    period_id: int
    dimension: str  # PROVINCE or DIVISION
    province: str | None
    division: str | None
    rows: list[StatRow]
    total: StatRow

    def published(self) -> list[dict[str, Any]]:
        """The table as it may be shown: per row its key, label, and per measure the value or None with
        ``hidden`` naming the hidden measures and ``reasons`` why each is hidden (``primary``: the cell itself
        breaks the count or dominance rule; ``secondary``: hidden so that a primary cell cannot be worked out
        by subtraction) — never ``n`` or the contributors of a hidden cell."""
        out = []
        for row in [*self.rows, self.total]:
            values = {m: row.cells[m].shown for m in MEASURES}
            hidden = [m for m in MEASURES if row.cells[m].hidden]
            reasons = {m: PRIMARY if row.cells[m].primary else SECONDARY for m in hidden}
            out.append({"key": row.key, "label": row.label, "values": values, "hidden": hidden, "reasons": reasons})
        return out


# --- The builder -----------------------------------------------------------------------------------------


def industry_statistics(
    period_id: int, province: str | None = None, division: str | None = None, *, version: str | None = None
) -> StatisticsTable:
    """Protected aggregates of ``period_id``'s validated reports: per province (all of Indonesia), or per
    KBLI division when ``province`` is given; ``division`` keeps only companies registered in it. One or two
    grouped queries per table (cached, ``_cached_groups``), whatever the number of reports; a province's
    table also reads the national one (its row of that province is the same total). ``version``: the data
    version when the caller has it already (``statistics_version``)."""
    dimension = DIVISION if province else PROVINCE
    version = version if version is not None else statistics_version()
    total_row = None
    if province:  # the province's total is its row of the national table (a company is in one province)
        national_rows = _cached_groups(period_id, PROVINCE, None, division, version)["rows"]
        total_row = [next((("total", *values) for key, *values in national_rows if key == province), None)]
        total_row = [row for row in total_row if row is not None]
    groups = _cached_groups(period_id, dimension, province, division, version, total=total_row)
    labels = groups["labels"]
    rows = [StatRow(key=key, label=labels.get(key, key), cells=_cells(values)) for key, *values in groups["rows"]]
    rows.sort(key=lambda r: r.key)
    total_values = groups["total"][0][1:] if groups["total"] else None
    total = StatRow(key="total", label=str(_("Jumlah")), cells=_cells(total_values))
    parent = None
    if province:  # the province's own row of the national table (same KBLI filter): the two must agree
        national = industry_statistics(period_id, None, division, version=version)
        parent = next((row for row in national.rows if row.key == province), None)
    elif division:
        # The national total of one division is also a row of the national table by division (the sector
        # analysis publishes it, beside the national total): where that table hides it, so that it cannot be
        # worked out as the national total minus the other divisions, it is hidden here too.
        parent = next((row for row in division_statistics(period_id, version=version).rows if row.key == division), None)
    _protect(rows, total, parent=parent)
    return StatisticsTable(period_id=period_id, dimension=dimension, province=province, division=division, rows=rows, total=total)


def _cells(values) -> dict[str, StatCell]:
    """A grouped row (establishments, n/sum/top1/top2 per magnitude, then n/sum per mean) as cells; None:
    an empty row."""
    if values is None:
        return {m: StatCell(n=0, total=Decimal(0)) for m in MEASURES}
    establishments, *rest = values
    cells = {"establishments": StatCell(n=establishments, total=Decimal(establishments))}
    for i, measure in enumerate(MAGNITUDES):
        n, total, top1, top2 = rest[4 * i : 4 * i + 4]
        cells[measure] = StatCell(n=n or 0, total=_dec(total), top1=_dec(top1), top2=_dec(top2))
    at = 4 * len(MAGNITUDES)
    for i, measure in enumerate(MEANS):
        n, total = rest[at + 2 * i : at + 2 * i + 2]
        mean = (Decimal(str(total)) / n).quantize(PERCENT) if n else Decimal(0)
        cells[measure] = StatCell(n=n or 0, total=mean)
    return cells


def _dec(value) -> Decimal:
    """A sum from the database as a whole-rupiah Decimal (SQLite may answer an int or a float)."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(value).quantize(Decimal(1))


def _labels(dimension: str, keys: list[str]) -> dict[str, str]:
    if dimension == PROVINCE:
        return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    return {code: f"{code} {title}" for code, title in Kbli.objects.filter(code__in=keys).values_list("code", "title")}


# --- Disclosure control ------------------------------------------------------------------------------


def dominated(cell: StatCell) -> bool:
    """The dominance rule of ``siinas.lib.disclosure``: the two largest companies hold more than
    ``DOMINANCE_SHARE`` of the cell."""
    return disclosure.dominated(cell.total, (cell.top1, cell.top2))


def _entry(key, cell: StatCell, magnitude: bool, *, mean: bool = False) -> disclosure.Entry:
    value = cell.total * cell.n if mean else cell.total  # a mean's cell is protected on its sum
    return disclosure.Entry(key=key, n=cell.n, value=value, top=(cell.top1, cell.top2) if magnitude else ())


def _protect(rows: list[StatRow], total: StatRow, *, parent: StatRow | None = None) -> None:
    """Hide what may not be published, column by column, through the shared disclosure module
    (``siinas.lib.disclosure``: count rule, dominance rule, secondary suppression with the exact check).
    Empty cells (nobody reported) stay empty, not hidden. The rows are protected as adding up to the total
    (true for provinces; for KBLI divisions, where a company in two divisions counts in both, it is the
    cautious reading).

    ``parent``: the same total as a row of another published table (a province's KBLI table and that
    province's row in the national table). Where the parent cell is hidden, the total is hidden too, and
    the module then hides a row cell with it so that the rows do not add up to the hidden figure."""
    for measure in MEASURES:
        magnitude = measure in MAGNITUDES
        # A mean (capacity utilisation) is no magnitude (no dominance rule), but mean × n is a sum the rows
        # add up to: it is protected as a count table on that sum (count rule, secondary suppression and the
        # exact check), so a hidden cell's mean cannot be worked out from the total and the shown cells.
        entries = [_entry(i, row.cells[measure], magnitude, mean=measure in MEANS) for i, row in enumerate(rows)]
        entries.append(_entry(TOTAL, total.cells[measure], magnitude, mean=measure in MEANS))
        already = {TOTAL} if parent is not None and parent.cells[measure].hidden and not total.cells[measure].empty else set()
        hidden = disclosure.protect_table(
            entries, [disclosure.Group(members=tuple(range(len(rows))), total=TOTAL)], magnitude=magnitude, hidden=already
        )
        for entry, row in zip(entries, [*rows, total], strict=True):
            cell = row.cells[measure]
            cell.hidden = entry.key in hidden and not cell.empty
            cell.primary = cell.hidden and disclosure.sensitive(entry, magnitude=magnitude)


# --- Grouped rows (SQL) ------------------------------------------------------------------------------


def statistics_version() -> str:
    return reports_data_version()


def _cached_groups(
    period_id: int, dimension: str, province: str | None, division: str | None, version: str, *, total: list | None = None
) -> dict[str, Any]:
    """The grouped rows, total and labels of one table: from the cache when computed for ``version`` or
    less than ``FRESH_ENOUGH_SECONDS`` ago, else computed (one grouped query; ``total``: the table's total
    row when the caller has it, else its own query for KBLI divisions)."""
    raw = f"{period_id}|{dimension}|{province}|{division}"
    # v2: the rows carry the utilisation's n and sum (a row cached in the former shape is not read back)
    key = "informasi:groups:v2:" + hashlib.sha256(raw.encode()).hexdigest()
    cached = cache.get(key)
    now = time.time()
    if cached is not None and (cached["version"] == version or now - cached["at"] < FRESH_ENOUGH_SECONDS):
        return cached
    rows = _grouped(period_id, dimension, province, division)
    # A company is in one province: the provinces' rows add up to the total. Not so for KBLI divisions (a
    # company registered in two counts in both), whose total is its own query.
    if total is None:
        total = [_sum_of(rows)] if dimension == PROVINCE and rows else _grouped(period_id, None, province, division)
    groups = {"version": version, "at": now, "rows": rows, "total": total, "labels": _labels(dimension, [k for k, *_r in rows])}
    cache.set(key, groups, CACHE_SECONDS)
    return groups


def _sum_of(rows: list[tuple]) -> tuple:
    """The total row of groups that share no company: counts and sums added, the two largest of all."""
    establishments = sum(row[1] for row in rows)
    out: list[Any] = ["total", establishments]
    for i in range(len(MAGNITUDES)):
        at = 2 + 4 * i
        n = sum(row[at] or 0 for row in rows)
        sums = [row[at + 1] for row in rows if row[at + 1] is not None]
        tops = sorted((v for row in rows for v in (row[at + 2], row[at + 3]) if v is not None), reverse=True)
        out += [n, sum(sums) if sums else None, tops[0] if tops else None, tops[1] if len(tops) > 1 else None]
    at = 2 + 4 * len(MAGNITUDES)
    for i in range(len(MEANS)):
        sums = [row[at + 2 * i + 1] for row in rows if row[at + 2 * i + 1] is not None]
        out += [sum(row[at + 2 * i] or 0 for row in rows), sum(sums) if sums else None]
    return tuple(out)


# One company's figures of a period, summed over its validated periodic reports (``reporting_reportmeasures m``
# grouped per factory): the select list every grouped statement over the measures shares.
PER_FACTORY_MEASURES = """SUM(m.workforce) AS v_workforce,
                   SUM(CASE WHEN m.investment_industry IS NULL AND m.investment_estate IS NULL THEN NULL
                            ELSE COALESCE(m.investment_industry, 0) + COALESCE(m.investment_estate, 0) END) AS v_investment,
                   SUM(m.production) AS v_production,
                   SUM(m."export") AS v_export,
                   AVG(m.utilisation) AS v_utilisation"""


def _grouped(period_id: int, dimension: str | None, province: str | None, division: str | None) -> list[tuple]:
    """One row per group: (key, establishments, then per magnitude: n, sum, largest, second largest, then
    per mean: n, sum — the mean is sum / n, kept apart so that groups add up to the national total).

    ``per_factory`` sums each company's validated reports of the period (investment = industry + estate,
    NULL when it has neither); ``ranked`` numbers the companies of each group per measure, largest first,
    so the outer query picks the two largest contributions of every cell."""
    params: list[Any] = [period_id, *PERIODIC_TYPES]
    types = ", ".join(["%s"] * len(PERIODIC_TYPES))
    # A province's table reads only its companies' measures (the national one reads all of them).
    in_province = ""
    if province:
        in_province = " AND m.factory_id IN (SELECT f0.id FROM accounts_factory f0 WHERE f0.province_id = %s)"
        params.append(province)
    joins, where = "", []
    if dimension == DIVISION:
        joins = (
            " JOIN (SELECT DISTINCT fk.factory_id, k.division_id FROM accounts_factory_kbli fk"
            " JOIN core_kbli k ON k.code = fk.kbli_id WHERE k.division_id IS NOT NULL"
            " AND fk.factory_id IN (SELECT factory_id FROM per_factory)) d ON d.factory_id = p.factory_id"
        )
        grp = "d.division_id"
    elif dimension == PROVINCE:
        grp = "f.province_id"
    else:
        grp = "'total'"
    if province:
        where.append("f.province_id = %s")
        params.append(province)
    if division:
        where.append(
            "EXISTS (SELECT 1 FROM accounts_factory_kbli fk2 JOIN core_kbli k2 ON k2.code = fk2.kbli_id"
            " WHERE fk2.factory_id = p.factory_id AND k2.division_id = %s)"
        )
        params.append(division)
        if dimension == DIVISION:
            where.append("d.division_id = %s")
            params.append(division)
    ranks = ", ".join(
        f"ROW_NUMBER() OVER (PARTITION BY {grp} ORDER BY COALESCE(p.v_{m}, -1) DESC, p.factory_id) AS r_{m}" for m in MAGNITUDES
    )
    columns = ", ".join(
        f"COUNT(v_{m}), SUM(v_{m}), MAX(CASE WHEN r_{m} = 1 THEN v_{m} END), MAX(CASE WHEN r_{m} = 2 THEN v_{m} END)"
        for m in MAGNITUDES
    ) + "".join(f", COUNT(v_{m}), SUM(v_{m})" for m in MEANS)
    sql = f"""
        WITH per_factory AS (
            SELECT m.factory_id AS factory_id,
                   {PER_FACTORY_MEASURES}
            FROM reporting_reportmeasures m
            WHERE m.period_id = %s AND m.report_type IN ({types}){in_province}
            GROUP BY m.factory_id
        ),
        ranked AS (
            SELECT {grp} AS grp, p.*, {ranks}
            FROM per_factory p JOIN accounts_factory f ON f.id = p.factory_id{joins}
            {"WHERE " + " AND ".join(where) if where else ""}
        )
        SELECT grp, COUNT(*), {columns} FROM ranked GROUP BY grp ORDER BY grp
    """  # noqa: S608 (only this function's fixed fragments are formatted in; every value is a parameter)
    # The database a read of the measures goes to: the replica inside the page's replica scope, if any.
    with connections[router.db_for_read(ReportMeasures)].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def division_statistics(period_id: int, *, version: str | None = None) -> StatisticsTable:
    """National figures per KBLI division for one period, with the national total, protected like every
    table here (the sector analysis of analisis/sector reads it): the same grouped rows (one cached query
    for the divisions, one for the total) and the same ``_protect``. A company registered in two divisions
    counts in both, so the rows are protected as adding up to the total (the cautious reading)."""
    version = version if version is not None else statistics_version()
    groups = _cached_groups(period_id, DIVISION, None, None, version)
    labels = groups["labels"]
    rows = sorted(
        (StatRow(key=key, label=labels.get(key, key), cells=_cells(values)) for key, *values in groups["rows"]),
        key=lambda r: r.key,
    )
    total = StatRow(key="total", label=str(_("Jumlah")), cells=_cells(groups["total"][0][1:] if groups["total"] else None))
    _protect(rows, total)
    return StatisticsTable(period_id=period_id, dimension=DIVISION, province=None, division=None, rows=rows, total=total)
