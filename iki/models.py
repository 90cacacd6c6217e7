"""IKI: the monthly questionnaire window, the responses (one per factory, KBLI 2-digit line and month)
and the stored monthly results."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iki import tallies
from iki.questions import FACTOR_QUESTIONS, Change, Outlook, factor_bits
from siinas.lib.uploads import private_storage, private_upload_to

DEFAULT_OPEN_DAY = 12
DEFAULT_CLOSE_DAY = 23


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


class IkiPeriod(models.Model):
    """The questionnaire window of one month. Without a row, the window is the 12th–23rd; an admin
    adds a row (Django admin) to move it for a month."""

    month = models.DateField(_("bulan"), unique=True, help_text=_("Tanggal 1 bulan yang bersangkutan."))
    opens_on = models.DateField(_("dibuka tanggal"))
    closes_on = models.DateField(_("ditutup tanggal"), help_text=_("Hari terakhir pengisian (sampai pukul 23.59 WIB)."))

    class Meta:
        ordering = ["-month"]
        verbose_name = _("jadwal kuesioner IKI")
        verbose_name_plural = _("jadwal kuesioner IKI")
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="ikiperiod_month_is_first_day"),
            models.CheckConstraint(condition=Q(opens_on__lte=models.F("closes_on")), name="ikiperiod_opens_before_close"),
        ]

    def __str__(self) -> str:
        return f"IKI {month_label(self.month)}: {self.opens_on:%d-%m-%Y} s.d. {self.closes_on:%d-%m-%Y}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("Isi dengan tanggal 1 bulan yang bersangkutan.")})
        if self.opens_on and self.closes_on and self.opens_on > self.closes_on:
            raise ValidationError({"closes_on": _("Tanggal tutup tidak boleh sebelum tanggal buka.")})
        if self.month and self.opens_on and self.opens_on < self.month:
            raise ValidationError({"opens_on": _("Jendela tidak boleh dibuka sebelum bulan yang bersangkutan.")})


def _answer_check(field: str, choices) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": [c for c, _ in choices]}), name=f"ikiresponse_{field}_valid")


class IkiResponse(models.Model):
    """One factory's answers for one KBLI 2-digit business line in one month (SE Menperin 13/2022)."""

    factory = models.ForeignKey(
        "accounts.Factory", verbose_name=_("akun pabrik"), on_delete=models.PROTECT, related_name="iki_responses"
    )
    period = models.DateField(_("periode"), help_text=_("Tanggal 1 bulan pelaporan."))
    kbli2 = models.ForeignKey(
        "core.Kbli",
        verbose_name=_("bidang usaha (KBLI 2020, 2 digit)"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "golongan_pokok"},
    )
    operating_commercially = models.BooleanField(
        _("Apakah pabrik dengan lokasi di atas sudah beroperasi secara komersial?"), default=True
    )
    main_product = models.CharField(_("produk utama"), max_length=255)

    official_name = models.CharField(_("nama"), max_length=150)
    official_position = models.CharField(_("jabatan"), max_length=150)
    official_phone = models.CharField(_("no. telp./HP"), max_length=30)
    official_email = models.EmailField(_("email"))

    general = models.CharField(_("kondisi kegiatan usaha secara umum"), max_length=10, choices=Change.choices)
    orders = models.CharField(_("volume pesanan baru"), max_length=10, choices=Change.choices)
    orders_factors = models.JSONField(_("faktor pesanan baru"), default=list, blank=True)
    orders_other = models.CharField(_("faktor pesanan baru lainnya"), max_length=255, blank=True)
    production = models.CharField(_("volume produksi"), max_length=10, choices=Change.choices)
    production_factors = models.JSONField(_("faktor volume produksi"), default=list, blank=True)
    production_other = models.CharField(_("faktor volume produksi lainnya"), max_length=255, blank=True)
    stock = models.CharField(_("volume persediaan (stok) produk"), max_length=10, choices=Change.choices)
    stock_factors = models.JSONField(_("faktor persediaan produk"), default=list, blank=True)
    stock_other = models.CharField(_("faktor persediaan produk lainnya"), max_length=255, blank=True)
    outlook = models.CharField(_("kondisi dunia usaha 6 bulan ke depan"), max_length=16, choices=Outlook.choices)
    outlook_factors = models.JSONField(_("faktor kondisi 6 bulan ke depan"), default=list, blank=True)
    outlook_other = models.CharField(_("faktor kondisi 6 bulan ke depan lainnya"), max_length=255, blank=True)

    # Derived on insert (never typed in): this factory + line also answered the month before. Panel
    # consistency is then a plain count in the tally scan instead of one index probe per row.
    answered_previous_month = models.BooleanField(default=False, editable=False)
    # Derived from the factor lists on save (never typed in): the tally's one-scan factor counts.
    orders_factor_bits = models.PositiveIntegerField(default=0, editable=False)
    production_factor_bits = models.PositiveIntegerField(default=0, editable=False)
    stock_factor_bits = models.PositiveIntegerField(default=0, editable=False)
    outlook_factor_bits = models.PositiveIntegerField(default=0, editable=False)

    power_of_attorney = models.FileField(
        _("surat kuasa"),
        storage=private_storage,
        upload_to=private_upload_to("iki-surat-kuasa"),
        blank=True,
        max_length=200,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diisi oleh"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        ordering = ["-period", "kbli2_id"]
        verbose_name = _("jawaban kuesioner IKI")
        verbose_name_plural = _("jawaban kuesioner IKI")
        constraints = [
            models.UniqueConstraint(fields=["factory", "period", "kbli2"], name="ikiresponse_one_per_factory_line_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="ikiresponse_period_is_first_day"),
            _answer_check("general", Change.choices),
            _answer_check("orders", Change.choices),
            _answer_check("production", Change.choices),
            _answer_check("stock", Change.choices),
            _answer_check("outlook", Outlook.choices),
        ]
        indexes = [
            models.Index(fields=["period", "kbli2"], name="ikiresponse_period_kbli_idx"),
            # covers "which factories answered this month" (the reported-workforce lookup of the tally)
            models.Index(fields=["period", "factory"], name="ikiresponse_period_factory_idx"),
        ]

    def __str__(self) -> str:
        return f"IKI {month_label(self.period)} KBLI {self.kbli2_id} — {self.factory_id}"

    def save(self, *args, **kwargs):
        self.set_factor_bits()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *(f"{a}_factor_bits" for a, *_rest in FACTOR_QUESTIONS)}
        adding = self._state.adding
        with transaction.atomic():
            old = None if adding or self.pk is None else tallies.stored_values(self.pk, lock=True)
            if adding:
                self.answered_previous_month = self._line(self.period - timedelta(days=1)).exists()
            super().save(*args, **kwargs)
            # the month's running tally moves with every write (iki/tallies.py)
            tallies.response_changed(old=old, new=tallies.stored_values(self.pk))
            if adding:
                # an admin-stretched window can let next month's answer come first
                self._set_next_month_flag(True)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            old = tallies.stored_values(self.pk, lock=True)
            result = super().delete(*args, **kwargs)
            tallies.response_changed(old=old, new=None)
            if old is not None:
                self._set_next_month_flag(False)  # next month's line no longer repeats this one
            return result

    def _set_next_month_flag(self, value: bool) -> None:
        following = self._line(self.period + timedelta(days=31)).select_for_update().first()
        if following is not None and following.answered_previous_month != value:
            following.answered_previous_month = value
            following.save(update_fields=["answered_previous_month"])

    @property
    def period_label(self) -> str:
        return month_label(self.period)

    def _line(self, day: date) -> models.QuerySet:
        """This factory + KBLI line's response in the month of ``day``."""
        return IkiResponse.objects.filter(factory_id=self.factory_id, kbli2_id=self.kbli2_id, period=day.replace(day=1))

    def set_factor_bits(self) -> None:
        for answer, factors_field, _other, _choices, _neutral in FACTOR_QUESTIONS:
            setattr(self, f"{answer}_factor_bits", factor_bits(answer, getattr(self, factors_field) or []))


class IkiResult(models.Model):
    """The computed month (``iki.engine.MonthResult.as_stored()``), what the pages and the release show.

    Holds aggregates only: a subsector under 3 respondents has no values here at all.
    """

    period = models.DateField(_("periode"), unique=True)
    iki = models.DecimalField(_("IKI"), max_digits=5, decimal_places=2, null=True)
    status = models.CharField(_("status"), max_length=12)
    respondents = models.PositiveIntegerField(_("responden"))
    gdp_period = models.CharField(_("periode pangsa PDB"), max_length=10, blank=True)
    payload = models.JSONField(_("hasil"))
    computed_at = models.DateTimeField(_("dihitung"), default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dihitung oleh"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period"]
        verbose_name = _("hasil IKI")
        verbose_name_plural = _("hasil IKI")
        constraints = [models.CheckConstraint(condition=Q(period__day=1), name="ikiresult_period_is_first_day")]

    def __str__(self) -> str:
        return f"IKI {month_label(self.period)}: {self.iki if self.iki is not None else '–'}"

    @property
    def period_label(self) -> str:
        return month_label(self.period)


class IkiTally(models.Model):
    """The running tally of one month and KBLI division (iki/tallies.py): kept by every write of a
    response, read by the month's computation. Never edited by hand; ``tallies.rebuild`` recomputes it."""

    period = models.DateField(_("periode"))
    kbli2 = models.CharField(_("KBLI 2 digit"), max_length=2)
    respondents = models.IntegerField(default=0)
    weight = models.BigIntegerField(default=0)  # Σw
    orders = models.BigIntegerField(default=0)  # Σw·2x, as engine.Sums
    production = models.BigIntegerField(default=0)
    stock = models.BigIntegerField(default=0)
    counts = models.JSONField(default=dict)  # "general:tetap", "outlook:optimis", "orders", "orders:hpe", "panel" → n

    class Meta:
        verbose_name = _("tally IKI")
        verbose_name_plural = _("tally IKI")
        constraints = [models.UniqueConstraint(fields=["period", "kbli2"], name="ikitally_one_per_month_division")]

    def __str__(self) -> str:
        return f"Tally IKI {month_label(self.period)} KBLI {self.kbli2}"


class IkiTallyWeight(models.Model):
    """The weight a factory's lines of one month were tallied with (its workforce then, floored at 1).
    The computation compares it with the current weight and corrects that factory's lines."""

    period = models.DateField(_("periode"))
    factory = models.ForeignKey("accounts.Factory", on_delete=models.CASCADE, related_name="+")
    weight = models.BigIntegerField()

    class Meta:
        verbose_name = _("bobot tally IKI")
        verbose_name_plural = _("bobot tally IKI")
        constraints = [models.UniqueConstraint(fields=["period", "factory"], name="ikitallyweight_one_per_month_factory")]

    def __str__(self) -> str:
        return f"Bobot IKI {month_label(self.period)} — {self.factory_id}: {self.weight}"


class AcceptedWorkforce(models.Model):
    """The workforce of a factory's latest accepted (verified or validated) semester report — the IKI
    weight before the profile's (SIINAS.md §5), kept so a month's computation reads one row per factory
    instead of every accepted report.

    Kept by ``iki.weights.refresh`` whenever one of the factory's reports enters or leaves the accepted
    statuses (``reporting.services`` status pipeline); rebuilt by ``iki.weights.rebuild``. ``workforce``
    is NULL when the factory has no accepted report any more, or when that report has no workforce
    section: the profile's ``Factory.workforce`` then applies.
    """

    factory = models.OneToOneField("accounts.Factory", on_delete=models.CASCADE, primary_key=True, related_name="+")
    report = models.ForeignKey("reporting.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    workforce = models.IntegerField(_("tenaga kerja laporan diterima"), null=True, blank=True)

    class Meta:
        verbose_name = _("tenaga kerja laporan diterima terakhir")
        verbose_name_plural = _("tenaga kerja laporan diterima terakhir")

    def __str__(self) -> str:
        return f"{self.factory_id}: {self.workforce}"


class IkiRelease(models.Model):
    """One published vintage of an IKI month (docs/statistics.md, "Release vintages (IKI)").

    Publishing freezes the month's inputs — every response's answers and the weight it counted with,
    last month's published IKI (for the change), the GDP shares used — and the figures computed from
    them. The public page, the PDF and the CSV show the newest vintage of a month; ``iki_compute
    --vintage N`` recomputes a vintage from its frozen inputs and must give its figures exactly. A
    revision is the next vintage (2, 3, …) with its reason; earlier vintages are never changed.
    """

    period = models.DateField(_("periode"))
    vintage = models.PositiveSmallIntegerField(_("rilis ke"))
    published_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diterbitkan oleh"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("alasan revisi"), blank=True)
    # the frozen outputs, as shown (engine.MonthResult.as_stored())
    iki = models.DecimalField(_("IKI"), max_digits=5, decimal_places=2)
    status = models.CharField(_("status"), max_length=12)
    respondents = models.PositiveIntegerField(_("responden"))
    gdp_period = models.CharField(_("periode pangsa PDB"), max_length=10, blank=True)
    payload = models.JSONField(_("hasil"))
    # the frozen inputs (iki/vintages.py) and the SHA-256 of their canonical JSON
    inputs = models.JSONField(_("masukan"))
    inputs_sha256 = models.CharField(_("SHA-256 masukan"), max_length=64)

    class Meta:
        ordering = ["-period", "-vintage"]
        verbose_name = _("rilis IKI")
        verbose_name_plural = _("rilis IKI")
        constraints = [
            models.UniqueConstraint(fields=["period", "vintage"], name="ikirelease_one_per_month_vintage"),
            models.CheckConstraint(condition=Q(period__day=1), name="ikirelease_period_is_first_day"),
            models.CheckConstraint(condition=Q(vintage__gte=1), name="ikirelease_vintage_from_1"),
            models.CheckConstraint(condition=Q(vintage=1) | ~Q(reason=""), name="ikirelease_revision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Rilis IKI {month_label(self.period)} ke-{self.vintage}: {self.iki}"

    @property
    def period_label(self) -> str:
        return month_label(self.period)

    @property
    def is_revision(self) -> bool:
        return self.vintage > 1
