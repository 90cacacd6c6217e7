"""Users with their role and scope, companies and their factory accounts (Akun SIINas).

One Akun SIINas belongs to one factory location (``Factory``); a company (one NIB) may hold
several. A company user is tied to exactly one factory; officers carry their scope instead:
a Pemda officer its province or kabupaten/kota, a validator its KBLI 2-digit divisions.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siinas.core.models import Kbli, Region


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
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["company__name", "name"]
        verbose_name = _("akun pabrik")
        verbose_name_plural = _("akun pabrik")
        constraints = [
            models.UniqueConstraint(fields=["company", "location_key"], name="factory_one_account_per_location"),
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
