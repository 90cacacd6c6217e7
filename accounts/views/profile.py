"""Data Perusahaan of the signed-in company user: overview, one form per section, history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access, forms, selectors, services
from accounts.models import AccountCertificate, CompanyProfile, FactoryContact, Role
from accounts.services.profile import SECTIONS
from accounts.views.registration import _apply_errors
from siinas.lib.access import get_scoped_or_404, role_required

SAVED = gettext_noop("Perubahan %(section)s tersimpan.")


def _factory(request):
    return access.own_factory_or_404(request.user)


@role_required(Role.COMPANY)
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    factory = _factory(request)
    context = {
        "factory": factory,
        "company_profile": CompanyProfile.objects.filter(company=factory.company).select_related("hq_region").first(),
        "contact": FactoryContact.objects.filter(factory=factory).first(),
        "kbli": list(factory.kbli.select_related("division")),
        "capacities": list(factory.capacities.select_related("kbli")),
        "licences": list(factory.licences.all()),
        "licence_form": forms.LicenceForm(),
        "certificate": factory.certificates.filter(status=AccountCertificate.Status.CURRENT).first(),
        "recent_changes": list(selectors.profile_history(factory)[:5]),
    }
    return render(request, "accounts/profile.html", context)


def _initial(factory, section: str) -> dict:
    initial = {}
    for getter, fields in SECTIONS[section][1]:
        instance = getter(factory)
        for name in fields:
            initial[name] = getattr(instance, name, None)
    return initial


@role_required(Role.COMPANY)
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, section: str) -> HttpResponse:
    if section not in forms.SECTION_FORMS:
        raise Http404
    factory = _factory(request)
    form_class = forms.SECTION_FORMS[section]
    form = form_class(request.POST if request.method == "POST" else None, initial=_initial(factory, section))
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_section_update(actor=request.user, factory=factory, section=section, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _(SAVED) % {"section": _(SECTIONS[section][0])})
            return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form, "title": _(SECTIONS[section][0])})


@role_required(Role.COMPANY)
@require_http_methods(["GET", "POST"])
def profile_kbli(request: HttpRequest) -> HttpResponse:
    factory = _factory(request)
    form = forms.KbliForm(request.POST if request.method == "POST" else None, initial={"kbli": list(factory.kbli.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.factory_kbli_set(actor=request.user, factory=factory, kbli=form.cleaned_data["kbli"], request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _(SAVED) % {"section": _("Bidang Usaha")})
            return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form, "title": _("Bidang Usaha")})


@role_required(Role.COMPANY)
@require_http_methods(["GET", "POST"])
def profile_capacity(request: HttpRequest) -> HttpResponse:
    factory = _factory(request)
    options = {k.code: k for k in factory.kbli.all()}
    initial = [{"product": c.product, "kbli": c.kbli_id or "", "capacity": c.capacity, "unit": c.unit} for c in factory.capacities.all()]
    formset = forms.CapacityFormSet(request.POST if request.method == "POST" else None, initial=initial, form_kwargs={"kbli_options": options}, prefix="kapasitas")
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        services.capacities_replace(actor=request.user, factory=factory, rows=rows, request=request)
        messages.success(request, _(SAVED) % {"section": _("Kapasitas Produksi")})
        return redirect("accounts:profile")
    return render(request, "accounts/profile_capacity.html", {"formset": formset})


@role_required(Role.COMPANY)
@require_POST
def licence_add(request: HttpRequest) -> HttpResponse:
    factory = _factory(request)
    form = forms.LicenceForm(request.POST)
    if form.is_valid():
        try:
            services.licence_add(actor=request.user, factory=factory, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _(SAVED) % {"section": _("Perizinan")})
            return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form, "title": _("Perizinan"), "action": request.path}, status=400)


@role_required(Role.COMPANY)
@require_POST
def licence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    licence = get_scoped_or_404(access.licences_of(request.user), pk=pk)
    services.licence_delete(actor=request.user, licence=licence, request=request)
    messages.success(request, _(SAVED) % {"section": _("Perizinan")})
    return redirect("accounts:profile")


@role_required(Role.COMPANY)
@require_GET
def profile_history(request: HttpRequest) -> HttpResponse:
    factory = _factory(request)
    page = Paginator(selectors.profile_history(factory), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/profile_history.html", {"page": page, "factory": factory})
