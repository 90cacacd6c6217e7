"""Filters of the Pemda company list (style.md §10: list filters use django-filter)."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import AccountType, Factory, Role, Scale
from reporting.models import Period
from siinas.core.models import Kbli, Region

KBLI_CODE_INVALID = gettext_noop("Kode KBLI terdiri dari 2 sampai 5 angka, mis. 10 atau 10110.")


class KbliCodeField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and not re.fullmatch(r"\d{2,5}", value):
            raise forms.ValidationError(_(KBLI_CODE_INVALID), code="kbli")
        return value


class KbliCodeFilter(django_filters.CharFilter):
    field_class = KbliCodeField


def _territory_regions(user) -> QuerySet[Region]:
    if user.role == Role.PEMDA_PROV:
        return Region.objects.filter(province_id=user.region_id)
    return Region.objects.filter(pk=user.region_id)


class CompanyFilter(django_filters.FilterSet):
    """KBLI (any level, by code prefix), kab/kota inside the territory, scale, account type, name."""

    q = django_filters.CharFilter(label=_("Nama perusahaan/lokasi"), method="filter_name")
    kbli = KbliCodeFilter(label=_("KBLI (2–5 digit)"), method="filter_kbli")
    region = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"), queryset=Region.objects.none(), empty_label=_("Semua kab/kota")
    )
    scale = django_filters.ChoiceFilter(label=_("Skala usaha"), choices=Scale.choices, empty_label=_("Semua skala"))
    account_type = django_filters.ChoiceFilter(
        label=_("Tipe akun"), choices=AccountType.choices, empty_label=_("Semua tipe")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status akun"), choices=Factory.Status.choices, empty_label=_("Semua status")
    )
    periode = django_filters.ModelChoiceFilter(
        label=_("Periode laporan"), queryset=Period.objects.none(), method="filter_period", empty_label=_("Periode terakhir")
    )
    laporan = django_filters.ChoiceFilter(
        label=_("Status laporan"), choices=(), method="filter_report", empty_label=_("Semua status laporan")
    )

    class Meta:
        model = Factory
        fields = ["q", "kbli", "region", "scale", "account_type", "status", "periode", "laporan"]

    def __init__(self, *args, user, **kwargs):
        from pemda.selectors.reports import MONITOR_STATUSES

        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = _territory_regions(user)
        self.filters["periode"].queryset = Period.objects.filter(window_opens__lte=timezone.localdate()).order_by("-start")
        self.filters["laporan"].extra["choices"] = MONITOR_STATUSES

    @property
    def report_period(self) -> Period | None:
        """The period the reporting status speaks of: the one chosen, else the latest opened."""
        chosen = self.form.cleaned_data.get("periode") if self.form.is_valid() else None
        return chosen or self.filters["periode"].queryset.first()

    def filter_period(self, queryset, name, value):
        return queryset  # only names the period for ``laporan`` and the list's status column

    def filter_report(self, queryset, name, value):
        from pemda.selectors.reports import filter_report_status, with_report_status

        period = self.report_period
        if period is None:
            return queryset.none()
        return filter_report_status(with_report_status(queryset, period), period, value)

    def filter_name(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(company__name__icontains=value) | Q(name__icontains=value))

    def filter_kbli(self, queryset, name, value):
        # EXISTS, not a join: a factory with several matching KBLI codes stays one row.
        through = Factory.kbli.through
        matches = through.objects.filter(factory_id=OuterRef("pk"), kbli__code__startswith=value)
        return queryset.filter(Exists(matches))


def kbli_divisions() -> QuerySet[Kbli]:
    return Kbli.objects.filter(level=Kbli.Level.GOLONGAN_POKOK)
