"""Filters of the officer review queue (style.md §10: list filters use django-filter)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Factory
from eservice.catalog import services_reviewed_by
from eservice.models import Application, Status
from siinas.core.models import Kbli, Region
from siinas.lib.form_renderer import LeanForm

AGE_CHOICES = [
    ("3", _("Menunggu lebih dari 3 hari")),
    ("7", _("Menunggu lebih dari 7 hari")),
    ("14", _("Menunggu lebih dari 14 hari")),
]


class QueueFilter(django_filters.FilterSet):
    """Service, status (default: waiting = Diajukan/Diperiksa), province, KBLI division, waiting time, text."""

    layanan = django_filters.ChoiceFilter(
        label=_("Layanan"), field_name="service", empty_label=_("Semua layanan")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in Status.choices if c[0] != Status.DRAFT],
        empty_label=_("Menunggu (Diajukan/Diperiksa)"),
    )
    provinsi = django_filters.ModelChoiceFilter(
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
    lama = django_filters.ChoiceFilter(
        label=_("Lama menunggu"), choices=AGE_CHOICES, method="filter_age", empty_label=_("Semua")
    )
    q = django_filters.CharFilter(label=_("Cari nomor/perusahaan"), method="filter_text")

    class Meta:
        model = Application
        fields: list[str] = []
        form = LeanForm  # its selects are written without widget templates (issue 14)

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["layanan"].extra["choices"] = [(s.code, s.name) for s in services_reviewed_by(role)]

    def filter_kbli(self, queryset: QuerySet, name: str, value: Kbli) -> QuerySet:
        in_division = Factory.kbli.through.objects.filter(
            factory_id=OuterRef("factory_id"), kbli__division=value
        )
        return queryset.filter(Exists(in_division))

    def filter_age(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(last_submitted_at__lte=timezone.now() - dt.timedelta(days=int(value)))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(factory__company__name__icontains=value)
            | Q(factory__name__icontains=value)
        )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=Application.OPEN_FOR_REVIEW)
        return queryset.order_by("last_submitted_at", "pk")
