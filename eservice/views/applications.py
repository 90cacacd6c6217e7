"""Company side of the e-services, and the detail page shared with the reviewing officer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from eservice import services
from eservice.access import can_comment, can_decide, can_review, get_application_for_user_or_404, is_owner
from eservice.catalog import SERVICES, get_service
from eservice.forms import CommentForm, DocumentForm, ReturnForm, ServiceEntry
from eservice.models import Status
from eservice.selectors import application_detail, company_applications, letter_context, pemda_iomki_page
from eservice.service_forms import WeeklyReportForm
from eservice.views import errors_onto
from siinas.lib.access import require, role_required
from siinas.lib.audit import audit
from siinas.lib.pdf import pdf_response, render_pdf
from siinas.lib.uploads import serve_private_file

DETAIL_ROLES = (Role.COMPANY, Role.VERIFIER, Role.VALIDATOR, Role.ADMIN, Role.PEMDA_PROV, Role.PEMDA_KAB)


@role_required(Role.COMPANY)
def application_list(request: HttpRequest) -> HttpResponse:
    catalogue = [{"service": s, "refusal": s.refusal(request.user.factory)} for s in SERVICES]
    applications = company_applications(request.user)
    return render(
        request, "eservice/application_list.html", {"catalogue": catalogue, "applications": applications}
    )


@role_required(Role.COMPANY)
def application_create(request: HttpRequest, service: str) -> HttpResponse:
    service_type = get_service(service)
    entry = ServiceEntry(service_type, data=request.POST or None)
    if request.method == "POST" and entry.is_valid():
        try:
            application = services.application_create(
                actor=request.user, service_code=service, data=entry.payload()
            )
        except ValidationError as exc:
            errors_onto(entry.form, exc)
        else:
            messages.success(request, _("Konsep disimpan. Unggah dokumen wajib lalu ajukan permohonan."))
            return redirect("eservice:application-detail", pk=application.pk)
    refusal = service_type.refusal(request.user.factory)
    return render(
        request,
        "eservice/application_form.html",
        {"service": service_type, "entry": entry, "refusal": refusal},
    )


@role_required(Role.COMPANY)
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    require(application.is_editable)
    entry = ServiceEntry(application.service_type, data=request.POST or None, initial=application.data)
    if request.method == "POST" and entry.is_valid():
        try:
            services.application_update(actor=request.user, application=application, data=entry.payload())
        except ValidationError as exc:
            errors_onto(entry.form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("eservice:application-detail", pk=application.pk)
    context = {"service": application.service_type, "entry": entry, "application": application}
    return render(request, "eservice/application_form.html", context)


def detail_response(request: HttpRequest, application, *, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    context = {
        "application": application,
        "is_owner": is_owner(user, application),
        "can_review": can_review(user, application),
        "can_decide": can_decide(user, application),
        "can_comment": can_comment(user, application),
        "document_form": forms.get("document_form") or DocumentForm(service=application.service_type),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "weekly_open": application.service_type.weekly_reports
        and application.status == Status.APPROVED
        and (application.valid_until is None or application.valid_until >= timezone.localdate()),
        **application_detail(user, application),
    }
    return render(request, "eservice/application_detail.html", context, status=status)


@role_required(*DETAIL_ROLES)
def application_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_response(request, get_application_for_user_or_404(request.user, pk))


@require_POST
@role_required(Role.COMPANY)
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    try:
        services.application_submit(actor=request.user, application=application)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Permohonan diajukan. Status dan catatan petugas dapat dipantau di halaman ini.")
        )
    return redirect("eservice:application-detail", pk=application.pk)


@require_POST
@role_required(Role.COMPANY)
def application_discard(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    require(application.status == Status.DRAFT)
    services.application_discard(actor=request.user, application=application)
    messages.success(request, _("Konsep dihapus."))
    return redirect("eservice:application-list")


@require_POST
@role_required(Role.COMPANY)
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    require(application.is_editable)
    form = DocumentForm(request.POST, request.FILES, service=application.service_type)
    if form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Dokumen diunggah."))
            return redirect("eservice:application-detail", pk=application.pk)
    return detail_response(request, application, status=400, document_form=form)


@role_required(*DETAIL_ROLES)
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    document = get_object_or_404(application.documents, pk=document_pk)
    audit("eservice.document.download", actor=request.user, target=application, document=document.pk)
    return serve_private_file(document.file, download_name=document.original_name)


@require_POST
@role_required(*DETAIL_ROLES)
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    require(can_comment(request.user, application))
    form = CommentForm(request.POST)
    if not form.is_valid():
        return detail_response(request, application, status=400, comment_form=form)
    services.comment_add(actor=request.user, application=application, body=form.cleaned_data["body"])
    messages.success(request, _("Komentar terkirim."))
    return redirect("eservice:application-detail", pk=application.pk)


@role_required(*DETAIL_ROLES)
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    service = application.service_type
    if not service.has_letter or application.status != Status.APPROVED:
        raise Http404
    content = render_pdf(service.letter_template, letter_context(application))
    audit("eservice.letter.download", actor=request.user, target=application)
    return pdf_response(content, f"{application.letter_number.replace('/', '-')}.pdf")


@role_required(Role.COMPANY)
def weekly_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user_or_404(request.user, pk)
    require(application.service_type.weekly_reports and application.status == Status.APPROVED)
    form = WeeklyReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.weekly_report_submit(
                actor=request.user,
                application=application,
                week_start=timezone.localdate(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Laporan mingguan terkirim."))
            return redirect("eservice:application-detail", pk=application.pk)
    week = services.week_start_of(timezone.localdate())
    return render(
        request, "eservice/weekly_report_form.html", {"application": application, "form": form, "week": week}
    )


@role_required(Role.PEMDA_PROV, Role.PEMDA_KAB)
def pemda_iomki_list(request: HttpRequest) -> HttpResponse:
    """IOMKI permits and their weekly condition reports in the officer's area of authority."""
    page = pemda_iomki_page(request.user, request.GET.get("halaman"))
    return render(request, "eservice/pemda_iomki.html", {"page": page, "today": timezone.localdate()})
