"""Semester reports: periods, the report with its explicit status pipeline, immutable versions and
the timeline every actor writes to.

The data of each section lives in one typed model per section (``reporting/sections/models.py``),
reused by every report type that has the section; which sections a report type has is declared in
``reporting/registry.py``. The raw input of a draft is kept per section in ``ReportSection`` so a
draft save never drops what the user typed, even when it does not pass the checks yet.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.registry import REPORT_TYPE_CHOICES
from siinas.lib.control_characters import ControlCharacterFreeJSONEncoder
from siinas.lib.uploads import private_storage, private_upload_to


class Period(models.Model):
    """A reporting period and its filing window (data an admin can change, never code)."""

    class Type(models.TextChoices):
        SEMESTER = "semester", _("Semester")
        QUARTER = "triwulan", _("Triwulan")

    period_type = models.CharField(_("jenis periode"), max_length=10, choices=Type.choices, default=Type.SEMESTER)
    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("nomor"), help_text=_("1–2 untuk semester, 1–4 untuk triwulan."))
    start = models.DateField(_("awal periode"))
    end = models.DateField(_("akhir periode"))
    window_opens = models.DateField(_("pelaporan dibuka"))
    window_closes = models.DateField(_("batas akhir pelaporan"))

    class Meta:
        ordering = ["-start"]
        verbose_name = _("periode pelaporan")
        verbose_name_plural = _("periode pelaporan")
        constraints = [
            models.UniqueConstraint(fields=["period_type", "year", "number"], name="period_unique_type_year_number"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start"),
            models.CheckConstraint(
                condition=Q(window_closes__gte=models.F("window_opens")), name="period_window_closes_after_opens"
            ),
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=4), name="period_number_1_to_4"),
        ]

    def __str__(self) -> str:
        if self.period_type == self.Type.SEMESTER:
            return f"Semester {self.number} {self.year}"
        return f"Triwulan {self.number} {self.year}"

    def clean(self) -> None:
        limit = 2 if self.period_type == self.Type.SEMESTER else 4
        if self.number and self.number > limit:
            raise ValidationError({"number": _("Nomor periode melebihi jumlah periode dalam setahun.")})
        if self.start and self.end and self.window_opens and self.window_opens < self.start:
            raise ValidationError({"window_opens": _("Pelaporan tidak dapat dibuka sebelum periode dimulai.")})

    def is_open(self, day: dt.date) -> bool:
        return self.window_opens <= day <= self.window_closes

    def is_on_time(self, moment: dt.datetime) -> bool:
        """Submitted on or before the last day of the window (Asia/Jakarta calendar day)."""
        return timezone.localdate(moment) <= self.window_closes


class ReportStatus(models.TextChoices):
    DRAFT = "konsep", _("Konsep")
    SUBMITTED = "terkirim", _("Terkirim")
    RETURNED = "pengembalian", _("Pengembalian Data")
    VERIFIED = "terverifikasi", _("Terverifikasi")
    VALIDATED = "tervalidasi", _("Tervalidasi")


# The explicit pipeline (style.md §5): only services move a report along it, an illegal move raises.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.VERIFIED, ReportStatus.RETURNED}),
    ReportStatus.VERIFIED: frozenset({ReportStatus.VALIDATED, ReportStatus.RETURNED}),
    ReportStatus.RETURNED: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.VALIDATED: frozenset(),
}
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
ACCEPTED_STATUSES = frozenset({ReportStatus.VERIFIED, ReportStatus.VALIDATED})
SUBMITTED_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.VALIDATED, ReportStatus.RETURNED})


class Report(models.Model):
    """One factory's report of one type for one period."""

    factory = models.ForeignKey("accounts.Factory", verbose_name=_("akun pabrik"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="reports")
    report_type = models.CharField(_("jenis laporan"), max_length=40, choices=REPORT_TYPE_CHOICES)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True)
    lock_version = models.PositiveIntegerField(
        _("versi kunci"), default=0, help_text=_("Naik setiap kali draf disimpan; penyimpanan dari salinan lama ditolak.")
    )
    prefilled_from = models.ForeignKey(
        "self", verbose_name=_("diisi dari"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)
    first_submitted_at = models.DateTimeField(_("pertama dikirim"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("terakhir dikirim"), null=True, blank=True)
    submitted_on_time = models.BooleanField(
        _("tepat waktu"), null=True, blank=True, help_text=_("Ditetapkan sekali, pada pengiriman pertama.")
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    validated_at = models.DateTimeField(_("divalidasi"), null=True, blank=True)
    returned_at = models.DateTimeField(_("dikembalikan"), null=True, blank=True)

    class Meta:
        ordering = ["-period__start", "factory_id", "report_type"]
        verbose_name = _("laporan semester")
        verbose_name_plural = _("laporan semester")
        constraints = [
            models.UniqueConstraint(fields=["factory", "period", "report_type"], name="report_unique_factory_period_type"),
            models.CheckConstraint(
                condition=Q(status="konsep") | Q(first_submitted_at__isnull=False), name="report_submitted_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "period"], name="report_status_period_idx"),
            # The review queues: one status, oldest submission first, 50 at a time (an index walk stops early).
            models.Index(fields=["status", "last_submitted_at", "id"], name="report_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_report_type_display()} {self.period} — {self.factory_id}"

    @property
    def spec(self):
        from reporting.registry import REPORT_TYPES

        return REPORT_TYPES[self.report_type]

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_accepted(self) -> bool:
        return self.status in ACCEPTED_STATUSES

    @property
    def is_late(self) -> bool:
        return self.submitted_on_time is False

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


class ReportMeasures(models.Model):
    """The four aggregate measures of one validated report, stored once: a validated report is locked,
    so its sections (and these sums) never change again. The Pemda dashboards and recaps sum these rows
    instead of the report's section tables.

    Kept by ``reporting.measures.refresh`` in the status pipeline (written when the report enters
    Tervalidasi, deleted if it ever leaves it); rebuilt from the sections by ``reporting.measures.rebuild``
    (the data migration, ``load_scale``). A measure is NULL when the report has no such section: a section
    the report does not have gives no value, not a zero.
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, primary_key=True, related_name="measures")
    # Copies of the report's own fixed facts (a report never changes period, account or type), so that the
    # dashboards group these rows without joining the reports table (issue 14, docs/pemda.md).
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+", db_index=False)
    factory = models.ForeignKey("accounts.Factory", on_delete=models.CASCADE, related_name="+", db_index=False)
    report_type = models.CharField(max_length=40)
    workforce = models.BigIntegerField(_("tenaga kerja"), null=True, blank=True)
    investment_industry = models.DecimalField(_("investasi industri (Rp)"), max_digits=30, decimal_places=0, null=True, blank=True)
    investment_estate = models.DecimalField(_("investasi kawasan industri (Rp)"), max_digits=30, decimal_places=0, null=True, blank=True)
    production = models.DecimalField(_("nilai produksi (Rp)"), max_digits=30, decimal_places=0, null=True, blank=True)
    export = models.DecimalField(_("nilai ekspor (Rp)"), max_digits=30, decimal_places=0, null=True, blank=True)
    # Percent of the period's installed capacity, value-weighted over product lines (reporting.measures).
    utilisation = models.DecimalField(_("utilisasi kapasitas (%)"), max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("ukuran laporan tervalidasi")
        verbose_name_plural = _("ukuran laporan tervalidasi")
        indexes = [models.Index(fields=["period", "factory"], name="measures_period_factory_idx")]

    def __str__(self) -> str:
        return f"{self.report_id}"


class ReportSection(models.Model):
    """The working copy of one section of a draft: the raw input as typed, and its check result.

    The typed section models hold the last input that passed; ``raw`` holds exactly what the user
    last saved, valid or not, so nothing is ever dropped.
    """

    class State(models.TextChoices):
        EMPTY = "kosong", _("Belum diisi")
        INVALID = "perlu_perbaikan", _("Perlu perbaikan")
        # Copied from the last accepted report: complete once the company confirms it or saves it edited.
        TO_CONFIRM = "perlu_konfirmasi", _("Perlu dikonfirmasi")
        VALID = "lengkap", _("Lengkap")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("bagian"), max_length=40)
    state = models.CharField(_("keadaan"), max_length=16, choices=State.choices, default=State.EMPTY)
    # JSON columns of raw input: PostgreSQL refuses \u0000 in them, so the encoder writes no control character.
    raw = models.JSONField(_("isian mentah"), default=dict, blank=True, encoder=ControlCharacterFreeJSONEncoder)
    errors = models.JSONField(_("pesan"), default=dict, blank=True, encoder=ControlCharacterFreeJSONEncoder)
    prefilled = models.BooleanField(_("diisi dari laporan sebelumnya"), default=False)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = _("bagian laporan (draf)")
        verbose_name_plural = _("bagian laporan (draf)")
        constraints = [models.UniqueConstraint(fields=["report", "code"], name="reportsection_unique_code")]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.code}: {self.state}"


class SectionImport(models.Model):
    """An Excel upload that replaced repeating tables of a draft, with what they held before.

    The draft keeps only its current content (``ReportSection`` and the typed tables); this row keeps
    the replaced sections' snapshot (the ``report_snapshot`` shape of each section) so an upload can be
    looked up and undone by hand. Written by ``reporting.imports.report_section_import`` only.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="imports")
    sections = models.JSONField(_("bagian"), default=list)
    rows = models.JSONField(_("jumlah baris per tabel"), default=dict)
    previous = models.JSONField(_("isi sebelumnya"), default=dict, encoder=ControlCharacterFreeJSONEncoder)
    file_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("diunggah oleh")
    )
    created_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        ordering = ["report_id", "created_at", "id"]
        verbose_name = _("unggahan Excel")
        verbose_name_plural = _("unggahan Excel")

    def __str__(self) -> str:
        return f"{self.report_id} {','.join(self.sections)} {self.created_at:%Y-%m-%d %H:%M}"


class ImmutableError(Exception):
    pass


class ReportVersion(models.Model):
    """The immutable snapshot of every section at one submission."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    data = models.JSONField(_("isi laporan"))
    content_hash = models.CharField(_("hash isi (SHA-256)"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("dikirim oleh")
    )
    created_at = models.DateTimeField(_("dikirim"), default=timezone.now)
    on_time = models.BooleanField(_("di dalam jendela pelaporan"))

    class Meta:
        ordering = ["report_id", "number"]
        verbose_name = _("versi laporan")
        verbose_name_plural = _("versi laporan")
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("A report version is immutable once written.")
        from verification import peers

        # Whoever writes a version, the KBLI peers' running sums follow the report's newest one, in the
        # same transaction (a bulk_create skips this: then call verification.peers.rebuild()).
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            peers.version_added(self)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A report version is never deleted.")


class ReportEvent(models.Model):
    """The timeline of a report: who moved it where, with the comment per section when returned.

    Written by reporting services and by verification (through the same services).
    """

    class Action(models.TextChoices):
        CREATED = "dibuat", _("Dibuat")
        PREFILLED = "diisi_otomatis", _("Diisi dari laporan sebelumnya")
        SAVED = "disimpan", _("Draf disimpan")
        SUBMITTED = "dikirim", _("Dikirim")
        RESUBMITTED = "dikirim_ulang", _("Dikirim ulang")
        VERIFIED = "diverifikasi", _("Diverifikasi")
        VALIDATED = "divalidasi", _("Divalidasi")
        RETURNED = "dikembalikan", _("Pengembalian Data")
        NOTE = "catatan", _("Catatan")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pelaku")
    )
    action = models.CharField(_("aksi"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("dari status"), max_length=16, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("ke status"), max_length=16, choices=ReportStatus.choices, blank=True)
    section = models.CharField(_("bagian"), max_length=40, blank=True)
    comment = models.TextField(_("komentar"), blank=True)
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")

    def __str__(self) -> str:
        return f"{self.report_id} {self.action} {self.section}".strip()


class OtherData(models.Model):
    """Data Lainnya: additional data, a clarification or a kejadian luar biasa, filed at any time."""

    class Kind(models.TextChoices):
        ADDITIONAL = "data_tambahan", _("Data tambahan")
        CLARIFICATION = "klarifikasi", _("Klarifikasi data")
        INCIDENT = "kejadian_luar_biasa", _("Kejadian luar biasa")

    factory = models.ForeignKey("accounts.Factory", on_delete=models.PROTECT, related_name="other_data", verbose_name=_("akun pabrik"))
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="other_data", verbose_name=_("laporan terkait")
    )
    period = models.ForeignKey(
        Period, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("periode terkait")
    )
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian"))
    event_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("dikirim"), default=timezone.now)
    notified_at = models.DateTimeField(_("pemberitahuan terkirim"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data lainnya")
        verbose_name_plural = _("data lainnya")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="kejadian_luar_biasa") | Q(event_date__isnull=False), name="otherdata_incident_has_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class OtherDataAttachment(models.Model):
    other_data = models.ForeignKey(OtherData, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("berkas"), storage=private_storage, upload_to=private_upload_to("data-lainnya"))
    original_name = models.CharField(_("nama berkas"), max_length=200)
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("lampiran data lainnya")
        verbose_name_plural = _("lampiran data lainnya")

    def __str__(self) -> str:
        return self.original_name


# The typed section models live beside the engine that fills them; importing them here registers them.
from reporting.sections.models import *  # noqa: E402, F403
