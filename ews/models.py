"""An early-warning signal: one detector firing on one aggregate series (docs/statistics.md, "EWS").

Rows are written only by ``ews.services.signals_refresh``: a signal found again keeps its row (and its
``first_seen``), a signal no longer found becomes inactive. Holds aggregates only — never a factory id.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Signal(models.Model):
    class Kind(models.TextChoices):
        IKI_STREAK = "iki_kontraksi", _("IKI kontraksi berturut-turut")
        IKI_DROP = "iki_turun", _("IKI turun tajam")
        YOY_FALL = "laporan_turun", _("Penurunan dibanding semester yang sama tahun lalu")
        IOMKI_RISE = "iomki_naik", _("Lonjakan izin IOMKI yang beroperasi terbatas")

    class Source(models.TextChoices):
        IKI = "iki", _("IKI")
        REPORTS = "laporan", _("Laporan semester tervalidasi")
        IOMKI = "iomki", _("Laporan mingguan IOMKI")

    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    source = models.CharField(_("sumber"), max_length=8, choices=Source.choices)
    measure = models.CharField(_("ukuran"), max_length=16, blank=True)  # production, workforce, export, iki, reduced
    subsector = models.CharField(_("KBLI 2 digit"), max_length=2, blank=True)  # blank: all subsectors
    region = models.CharField(_("kode wilayah"), max_length=5, blank=True)  # blank: national
    period = models.DateField(_("periode"))  # first day of the month, semester start or Monday of the week
    period_label = models.CharField(_("label periode"), max_length=16)
    score = models.FloatField(_("skor"))
    threshold = models.FloatField(_("ambang"))
    companies = models.PositiveIntegerField(_("jumlah perusahaan"))
    evidence = models.JSONField(_("bukti"), default=dict)
    first_seen = models.DateTimeField(_("pertama terdeteksi"), default=timezone.now)
    last_seen = models.DateTimeField(_("terakhir terdeteksi"), default=timezone.now)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["-period", "kind", "subsector", "region"]
        verbose_name = _("sinyal peringatan dini")
        verbose_name_plural = _("sinyal peringatan dini")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "measure", "subsector", "region", "period"], name="ews_signal_one_per_series_period"
            ),
            models.CheckConstraint(condition=Q(companies__gte=3), name="ews_signal_at_least_3_companies"),
        ]
        indexes = [models.Index(fields=["active", "region"], name="ews_signal_active_region_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subsector or '*'}/{self.region or 'ID'} {self.period_label}"
