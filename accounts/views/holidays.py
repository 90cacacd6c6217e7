"""Hari libur nasional (admin): the calendar the 1-working-day UPP SLA skips."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import forms, services
from accounts.models import Role
from accounts.views.registration import _apply_errors
from siinas.core.models import Holiday
from siinas.lib.access import get_scoped_or_404, role_required


def _year(request: HttpRequest) -> int:
    try:
        return max(2000, min(2100, int(request.GET.get("tahun", ""))))
    except ValueError:
        return timezone.localdate().year


def _page(request: HttpRequest, form, *, status: int = 200) -> HttpResponse:
    year = _year(request)
    holidays = Holiday.objects.filter(date__year=year).order_by("date")
    context = {"form": form, "holidays": holidays, "year": year, "years": [year - 1, year, year + 1]}
    return render(request, "accounts/holiday_list.html", context, status=status)


@role_required(Role.ADMIN)
@require_GET
def holiday_list(request: HttpRequest) -> HttpResponse:
    return _page(request, forms.HolidayForm())


@role_required(Role.ADMIN)
@require_POST
def holiday_add(request: HttpRequest) -> HttpResponse:
    form = forms.HolidayForm(request.POST)
    if form.is_valid():
        try:
            holiday = services.holiday_add(actor=request.user, day=form.cleaned_data["date"], name=form.cleaned_data["name"], request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Hari libur %(day)s ditambahkan.") % {"day": holiday.date.strftime("%d-%m-%Y")})
            return redirect(f"{reverse('accounts:holiday-list')}?tahun={holiday.date.year}")
    return _page(request, form, status=400)


@role_required(Role.ADMIN)
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_scoped_or_404(Holiday.objects.all(), pk=pk)
    year = holiday.date.year
    services.holiday_delete(actor=request.user, holiday=holiday, request=request)
    messages.success(request, _("Hari libur dihapus."))
    return redirect(f"{reverse('accounts:holiday-list')}?tahun={year}")
