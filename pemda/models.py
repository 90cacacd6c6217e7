"""What a Pemda office produces through SIINas.

- ``Submission``: its own information for the ministry, one per category per semester (the nine
  categories of the Pusdatin deck), with narrative text, structured figures and attachments.
- ``MonitoringNote``: a reminder or an assistance note sent to a company under its authority.
- ``RegionalDocument``: an aggregate-only document frozen from the system's data for its territory
  (a dissemination/publication summary or a reporting-compliance recap).

Together they are the documents counted by the Kepmendagri 050-3708/2020 indicators
(``pemda/selectors.py::indicator_documents``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siinas.core.models import Region
from siinas.lib.uploads import private_storage, private_upload_to


class Category(models.TextChoices):
    """Informasi yang disampaikan oleh Pemda (deck: INFORMASI INDUSTRI / INFORMASI LAINNYA)."""

    REKAP_INDUSTRI = "rekap_industri", _("Rekapitulasi Data Industri")
    REKAP_KAWASAN = "rekap_kawasan", _("Rekapitulasi Data Kawasan Industri")
    PERWILAYAHAN = "perwilayahan", _("Informasi Perwilayahan")
    KEBIJAKAN = "kebijakan", _("Informasi Kebijakan & Fasilitas")
    SUMBER_DAYA = "sumber_daya", _("Informasi Sumber Daya Industri")
    SARANA = "sarana", _("Informasi Sarana & Prasarana")
    INVESTASI = "investasi", _("Informasi Investasi")
    EKONOMI = "ekonomi", _("Informasi Pertumbuhan Ekonomi Daerah")
    HAMBATAN = "hambatan", _("Informasi Hambatan")


# The two recaps are generated from the system's own data for the territory (then editable).
GENERATED_CATEGORIES = frozenset({Category.REKAP_INDUSTRI, Category.REKAP_KAWASAN})


class Semester(models.IntegerChoices):
    S1 = 1, _("Semester 1 (Januari–Juni)")
    S2 = 2, _("Semester 2 (Juli–Desember)")


class Submission(models.Model):
    """One category of Pemda information for one semester of one region (province or kab/kota)."""

    class Status(models.TextChoices):
        DRAFT = "konsep", _("Konsep")
        SUBMITTED = "terkirim", _("Terkirim")

    TRANSITIONS = {Status.DRAFT: {Status.SUBMITTED}, Status.SUBMITTED: set()}

    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="pemda_submissions")
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    # Keyed by year + semester: reporting's Period is not shared yet (docs/decisions.md, Pemda).
    year = models.PositiveSmallIntegerField(_("tahun"))
    semester = models.PositiveSmallIntegerField(_("semester"), choices=Semester.choices)
    text = models.TextField(_("uraian"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)
    generated_at = models.DateTimeField(_("rekap dihasilkan"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikirim oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-semester", "category"]
        verbose_name = _("informasi Pemda")
        verbose_name_plural = _("informasi Pemda")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category", "year", "semester"], name="pemda_submission_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(status="konsep") | Q(submitted_at__isnull=False),
                name="pemda_submission_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="pemda_submission_status_year")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} — {self.region} — {self.year} S{self.semester}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_generated_category(self) -> bool:
        return self.category in GENERATED_CATEGORIES

    @property
    def period_label(self) -> str:
        return f"Semester {self.semester} {self.year}"


class Figure(models.Model):
    """One structured figure of a submission: a labelled value with its unit (rows the officer can add)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    label = models.CharField(_("uraian"), max_length=200)
    value = models.DecimalField(_("nilai"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["submission", "position", "id"]
        verbose_name = _("angka")
        verbose_name_plural = _("angka")

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}".strip()


class Attachment(models.Model):
    """A supporting document, checked by content and stored privately."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("berkas"), storage=private_storage, upload_to=private_upload_to("pemda"))
    title = models.CharField(_("judul lampiran"), max_length=200)
    kind = models.CharField(_("jenis berkas"), max_length=8)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("lampiran informasi Pemda")
        verbose_name_plural = _("lampiran informasi Pemda")

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in self.title)[:60] or "lampiran"
        return f"{safe}.{self.kind}"


class MonitoringNote(models.Model):
    """A reminder or an assistance note from a Pemda office to a company under its authority."""

    class Kind(models.TextChoices):
        REMINDER = "pengingat", _("Pengingat penyampaian laporan")
        ASSISTANCE = "asistensi", _("Catatan asistensi")

    region = models.ForeignKey(Region, verbose_name=_("wilayah pengirim"), on_delete=models.PROTECT, related_name="+")
    factory = models.ForeignKey(
        "accounts.Factory", verbose_name=_("akun pabrik"), on_delete=models.PROTECT, related_name="pemda_notes"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    # The report the note is about, when it is about one ("<app>.<model>:<pk>", reporting owns the model).
    report_ref = models.CharField(_("laporan terkait"), max_length=64, blank=True)
    period_label = models.CharField(_("periode"), max_length=40, blank=True)
    message = models.TextField(_("isi pesan"))
    sent_to = models.EmailField(_("dikirim ke"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("waktu kirim"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("catatan pemantauan")
        verbose_name_plural = _("catatan pemantauan")
        indexes = [models.Index(fields=["region", "sent_at"], name="pemda_note_region_sent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.factory_id} — {self.sent_at:%Y-%m-%d}"


class RegionalDocument(models.Model):
    """An aggregate-only document frozen from the system's data (no individual company rows)."""

    class Kind(models.TextChoices):
        PUBLICATION = "publikasi", _("Publikasi statistik industri daerah")
        COMPLIANCE = "kepatuhan", _("Rekap kepatuhan penyampaian data")

    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("nomor dokumen"), max_length=40, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    content = models.JSONField(_("isi (agregat)"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("diterbitkan"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dokumen daerah")
        verbose_name_plural = _("dokumen daerah")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TerritoryFigures(models.Model):
    """The Pemda dashboard's costly figures for one territory, period and language, as last computed
    (``pemda.figures``): read as one row by the page, refreshed by a worker when the data moved.

    ``scope`` is the viewer's role and region (the figures depend on nothing else of the viewer);
    ``period_key`` the reporting period's pk (0: no period open yet); ``version`` the data version the
    figures were computed at; ``payload`` the figures as tagged JSON (``siinas.lib.cache_serializer``,
    never pickle); ``compute_ms`` what computing them took."""

    scope = models.CharField(max_length=40)
    part = models.CharField(max_length=20)
    period_key = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=8)
    version = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    compute_ms = models.PositiveIntegerField(default=0)
    payload = models.TextField()

    class Meta:
        verbose_name = _("angka wilayah tersimpan")
        verbose_name_plural = _("angka wilayah tersimpan")
        constraints = [
            models.UniqueConstraint(fields=["scope", "part", "period_key", "language"], name="territory_figures_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.part} {self.period_key} {self.language} @ {self.computed_at:%Y-%m-%d %H:%M}"
