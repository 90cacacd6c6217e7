"""E-service applications (one engine for every service) and the business-matching directory.

An ``Application`` is one request of a factory account for one service declared in
``eservice/catalog.py``; its form answers live in ``data`` (JSON, shaped by the service's form),
its documents, comments and status history in their own tables. Status moves only through
``eservice/services.py`` along ``Application.TRANSITIONS``.

The directory (``DirectoryProfile``, ``DirectoryProduct``) holds only what a company chose to
publish; ``Inquiry``/``InquiryMessage`` are the threads between a buyer and a supplier.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siinas.core.models import Kbli
from siinas.lib.uploads import private_storage, private_upload_to

hs_code_validator = RegexValidator(
    r"^\d{4}(\d{2}){0,3}$", _("Kode HS terdiri dari 4, 6, 8 atau 10 digit angka tanpa titik.")
)


class Status(models.TextChoices):
    DRAFT = "konsep", _("Konsep")
    SUBMITTED = "diajukan", _("Diajukan")
    IN_REVIEW = "diperiksa", _("Diperiksa")
    NEEDS_REVISION = "perlu_perbaikan", _("Perlu Perbaikan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")


class Application(models.Model):
    """One application of a factory account for one e-service."""

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED}),
        Status.SUBMITTED: frozenset({Status.IN_REVIEW}),
        Status.IN_REVIEW: frozenset({Status.NEEDS_REVISION, Status.APPROVED, Status.REJECTED}),
        Status.NEEDS_REVISION: frozenset({Status.SUBMITTED}),
        Status.APPROVED: frozenset(),
        Status.REJECTED: frozenset(),
    }
    EDITABLE = frozenset({Status.DRAFT, Status.NEEDS_REVISION})
    OPEN_FOR_REVIEW = frozenset({Status.SUBMITTED, Status.IN_REVIEW})

    factory = models.ForeignKey(
        "accounts.Factory",
        verbose_name=_("akun pabrik"),
        on_delete=models.PROTECT,
        related_name="eservice_applications",
    )
    service = models.CharField(_("layanan"), max_length=32, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    number = models.CharField(_("nomor permohonan"), max_length=40, unique=True, null=True, blank=True)
    data = models.JSONField(_("isian formulir"), default=dict, blank=True)
    decision_data = models.JSONField(_("isian keputusan"), default=dict, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    letter_number = models.CharField(
        _("nomor surat keputusan"), max_length=60, unique=True, null=True, blank=True
    )
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas pemeriksa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)
    submitted_at = models.DateTimeField(_("diajukan pertama"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("diajukan terakhir"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permohonan layanan")
        verbose_name_plural = _("permohonan layanan")
        indexes = [models.Index(fields=["service", "status", "last_submitted_at"], name="esvc_app_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="konsep") | Q(number__isnull=False), name="esvc_app_number_once_submitted"
            ),
            models.CheckConstraint(
                condition=~Q(status="disetujui") | Q(decided_at__isnull=False),
                name="esvc_app_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Konsep #%(pk)s") % {"pk": self.pk}

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    @property
    def service_type(self):
        from eservice.catalog import get_service

        return get_service(self.service)


class ApplicationDocument(models.Model):
    """A document uploaded for one of the service's required (or optional) document kinds.

    Uploading again adds a row: earlier versions are kept, the newest one counts.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=40)
    file = models.FileField(_("berkas"), storage=private_storage, upload_to=private_upload_to("eservice"))
    original_name = models.CharField(_("nama berkas asal"), max_length=255)
    content_kind = models.CharField(_("tipe isi"), max_length=8)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        verbose_name = _("dokumen permohonan")
        verbose_name_plural = _("dokumen permohonan")

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"


class ApplicationComment(models.Model):
    """A message between the company and the reviewing officer, visible to both."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("komentar"), max_length=4000)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("komentar permohonan")
        verbose_name_plural = _("komentar permohonan")

    def __str__(self) -> str:
        return f"{self.application}: {self.body[:40]}"


class StatusChange(models.Model):
    """Immutable status history. A submission stores the answers and documents it was made with."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("dari"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("menjadi"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("catatan"), blank=True)
    snapshot = models.JSONField(_("salinan isian"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"


class WeeklyReport(models.Model):
    """IOMKI weekly condition report (SE Menperin 5/2021), one per permit per week while it is valid."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="weekly_reports")
    week_start = models.DateField(_("minggu (Senin)"))
    operating = models.BooleanField(_("pabrik beroperasi"))
    workforce_on_site = models.PositiveIntegerField(_("tenaga kerja yang bekerja di lokasi"))
    utilisation_pct = models.DecimalField(_("utilisasi kapasitas (%)"), max_digits=5, decimal_places=2)
    positive_cases = models.PositiveIntegerField(_("kasus positif COVID-19 pekan ini"), default=0)
    obstacles = models.TextField(_("kendala"), blank=True, max_length=2000)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("dikirim"), default=timezone.now)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("laporan mingguan IOMKI")
        verbose_name_plural = _("laporan mingguan IOMKI")
        constraints = [
            models.UniqueConstraint(fields=["application", "week_start"], name="esvc_weekly_one_per_week"),
            models.CheckConstraint(
                condition=Q(utilisation_pct__gte=0) & Q(utilisation_pct__lte=100),
                name="esvc_weekly_utilisation_pct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.week_start}"


class WeeklyReminder(models.Model):
    """One reminder per IOMKI per week without a condition report; ``sent_at`` makes a re-run harmless."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="weekly_reminders")
    week_start = models.DateField(_("minggu (Senin)"))
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("pengingat laporan mingguan")
        verbose_name_plural = _("pengingat laporan mingguan")
        constraints = [
            models.UniqueConstraint(fields=["application", "week_start"], name="esvc_reminder_one_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.week_start}"


# --- Business matching -----------------------------------------------------------------------------


class DirectoryProfile(models.Model):
    """What a factory account shows in the public directory: each profile field has its own switch."""

    factory = models.OneToOneField(
        "accounts.Factory", on_delete=models.CASCADE, related_name="directory_profile"
    )
    is_published = models.BooleanField(_("tampilkan di direktori"), default=False)
    display_name = models.CharField(_("nama yang ditampilkan"), max_length=255)
    description = models.TextField(_("profil singkat"), blank=True, max_length=3000)
    publish_description = models.BooleanField(_("tampilkan profil singkat"), default=True)
    publish_region = models.BooleanField(_("tampilkan kabupaten/kota dan provinsi"), default=False)
    publish_address = models.BooleanField(_("tampilkan alamat pabrik"), default=False)
    publish_kbli = models.BooleanField(_("tampilkan bidang usaha (KBLI)"), default=False)
    publish_scale = models.BooleanField(_("tampilkan skala usaha"), default=False)
    publish_workforce = models.BooleanField(_("tampilkan jumlah tenaga kerja"), default=False)
    contact_name = models.CharField(_("nama kontak"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail kontak"), blank=True)
    contact_phone = models.CharField(_("telepon kontak"), max_length=30, blank=True)
    website = models.URLField(_("situs web"), blank=True)
    publish_contact = models.BooleanField(_("tampilkan kontak"), default=False)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)
    # What a text search matches, stored (PostgreSQL, GIN-indexed; empty elsewhere): the name, the published
    # description and every published product. Written only by directory_services.directory_search_refresh.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("profil direktori")
        verbose_name_plural = _("profil direktori")

    def __str__(self) -> str:
        return self.display_name


class DirectoryProduct(models.Model):
    profile = models.ForeignKey(DirectoryProfile, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("nama produk"), max_length=200)
    description = models.TextField(_("uraian"), blank=True, max_length=2000)
    hs_code = models.CharField(_("kode HS"), max_length=10, blank=True, validators=[hs_code_validator])
    kbli = models.ForeignKey(
        Kbli,
        verbose_name=_("KBLI produk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Kbli.Level.KELOMPOK},
    )
    capacity = models.CharField(_("kapasitas (mis. 1.200 ton/tahun)"), max_length=100, blank=True)
    is_published = models.BooleanField(_("tampilkan di direktori"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("produk direktori")
        verbose_name_plural = _("produk direktori")

    def __str__(self) -> str:
        return self.name


class Inquiry(models.Model):
    """A thread between a buyer (any company account) and a published supplier."""

    buyer = models.ForeignKey("accounts.Factory", on_delete=models.PROTECT, related_name="inquiries_sent")
    supplier = models.ForeignKey(
        "accounts.Factory", on_delete=models.PROTECT, related_name="inquiries_received"
    )
    product = models.ForeignKey(
        DirectoryProduct, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("perihal"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    buyer_read_at = models.DateTimeField(null=True, blank=True)
    supplier_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at"]
        verbose_name = _("permintaan penawaran")
        verbose_name_plural = _("permintaan penawaran")
        constraints = [
            models.CheckConstraint(condition=~Q(buyer=models.F("supplier")), name="esvc_inquiry_not_to_self"),
        ]

    def __str__(self) -> str:
        return self.subject


class InquiryMessage(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey("accounts.Factory", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("pesan"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")

    def __str__(self) -> str:
        return self.body[:40]
