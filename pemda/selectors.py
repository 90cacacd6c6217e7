"""Reads for Pemda pages: the company list under authority, territory aggregates (n ≥ 3), the recaps
generated for submissions, the Kepmendagri indicator documents and the ministry overview.

Individual rows come only from ``accounts.access.factories_visible_to`` (authority); aggregates
come from ``pemda_territory_q`` (the whole territory) and always pass through ``suppress``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.aggregates import StringAgg
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import factories_visible_to, pemda_territory_q
from accounts.models import AccountType, Factory, Role, Scale, User
from pemda.filters import CompanyFilter
from pemda.models import Category, MonitoringNote, RegionalDocument, Submission
from siinas.core.models import Region

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


def territory_label(user: User) -> str:
    return str(user.region) if user.region_id else ""


# --- Company list ---------------------------------------------------------------------------------------


def company_filter(user: User, data: QueryDict) -> CompanyFilter:
    """The filtered list of factories under the officer's authority (the only rows it may see)."""
    base = factories_visible_to(user).order_by("company__name", "name", "pk")
    return CompanyFilter(data, queryset=base, user=user)  # always bound: no filter = everything in scope


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


def company_export_rows(queryset: QuerySet[Factory]) -> Iterable[list[Any]]:
    """The rows of the export: exactly the (filtered) factories under authority, one per account."""
    scale = dict(Scale.choices)
    types = dict(AccountType.choices)
    stages = dict(Factory.Stage.choices)
    statuses = dict(Factory.Status.choices)
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
    )
    for pk, cname, nib, fname, address, region, province, atype, sc, stage, kbli, workforce, status in rows.iterator(
        chunk_size=2000
    ):
        yield [
            pk,
            cname,
            nib,
            fname,
            address,
            region,
            province,
            str(types.get(atype, atype)),
            str(scale.get(sc, sc)),
            str(stages.get(stage, stage)),
            kbli_text(kbli),
            workforce,
            str(statuses.get(status, status)),
        ]


# --- Territory aggregates -------------------------------------------------------------------------------


def accounts_by_type_and_status(user: User) -> dict[str, Any]:
    """Account counts of the territory by type (rows) and status (columns), suppressed per cell."""
    counts = {
        (row["account_type"], row["status"]): row["n"]
        for row in territory_factories(user).values("account_type", "status").annotate(n=Count("pk")).order_by()
    }
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


def recap_figures(region: Region, category: str) -> tuple[list[RecapFigure], int]:
    """Figures of a Rekapitulasi generated from the system's own data for ``region``'s territory.

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
    return figures, hidden


def _cells_by_region(queryset: QuerySet[Factory]) -> list[Cell]:
    rows = queryset.values("region_id", "region__name").annotate(n=Count("pk"), workforce=Sum("workforce")).order_by("region_id")
    return suppress([Cell(key=r["region_id"], label=r["region__name"], n=r["n"], values={"workforce": r["workforce"] or 0}) for r in rows])


def _cells_by_division(queryset: QuerySet[Factory]) -> list[Cell]:
    """A factory registered in several divisions counts in each; within one division it counts once
    (only its lowest KBLI code of that division is taken), so the sums never double count."""
    through = Factory.kbli.through
    first_in_division = (
        through.objects.filter(factory_id=OuterRef("factory_id"), kbli__division_id=OuterRef("kbli__division_id"))
        .order_by("kbli_id")
        .values("kbli_id")[:1]
    )
    rows = (
        through.objects.filter(factory__in=queryset.values("pk"), kbli_id=Subquery(first_in_division))
        .values("kbli__division_id", "kbli__division__title")
        .annotate(n=Count("factory_id"), workforce=Sum("factory__workforce"))
        .order_by("kbli__division_id")
    )
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


# --- Kepmendagri 050-3708/2020 indicators ----------------------------------------------------------------

SUB_ACTIVITIES = (
    (
        "3.31.04.1.01.01",
        "Fasilitasi Pengumpulan, Pengolahan dan Analisis Data Industri, Data Kawasan Industri serta Data Lain "
        "melalui SIINas",
    ),
    ("3.31.04.1.01.02", "Diseminasi dan Publikasi Data Informasi dan Analisis Industri melalui SIINas"),
    (
        "3.31.04.1.01.03",
        "Pemantauan dan Evaluasi Kepatuhan Perusahaan Industri dan Perusahaan Kawasan Industri dalam "
        "Penyampaian Data ke SIINas",
    ),
)


@dataclass(frozen=True)
class IndicatorDocument:
    code: str
    document_type: str
    number: str
    title: str
    issued_at: datetime
    url: str


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime(year, 1, 1, tzinfo=tz),
        datetime(year + 1, 1, 1, tzinfo=tz),
    )


def indicator_documents(region: Region, year: int) -> list[IndicatorDocument]:
    """Every document the office of ``region`` produced through SIINas in ``year`` (Asia/Jakarta),
    tagged with its Kepmendagri sub-activity (docs/pemda.md § Indikator):

    - .01 facilitation: each information submission (nine categories) sent to the ministry;
    - .02 dissemination/publication: each aggregate publication issued;
    - .03 compliance monitoring: each reminder and assistance note sent to a company, and each
      reporting-compliance recap issued.
    """
    start, end = _year_bounds(year)
    docs: list[IndicatorDocument] = []
    submissions = Submission.objects.filter(
        region=region, status=Submission.Status.SUBMITTED, submitted_at__gte=start, submitted_at__lt=end
    ).order_by("submitted_at", "pk")
    for s in submissions:
        docs.append(
            IndicatorDocument(
                code=SUB_ACTIVITIES[0][0],
                document_type=s.get_category_display(),
                number=f"INF/{region.code}/{s.year}-S{s.semester}/{s.pk}",
                title=f"{s.get_category_display()} {s.period_label}",
                issued_at=s.submitted_at,
                url=reverse("pemda:submission-detail", kwargs={"pk": s.pk}),
            )
        )
    documents = RegionalDocument.objects.filter(region=region, created_at__gte=start, created_at__lt=end).order_by(
        "created_at", "pk"
    )
    for d in documents:
        docs.append(
            IndicatorDocument(
                code=SUB_ACTIVITIES[1][0] if d.kind == RegionalDocument.Kind.PUBLICATION else SUB_ACTIVITIES[2][0],
                document_type=d.get_kind_display(),
                number=d.number,
                title=d.title,
                issued_at=d.created_at,
                url=reverse("pemda:document-detail", kwargs={"pk": d.pk}),
            )
        )
    notes = MonitoringNote.objects.filter(region=region, sent_at__gte=start, sent_at__lt=end).select_related(
        "factory__company"
    ).order_by("sent_at", "pk")
    for n in notes:
        docs.append(
            IndicatorDocument(
                code=SUB_ACTIVITIES[2][0],
                document_type=n.get_kind_display(),
                number=f"PMT/{region.code}/{n.sent_at:%Y}/{n.pk}",
                title=f"{n.get_kind_display()} — {n.factory.company.name}, {n.factory.name}",
                issued_at=n.sent_at,
                url=reverse("pemda:note-detail", kwargs={"pk": n.pk}),
            )
        )
    order = {code: i for i, (code, _name) in enumerate(SUB_ACTIVITIES)}
    docs.sort(key=lambda d: (order[d.code], d.issued_at))
    return docs


def indicator_summary(documents: Sequence[IndicatorDocument]) -> list[dict[str, Any]]:
    grouped: dict[str, list[IndicatorDocument]] = defaultdict(list)
    for d in documents:
        grouped[d.code].append(d)
    return [{"code": code, "name": name, "count": len(grouped[code]), "documents": grouped[code]} for code, name in SUB_ACTIVITIES]


INDICATOR_HEADER = ("Kode sub kegiatan", "Sub kegiatan", "Jenis dokumen", "Nomor", "Judul", "Tanggal")


def indicator_export_rows(documents: Sequence[IndicatorDocument]) -> list[list[Any]]:
    names = dict(SUB_ACTIVITIES)
    tz = timezone.get_current_timezone()
    return [
        [d.code, names[d.code], d.document_type, d.number, d.title, timezone.localtime(d.issued_at, tz).strftime("%Y-%m-%d %H:%M")]
        for d in documents
    ]


def indicator_years(region: Region) -> list[int]:
    this_year = timezone.localdate().year
    first = Submission.objects.filter(region=region).order_by("year").values_list("year", flat=True).first()
    start = min(first or this_year, this_year)
    return list(range(this_year, start - 1, -1))


# --- Ministry view --------------------------------------------------------------------------------------


def national_overview(year: int, semester: int) -> list[dict[str, Any]]:
    """Per province: accounts in it, and the Pemda information sent for the period by its offices."""
    provinces = list(Region.objects.filter(level=Region.Level.PROVINSI).order_by("code"))
    accounts = dict(Factory.objects.values("province_id").annotate(n=Count("pk")).order_by().values_list("province_id", "n"))
    sent = Submission.objects.filter(status=Submission.Status.SUBMITTED, year=year, semester=semester)
    prov_office = dict(
        sent.filter(region__level=Region.Level.PROVINSI)
        .values("region_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("region_id", "n")
    )
    regency = {
        r["region__province_id"]: r
        for r in sent.exclude(region__level=Region.Level.PROVINSI)
        .values("region__province_id")
        .annotate(offices=Count("region_id", distinct=True), n=Count("pk"))
        .order_by()
    }
    regencies_total = dict(
        Region.objects.exclude(level=Region.Level.PROVINSI)
        .values("province_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("province_id", "n")
    )
    rows = []
    for p in provinces:
        reg = regency.get(p.code, {})
        rows.append(
            {
                "region": p,
                "accounts": accounts.get(p.code, 0),
                "province_sent": prov_office.get(p.code, 0),
                "regency_offices": reg.get("offices", 0),
                "regencies_total": regencies_total.get(p.code, 0),
                "regency_sent": reg.get("n", 0),
            }
        )
    return rows


def ministry_submissions(*, year: int, semester: int, province: str = "", category: str = "") -> QuerySet[Submission]:
    qs = Submission.objects.filter(status=Submission.Status.SUBMITTED, year=year, semester=semester).select_related("region")
    if province:
        qs = qs.filter(Q(region_id=province) | Q(region__province_id=province))
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("region_id", "category")


def current_period(today: date | None = None) -> tuple[int, int]:
    """The semester being reported now: S2 of last year in Jan–Jun, S1 of this year in Jul–Dec."""
    today = today or timezone.localdate()
    return (today.year - 1, 2) if today.month <= 6 else (today.year, 1)


def submission_period_choices() -> list[tuple[int, int]]:
    year, semester = current_period()
    out = []
    for _i in range(6):
        out.append((year, semester))
        year, semester = (year, 1) if semester == 2 else (year - 1, 2)
    return out


def territory_submission_matrix(region: Region, year: int, semester: int) -> list[dict[str, Any]]:
    existing = {s.category: s for s in Submission.objects.filter(region=region, year=year, semester=semester)}
    return [{"category": code, "label": label, "submission": existing.get(code)} for code, label in Category.choices]


def overview_totals(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    keys = ("accounts", "province_sent", "regency_offices", "regencies_total", "regency_sent")
    return {k: sum(r[k] for r in rows) for k in keys}


# --- Page contexts --------------------------------------------------------------------------------------


def _table(title: str, columns: Sequence[str], cells: Sequence[Cell], value_keys: Sequence[str] = ()) -> dict[str, Any]:
    """A JSON-safe aggregate table: hidden cells carry ``None`` (shown as "—")."""
    rows = []
    for c in cells:
        values = [None if c.hidden else c.n] + [None if c.hidden else float(c.values.get(k) or 0) for k in value_keys]
        rows.append([c.label, *values])
    return {"title": title, "columns": list(columns), "rows": rows}


def dashboard_context(user: User) -> dict[str, Any]:
    """Everything the Pemda dashboard shows: aggregates of the whole territory, suppressed (n ≥ 3)."""
    by_region = factories_by_region(user)
    by_division = factories_by_division(user)
    by_scale = factories_by_scale(user)
    year, semester = current_period()
    this_year = timezone.localdate().year
    documents = indicator_documents(user.region, this_year)
    charts = [
        chart_payload(_("Akun per kabupaten/kota"), by_region),
        chart_payload(_("Akun per KBLI 2 digit"), by_division),
        chart_payload(_("Tenaga kerja (profil) per KBLI 2 digit"), by_division, "workforce"),
    ]
    return {
        "territory": user.region,
        "accounts": accounts_by_type_and_status(user),
        "by_region": by_region,
        "by_region_total": total_cell(by_region, _("Jumlah"), value_keys=["workforce"]),
        "by_division": by_division,
        "by_scale": by_scale,
        "charts": [c for c in charts if c["labels"]],
        "authority_count": factories_visible_to(user).count(),
        "period": (year, semester),
        "period_submissions": territory_submission_matrix(user.region, year, semester),
        "indicator_summary": indicator_summary(documents),
        "indicator_year": this_year,
        "min_companies": MIN_COMPANIES,
    }


def company_detail_context(user: User, factory: Factory) -> dict[str, Any]:
    notes = (
        MonitoringNote.objects.filter(region_id=user.region_id, factory=factory)
        .select_related("sent_by")
        .order_by("-sent_at")[:50]
    )
    return {
        "factory": factory,
        "kbli": list(factory.kbli.order_by("code")),
        "notes": notes,
    }


def document_content(user: User, kind: str) -> dict[str, Any]:
    """The frozen, aggregate-only body of a regional document for the officer's territory."""
    tables: list[dict[str, Any]] = []
    if kind == RegionalDocument.Kind.PUBLICATION:
        accounts = accounts_by_type_and_status(user)
        account_cells = [
            Cell(key=row["code"], label=str(row["label"]), n=row["total"], hidden=row["total_hidden"])
            for row in accounts["rows"]
            if row["total"]
        ]
        tables.append(_table(_("Akun SIINas per tipe"), [_("Tipe"), _("Jumlah akun")], account_cells))
        tables.append(
            _table(_("Akun per kabupaten/kota"), [_("Kabupaten/kota"), _("Jumlah akun"), _("Tenaga kerja")], factories_by_region(user), ["workforce"])
        )
        tables.append(
            _table(_("Akun per KBLI 2 digit"), [_("KBLI"), _("Jumlah akun"), _("Tenaga kerja")], factories_by_division(user), ["workforce"])
        )
    else:
        this_year = timezone.localdate().year
        start, end = _year_bounds(this_year)
        notes = (
            MonitoringNote.objects.filter(region_id=user.region_id, sent_at__gte=start, sent_at__lt=end)
            .values("kind")
            .annotate(n=Count("pk"), companies=Count("factory_id", distinct=True))
            .order_by("kind")
        )
        kinds = dict(MonitoringNote.Kind.choices)
        tables.append(
            {
                "title": _("Pemantauan tahun %(year)d") % {"year": this_year},
                "columns": [_("Jenis"), _("Jumlah dokumen"), _("Perusahaan dihubungi")],
                "rows": [[str(kinds.get(r["kind"], r["kind"])), r["n"], r["companies"]] for r in notes],
            }
        )
    return {
        "territory": str(user.region),
        "territory_code": user.region_id,
        "generated_at": timezone.localtime().isoformat(timespec="minutes"),
        "min_companies": MIN_COMPANIES,
        "tables": tables,
    }
