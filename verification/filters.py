"""Filters of the review queues (style.md §10: list filters use django-filter)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Factory
from reporting.models import Period
from reporting.registry import REPORT_TYPE_CHOICES
from siinas.core.models import Kbli, Region
from siinas.lib.form_renderer import LeanForm
from verification.services.review import CLAIM_TTL

AGE_CHOICES = [
    ("3", _("Menunggu lebih dari 3 hari")),
    ("7", _("Menunggu lebih dari 7 hari")),
    ("14", _("Menunggu lebih dari 14 hari")),
    ("30", _("Menunggu lebih dari 30 hari")),
]
CLAIM_CHOICES = [("free", _("Belum diambil")), ("mine", _("Saya periksa")), ("others", _("Diperiksa petugas lain"))]


class ReviewQueueFilter(django_filters.FilterSet):
    """Period, report type, province, KBLI division, waiting time, late first submission, claim."""

    period = django_filters.ModelChoiceFilter(label=_("Periode"), queryset=Period.objects.all(), empty_label=_("Semua periode"))
    report_type = django_filters.ChoiceFilter(label=_("Jenis laporan"), choices=REPORT_TYPE_CHOICES, empty_label=_("Semua jenis"))
    province = django_filters.ModelChoiceFilter(
        label=_("Provinsi"),
        field_name="factory__province",
        queryset=Region.objects.filter(level=Region.Level.PROVINSI),
        empty_label=_("Semua provinsi"),
    )
    kbli = django_filters.ModelChoiceFilter(
        label=_("KBLI (golongan pokok)"),
        queryset=Kbli.objects.filter(level=Kbli.Level.GOLONGAN_POKOK),
        method="filter_kbli",
        empty_label=_("Semua KBLI"),
    )
    age = django_filters.ChoiceFilter(label=_("Lama menunggu"), choices=AGE_CHOICES, method="filter_age", empty_label=_("Semua"))
    late = django_filters.BooleanFilter(
        label=_("Terlambat (pengiriman pertama di luar masa pelaporan)"),
        method="filter_late",
        # The empty choice means "every report", not Django's "Tidak diketahui" (issue 16 §9).
        widget=forms.Select(choices=[("", _("Semua")), ("true", _("Ya")), ("false", _("Tidak"))]),
    )
    claim = django_filters.ChoiceFilter(label=_("Pemeriksa"), choices=CLAIM_CHOICES, method="filter_claim", empty_label=_("Semua"))

    class Meta:
        form = LeanForm  # its selects are written without widget templates (issue 14)

    def filter_kbli(self, queryset: QuerySet, name: str, value: Kbli) -> QuerySet:
        in_division = Factory.kbli.through.objects.filter(factory_id=OuterRef("factory_id"), kbli__division=value)
        return queryset.filter(Exists(in_division))

    def filter_age(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(last_submitted_at__lte=timezone.now() - dt.timedelta(days=int(value)))

    def filter_late(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(submitted_on_time=not value)

    def filter_claim(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        fresh = Q(claim__claimed_at__gte=timezone.now() - CLAIM_TTL)
        if value == "free":
            return queryset.exclude(fresh)
        if value == "mine":
            return queryset.filter(fresh, claim__user=self.request.user)
        return queryset.filter(fresh).exclude(claim__user=self.request.user)
