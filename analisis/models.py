"""Data of the analisis app. Only Pohon Industri keeps rows of its own: the curated links, and its protected
aggregate as last computed (``KeptTree``: costly at national scale, so a worker keeps it); the figures of the
other pages are computed from validated reports and never stored here."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SAME_PRODUCT = _("Produk tujuan harus berbeda dari produk asal.")
HS_CODE = RegexValidator(r"^\d{8}$", _("Kode HS terdiri dari 8 angka (BTKI)."))


class CuratedLink(models.Model):
    """A link of the Pohon Industri that an officer records from a documented source (a road map, a
    study), whatever the reports show: source product → target product. A product is named by its HS code
    (8 digits, BTKI) where it has one, and always by a name; the graph finds the node the same way it
    finds the nodes of reported rows (analisis.pohon.graph.node_key), so a curated link and a reported
    flow between the same products are one edge, marked as both."""

    source_hs = models.CharField(_("kode HS asal"), max_length=8, blank=True, validators=[HS_CODE])
    source_name = models.CharField(_("produk asal (bahan)"), max_length=200)
    target_hs = models.CharField(_("kode HS tujuan"), max_length=8, blank=True, validators=[HS_CODE])
    target_name = models.CharField(_("produk tujuan (hasil olahan)"), max_length=200)
    note = models.TextField(_("catatan"), blank=True, max_length=2000)
    reference = models.CharField(
        _("sumber rujukan"),
        max_length=300,
        help_text=_("Dokumen atau kajian yang menjadi dasar hubungan ini."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        ordering = ["source_name", "target_name", "pk"]
        verbose_name = _("hubungan pohon industri (kurasi)")
        verbose_name_plural = _("hubungan pohon industri (kurasi)")

    def __str__(self) -> str:
        return f"{self.source_name} → {self.target_name}"

    def clean(self) -> None:
        from analisis.pohon.graph import node_key

        same = node_key(self.source_name, self.source_hs, {}) == node_key(
            self.target_name, self.target_hs, {}
        )
        if self.source_name and self.target_name and same:
            raise ValidationError({"target_name": SAME_PRODUCT})


class KeptTree(models.Model):
    """The protected aggregate of Pohon Industri's reported flows, as last computed (``analisis.pohon.kept``):
    one row, read by the public page, the downloads and the API; refreshed by a worker when the data moved,
    computed inline when no worker runs. ``payload`` holds only what may be published (counts already
    protected, suppressed flows as keys without counts, only for curated pairs) as JSON; ``version`` the
    reports' data version it was computed at; ``compute_ms`` what computing it took."""

    version = models.CharField(max_length=100)
    computed_at = models.DateTimeField()
    compute_ms = models.PositiveIntegerField(default=0)
    payload = models.TextField()

    class Meta:
        verbose_name = _("pohon industri tersimpan")
        verbose_name_plural = _("pohon industri tersimpan")

    def __str__(self) -> str:
        return f"{self.version} @ {self.computed_at:%Y-%m-%d %H:%M}"
