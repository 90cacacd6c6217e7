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
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.aggregates import StringAgg
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import factories_visible_to, pemda_authority_q, pemda_territory_q
from accounts.models import AccountType, Factory, Role, Scale, User
from pemda.filters import CompanyFilter
from pemda.models import Category
from reporting.selectors import newest_period_pk, reports_data_version
from siinas.core.models import Region
from siinas.lib import disclosure
from siinas.lib.pagination import page_in_two_steps

MIN_COMPANIES = disclosure.MIN_CONTRIBUTORS  # an aggregate of 1–2 companies is never shown (UU 3/2014 Pasal 69–70)

# --- Suppression (siinas.lib.disclosure) ----------------------------------------------------------------

TOTAL = "__total__"  # the key a table's own total cell takes while its cells are protected


@dataclass
class Cell:
    """One row of an aggregate table: ``n`` companies behind ``values``.

    ``own`` of them are under the viewer's authority (it may list them row by row) and ``own_sum`` is
    their part of the cell's magnitude: the viewer can subtract them, so the disclosure rules apply to the
    rest (``siinas.lib.disclosure``, viewer rule); a cell that is all the viewer's own is never hidden.
    ``top``: the largest contributions of the rest while the cell is protected; emptied afterwards, so no
    company's own value is kept with the figures. ``values_hidden``: the magnitudes are hidden (dominance
    rule) while the count is shown."""

    key: str
    label: str
    n: int
    values: dict[str, Any] = field(default_factory=dict)
    hidden: bool = False
    own: int = 0
    own_sum: Any = 0
    top: tuple = ()
    values_hidden: bool = False

    @property
    def seen(self) -> bool:
        return self.n > 0 and self.own == self.n

    @property
    def magnitudes_hidden(self) -> bool:
        return self.hidden or self.values_hidden


def protected_entry(cell: Cell, key: str, magnitude: str | None) -> disclosure.Entry:
    """The cell as the rules see it for the viewer (docs/statistics.md, "Disclosure control").

    A count: all its companies, never hidden when every one is the viewer's own. How many factories of a
    type, status or scale a kab/kota has is register information; the count rule keeps tiny counts of
    others out of sight, and an officer subtracting its own accounts learns no company's data.
    A magnitude (``magnitude``: its key in ``values``): the companies the viewer cannot list, their part
    of the value and their largest values — the viewer sees its own companies' values row by row, so
    the cell minus those must itself be safe."""
    if magnitude is None:
        return disclosure.Entry(key=key, n=cell.n, value=cell.n, seen=cell.seen)
    rest = cell.n - cell.own
    value = (cell.values.get(magnitude) or 0) - (cell.own_sum or 0)
    return disclosure.Entry(key=key, n=rest, value=value, top=cell.top, seen=cell.seen)


def suppress(cells: list[Cell], *, total: Cell | None = None, magnitude: str | None = None) -> list[Cell]:
    """Protect one table whose ``cells`` add up to a total (``siinas.lib.disclosure``): cells of 1–2
    companies the viewer cannot list are hidden, then enough more that no hidden cell can be recovered
    from the shown cells and the total. ``total``: the table's total when it is published as a cell of
    its own (it may be hidden as well); without it the total is taken as published elsewhere.

    ``magnitude``: the key of ``values`` that is a sum of company values (the dominance rule applies to
    it and the cells need ``top``); then only ``values_hidden`` is set, over cells whose count is
    already protected (``hidden``)."""
    table = [*cells, *([total] if total is not None else [])]
    keys = [TOTAL if c is total else str(c.key) for c in table]
    entries = [protected_entry(c, k, magnitude) for c, k in zip(table, keys, strict=True)]
    group = disclosure.Group(members=tuple(str(c.key) for c in cells), total=TOTAL if total is not None else None)
    already = [k for c, k in zip(table, keys, strict=True) if c.hidden] if magnitude else []
    hidden = disclosure.protect_table(entries, [group], magnitude=magnitude is not None, hidden=already)
    for cell, key in zip(table, keys, strict=True):
        if magnitude:
            cell.values_hidden = key in hidden and not cell.hidden
            cell.top = ()
        else:
            cell.hidden = key in hidden
    return cells


def protect_with_workforce(cells: list[Cell], total: Cell | None = None) -> list[Cell]:
    """Counts (``hidden``) then the profile workforce, a magnitude (``values_hidden``), of one table."""
    suppress(cells, total=total)
    return suppress(cells, total=total, magnitude="workforce")


def total_cell(cells: Sequence[Cell], label: str, *, value_keys: Iterable[str] = ()) -> Cell:
    """The territory total of a table (never per-row data); pass it to ``suppress`` with its cells."""
    keys = list(value_keys)
    values = {k: sum((c.values.get(k) or 0) for c in cells) for k in keys}
    own, own_sum = sum(c.own for c in cells), sum((c.own_sum or 0) for c in cells)
    total = Cell(key="total", label=label, n=sum(c.n for c in cells), values=values, own=own, own_sum=own_sum)
    total.hidden = 0 < total.n < MIN_COMPANIES and not total.seen
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


def _authority(user: User, as_viewer: bool) -> Q:
    """The factories the figures' reader lists row by row: the officer's authority when the officer reads
    them (the dashboard), none when they leave its desk (a publication, a recap: docs/statistics.md)."""
    return pemda_authority_q(user) if as_viewer else Q(pk__in=[])


def account_type_status_counts(user: User, *, as_viewer: bool = True) -> dict[tuple[str, str], tuple[int, int]]:
    """The territory's accounts counted per (type, status), each (accounts, of them under the officer's
    authority): one grouped query."""
    rows = (
        territory_factories(user)
        .values("account_type", "status")
        .annotate(n=Count("pk"), own=Count("pk", filter=_authority(user, as_viewer)))
        .order_by()
    )
    return {(row["account_type"], row["status"]): (row["n"], row["own"]) for row in rows}


def accounts_by_type_and_status(
    user: User, counts: dict[tuple[str, str], tuple[int, int]] | None = None, *, as_viewer: bool = True
) -> dict[str, Any]:
    """Account counts of the territory by type (rows) and status (columns) with the row totals and the
    territory's total, protected together (``siinas.lib.disclosure``: each row adds up to its total, the
    totals to the territory's); ``counts`` when the caller has them already (``account_type_status_counts``,
    kept by the dashboard). The officer lists the accounts under its authority anyway: a cell of its own
    accounts only is never hidden, and the rules apply to the accounts of a cell it cannot list."""
    counts = account_type_status_counts(user, as_viewer=as_viewer) if counts is None else counts
    statuses = list(Factory.Status.choices)
    rows = []
    entries: list[disclosure.Entry] = []
    groups: list[disclosure.Group] = []
    for code, label in AccountType.choices:
        pairs = [tuple(counts.get((code, s), (0, 0))) for s, _label in statuses]
        row_cells = [Cell(key=f"{code}-{s}", label=str(slabel), n=n, own=own) for (s, slabel), (n, own) in zip(statuses, pairs, strict=True)]
        n, own = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
        entries += [protected_entry(c, c.key, None) for c in row_cells]
        entries.append(protected_entry(Cell(key=code, label="", n=n, own=own), code, None))
        groups.append(disclosure.Group(members=tuple(c.key for c in row_cells), total=code))
        rows.append({"code": code, "label": label, "cells": row_cells, "total": n})
    total = sum(p[0] for p in counts.values())
    own_total = sum(p[1] for p in counts.values())
    entries.append(protected_entry(Cell(key=TOTAL, label="", n=total, own=own_total), TOTAL, None))
    groups.append(disclosure.Group(members=tuple(code for code, _label in AccountType.choices), total=TOTAL))
    hidden = disclosure.protect_table(entries, groups)
    for row in rows:
        for cell in row["cells"]:
            cell.hidden = cell.key in hidden
        row["total_hidden"] = row["code"] in hidden
    return {"statuses": statuses, "rows": rows, "total": total, "total_hidden": TOTAL in hidden}


def factories_by_region(user: User, *, as_viewer: bool = True) -> list[Cell]:
    """Factories and profile workforce per kab/kota of the territory (see ``factories_by_region_and_total``)."""
    return factories_by_region_and_total(user, as_viewer=as_viewer)[0]


def factories_by_region_and_total(user: User, *, as_viewer: bool = True) -> tuple[list[Cell], Cell]:
    """Factories and profile workforce per kab/kota of the territory and their total, protected together
    (the viewer rule: the accounts under the officer's authority are its own to list)."""
    cells = _region_cells(territory_factories(user), pemda_authority_q(user) if as_viewer else None)
    total = total_cell(cells, _("Jumlah"), value_keys=["workforce"])
    total.top = disclosure.top_values(v for c in cells for v in c.top)  # an account is in one kab/kota
    protect_with_workforce(cells, total)
    return cells, total


def factories_by_division(user: User, *, as_viewer: bool = True) -> list[Cell]:
    """Factories and profile workforce per KBLI 2-digit division (see ``_cells_by_division``)."""
    return _cells_by_division(territory_factories(user), pemda_authority_q(user) if as_viewer else None)


def factories_by_scale(user: User, *, account_type: str = AccountType.A, as_viewer: bool = True) -> list[Cell]:
    rows = (
        territory_factories(user)
        .filter(account_type=account_type)
        .values("scale")
        .annotate(n=Count("pk"), own=Count("pk", filter=_authority(user, as_viewer)))
        .order_by()
    )
    counts = {row["scale"]: (row["n"], row["own"]) for row in rows}
    return suppress(
        [
            Cell(key=code, label=str(label), n=counts[code][0], own=counts[code][1])
            for code, label in Scale.choices
            if counts.get(code, (0, 0))[0]
        ]
    )


def chart_payload(title: str, cells: Sequence[Cell], value_key: str | None = None) -> dict[str, Any]:
    """Data for one Chart.js bar chart: only the shown (not suppressed) cells."""
    shown = [c for c in cells if not (c.magnitudes_hidden if value_key else c.hidden)]
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
        if c.magnitudes_hidden if value_key else c.hidden:
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
            if _workforce_undominated(industry, total["workforce"]):
                figures.append(RecapFigure(_("Tenaga kerja industri (profil akun)"), Decimal(total["workforce"] or 0), _("orang")))
            else:
                hidden += 1
        elif total["n"]:
            hidden += 1
        add(factories_by_scale(officer, as_viewer=False), _("Perusahaan industri skala"), _("perusahaan"))
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
            if _workforce_undominated(estates, total["workforce"]):
                figures.append(RecapFigure(_("Tenaga kerja pengelola kawasan (profil akun)"), Decimal(total["workforce"] or 0), _("orang")))
            else:
                hidden += 1
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


def _workforce_undominated(queryset: QuerySet[Factory], total: int | None) -> bool:
    """Whether a profile-workforce total of ``queryset`` passes the dominance rule (one small query)."""
    largest = queryset.exclude(workforce__isnull=True).order_by("-workforce").values_list("workforce", flat=True)
    return not disclosure.dominated(total or 0, list(largest[: disclosure.DOMINANCE_N]))


def _cells_by_region(queryset: QuerySet[Factory]) -> list[Cell]:
    """Factories and profile workforce per kab/kota of ``queryset`` (a recap: no viewer), protected."""
    return protect_with_workforce(_region_cells(queryset, None))


def _region_cells(queryset: QuerySet[Factory], authority: Q | None) -> list[Cell]:
    rows = queryset.annotate(grp=F("region_id"), g_label=F("region__name"), w=F("workforce"), own=_own(authority))
    return _grouped_cells(rows.values("grp", "g_label", "w", "own").order_by(), label=lambda code, name: name)


def _own(authority: Q | None) -> ExpressionWrapper | Value:
    """Whether a factory is under the viewer's authority (``authority``: ``pemda_authority_q``), as a column."""
    if authority is None:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(authority, output_field=BooleanField())


def _grouped_cells(rows: QuerySet, *, label) -> list[Cell]:
    """Cells from ``rows`` (columns ``grp``, ``g_label``, ``w``: a factory's profile workforce, ``own``: under
    the viewer's authority): per group the factories, the workforce, how many of them and how much of it
    are the viewer's, and the two largest workforces of the others (the dominance rule), in one statement
    with a window function."""
    inner, params = rows.query.sql_with_params()
    # The inner statement is the ORM's compiled SQL; values are parameters.
    sql = f"""SELECT q.grp, q.g_label, COUNT(*), SUM(q.w), SUM(CASE WHEN q.own THEN 1 ELSE 0 END),
            SUM(CASE WHEN q.own THEN q.w ELSE 0 END),
            MAX(CASE WHEN q.r = 1 AND NOT q.own THEN q.w END), MAX(CASE WHEN q.r = 2 AND NOT q.own THEN q.w END)
        FROM (SELECT p.grp, p.g_label, COALESCE(p.w, 0) AS w, p.own,
                ROW_NUMBER() OVER (PARTITION BY p.grp, p.own ORDER BY COALESCE(p.w, 0) DESC) AS r FROM ({inner}) p) q
        GROUP BY q.grp, q.g_label ORDER BY q.grp"""  # noqa: S608
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return [
        Cell(
            key=code,
            label=label(code, name),
            n=n,
            values={"workforce": workforce or 0},
            own=own,
            own_sum=own_workforce or 0,
            top=tuple(v for v in (first, second) if v is not None),
        )
        for code, name, n, workforce, own, own_workforce, first, second in fetched
        if code
    ]


def _cells_by_division(queryset: QuerySet[Factory], authority: Q | None = None) -> list[Cell]:
    """A factory registered in several divisions counts in each; within one division it counts once, so
    the sums never double count.

    Two levels in one statement: the distinct (account, division) pairs of the territory's KBLI lines,
    then their count and workforce per division. The lines are read once (the former "no lower code in
    the division" anti-join read them twice: 82 ms → ≈ 20 ms for a province of 11,000 accounts, issue 14,
    docs/pemda.md). The cells do not add up to the territory's total (a factory counts in each of its
    divisions); they are protected as if they did, the cautious side."""
    pairs = (
        queryset.filter(kbli__division__isnull=False)
        .annotate(grp=F("kbli__division_id"), g_label=F("kbli__division__title"), w=F("workforce"), own=_own(authority))
        .values("pk", "grp", "g_label", "w", "own")
        .order_by()
        .distinct()
    )
    return protect_with_workforce(_grouped_cells(pairs, label=lambda code, title: f"{code} {title}"))
