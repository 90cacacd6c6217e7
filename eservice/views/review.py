"""Officer side: the review queue per service (HTML and CSV from one selector) and the review actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from eservice import services
from eservice.access import can_decide, can_review, get_application_for_user_or_404
from eservice.catalog import form_payload, services_reviewed_by
from eservice.forms import DecisionForm, ReturnForm
from eservice.models import Status
from eservice.selectors import QUEUE_HEADER, queue_counts, queue_export, queue_page, queue_version
from eservice.views import errors_onto
from eservice.views.applications import detail_response
from siinas.lib.access import require, role_required
from siinas.lib.exports import csv_response

QUEUE_ROLES = (Role.VERIFIER, Role.VALIDATOR, Role.ADMIN)
REVIEW_ROLES = (Role.VERIFIER, Role.VALIDATOR)


@role_required(*QUEUE_ROLES)
def review_queue_view(request: HttpRequest) -> HttpResponse:
    version = queue_version()
    queue, page = queue_page(request.user, request.GET, request.GET.get("halaman"), version=version)
    counts = queue_counts(request.user, version=version)
    tabs = [{"service": s, "count": counts.get(s.code, 0)} for s in services_reviewed_by(request.user.role)]
    query = request.GET.copy()
    query.pop("halaman", None)
    service = request.GET.get("layanan", "")
    context = {"form": queue.form, "page": page, "tabs": tabs, "service": service, "query": query.urlencode()}
    return render(request, "eservice/review_queue.html", context)


@role_required(*QUEUE_ROLES)
def review_queue_export(request: HttpRequest) -> HttpResponse:
    rows = queue_export(request.user, request.GET)
    return csv_response(f"antrean-layanan-{timezone.localdate():%Y%m%d}.csv", QUEUE_HEADER, rows)


@require_POST
@role_required(*REVIEW_ROLES)
def application_start_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    require(can_review(request.user, application))
    try:
        services.application_start_review(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("eservice:application-detail", pk=application.pk)


@require_POST
@role_required(*REVIEW_ROLES)
def application_take_over(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    require(can_review(request.user, application))
    try:
        services.application_take_over(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Permohonan sekarang Anda periksa."))
    return redirect("eservice:application-detail", pk=application.pk)


@require_POST
@role_required(*REVIEW_ROLES)
def application_return(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    require(can_review(request.user, application))
    require(can_decide(request.user, application))
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.application_return(
                actor=request.user, application=application, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Permohonan dikembalikan untuk diperbaiki."))
            return redirect("eservice:application-detail", pk=application.pk)
    return detail_response(request, application, status=400, return_form=form)


@role_required(*REVIEW_ROLES)
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    require(can_decide(request.user, application) and application.status == Status.IN_REVIEW)
    service = application.service_type
    data = request.POST or None
    form = DecisionForm(data)
    extra = service.decision_form(data, prefix="keputusan") if service.decision_form else None
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["outcome"] == "approve"
        # The service's decision fields matter only for an approval; a rejection needs a reason.
        if not approve or extra is None or extra.is_valid():
            try:
                services.application_decide(
                    actor=request.user,
                    application=application,
                    approve=approve,
                    note=form.cleaned_data["note"],
                    decision_data=form_payload(extra, None) if approve and extra is not None else {},
                )
            except ValidationError as exc:
                errors_onto(form, exc, *([extra] if extra is not None else []))
            else:
                messages.success(request, _("Keputusan disimpan dan pemohon diberi tahu."))
                return redirect("eservice:application-detail", pk=application.pk)
    figures = service.computed(application.data)
    context = {
        "application": application,
        "service": service,
        "form": form,
        "extra": extra,
        "figures": figures,
    }
    return render(
        request, "eservice/decision_form.html", context, status=400 if request.method == "POST" else 200
    )
