"""Demo data for Pemda: the Jawa Barat office has a sent Rekapitulasi Data Industri, a draft on
Perwilayahan with figures, a reminder to a factory under its authority and one publication.
Idempotent: loading the demo twice changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from accounts.demo import DemoCast
from pemda import services
from pemda.models import Category, MonitoringNote, RegionalDocument, Submission
from pemda.selectors import current_period, document_content


def seed(cast: DemoCast) -> None:
    officer = cast.users.get("pemda_jabar")
    if officer is None:
        return
    year, semester = current_period()
    recap = Submission.objects.filter(region_id=officer.region_id, category=Category.REKAP_INDUSTRI, year=year, semester=semester).first()
    if recap is None:
        recap = services.submission_create(actor=officer, category=Category.REKAP_INDUSTRI, year=year, semester=semester)
        services.submission_update(
            actor=officer,
            submission=recap,
            text="Rekapitulasi dihasilkan dari data SIINas Provinsi Jawa Barat; sel dengan kurang dari 3 perusahaan tidak ditampilkan.",
            figures=[services.FigureInput(f.label, f.value, f.unit, f.note) for f in recap.figures.all()],
        )
        services.submission_submit(actor=officer, submission=recap)

    if not Submission.objects.filter(region_id=officer.region_id, category=Category.PERWILAYAHAN, year=year, semester=semester).exists():
        draft = services.submission_create(actor=officer, category=Category.PERWILAYAHAN, year=year, semester=semester)
        services.submission_update(
            actor=officer,
            submission=draft,
            text=(
                "Kawasan peruntukan industri menurut RTRW Provinsi Jawa Barat 2022–2042 terpusat di koridor "
                "Bekasi–Karawang–Purwakarta; Rebana (Cirebon–Patimban–Kertajati) dikembangkan sebagai "
                "kawasan industri baru."
            ),
            figures=[
                services.FigureInput("Luas kawasan peruntukan industri (RTRW)", Decimal("33450"), "ha"),
                services.FigureInput("Kawasan industri beroperasi", Decimal("38"), "kawasan"),
                services.FigureInput("Kawasan industri dalam pembangunan", Decimal("7"), "kawasan"),
            ],
        )

    factory = cast.factories.get("indopangan")  # Besar, Kab. Bekasi: under the province's authority
    if factory is not None and not MonitoringNote.objects.filter(region_id=officer.region_id, factory=factory).exists():
        services.note_send(
            actor=officer,
            factory=factory,
            kind=MonitoringNote.Kind.REMINDER,
            message=f"Batas penyampaian laporan Semester {semester} {year} semakin dekat. Mohon segera lengkapi laporan di SIINas.",
            period_label=f"Semester {semester} {year}",
        )

    this_year = timezone.localdate().year
    if not RegionalDocument.objects.filter(region_id=officer.region_id, created_at__year=this_year).exists():
        services.document_issue(
            actor=officer,
            kind=RegionalDocument.Kind.PUBLICATION,
            title=f"Statistik Industri Provinsi Jawa Barat {this_year}",
            content=document_content(officer, RegionalDocument.Kind.PUBLICATION),
        )
