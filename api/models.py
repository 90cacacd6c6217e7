"""Partner organisations, their API tokens (scope, expiry, rate) and the log of every token call."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siinas.core.models import Kbli, Region


class Dataset(models.TextChoices):
    """What a token may read. Public datasets (IKI, aggregate statistics) need no token."""

    REGISTRY = "registry", _("Registri pabrik (NIB, nama, KBLI, wilayah, skala, tahap, status akun)")
    REPORTS = "reports", _("Data laporan tervalidasi per pabrik dan periode")
    COMPLIANCE = "compliance", _("Kepatuhan pelaporan per NIB (wajib, dikirim, divalidasi, surat peringatan)")


DATASET_SHORT = {
    Dataset.REGISTRY: _("Registri"),
    Dataset.REPORTS: _("Laporan"),
    Dataset.COMPLIANCE: _("Kepatuhan"),
}


class TokenStatus(models.TextChoices):
    ACTIVE = "aktif", _("aktif")
    REVOKED = "dicabut", _("dicabut")
    EXPIRED = "kedaluwarsa", _("kedaluwarsa")


class PartnerOrganisation(models.Model):
    """A K/L, Pemda or association that exchanges data with SIINas under an MoU (account type D)."""

    name = models.CharField(_("nama organisasi"), max_length=200, unique=True)
    acronym = models.CharField(_("singkatan"), max_length=30, blank=True)
    mou_number = models.CharField(_("nomor MoU/PKS"), max_length=100, blank=True)
    mou_valid_until = models.DateField(_("MoU berlaku sampai"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna Mitra K/L"),
        blank=True,
        related_name="partner_organisations",
        limit_choices_to={"role": "kl"},
        help_text=_("Pengguna berperan Mitra K/L yang boleh melihat token organisasi ini dan pemakaiannya."),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasi mitra")
        verbose_name_plural = _("organisasi mitra")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class ApiToken(models.Model):
    """A bearer token ``siinas_<prefix>_<secret>``. Only the SHA-256 of the secret is kept (the secret
    has 256 bits of entropy, so a fast hash is enough; docs/decisions.md). The scope is datasets ×
    territory (none = national, a province, or a kab/kota) × KBLI divisions (none = all)."""

    organisation = models.ForeignKey(
        PartnerOrganisation, verbose_name=_("organisasi mitra"), on_delete=models.PROTECT, related_name="tokens"
    )
    name = models.CharField(_("nama token"), max_length=100, help_text=_("Untuk apa token ini, mis. 'Integrasi LKPM'."))
    prefix = models.CharField(_("awalan"), max_length=16, unique=True, editable=False)
    secret_sha256 = models.CharField(max_length=64, editable=False)
    datasets = models.JSONField(_("dataset"), default=list, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosong untuk nasional; provinsi atau kabupaten/kota membatasi data pada wilayah itu."),
    )
    kbli_divisions = models.ManyToManyField(
        Kbli,
        verbose_name=_("golongan pokok KBLI"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": Kbli.Level.GOLONGAN_POKOK},
        help_text=_("Kosong untuk semua golongan pokok."),
    )
    rate_per_minute = models.PositiveIntegerField(_("batas permintaan per menit"), default=60)
    expires_on = models.DateField(_("berlaku sampai"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diterbitkan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.CharField(_("alasan pencabutan"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("menggantikan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("Token lama yang diganti (rotasi)."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""), name="apitoken_revoked_has_reason"
            ),
            models.CheckConstraint(condition=Q(rate_per_minute__gte=1), name="apitoken_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def display_prefix(self) -> str:
        return f"siinas_{self.prefix}_…"

    def is_expired(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.expires_on

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, dataset: str) -> bool:
        return dataset in (self.datasets or [])

    def status(self, today: dt.date | None = None) -> str:
        """``aktif``, ``dicabut`` or ``kedaluwarsa`` (revoked wins: a revoked token never comes back)."""
        if self.is_revoked:
            return TokenStatus.REVOKED
        if self.is_expired(today):
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE

    def dataset_labels(self) -> list[str]:
        return [str(DATASET_SHORT[d]) for d in self.datasets or [] if d in DATASET_SHORT]


class ApiCall(models.Model):
    """Every call that presented a token (accepted or not): the audit trail of the partner API."""

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="calls")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=8)
    endpoint = models.CharField(max_length=100, help_text=_("nama operasi"))
    path = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    status = models.PositiveSmallIntegerField()
    rows = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("panggilan API")
        verbose_name_plural = _("panggilan API")
        indexes = [models.Index(fields=["token", "-at"], name="apicall_token_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"
