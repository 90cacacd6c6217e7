"""Territory reads: suppression (n ≥ 3), the company list under authority, aggregates of the whole
territory and the recaps generated for submissions.

Individual rows come only from ``accounts.access.factories_visible_to`` (authority); aggregates
come from ``pemda_territory_q`` (the whole territory) and always pass through ``suppress``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.db import connections
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.aggregates import StringAgg
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import factories_visible_to, pemda_territory_q
from accounts.models import AccountType, Factory, Role, Scale, User
from pemda.filters import CompanyFilter
from pemda.models import Category
from reporting.selectors import newest_period_pk, reports_data_version
from siinas.core.models import Kbli, Region
from siinas.lib.pagination import page_in_two_steps

MIN_COMPANIES = 3  # an aggregate of fewer companies is never shown (confidentiality, UU 3/2014 Pasal 69–70)

# --- Suppression ----------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One row of an aggregate table: ``n`` companies behind ``values``."""

    key: str
    label: str
    n: int
    values: dict[str, Any] = field(default_factory=dict)
    hidden: bool = False


def suppress(cells: list[Cell], *, minimum: int = MIN_COMPANIES) -> list[Cell]:
    """Hide cells of fewer than ``minimum`` companies, then enough more that no hidden cell can be
    recovered by subtracting the shown cells from the shown total (secondary suppression)."""
    for cell in cells:
        cell.hidden = cell.n < minimum
    hidden_n = sum(c.n for c in cells if c.hidden)
    visible = sorted((c for c in cells if not c.hidden), key=lambda c: (c.n, c.key))
    while 0 < hidden_n < minimum and visible:
        extra = visible.pop(0)
        extra.hidden = True
        hidden_n += extra.n
    return cells


def total_cell(cells: Sequence[Cell], label: str, *, value_keys: Iterable[str] = ()) -> Cell:
    """The territory total of a table (never per-row data); hidden itself when under the minimum."""
    keys = list(value_keys)
    values = {k: sum((c.values.get(k) or 0) for c in cells) for k in keys}
    total = Cell(key="total", label=label, n=sum(c.n for c in cells), values=values)
    total.hidden = total.n < MIN_COMPANIES
    return total


# --- Scope ----------------------------------------------------------------------------------------------


def territory_factories(user: User) -> QuerySet[Factory]:
    """All factories of the officer's territory: for aggregates only, never listed row by row."""
    return Factory.objects.filter(pemda_territory_q(user))


def company_filter_version(user: User) -> str:
    """What the company list's filter form offers depends on: the officer's territory (its kab/kota), the
    day and the newest period (the periods whose window has opened). Its rendering is cached under this."""
    return f"{user.role}|{user.region_id}|{timezone.localdate()}|{newest_period_pk()}"


def territory_label(user: User) -> str:
    return str(user.region) if user.region_id else ""


# --- Company list ---------------------------------------------------------------------------------------


def company_filter(user: User, data: QueryDict) -> CompanyFilter:
    """The filtered list of factories under the officer's authority (the only rows it may see)."""
    base = factories_visible_to(user).order_by("company__name", "name", "pk")
    return CompanyFilter(data, queryset=base, user=user)  # always bound: no filter = everything in scope


def company_page(filterset: CompanyFilter, number, per_page: int) -> Page:
    """One page of the company list: the page's keys (scope, filters, order), then its rows with their
    joins, KBLI codes and the period's report status (``siinas.lib.pagination.page_in_two_steps``); the
    total is cached under the reports' data version (a new account or a report's move renews it)."""
    from pemda.selectors.reports import with_report_status

    period = filterset.report_period
    keys = filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def rows(page_keys: list[int]) -> QuerySet[Factory]:
        found = with_kbli_codes(Factory.objects.filter(pk__in=page_keys).select_related("company", "region", "province"))
        return with_report_status(found, period) if period is not None else found

    page = page_in_two_steps(keys, number, per_page, rows=rows, version=reports_data_version())
    for factory in page.object_list:
        factory.kbli_codes = kbli_text(factory.kbli_codes)
    return page


def _kbli_codes_subquery() -> Subquery:
    through = Factory.kbli.through
    codes = (
        through.objects.filter(factory_id=OuterRef("pk"))
        .values("factory_id")
        .annotate(codes=StringAgg("kbli_id", Value(",")))
        .values("codes")
    )
    return Subquery(codes)


def with_kbli_codes(queryset: QuerySet[Factory]) -> QuerySet[Factory]:
    """One string of KBLI codes per factory in the same query (no per-row lookups); pass it
    through ``kbli_text`` (SQLite cannot order inside the aggregate)."""
    return queryset.annotate(kbli_codes=_kbli_codes_subquery())


def kbli_text(codes: str | None) -> str:
    return ", ".join(sorted(codes.split(","))) if codes else ""


EXPORT_HEADER = (
    "ID akun",
    "Nama perusahaan",
    "NIB",
    "Lokasi",
    "Alamat pabrik",
    "Kabupaten/kota",
    "Provinsi",
    "Tipe akun",
    "Skala",
    "Tahap",
    "KBLI",
    "Tenaga kerja (profil)",
    "Status akun",
)
REPORT_EXPORT_HEADER = ("Periode laporan", "Status laporan", "Tepat waktu")


def company_export_rows(queryset: QuerySet[Factory], period=None) -> Iterable[list[Any]]:
    """The rows of the export: exactly the (filtered) factories under authority, one per account, with
    their report status for ``period`` (the list's reporting period) when there is one."""
    from pemda.selectors.reports import with_report_status
    from reporting.models import ReportStatus

    # Labels translated once per export, not once per row and column (≈ 27 gettext calls a row made half
    # of a 2,500-row export's time, issue 14).
    scale = {k: str(v) for k, v in Scale.choices}
    types = {k: str(v) for k, v in AccountType.choices}
    stages = {k: str(v) for k, v in Factory.Stage.choices}
    statuses = {k: str(v) for k, v in Factory.Status.choices}
    report_statuses = {k: str(v) for k, v in ReportStatus.choices}
    not_made, yes, no, period_label = _("Belum dibuat"), _("Ya"), _("Tidak"), str(period)
    if period is not None and "report_status" not in queryset.query.annotations:
        queryset = with_report_status(queryset, period)
    extra = ("report_status", "report_on_time") if period is not None else ()
    rows = with_kbli_codes(queryset).values_list(
        "pk",
        "company__name",
        "company__nib",
        "name",
        "address",
        "region__name",
        "province__name",
        "account_type",
        "scale",
        "stage",
        "kbli_codes",
        "workforce",
        "status",
        *extra,
    )
    for pk, cname, nib, fname, address, region, province, atype, sc, stage, kbli, workforce, status, *report in rows.iterator(
        chunk_size=2000
    ):
        tail = []
        if period is not None:
            report_status, on_time = report
            label = report_statuses[report_status] if report_status else not_made
            tail = [period_label, label, "" if on_time is None else (yes if on_time else no)]
        yield [
            pk,
            cname,
            nib,
            fname,
            address,
            region,
            province,
            types.get(atype, atype),
            scale.get(sc, sc),
            stages.get(stage, stage),
            kbli_text(kbli),
            workforce,
            statuses.get(status, status),
            *tail,
        ]


EXPORT_FORMATS = ("csv", "xlsx")


def company_export_file(user: User, fmt: str, params: str) -> tuple[str, int, bytes, str]:
    """The company list export for ``user`` with the list's query string ``params``: file name, rows,
    content and content type. The same for the direct download and for a worker building a large one
    (``siinas.core.export_jobs``): the scope is the user's as it is now (PermissionDenied when the user
    is no longer a Pemda officer, ValueError for a filter that is not valid)."""
    from django.core.exceptions import PermissionDenied

    from siinas.lib.exports import table_file

    if user.role not in (Role.PEMDA_PROV, Role.PEMDA_KAB) or not user.is_active or fmt not in EXPORT_FORMATS:
        raise PermissionDenied
    filterset = company_filter(user, QueryDict(params))
    if not filterset.is_valid():
        raise ValueError("invalid filter")
    queryset = filterset.qs
    period = filterset.report_period
    header = (*EXPORT_HEADER, *(REPORT_EXPORT_HEADER if period else ()))
    rows = list(company_export_rows(queryset, period))
    content, content_type = table_file(fmt, header, rows, sheet="Perusahaan")
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"perusahaan-{user.region_id}-{stamp}.{fmt}", len(rows), content, content_type


# --- Territory aggregates -------------------------------------------------------------------------------


def account_type_status_counts(user: User) -> dict[tuple[str, str], int]:
    """The territory's accounts counted per (type, status): one grouped query."""
    return {
        (row["account_type"], row["status"]): row["n"]
        for row in territory_factories(user).values("account_type", "status").annotate(n=Count("pk")).order_by()
    }


def accounts_by_type_and_status(user: User, counts: dict[tuple[str, str], int] | None = None) -> dict[str, Any]:
    """Account counts of the territory by type (rows) and status (columns), suppressed per cell;
    ``counts`` when the caller has them already (``account_type_status_counts``, cached by the dashboard)."""
    counts = account_type_status_counts(user) if counts is None else counts
    statuses = list(Factory.Status.choices)
    rows = []
    cells: list[Cell] = []
    for code, label in AccountType.choices:
        row_cells = [Cell(key=f"{code}-{s}", label=str(slabel), n=counts.get((code, s), 0)) for s, slabel in statuses]
        cells.extend(c for c in row_cells if c.n)
        rows.append({"code": code, "label": label, "cells": row_cells, "total": sum(c.n for c in row_cells)})
    suppress(cells)
    # An empty cell (0) is not an aggregate of fewer than 3 companies; only 1–2 are hidden.
    for row in rows:
        row["total_hidden"] = 0 < row["total"] < MIN_COMPANIES
    total = sum(counts.values())
    return {"statuses": statuses, "rows": rows, "total": total, "total_hidden": 0 < total < MIN_COMPANIES}


def factories_by_region(user: User) -> list[Cell]:
    """Factories and profile workforce per kab/kota of the territory."""
    return _cells_by_region(territory_factories(user))


def factories_by_division(user: User) -> list[Cell]:
    """Factories and profile workforce per KBLI 2-digit division (see ``_cells_by_division``)."""
    return _cells_by_division(territory_factories(user))


def factories_by_scale(user: User, *, account_type: str = AccountType.A) -> list[Cell]:
    counts = dict(
        territory_factories(user)
        .filter(account_type=account_type)
        .values("scale")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("scale", "n")
    )
    return suppress([Cell(key=code, label=str(label), n=counts.get(code, 0)) for code, label in Scale.choices if counts.get(code)])


def chart_payload(title: str, cells: Sequence[Cell], value_key: str | None = None) -> dict[str, Any]:
    """Data for one Chart.js bar chart: only the shown (not suppressed) cells."""
    shown = [c for c in cells if not c.hidden]
    return {
        "title": title,
        "labels": [c.label for c in shown],
        "values": [float(c.values[value_key]) if value_key else c.n for c in shown],
    }


# --- Recaps generated for submissions -------------------------------------------------------------------


@dataclass(frozen=True)
class RecapFigure:
    label: str
    value: Decimal
    unit: str
    note: str = ""


def _figures_from(cells: Sequence[Cell], prefix: str, unit: str, value_key: str | None = None) -> list[RecapFigure]:
    out = []
    for c in cells:
        if c.hidden:
            continue
        value = c.values[value_key] if value_key else c.n
        out.append(RecapFigure(label=f"{prefix} — {c.label}", value=Decimal(value), unit=unit))
    return out


def recap_figures(region: Region, category: str, year: int | None = None, semester: int | None = None) -> tuple[list[RecapFigure], int]:
    """Figures of a Rekapitulasi generated from the system's own data for ``region``'s territory:
    account counts and profile workforce, then — when the semester has a reporting period — the
    totals of the validated reports of that semester (investment, workforce, production, export).

    Returns the figures and the number of cells left out because they cover fewer than 3 companies.
    """
    officer = User(role=Role.PEMDA_PROV if region.is_province else Role.PEMDA_KAB, region=region)
    base = territory_factories(officer)
    figures: list[RecapFigure] = []
    hidden = 0

    def add(cells: list[Cell], prefix: str, unit: str, value_key: str | None = None) -> None:
        nonlocal hidden
        hidden += sum(1 for c in cells if c.hidden)
        figures.extend(_figures_from(cells, prefix, unit, value_key))

    if category == Category.REKAP_INDUSTRI:
        industry = base.filter(account_type=AccountType.A)
        total = industry.aggregate(n=Count("pk"), workforce=Sum("workforce"))
        if total["n"] >= MIN_COMPANIES:
            figures.append(RecapFigure(_("Jumlah perusahaan industri (akun tipe A)"), Decimal(total["n"]), _("perusahaan")))
            figures.append(RecapFigure(_("Tenaga kerja industri (profil akun)"), Decimal(total["workforce"] or 0), _("orang")))
        elif total["n"]:
            hidden += 1
        add(factories_by_scale(officer), _("Perusahaan industri skala"), _("perusahaan"))
        if region.is_province:
            region_cells = _cells_by_region(industry)
            add(region_cells, _("Perusahaan industri"), _("perusahaan"))
        division_cells = _cells_by_division(industry)
        add(division_cells, _("Perusahaan industri KBLI"), _("perusahaan"))
        add(division_cells, _("Tenaga kerja KBLI"), _("orang"), "workforce")
    elif category == Category.REKAP_KAWASAN:
        estates = base.filter(account_type=AccountType.B)
        total = estates.aggregate(n=Count("pk"), workforce=Sum("workforce"))
        if total["n"] >= MIN_COMPANIES:
            figures.append(RecapFigure(_("Jumlah perusahaan kawasan industri (akun tipe B)"), Decimal(total["n"]), _("kawasan")))
            figures.append(RecapFigure(_("Tenaga kerja pengelola kawasan (profil akun)"), Decimal(total["workforce"] or 0), _("orang")))
        elif total["n"]:
            hidden += 1
        stages = dict(Factory.Stage.choices)
        stage_counts = estates.values("stage").annotate(n=Count("pk")).order_by("stage")
        add(suppress([Cell(key=r["stage"], label=str(stages.get(r["stage"], r["stage"])), n=r["n"]) for r in stage_counts]),
            _("Kawasan industri"), _("kawasan"))
        if region.is_province:
            add(_cells_by_region(estates), _("Kawasan industri"), _("kawasan"))
            crossing = estates.filter(crosses_regency_border=True).count()
            if crossing >= MIN_COMPANIES:
                figures.append(RecapFigure(_("Kawasan industri lintas kabupaten/kota"), Decimal(crossing), _("kawasan")))
            elif crossing:
                hidden += 1
    if year and semester and category in (Category.REKAP_INDUSTRI, Category.REKAP_KAWASAN):
        from pemda.selectors.reports import territory_report_totals
        from reporting.models import Period

        period = Period.objects.filter(period_type=Period.Type.SEMESTER, year=year, number=semester).first()
        if period is not None:
            account_type = AccountType.A if category == Category.REKAP_INDUSTRI else AccountType.B
            units = {"investment": "Rp", "workforce": _("orang"), "production": "Rp", "export": "Rp"}
            for measure, cell in territory_report_totals(officer, period, account_type=account_type).items():
                if cell.hidden:
                    hidden += 1 if cell.n else 0
                    continue
                figures.append(
                    RecapFigure(
                        _("%(measure)s — laporan tervalidasi %(period)s") % {"measure": cell.label, "period": period},
                        cell.values["sum"],
                        units[measure],
                        ngettext("%(n)d perusahaan", "%(n)d perusahaan", cell.n) % {"n": cell.n},
                    )
                )
    return figures, hidden


def _cells_by_region(queryset: QuerySet[Factory]) -> list[Cell]:
    rows = queryset.values("region_id", "region__name").annotate(n=Count("pk"), workforce=Sum("workforce")).order_by("region_id")
    return suppress([Cell(key=r["region_id"], label=r["region__name"], n=r["n"], values={"workforce": r["workforce"] or 0}) for r in rows])


def _cells_by_division(queryset: QuerySet[Factory]) -> list[Cell]:
    """A factory registered in several divisions counts in each; within one division it counts once, so
    the sums never double count.

    Two levels in one statement: the distinct (account, division) pairs of the territory's KBLI lines,
    then their count and workforce per division. The lines are read once (the former "no lower code in
    the division" anti-join read them twice: 82 ms → ≈ 20 ms for a province of 11,000 accounts, issue 14,
    docs/pemda.md)."""
    pairs = (
        queryset.filter(kbli__division__isnull=False)
        .annotate(pair_division=F("kbli__division_id"), pair_workforce=F("workforce"))
        .values("pk", "pair_division", "pair_workforce")
        .order_by()
        .distinct()
    )
    inner, params = pairs.query.sql_with_params()
    division = Kbli._meta.db_table
    # The inner statement is the ORM's compiled SQL, the table name the model's; values are parameters.
    sql = f"""SELECT p.pair_division, d.title, COUNT(*), SUM(p.pair_workforce) FROM ({inner}) p
        JOIN {division} d ON d.code = p.pair_division GROUP BY p.pair_division, d.title ORDER BY p.pair_division"""  # noqa: S608
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = [
            {"kbli__division_id": code, "kbli__division__title": title, "n": n, "workforce": workforce}
            for code, title, n, workforce in cursor.fetchall()
        ]
    return suppress(
        [
            Cell(
                key=r["kbli__division_id"],
                label=f"{r['kbli__division_id']} {r['kbli__division__title']}",
                n=r["n"],
                values={"workforce": r["workforce"] or 0},
            )
            for r in rows
            if r["kbli__division_id"]
        ]
    )

