"""Reference data shared by every app (regions, KBLI, GDP shares, holidays) and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siinas.lib.uploads import private_storage, private_upload_to


class Region(models.Model):
    """A Kemendagri province or kabupaten/kota (codes as `32` and `32.16`)."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "self",
        verbose_name=_("provinsi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Kosong untuk provinsi."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="provinsi", province__isnull=True) | (~Q(level="provinsi") & Q(province__isnull=False))),
                name="region_province_iff_not_province",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_province(self) -> bool:
        return self.level == self.Level.PROVINSI

    @property
    def province_code(self) -> str:
        return self.code if self.is_province else self.code.split(".")[0]


class Kbli(models.Model):
    """KBLI 2020 section C at every level; ``division`` is the 2-digit golongan pokok."""

    class Level(models.TextChoices):
        KATEGORI = "kategori", _("Kategori")
        GOLONGAN_POKOK = "golongan_pokok", _("Golongan pokok (2 digit)")
        GOLONGAN = "golongan", _("Golongan (3 digit)")
        SUBGOLONGAN = "subgolongan", _("Subgolongan (4 digit)")
        KELOMPOK = "kelompok", _("Kelompok (5 digit)")

    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    title = models.CharField(_("judul"), max_length=300)
    level = models.CharField(_("tingkat"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("induk")
    )
    division = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("golongan pokok"),
        help_text=_("Golongan pokok 2 digit; kosong untuk kategori."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("KBLI 2020")
        verbose_name_plural = _("KBLI 2020")

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    # The 23 non-oil-and-gas manufacturing divisions of IKI: KBLI 10–33 except 19.
    IKI_DIVISIONS = tuple(f"{n:02d}" for n in range(10, 34) if n != 19)


class GdpShare(models.Model):
    """Share of a BPS subsector in non-oil-and-gas manufacturing GDP, for one period.

    A BPS group can cover several KBLI divisions (``divisions`` holds them); see
    docs/decisions.md for how IKI counts a group.
    """

    period = models.CharField(_("periode"), max_length=10, help_text=_("mis. 2022 atau 2022-Q1"))
    period_type = models.CharField(_("jenis periode"), max_length=10)
    subsector_no = models.PositiveSmallIntegerField(_("nomor subsektor BPS"))
    subsector = models.CharField(_("subsektor"), max_length=200)
    divisions = models.ManyToManyField(Kbli, related_name="gdp_shares", verbose_name=_("golongan pokok KBLI"))
    share_pct = models.DecimalField(_("pangsa (%)"), max_digits=6, decimal_places=2)
    value_trillion_idr = models.DecimalField(_("nilai (Rp triliun)"), max_digits=12, decimal_places=2, null=True, blank=True)
    flag = models.TextField(_("catatan"), blank=True)
    source_url = models.URLField(_("sumber"), max_length=400, blank=True)

    class Meta:
        ordering = ["period", "subsector_no"]
        verbose_name = _("pangsa PDB industri nonmigas")
        verbose_name_plural = _("pangsa PDB industri nonmigas")
        constraints = [models.UniqueConstraint(fields=["period", "subsector_no"], name="gdpshare_unique_period_subsector")]

    def __str__(self) -> str:
        return f"{self.period} {self.subsector}: {self.share_pct}%"


class Holiday(models.Model):
    """A national holiday or cuti bersama: not a working day for SLAs and deadlines."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur nasional")
        verbose_name_plural = _("hari libur nasional")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class AuditEvent(models.Model):
    """Who did what to which object, when. Written by services and selectors, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    actor_label = models.CharField(_("pelaku (teks)"), max_length=150, blank=True)
    action = models.CharField(_("aksi"), max_length=80, db_index=True)
    target_type = models.CharField(_("jenis objek"), max_length=80, blank=True)
    target_id = models.CharField(_("id objek"), max_length=64, blank=True)
    target_label = models.CharField(_("objek"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    extra = models.JSONField(_("keterangan"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"


class OutboxMessage(models.Model):
    """One side effect of a business action, written in the action's transaction, delivered after it.

    ``kind`` email: ``payload`` holds the rendered message (subject, text, html, headers) and
    ``attachments`` the files to attach (inline base64 or a private-storage path). ``kind`` task: the
    Celery task ``name`` with ``payload`` ``{"args": [...], "kwargs": {...}}``. Delivery (siinas.core.outbox)
    locks the row, sends, and marks it sent; a failure counts an attempt and schedules the next one.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("e-mail")
        TASK = "task", _("tugas latar")

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=100, help_text=_("templat e-mail atau nama tugas"))
    recipients = models.JSONField(_("penerima"), default=list, blank=True)
    payload = models.JSONField(_("isi"), default=dict, blank=True)
    attachments = models.JSONField(_("lampiran"), default=list, blank=True)
    dedupe_key = models.CharField(_("kunci unik"), max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("kotak keluar")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name} → {', '.join(self.recipients)[:80]} ({self.get_status_display()})"

    @property
    def message_id(self) -> str:
        """Stable across retries, so a message re-sent after a crash is recognised as the same one."""
        return f"siinas-{self.dedupe_key or f'outbox-{self.pk}'}".replace(" ", "-").replace("@", "-")


class Announcement(models.Model):
    """A notice an admin posts on the home page ("Pengumuman") of the chosen roles, between two dates.

    The body is plain text (escaped when shown, line breaks kept). ``starts_on`` and ``ends_on`` are
    whole days in Asia/Jakarta, both included. The roles it is shown to are its ``AnnouncementRole`` rows.
    """

    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), max_length=5000)
    starts_on = models.DateField(_("tampil mulai"))
    ends_on = models.DateField(_("tampil sampai"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="announcement_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["ends_on", "starts_on"], name="announcement_dates_idx")]

    def __str__(self) -> str:
        return self.title

    def is_shown_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class AnnouncementRole(models.Model):
    """One role an announcement is shown to."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="audience")
    role = models.CharField(_("peran"), max_length=20)

    class Meta:
        ordering = ["announcement_id", "role"]
        verbose_name = _("peran penerima pengumuman")
        verbose_name_plural = _("peran penerima pengumuman")
        constraints = [models.UniqueConstraint(fields=["announcement", "role"], name="announcementrole_once")]
        indexes = [models.Index(fields=["role", "announcement"], name="announcementrole_role_idx")]

    def __str__(self) -> str:
        return f"{self.announcement_id}: {self.role}"

    @property
    def label(self) -> str:
        from accounts.models import Role  # accounts.models imports this module

        return str(Role(self.role).label) if self.role in Role.values else self.role


class ExportJob(models.Model):
    """A large export an officer asked for, built by a worker (``siinas.core.export_jobs``) and kept for
    ``KEEP_DAYS`` for its owner to download ("Ekspor saya"). ``params`` is the page's query string: the
    builder re-applies it with the owner's scope when it runs."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        RUNNING = "running", _("sedang disiapkan")
        DONE = "done", _("siap diunduh")
        FAILED = "failed", _("gagal")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    kind = models.CharField(_("jenis"), max_length=40)
    fmt = models.CharField(_("format"), max_length=8)
    params = models.TextField(_("filter"), blank=True)
    title = models.CharField(_("judul"), max_length=200)
    rows = models.PositiveIntegerField(_("baris"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(storage=private_storage, upload_to=private_upload_to("exports"), blank=True)
    filename = models.CharField(_("nama berkas"), max_length=200, blank=True)
    error = models.CharField(_("galat"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("diminta"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ekspor latar")
        verbose_name_plural = _("ekspor latar")
        indexes = [models.Index(fields=["owner", "-created_at"], name="export_owner_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.fmt}, {self.get_status_display()})"
