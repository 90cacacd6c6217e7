"""The Kepmendagri 050-3708/2020 indicator documents, the ministry's national overview and the
period helpers of Pemda information."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Factory
from pemda.models import Category, MonitoringNote, RegionalDocument, Submission
from siinas.core.models import Region

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
                code=document_sub_activity(d),
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


def document_sub_activity(document: RegionalDocument) -> str:
    return SUB_ACTIVITIES[1][0] if document.kind == RegionalDocument.Kind.PUBLICATION else SUB_ACTIVITIES[2][0]


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

