"""Reporting rate per period (DHIS2's reporting-rate summary, SIINAS.md §4): expected, submitted, on time,
validated — by province, kab/kota, KBLI division or report type, drilling down to the factories.

The unit is one expected report: a factory account and a periodic report type it owes for the period
(``reporting.registry.report_types_owed``), plus any periodic report it actually filed. *On time* is
the flag fixed at the first submission (inside the window), whatever the review did later.

One data builder (``rate_table``), several formatters (HTML, CSV, XLSX). A fixed number of queries
whatever the number of factories: the population, its KBLI lines and the period's reports are read
once each and grouped in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import pemda_authority_q, pemda_territory_q
from accounts.models import Factory, Role, User
from reporting.models import Period, Report, ReportStatus
from reporting.registry import REPORT_TYPES, report_types_owed
from siinas.core.models import Kbli
from verification.services.compliance import expected_factories

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


def population_q(user: User) -> Q:
    """Factories counted in ``user``'s aggregates (officers see rates, not always individual rows)."""
    if user.role in (Role.VERIFIER, Role.ADMIN):
        return Q()
    if user.role == Role.VALIDATOR:
        return Q(pk__in=Factory.objects.filter(kbli__division__in=user.kbli_divisions.all()).values("pk"))
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
    qs = expected_factories(period).filter(population_q(user))
    if filters.get("province"):
        qs = qs.filter(province_id=filters["province"])
    if filters.get("region"):
        qs = qs.filter(region_id=filters["region"])
    if filters.get("kbli"):
        qs = qs.filter(pk__in=Factory.kbli.through.objects.filter(kbli__division_id=filters["kbli"]).values("factory_id"))
    return qs


def rate_table(*, user: User, period: Period, by: str, filters: dict | None = None) -> RateTable:
    """The reporting-rate table for ``period`` grouped ``by`` one of ``DIMENSIONS``, inside ``filters``
    (province, region, kbli, report_type). ``by="factory"`` lists individual accounts: only those the
    user may see individually."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    population = _population(user, period, filters)
    if by == "factory":
        population = population.filter(individual_q(user))
    factories = {
        row["pk"]: row
        for row in population.values(
            "pk", "name", "company__name", "account_type", "stage", "scale",
            "region_id", "region__name", "province_id", "province__name",
        )
    }  # fmt: skip
    units: dict[tuple[int, str], Unit] = {}
    for pk, row in factories.items():
        for spec in report_types_owed(SimpleNamespace(**row)):
            units[(pk, spec.code)] = Unit(pk, spec.code)
    periodic = [code for code, spec in REPORT_TYPES.items() if spec.periodic]
    reports = Report.objects.filter(period=period, factory_id__in=population.values("pk"), report_type__in=periodic)
    for factory_id, report_type, status, first, on_time in reports.values_list(
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
    if filters.get("report_type"):
        units = {k: u for k, u in units.items() if u.report_type == filters["report_type"]}

    divisions: dict[int, list[str]] = defaultdict(list)
    titles: dict[str, str] = {}
    if by == "kbli":
        lines = Factory.kbli.through.objects.filter(factory_id__in=population.values("pk")).values_list(
            "factory_id", "kbli__division_id", "kbli__division__title"
        )
        for factory_id, division, title in lines:
            if division and division not in divisions[factory_id]:
                divisions[factory_id].append(division)
                titles[division] = title

    rows: dict[str, RateRow] = {}
    total = RateRow(key="", label=str(_("Jumlah")))
    labels = _Labels(titles)
    for unit in units.values():
        factory = factories[unit.factory_id]
        total.add(unit)
        for key, label, detail in _keys(by, unit, factory, divisions, labels):
            if key not in rows:
                rows[key] = RateRow(key=key, label=label, detail=detail, drill=_drill(by, key, filters))
            rows[key].add(unit)
    ordered = sorted(rows.values(), key=lambda r: (r.label if by == "factory" else r.key))
    return RateTable(period=period, by=by, rows=ordered, total=total)


class _Labels:
    """Translated labels computed once per table, not once per expected report."""

    def __init__(self, division_titles: dict[str, str]):
        self.types = {code: str(spec.title) for code, spec in REPORT_TYPES.items()}
        self.divisions = {code: f"{code} — {title}" for code, title in division_titles.items()}
        self.no_kbli = f"— {_('tanpa KBLI')}"
        self.statuses = {**{value: str(label) for value, label in ReportStatus.choices}, "": str(_("Belum dibuat"))}


def _keys(by: str, unit: Unit, factory: dict, divisions, labels: _Labels):
    if by == "province":
        yield factory["province_id"], factory["province__name"], {}
    elif by == "region":
        yield factory["region_id"], factory["region__name"], {}
    elif by == "kbli":
        # A factory with lines in two divisions counts in each (its column totals are not additive).
        for division in divisions.get(unit.factory_id) or ["—"]:
            yield division, labels.divisions.get(division, labels.no_kbli), {}
    elif by == "report_type":
        yield unit.report_type, labels.types[unit.report_type], {}
    else:
        yield (
            f"{unit.factory_id}:{unit.report_type}",
            f"{factory['company__name']} — {factory['name']}",
            {"report_type": labels.types[unit.report_type], "region": factory["region__name"], "status": labels.statuses[unit.status]},
        )


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
