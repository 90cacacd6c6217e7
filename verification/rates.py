"""Reporting rate per period (DHIS2's reporting-rate summary, SIINAS.md §4): expected, submitted, on time,
validated — by province, kab/kota, KBLI division or report type, drilling down to the factories.

The unit is one expected report: a factory account and a periodic report type it owes for the period
(the obligation rule, ``reporting.obligation``), plus any periodic report it actually filed. *On time* is
the flag fixed at the first submission (inside the window), whatever the review did later.

One data builder (``rate_table``), several formatters (HTML, CSV, XLSX). A fixed number of queries
whatever the number of factories, grouped in the database (the rule's SQL face: ``accounts_owing`` for
the population, ``owes_q`` for the type each account owes): only the grouped rows come back, and individual rows only for the
accounts of a drill-down the user may see individually.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache as shared_cache
from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import factory_ids_in_divisions, pemda_authority_q, pemda_territory_q
from accounts.models import Factory, Role, User
from reporting.models import Period, Report, ReportStatus
from reporting.obligation import accounts_owing, owed_rules, owed_type_case, owes_q
from reporting.registry import REPORT_TYPES
from reporting.selectors import reports_data_version
from siinas.core.models import Kbli

DIMENSIONS = {
    "province": _("Provinsi"),
    "region": _("Kabupaten/kota"),
    "kbli": _("KBLI (golongan pokok)"),
    "report_type": _("Jenis laporan"),
    "factory": _("Akun pabrik"),
}
# Where a row of each dimension drills down to.
DRILL = {"province": "region", "region": "factory", "kbli": "factory", "report_type": "factory"}
RATE_ROLES = (Role.VERIFIER, Role.VALIDATOR, Role.ADMIN, Role.PEMDA_PROV, Role.PEMDA_KAB)
PERIODIC_TYPES = tuple(code for code, spec in REPORT_TYPES.items() if spec.periodic)


def population_q(user: User) -> Q:
    """Factories counted in ``user``'s aggregates (officers see rates, not always individual rows)."""
    if user.role in (Role.VERIFIER, Role.ADMIN):
        return Q()
    if user.role == Role.VALIDATOR:
        # The divisions' KBLI codes read first (factory_ids_in_divisions): PostgreSQL then estimates the
        # population from the lines' statistics (≈ 15,000 accounts, not 245) and hashes instead of looping.
        return Q(pk__in=factory_ids_in_divisions(user))
    if user.is_pemda:
        return pemda_territory_q(user)
    return Q(pk__in=[])


def individual_q(user: User) -> Q:
    """Factories whose own row ``user`` may see in the drill-down (Pemda: its authority only)."""
    if user.is_pemda:
        return pemda_authority_q(user)
    return population_q(user)


@dataclass
class Unit:
    factory_id: int
    report_type: str
    submitted: bool = False
    on_time: bool = False
    validated: bool = False
    status: str = ""


@dataclass
class RateRow:
    key: str
    label: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    validated: int = 0
    drill: dict[str, str] | None = None
    detail: dict[str, str] = field(default_factory=dict)

    def add(self, unit: Unit) -> None:
        self.expected += 1
        self.submitted += unit.submitted
        self.on_time += unit.on_time
        self.validated += unit.validated

    def pct(self, count: int) -> float | None:
        return round(100 * count / self.expected, 1) if self.expected else None

    @property
    def submitted_pct(self) -> float | None:
        return self.pct(self.submitted)

    @property
    def on_time_pct(self) -> float | None:
        return self.pct(self.on_time)

    @property
    def validated_pct(self) -> float | None:
        return self.pct(self.validated)


@dataclass
class RateTable:
    period: Period
    by: str
    rows: list[RateRow]
    total: RateRow


def _population(user: User, period: Period, filters: dict) -> QuerySet[Factory]:
    # No model ordering (company name): every read below groups or orders for itself.
    qs = accounts_owing(period).filter(population_q(user)).order_by()
    if filters.get("province"):
        qs = qs.filter(province_id=filters["province"])
    if filters.get("region"):
        qs = qs.filter(region_id=filters["region"])
    if filters.get("kbli"):
        qs = qs.filter(pk__in=Factory.kbli.through.objects.filter(kbli__division_id=filters["kbli"]).values("factory_id"))
    return qs


# --- The obligation rule's type faces (reporting/obligation.py) -------------------------------------------


def _report_owed_q() -> Q:
    """A report of the type its factory owes (any status counts: a draft of an owed type is a unit)."""
    q = Q(pk__in=[])
    for code in owed_rules():
        q |= Q(report_type=code) & owes_q([code], "factory__")
    return q


# --- The table -------------------------------------------------------------------------------------------


def rate_table(*, user: User, period: Period, by: str, filters: dict | None = None) -> RateTable:
    """The reporting-rate table for ``period`` grouped ``by`` one of ``DIMENSIONS``, inside ``filters``
    (province, region, kbli, report_type). ``by="factory"`` lists individual accounts: only those the
    user may see individually.

    Grouped in SQL: the units are (a) every population account with the periodic type it owes and (b)
    every submitted report of a type its account does not owe (any more); a report of the owed type
    gives its unit's flags. One grouped query reads (a), one reads the period's reports; ``by="kbli"``
    adds one of each for the total (an account counts in each of its divisions, once in the total)."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    population = _population(user, period, filters)
    if by == "factory":
        population = population.filter(individual_q(user))
    types = [filters["report_type"]] if filters.get("report_type") else list(PERIODIC_TYPES)
    owing = population.filter(owes_q(types))
    owed_report = _report_owed_q()
    reports = Report.objects.filter(
        Q(period=period, report_type__in=types, factory_id__in=population.values("pk"))
        & (owed_report | Q(first_submitted_at__isnull=False))
    ).order_by()
    labels = _Labels({})
    if by == "factory":
        return _factory_table(period, filters, population, types, labels)

    conditions = {
        "extra": ~owed_report,
        "submitted": Q(first_submitted_at__isnull=False),
        "on_time": Q(submitted_on_time=True),
        "validated": Q(status=ReportStatus.VALIDATED),
    }
    counts = {k: Count("pk", filter=c) for k, c in conditions.items()}
    rows: dict[str, RateRow] = {}

    def row(key: str, label: str) -> RateRow:
        if key not in rows:
            rows[key] = RateRow(key=key, label=label, drill=_drill(by, key, filters))
        return rows[key]

    if by == "kbli":
        total = RateRow(key="", label=str(_("Jumlah")))
        for code, title, *values in _kbli_groups(population, types, period, conditions):
            if code and not values[0] + values[1]:
                continue  # accounts of that division, but no unit among them (a row only where a unit is)
            target = total if code == "" else row(code, labels.no_kbli if code == "—" else f"{code} — {title}")
            target.expected += values[0]
            _add(target, values[1:])
    elif by in ("province", "region") and user.is_pemda:
        # A territory's accounts read first (its index), their reports of the period joined to them.
        for key, name, *values in _territory_groups(population, types, period, conditions, f"{by}_id"):
            target = row(key, name)
            target.expected += values[0]
            _add(target, values[1:])
        total = _total_of(rows)
    else:
        if by == "report_type":
            owed_fields, report_fields = ("owed_type",), ("report_type",)
            owing = owing.annotate(owed_type=owed_type_case())
        elif by == "province":
            owed_fields, report_fields = ("province_id", "province__name"), ("factory__province_id", "factory__province__name")
        else:
            owed_fields, report_fields = ("region_id", "region__name"), ("factory__region_id", "factory__region__name")
        for key, *rest in owing.values_list(*owed_fields).annotate(n=Count("pk")).order_by():
            *name, n = rest
            row(key, name[0] if name else labels.types[key]).expected += n
        for key, *rest in reports.values_list(*report_fields).annotate(**counts).order_by():
            name, values = rest[: len(report_fields) - 1], rest[len(report_fields) - 1 :]
            _add(row(key, name[0] if name else labels.types[key]), values)
        total = _total_of(rows)
    return RateTable(period=period, by=by, rows=sorted(rows.values(), key=lambda r: r.key), total=total)


RATE_CACHE_SECONDS = 600  # as the Pemda dashboards: bounds what the data version cannot see (account edits)


def _scope_key(user: User) -> str:
    """What ``population_q``/``individual_q`` read off the user: the role, and its territory or divisions."""
    if user.role == Role.VALIDATOR:
        return f"{user.role}|{','.join(sorted(str(pk) for pk in user.kbli_divisions.values_list('pk', flat=True)))}"
    if user.is_pemda:
        return f"{user.role}|{user.region_id}"
    if user.role in (Role.VERIFIER, Role.ADMIN):
        return "national"  # the same population and individual rows for both: one cached table
    return str(user.role)


def cached_rate_table(*, user: User, period: Period, by: str, filters: dict | None = None) -> RateTable:
    """``rate_table``, kept in the shared cache for ``RATE_CACHE_SECONDS`` per user scope, period, dimension,
    filters, language (the labels are translated) and ``reports_data_version()``: any report saved or
    account created gives a new key, so a status move shows at the next view; the page, CSV and XLSX
    share the entry."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    parts = [_scope_key(user), get_language() or "", str(period.pk), by, *(f"{k}={filters[k]}" for k in sorted(filters))]
    parts.append(reports_data_version())
    key = "verification:rate:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    cached = shared_cache.get(key)
    if cached is not None:
        return RateTable(period=period, by=by, rows=cached["rows"], total=cached["total"])
    table = rate_table(user=user, period=period, by=by, filters=filters)
    shared_cache.set(key, {"rows": table.rows, "total": table.total}, RATE_CACHE_SECONDS)
    return table


def _kbli_groups(population: QuerySet[Factory], types: list[str], period: Period, conditions: dict[str, Q]):
    """Rows (division, title, owed units, extra units, submitted, on time, validated) for each division,
    then ("", …) for the total and ("—", …) for accounts without a line in any division (absent when
    there is none).

    One statement: the population's units summed per account (``u``: the account LEFT JOIN its reports
    of the period, a CTE computed once), then grouped by division over each account's lines, one line
    per (account, division) — an account counts in each of its divisions, once in the total; an account
    without a line in a division falls in "—" (the LEFT JOIN) — and in total."""
    submitted = Q(first_submitted_at__isnull=False)
    # Each count's condition on its own: a unit counts when its report is of the owed type or was
    # submitted, so "submitted" needs nothing else, "extra" (not owed) and "on time" need the submission,
    # and a validated report was submitted (constraint report_submitted_has_date). The owed-type test, an
    # OR over account type, stage and scale, is then evaluated once per report, not in all four counts.
    counted = {
        "extra": submitted & conditions["extra"],
        "submitted": submitted,
        "on_time": submitted & conditions["on_time"],
        "validated": conditions["validated"],
    }

    def count(name: str) -> Count:
        # conditions are written on Report's fields: re-rooted on the filtered relation "r"
        return Count("r", filter=_reroot(counted[name], "r__"))

    units = (
        population.annotate(r=FilteredRelation("reports", condition=Q(reports__period=period, reports__report_type__in=types)))
        .annotate(
            fid=F("pk"),
            owed=Case(When(owes_q(types), then=Value(1)), default=Value(0), output_field=IntegerField()),
            extra=count("extra"), submitted=count("submitted"), on_time=count("on_time"), validated=count("validated"),
        )
        .values("fid", "owed", "extra", "submitted", "on_time", "validated")
        .order_by()
    )  # fmt: skip
    u_sql, u_params = units.query.sql_with_params()
    lines, kbli = Factory.kbli.through._meta.db_table, Kbli._meta.db_table
    sums = "SUM(u.owed), SUM(u.extra), SUM(u.submitted), SUM(u.on_time), SUM(u.validated)"
    # The CTE joins the KBLI lines themselves (a table with statistics), never a grouped or DISTINCT
    # subquery: PostgreSQL has statistics for neither a CTE nor a DISTINCT's output, guessed such a join at
    # 14 million rows and, for that cost, JIT-compiled the plan (0.25–2 s for a statement of a few hundred
    # ms). One line per (account, division) is therefore picked by an anti-join (the line with the
    # smallest code of its division), which keeps the lines' statistics and needs no sort.
    sql = f"""
        WITH u AS ({u_sql})
        SELECT s.div, COALESCE(k.title, ''), s.owed, s.extra, s.submitted, s.on_time, s.validated FROM (
            SELECT COALESCE(p.div, '—') AS div, SUM(u.owed) AS owed, SUM(u.extra) AS extra, SUM(u.submitted) AS submitted,
                   SUM(u.on_time) AS on_time, SUM(u.validated) AS validated
            FROM u LEFT JOIN (
                SELECT l.factory_id AS fid, d.division_id AS div
                FROM {lines} l JOIN {kbli} d ON d.code = l.kbli_id
                WHERE d.division_id IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM {lines} l2 JOIN {kbli} d2 ON d2.code = l2.kbli_id
                    WHERE l2.factory_id = l.factory_id AND d2.division_id = d.division_id AND l2.kbli_id < l.kbli_id
                )
            ) p ON p.fid = u.fid
            GROUP BY 1
        ) s LEFT JOIN {kbli} k ON k.code = s.div
        UNION ALL SELECT '', '', {sums} FROM u
    """  # noqa: S608 (table names from the models, the CTE is the ORM's own compiled SQL; values are parameters)
    with connections[population.db].cursor() as cursor:
        cursor.execute(sql, u_params)
        found = cursor.fetchall()
    return [(code, "" if code == "—" else title, *(int(v or 0) for v in values)) for code, title, *values in found]


def _total_of(rows: dict[str, RateRow]) -> RateRow:
    """The total row of a table whose every unit is in exactly one row."""
    total = RateRow(key="", label=str(_("Jumlah")))
    for r in rows.values():
        total.expected += r.expected
        _add(total, [0, r.submitted, r.on_time, r.validated])
    return total


def _territory_groups(population: QuerySet[Factory], types: list[str], period: Period, conditions: dict[str, Q], field: str):
    """Rows (key, name, owed units, extra units, submitted, on time, validated) per province or kab/kota
    (``field``) of a Pemda territory, in one statement from the population's side: the territory's
    accounts (its index) LEFT JOIN their reports of the period. The reports-first statement scanned every
    account of the country a second time for the grouping fields: 67 → 46 ms for Jawa Barat, 25 → 18 ms
    for a kab/kota; for the national population the reports-first statements stay cheaper (150 vs 217 ms),
    so only Pemda tables take this path (issue 14, docs/verification.md)."""
    counted_report = _report_owed_q() | Q(first_submitted_at__isnull=False)  # the reports ``rate_table`` counts
    name = field.removesuffix("_id") + "__name"
    rows = (
        population.annotate(r=FilteredRelation("reports", condition=Q(reports__period=period, reports__report_type__in=types)))
        .values(field, name)
        .annotate(
            owed=Count("pk", distinct=True, filter=owes_q(types)),
            **{key: Count("r", filter=_reroot(counted_report & q, "r__")) for key, q in conditions.items()},
        )
        .order_by()
        .values_list(field, name, "owed", *conditions)
    )
    return [row for row in rows if any(row[2:])]


def _reroot(q: Q, prefix: str) -> Q:
    """``q`` (on Report's fields, "factory__…" included) as seen from Factory through the relation ``prefix``;
    a Report field "factory__x" is the account's own field "x"."""
    children = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_reroot(child, prefix))
        else:
            name, value = child
            children.append((name.removeprefix("factory__") if name.startswith("factory__") else prefix + name, value))
    clone = Q(*children, _connector=q.connector, _negated=q.negated)
    return clone


def _add(row: RateRow, values) -> None:
    """Add a report group's counts (units beyond the owed ones, submitted, on time, validated) to ``row``."""
    extra, submitted, on_time, validated = values
    row.expected += extra
    row.submitted += submitted
    row.on_time += on_time
    row.validated += validated


def _factory_table(period: Period, filters: dict, population: QuerySet[Factory], types: list[str], labels: _Labels) -> RateTable:
    """One row per unit of the accounts the user may see individually (a drilled-down territory): the owed
    type comes with each account, so the reports need no join back to it."""
    factories = {}
    units: dict[tuple[int, str], Unit] = {}
    for row in (
        population.annotate(owed_type=owed_type_case())
        .order_by("company__name", "name", "pk")
        .values("pk", "name", "company__name", "region__name", "owed_type")
    ):
        factories[row["pk"]] = row
        if row["owed_type"] in types:
            units[(row["pk"], row["owed_type"])] = Unit(row["pk"], row["owed_type"])
    reports = Report.objects.filter(period=period, report_type__in=types, factory_id__in=population.values("pk"))
    for factory_id, report_type, status, first, on_time in reports.order_by("factory_id", "report_type").values_list(
        "factory_id", "report_type", "status", "first_submitted_at", "submitted_on_time"
    ):
        unit = units.get((factory_id, report_type))
        if unit is None:
            if first is None:
                continue  # a draft of a type the factory no longer owes is not expected of it
            unit = units[(factory_id, report_type)] = Unit(factory_id, report_type)
        unit.status = status
        unit.submitted = first is not None
        unit.on_time = bool(on_time)
        unit.validated = status == ReportStatus.VALIDATED
    rows = []
    total = RateRow(key="", label=str(_("Jumlah")))
    for unit in units.values():
        factory = factories[unit.factory_id]
        total.add(unit)
        key = f"{unit.factory_id}:{unit.report_type}"
        row = RateRow(
            key=key,
            label=f"{factory['company__name']} — {factory['name']}",
            detail={"report_type": labels.types[unit.report_type], "region": factory["region__name"], "status": labels.statuses[unit.status]},
            drill=_drill("factory", key, filters),
        )
        row.add(unit)
        rows.append(row)
    return RateTable(period=period, by="factory", rows=sorted(rows, key=lambda r: r.label), total=total)


class _Labels:
    """Translated labels computed once per table, not once per expected report."""

    def __init__(self, division_titles: dict[str, str]):
        self.types = {code: str(spec.title) for code, spec in REPORT_TYPES.items()}
        self.divisions = {code: f"{code} — {title}" for code, title in division_titles.items()}
        self.no_kbli = f"— {_('tanpa KBLI')}"
        self.statuses = {**{value: str(label) for value, label in ReportStatus.choices}, "": str(_("Belum dibuat"))}


def _drill(by: str, key: str, filters: dict) -> dict[str, str] | None:
    if by not in DRILL or key == "—":
        return None
    return {**{k: str(v) for k, v in filters.items()}, by: key, "by": DRILL[by]}


def rate_export_rows(table: RateTable) -> tuple[list[str], list[list]]:
    """Header and rows for CSV/XLSX: the same numbers as the page."""
    header = [str(DIMENSIONS[table.by]), "Diharapkan", "Terkirim", "Tepat waktu", "Tervalidasi", "% terkirim", "% tepat waktu", "% tervalidasi"]
    if table.by == "factory":
        header[1:1] = ["Jenis laporan", "Kabupaten/kota", "Status"]
    rows = []
    for row in [*table.rows, table.total]:
        extra = [row.detail.get("report_type", ""), row.detail.get("region", ""), row.detail.get("status", "")] if table.by == "factory" else []
        rows.append([row.label, *extra, row.expected, row.submitted, row.on_time, row.validated,
                     row.submitted_pct, row.on_time_pct, row.validated_pct])  # fmt: skip
    return header, rows


def division_choices() -> QuerySet[Kbli]:
    return Kbli.objects.filter(level=Kbli.Level.GOLONGAN_POKOK).order_by("code")
