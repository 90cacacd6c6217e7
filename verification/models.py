"""Verification and compliance data: review claims, reminders and warning letters (SP1–SP3).

Exactly-once delivery (issue 5 §7) rests on two things here: one row per factory, period and level
(a unique constraint, so two beat instances cannot both plan the same notice) and the ``sent_at``
marker, set in the same transaction that sends, so a retry finds the row already sent and stops.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siinas.lib.uploads import private_storage, private_upload_to
from verification.scheduling import REMINDERS, WARNING_LETTERS, Level


class ReviewClaim(models.Model):
    """An officer is working on a report: others see it taken and cannot act on it meanwhile.

    One claim per report (a unique constraint, so two verifiers clicking at once cannot both win).
    The claim is dropped when the report moves on; one older than ``CLAIM_TTL`` may be taken over.
    """

    report = models.OneToOneField("reporting.Report", on_delete=models.CASCADE, related_name="claim", verbose_name=_("laporan"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("petugas"))
    claimed_at = models.DateTimeField(_("diambil"), default=timezone.now)

    class Meta:
        verbose_name = _("klaim pemeriksaan")
        verbose_name_plural = _("klaim pemeriksaan")

    def __str__(self) -> str:
        return f"{self.report_id} — {self.user_id}"


class Reminder(models.Model):
    """An e-mail reminder before the window closes (H-14, H-3) to a factory without a submission."""

    class Kind(models.TextChoices):
        H14 = Level.REMINDER_14.value, _("Pengingat H-14")
        H3 = Level.REMINDER_3.value, _("Pengingat H-3")

    factory = models.ForeignKey("accounts.Factory", on_delete=models.PROTECT, related_name="reminders", verbose_name=_("akun pabrik"))
    period = models.ForeignKey("reporting.Period", on_delete=models.PROTECT, related_name="reminders", verbose_name=_("periode"))
    level = models.CharField(_("jenis"), max_length=4, choices=Kind.choices)
    created_at = models.DateTimeField(_("dijadwalkan"), default=timezone.now)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True, help_text=_("Laporan masuk sebelum dikirim."))
    email_to = models.CharField(_("dikirim ke"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pengingat pelaporan")
        verbose_name_plural = _("pengingat pelaporan")
        constraints = [
            models.UniqueConstraint(fields=["factory", "period", "level"], name="reminder_once_per_factory_period_level"),
            models.CheckConstraint(condition=Q(level__in=[lv.value for lv in REMINDERS]), name="reminder_level_is_reminder"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.period_id} — {self.factory_id}"


class WarningLetter(models.Model):
    """A surat peringatan (SP1–SP3): numbered PDF on letterhead, e-mailed and kept."""

    class Kind(models.TextChoices):
        SP1 = Level.SP1.value, _("Surat Peringatan Pertama (SP1)")
        SP2 = Level.SP2.value, _("Surat Peringatan Kedua (SP2)")
        SP3 = Level.SP3.value, _("Surat Peringatan Ketiga (SP3)")

    factory = models.ForeignKey("accounts.Factory", on_delete=models.PROTECT, related_name="warning_letters", verbose_name=_("akun pabrik"))
    period = models.ForeignKey("reporting.Period", on_delete=models.PROTECT, related_name="warning_letters", verbose_name=_("periode"))
    level = models.CharField(_("tingkat"), max_length=4, choices=Kind.choices)
    created_at = models.DateTimeField(_("dijadwalkan"), default=timezone.now)
    number = models.CharField(_("nomor surat"), max_length=40, null=True, blank=True, unique=True)
    issued_on = models.DateField(_("tanggal surat"), null=True, blank=True)
    deadline = models.DateField(_("batas waktu"), null=True, blank=True)
    pdf = models.FileField(_("berkas PDF"), storage=private_storage, upload_to=private_upload_to("surat-peringatan"), blank=True)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True, help_text=_("Laporan masuk sebelum dikirim."))
    email_to = models.CharField(_("dikirim ke"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("surat peringatan")
        verbose_name_plural = _("surat peringatan")
        constraints = [
            models.UniqueConstraint(fields=["factory", "period", "level"], name="letter_once_per_factory_period_level"),
            models.CheckConstraint(condition=Q(level__in=[lv.value for lv in WARNING_LETTERS]), name="letter_level_is_sp"),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | (Q(number__isnull=False) & Q(issued_on__isnull=False) & Q(deadline__isnull=False)),
                name="letter_sent_has_number_and_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.level} {self.period_id} — {self.factory_id}"

    @property
    def ordinal(self) -> int:
        return Level(self.level).ordinal

    @property
    def download_name(self) -> str:
        return f"{(self.number or self.level).replace('/', '-')}.pdf"


class LetterCounter(models.Model):
    """The running number of warning letters per year and level (locked while a number is taken)."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    level = models.CharField(_("tingkat"), max_length=4, choices=WarningLetter.Kind.choices)
    last = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("penomoran surat")
        verbose_name_plural = _("penomoran surat")
        constraints = [models.UniqueConstraint(fields=["year", "level"], name="lettercounter_unique_year_level")]

    def __str__(self) -> str:
        return f"{self.level} {self.year}: {self.last}"


class PeerMetricSum(models.Model):
    """The running sums of one number across the KBLI peers: every report of ``period`` and
    ``report_type`` whose factory has a line in ``division`` contributes its newest version's value of
    (``section``, ``metric``) once (``verification.outliers.numeric_metrics``).

    Kept by ``verification.peers`` whenever a report's newest version changes (every new
    ``ReportVersion``) or a factory's KBLI divisions change, with atomic increments; rebuilt from the
    versions by ``peers.rebuild()``. The review page's z-score reads these rows instead of the peers'
    snapshots. Sums are float64 (``double precision``): see docs/verification.md.
    """

    period = models.ForeignKey("reporting.Period", on_delete=models.CASCADE, related_name="+", verbose_name=_("periode"))
    report_type = models.CharField(_("jenis laporan"), max_length=40)
    division = models.ForeignKey("core.Kbli", on_delete=models.CASCADE, related_name="+", verbose_name=_("golongan pokok KBLI"))
    section = models.CharField(_("bagian"), max_length=40)
    metric = models.CharField(_("isian"), max_length=120)
    n = models.IntegerField(_("jumlah laporan"), default=0)
    total = models.FloatField(_("jumlah nilai"), default=0.0)
    total_sq = models.FloatField(_("jumlah kuadrat nilai"), default=0.0)

    class Meta:
        verbose_name = _("jumlah berjalan sejawat KBLI")
        verbose_name_plural = _("jumlah berjalan sejawat KBLI")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "report_type", "division", "section", "metric"], name="peermetricsum_one_per_metric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.report_type} {self.division_id} {self.section}/{self.metric}: n={self.n}"
