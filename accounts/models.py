"""Users with their role and scope, companies and their factory accounts (Akun SIINas).

One Akun SIINas belongs to one factory location (``Factory``); a company (one NIB) may hold
several. A company user is tied to exactly one factory; officers carry their scope instead:
a Pemda officer its province or kabupaten/kota, a validator its KBLI 2-digit divisions.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siinas.core.models import Kbli, Region
from siinas.lib.uploads import private_storage, private_upload_to


class Role(models.TextChoices):
    COMPANY = "company", _("Perusahaan")
    UPP = "upp", _("Petugas UPP")
    VERIFIER = "verifier", _("Verifikator Pusdatin")
    VALIDATOR = "validator", _("Validator Pembina Sektor")
    PEMDA_PROV = "pemda_prov", _("Dinas Provinsi")
    PEMDA_KAB = "pemda_kab", _("Dinas Kabupaten/Kota")
    KL = "kl", _("Mitra K/L")
    ADMIN = "admin", _("Administrator Pusdatin")


OFFICER_ROLES = frozenset({Role.UPP, Role.VERIFIER, Role.VALIDATOR, Role.PEMDA_PROV, Role.PEMDA_KAB, Role.KL, Role.ADMIN})
PEMDA_ROLES = frozenset({Role.PEMDA_PROV, Role.PEMDA_KAB})


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices, default=Role.COMPANY, db_index=True)
    factory = models.ForeignKey(
        "accounts.Factory",
        verbose_name=_("akun pabrik"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah kewenangan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Provinsi untuk Dinas Provinsi, kabupaten/kota untuk Dinas Kabupaten/Kota."),
    )
    kbli_divisions = models.ManyToManyField(
        Kbli,
        verbose_name=_("golongan pokok KBLI binaan"),
        blank=True,
        related_name="validators",
        limit_choices_to={"level": Kbli.Level.GOLONGAN_POKOK},
    )
    phone = models.CharField(_("no. telp./HP"), max_length=30, blank=True)
    nip = models.CharField(
        _("NIP"), max_length=18, blank=True, help_text=_("Nomor Induk Pegawai (18 digit) pejabat yang menandatangani surat.")
    )
    password_changed_at = models.DateTimeField(_("password terakhir diganti"), default=timezone.now)
    must_change_password = models.BooleanField(_("wajib ganti password"), default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="company") | Q(factory__isnull=False),
                name="user_company_has_factory",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["pemda_prov", "pemda_kab"]) | Q(region__isnull=False),
                name="user_pemda_has_region",
            ),
        ]

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES

    @property
    def is_pemda(self) -> bool:
        return self.role in PEMDA_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.role in roles

    @property
    def needs_two_factor(self) -> bool:
        """TOTP is mandatory for every officer role and for staff (the Django admin)."""
        return self.is_officer or self.is_staff or self.is_superuser

    @property
    def password_expires_at(self):
        return self.password_changed_at + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)

    def password_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.password_expires_at


class AccountType(models.TextChoices):
    """Permenperin 38/2018."""

    A = "A", _("A — Perusahaan industri")
    B = "B", _("B — Perusahaan kawasan industri")
    C = "C", _("C — Perusahaan selain industri/kawasan industri")
    D = "D", _("D — K/L, perwakilan RI, pemerintah daerah")


class Scale(models.TextChoices):
    KECIL = "kecil", _("Kecil")
    MENENGAH = "menengah", _("Menengah")
    BESAR = "besar", _("Besar")


class Company(models.Model):
    """A business (one NIB); its factory locations are separate accounts."""

    name = models.CharField(_("nama perusahaan"), max_length=255)
    nib = models.CharField(_("NIB OSS RBA"), max_length=13, unique=True)
    npwp = models.CharField(_("NPWP"), max_length=16)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("perusahaan")
        verbose_name_plural = _("perusahaan")

    def __str__(self) -> str:
        return self.name


def location_key(address: str, region_code: str) -> str:
    """Normalised form of a factory location: the same place written twice compares equal."""
    words = re.sub(r"[^0-9a-z]+", " ", address.lower()).split()
    return f"{region_code}|{' '.join(words)}"[:400]


class Factory(models.Model):
    """An Akun SIINas: one factory (or estate) location of a company."""

    class Stage(models.TextChoices):
        CONSTRUCTION = "pembangunan", _("Tahap pembangunan")
        PRODUCTION = "produksi", _("Tahap produksi/komersial")

    class Status(models.TextChoices):
        ACTIVE = "aktif", _("Aktif")
        SUSPENDED = "nonaktif", _("Nonaktif")

    company = models.ForeignKey(Company, verbose_name=_("perusahaan"), on_delete=models.PROTECT, related_name="factories")
    name = models.CharField(_("nama lokasi"), max_length=255, help_text=_("mis. Pabrik Bekasi"))
    account_type = models.CharField(_("tipe akun"), max_length=1, choices=AccountType.choices)
    address = models.CharField(_("alamat pabrik/lokasi usaha"), max_length=400)
    region = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="factories",
        limit_choices_to=~Q(level=Region.Level.PROVINSI),
    )
    province = models.ForeignKey(
        Region, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="province_factories", editable=False
    )
    location_key = models.CharField(max_length=400, editable=False)
    scale = models.CharField(_("skala usaha"), max_length=10, choices=Scale.choices, default=Scale.KECIL)
    crosses_regency_border = models.BooleanField(
        _("lokasi lintas kabupaten/kota"),
        default=False,
        help_text=_("Untuk kawasan industri yang lokasinya melintasi batas kabupaten/kota."),
    )
    stage = models.CharField(_("tahap"), max_length=12, choices=Stage.choices, default=Stage.PRODUCTION)
    kbli = models.ManyToManyField(Kbli, verbose_name=_("bidang usaha (KBLI 5 digit)"), blank=True, related_name="factories")
    workforce = models.PositiveIntegerField(_("jumlah tenaga kerja (profil)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    email = models.EmailField(_("e-mail (sesuai NIB)"))
    # The account's registration (UPP approval, accounts.services.registration): a fact of the obligation
    # rule (reporting/obligation.py), as are the two dates below.
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    operating_since = models.DateField(
        _("mulai berproduksi/beroperasi komersial"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila masih tahap pembangunan; tanggal izin usaha yang dipakai bila kosong."),
    )
    closed_on = models.DateField(
        _("dinonaktifkan sejak"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Diisi saat akun dinonaktifkan, dikosongkan saat diaktifkan kembali."),
    )

    class Meta:
        ordering = ["company__name", "name"]
        verbose_name = _("akun pabrik")
        verbose_name_plural = _("akun pabrik")
        constraints = [
            models.UniqueConstraint(fields=["company", "location_key"], name="factory_one_account_per_location"),
            # Only a deactivated account has a closure date (a reactivated one loses it).
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(status="nonaktif"), name="factory_closed_only_when_inactive"),
        ]
        indexes = [models.Index(fields=["province", "scale"], name="factory_province_scale_idx")]

    def __str__(self) -> str:
        return f"{self.company.name} — {self.name}"

    def save(self, *args, **kwargs):
        # Derived, never typed in: the province follows the kab/kota, the key follows the address.
        self.province_id = self.region.province_id if self.region_id else None
        self.location_key = location_key(self.address, self.region_id or "")
        super().save(*args, **kwargs)

    @property
    def is_estate(self) -> bool:
        return self.account_type == AccountType.B

    @property
    def under_province_authority(self) -> bool:
        """UU 23/2014: the province has authority over Besar-scale industry and cross-border estates."""
        if self.is_estate:
            return self.crosses_regency_border
        return self.scale == Scale.BESAR


# --- Additions of issue 3: registration, profile, licences, certificates, reminders ---------------


class CompanyProfile(models.Model):
    """Data Umum and Alamat Kantor Pusat of a company (one NIB), shared by its factory accounts."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="profile", verbose_name=_("perusahaan"))
    legal_form = models.CharField(_("badan usaha"), max_length=30, blank=True, help_text=_("mis. PT, CV, Koperasi, Perorangan"))
    phone = models.CharField(_("no. telepon"), max_length=30, blank=True)
    website = models.URLField(_("situs web"), blank=True)
    hq_address = models.CharField(_("alamat kantor pusat"), max_length=400, blank=True)
    hq_region = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota kantor pusat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=~Q(level=Region.Level.PROVINSI),
    )
    hq_postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("profil perusahaan")
        verbose_name_plural = _("profil perusahaan")

    def __str__(self) -> str:
        return str(self.company)


class FactoryContact(models.Model):
    """Contact Person of a factory account."""

    factory = models.OneToOneField(Factory, on_delete=models.CASCADE, related_name="contact", verbose_name=_("akun pabrik"))
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=100)
    phone = models.CharField(_("no. telp./HP"), max_length=30)
    email = models.EmailField(_("e-mail"))

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact person")

    def __str__(self) -> str:
        return f"{self.name} ({self.factory})"


class ProductionCapacity(models.Model):
    """Kapasitas Produksi: one product line of a factory with its installed capacity per year."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("akun pabrik"))
    product = models.CharField(_("jenis produk"), max_length=200)
    kbli = models.ForeignKey(
        Kbli,
        verbose_name=_("KBLI"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Kbli.Level.KELOMPOK},
    )
    capacity = models.DecimalField(_("kapasitas terpasang per tahun"), max_digits=18, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=30)

    class Meta:
        ordering = ["id"]
        verbose_name = _("kapasitas produksi")
        verbose_name_plural = _("kapasitas produksi")
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=0), name="capacity_not_negative")]

    def __str__(self) -> str:
        return f"{self.product}: {self.capacity} {self.unit}"


class Licence(models.Model):
    """Perizinan: a business licence of a factory. The largest current scale becomes ``Factory.scale``."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="licences", verbose_name=_("akun pabrik"))
    kind = models.CharField(_("jenis izin"), max_length=100, help_text=_("mis. Perizinan Berusaha Industri (IUI), IUKI"))
    number = models.CharField(_("nomor izin"), max_length=100)
    issued_on = models.DateField(_("tanggal izin"))
    scale = models.CharField(_("skala usaha"), max_length=10, choices=Scale.choices)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True, help_text=_("Kosongkan bila berlaku selama usaha berjalan."))

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("perizinan")
        verbose_name_plural = _("perizinan")
        constraints = [models.UniqueConstraint(fields=["factory", "number"], name="licence_number_once_per_factory")]
        # The obligation rule's first licence per account (reporting/obligation.py): read index-only.
        indexes = [models.Index(fields=["factory", "issued_on"], name="licence_factory_issued_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    def is_current(self, today) -> bool:
        return self.issued_on <= today and (self.valid_until is None or self.valid_until >= today)


class ProfileChange(models.Model):
    """History of Data Perusahaan: who changed which section of which account, when, field by field."""

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="profile_changes", verbose_name=_("akun pabrik"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("oleh")
    )
    actor_label = models.CharField(_("oleh (teks)"), max_length=150)
    section = models.CharField(_("bagian"), max_length=30)
    changes = models.JSONField(_("perubahan"), default=dict, help_text=_("{field: [lama, baru]}"))
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("riwayat perubahan profil")
        verbose_name_plural = _("riwayat perubahan profil")
        indexes = [models.Index(fields=["factory", "-created_at"], name="profilechange_factory_idx")]

    def __str__(self) -> str:
        return f"{self.factory_id} {self.section} {self.created_at:%Y-%m-%d %H:%M}"


class Registration(models.Model):
    """A public "Registrasi Akun SIINas" waiting for (or decided by) UPP validation."""

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu validasi")
        APPROVED = "disetujui", _("Disetujui")
        REJECTED = "ditolak", _("Ditolak")

    TRANSITIONS = {Status.PENDING: {Status.APPROVED, Status.REJECTED}}

    class BusinessKind(models.TextChoices):
        INDUSTRY = "industri", _("Perusahaan industri")
        ESTATE = "kawasan", _("Perusahaan kawasan industri")
        OTHER = "lainnya", _("Perusahaan selain industri/kawasan industri")
        GOVERNMENT = "instansi", _("K/L, perwakilan RI, pemerintah daerah")

    class OssMatch(models.TextChoices):
        NOT_CHECKED = "belum", _("Belum diperiksa")
        MATCH = "cocok", _("Cocok")
        MISMATCH = "tidak_cocok", _("Tidak cocok")
        UNKNOWN_NIB = "tidak_dikenal", _("NIB tidak dikenal")
        UNAVAILABLE = "gagal", _("OSS tidak dapat dihubungi")

    class KswpCheck(models.TextChoices):
        NOT_CHECKED = "belum", _("Belum diperiksa")
        VALID = "valid", _("Valid")
        INVALID = "tidak_valid", _("Tidak valid")
        UNKNOWN = "tidak_dikenal", _("NPWP tidak dikenal")
        UNAVAILABLE = "gagal", _("KSWP tidak dapat dihubungi")

    number = models.CharField(_("ID registrasi"), max_length=20, unique=True, null=True, editable=False)
    company_name = models.CharField(_("nama perusahaan"), max_length=255)
    business_kind = models.CharField(_("jenis usaha"), max_length=10, choices=BusinessKind.choices, default=BusinessKind.INDUSTRY)
    factory_name = models.CharField(_("nama lokasi"), max_length=255, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota lokasi pabrik"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=~Q(level=Region.Level.PROVINSI),
    )
    address = models.CharField(_("alamat lokasi pabrik"), max_length=400, blank=True)
    location_key = models.CharField(max_length=400, editable=False, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16)
    nib = models.CharField(_("NIB OSS RBA"), max_length=13, db_index=True)
    nib_file = models.FileField(
        _("softcopy NIB OSS RBA"),
        storage=private_storage,
        upload_to=private_upload_to("registrasi-nib"),
        max_length=200,
    )
    email = models.EmailField(_("e-mail sesuai NIB"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    submitted_at = models.DateTimeField(_("waktu pendaftaran"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("waktu keputusan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registration_decisions",
    )
    account_type = models.CharField(_("tipe akun"), max_length=1, choices=AccountType.choices, blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    factory = models.OneToOneField(
        Factory, verbose_name=_("akun pabrik"), on_delete=models.PROTECT, null=True, blank=True, related_name="registration"
    )
    sla_alert_sent_at = models.DateTimeField(_("peringatan SLA terkirim"), null=True, blank=True, editable=False)
    # What OSS and KSWP said, checked by a worker after the submission (accounts/services/registration_checks.py).
    # Advice for the UPP officer only: neither a mismatch nor an outage blocks a registration or its approval.
    oss_match = models.CharField(_("pemeriksaan OSS"), max_length=14, choices=OssMatch.choices, default=OssMatch.NOT_CHECKED)
    oss_mismatches = models.JSONField(_("isian yang berbeda dengan OSS"), default=list, blank=True, editable=False)
    oss_record = models.JSONField(_("data NIB menurut OSS"), default=dict, blank=True, editable=False)
    oss_checked_at = models.DateTimeField(_("diperiksa di OSS"), null=True, blank=True, editable=False)
    kswp_status = models.CharField(_("status KSWP"), max_length=14, choices=KswpCheck.choices, default=KswpCheck.NOT_CHECKED)
    kswp_name = models.CharField(_("nama wajib pajak menurut KSWP"), max_length=255, blank=True, editable=False)
    kswp_checked_at = models.DateTimeField(_("diperiksa di KSWP"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("registrasi akun")
        verbose_name_plural = _("registrasi akun")
        constraints = [
            # The same location of the same NIB cannot wait in the queue twice (race-proof, see services).
            models.UniqueConstraint(
                fields=["nib", "location_key"],
                condition=Q(status="menunggu") & ~Q(location_key=""),
                name="registration_one_pending_per_location",
            ),
            models.CheckConstraint(
                condition=~Q(status="disetujui") | (Q(factory__isnull=False) & ~Q(account_type="")),
                name="registration_approved_has_account",
            ),
            models.CheckConstraint(
                condition=~Q(status="ditolak") | ~Q(rejection_reason=""),
                name="registration_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number or '-'} {self.company_name}"

    def save(self, *args, **kwargs):
        self.location_key = location_key(self.address, self.region_id or "") if self.address and self.region_id else ""
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def oss_mismatch_labels(self) -> list[str]:
        """The fields that differ from OSS, as the officer reads them."""
        labels = {"company_name": _("nama perusahaan"), "npwp": _("NPWP"), "email": _("e-mail")}
        return [str(labels.get(name, name)) for name in self.oss_mismatches]


class AccountCertificate(models.Model):
    """Bukti Kepemilikan Akun: each issue is a row; re-issuing supersedes the previous one."""

    class Status(models.TextChoices):
        CURRENT = "berlaku", _("Berlaku")
        SUPERSEDED = "diganti", _("Diganti dengan sertifikat baru")
        REVOKED = "dicabut", _("Dicabut")

    factory = models.ForeignKey(Factory, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("akun pabrik"))
    version = models.PositiveIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CURRENT)
    # What the certificate states, frozen at issue time so a later profile change does not alter it.
    company_name = models.CharField(_("nama perusahaan"), max_length=255)
    nib = models.CharField(_("NIB"), max_length=13)
    factory_address = models.CharField(_("alamat pabrik/lokasi usaha"), max_length=600)
    issued_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diterbitkan oleh")
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dicabut oleh")
    )
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("bukti kepemilikan akun")
        verbose_name_plural = _("bukti kepemilikan akun")
        constraints = [
            models.UniqueConstraint(fields=["factory", "version"], name="certificate_version_once"),
            models.UniqueConstraint(fields=["factory"], condition=Q(status="berlaku"), name="certificate_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_status_display()})"

    @property
    def number(self) -> str:
        return f"BKA-{self.factory_id:06d}-{self.version:02d}"


class PasswordReminder(models.Model):
    """Sent-marker of a password-expiry reminder: one per user, expiry date and threshold (idempotent job)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_reminders")
    expires_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "expires_on", "days_before"], name="password_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.expires_on} -{self.days_before}d"
