"""Public registration with its receipt; the UPP validation queue and decisions."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access, forms, selectors, services
from accounts.models import Factory, Registration, Role
from accounts.views.auth import RATE_LIMITED
from siinas.lib.access import role_required
from siinas.lib.audit import audit
from siinas.lib.uploads import serve_private_file

RECEIPT_SESSION_KEY = "accounts_registration_receipt"

NIB_FOUND = gettext_noop(
    "NIB ditemukan di OSS: nama perusahaan diisi dari data OSS. Periksa kembali sebelum mendaftar; NPWP tetap Anda ketik dan dicocokkan dengan OSS oleh petugas UPP."
)
NIB_UNKNOWN = gettext_noop("NIB tidak ditemukan di OSS. Anda tetap dapat mendaftar; petugas UPP akan memeriksanya.")
OSS_UNAVAILABLE = gettext_noop(
    "OSS sedang tidak dapat dihubungi. Isi data secara manual; Anda tetap dapat mendaftar dan petugas UPP akan memeriksanya."
)
FILE_AGAIN = gettext_noop("Pilih kembali berkas softcopy NIB sebelum mendaftar.")
RECHECK_QUEUED = gettext_noop("Pemeriksaan ulang ke OSS dan KSWP dijadwalkan; hasilnya tampil di halaman ini.")


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Registrasi Akun SIINas (public). Rate-limited per address with allauth's rate limiter."""
    if request.method != "POST":
        return render(request, "accounts/register.html", {"form": forms.RegistrationForm()})
    # allauth keeps the count in the cache. While Redis is down the fail-soft cache reads it as empty
    # and forgets each hit, so the limit is not enforced then (the request is never refused or failed
    # for want of a cache); the captcha on this form still is, and it lives in the database.
    if not ratelimit.consume(request, action="siinas_registration"):
        # Refused before any check of the form: the typed values are shown again, nothing is validated
        # (above all not the PDF, whose parse is the expensive part).
        kept = {name: request.POST.get(name, "") for name in forms.RegistrationForm.Meta.fields if name != "nib_file"}
        messages.error(request, _(RATE_LIMITED))
        return render(request, "accounts/register.html", {"form": forms.RegistrationForm(initial=kept)}, status=429)
    form = forms.RegistrationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            registration = services.registration_submit(
                data=form.registration_data(), nib_file=form.cleaned_data["nib_file"], request=request
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            request.session[RECEIPT_SESSION_KEY] = registration.pk
            return redirect("accounts:register-receipt")
    return render(request, "accounts/register.html", {"form": form})


@require_POST
def register_check_nib(request: HttpRequest) -> HttpResponse:
    """"Cek NIB di OSS" (public). With htmx: the result line, whose data the page's script copies into the
    name and NPWP fields. Without JavaScript the button posts the whole form here: the page comes back
    with the typed values kept and the OSS ones filled in (the PDF must be chosen again)."""
    status = 200
    result = {"state": "invalid", "message": "", "record": None}
    if not ratelimit.consume(request, action="siinas_nib_check"):
        result.update(state="limited", message=_(RATE_LIMITED))
        status = 429
    else:
        try:
            nib = forms.clean_nib_value(request.POST.get("nib", ""))
        except ValidationError as exc:
            result["message"] = exc.messages[0]
        else:
            prefill = services.nib_prefill(nib=nib, request=request)
            message = {"found": NIB_FOUND, "unknown": NIB_UNKNOWN, "unavailable": OSS_UNAVAILABLE}[prefill.state]
            result.update(state=prefill.state, message=_(message), record=prefill.record)
    if request.htmx:
        return render(request, "accounts/_nib_check.html", {"nib_check": result}, status=status)
    kept = {name: request.POST.get(name, "") for name in forms.RegistrationForm.Meta.fields if name != "nib_file"}
    if result["record"] is not None:
        # The company name only: anyone may ask about any NIB, so the form never hands out the NPWP OSS holds
        # (the registrant types it; the check after submission compares it with OSS for the UPP officer).
        kept.update(company_name=result["record"].company_name)
    result["file_again"] = _(FILE_AGAIN)
    context = {"form": forms.RegistrationForm(initial=kept), "nib_check": result}
    return render(request, "accounts/register.html", context, status=status)


@require_GET
def register_receipt(request: HttpRequest) -> HttpResponse:
    """Bukti Pendaftaran: shown to the browser that filed the registration (kept in its session)."""
    pk = request.session.get(RECEIPT_SESSION_KEY)
    registration = Registration.objects.select_related("region").filter(pk=pk).first() if pk else None
    if registration is None:
        return redirect("accounts:register")
    return render(request, "accounts/register_receipt.html", {"registration": registration})


@role_required(Role.UPP, Role.ADMIN)
@require_GET
def registration_queue(request: HttpRequest) -> HttpResponse:
    rows = selectors.registration_queue()
    context = {
        "rows": rows,
        "overdue_count": sum(row.overdue for row in rows),
        "decided": selectors.registrations_decided(),
        "now": timezone.now(),
    }
    return render(request, "accounts/registration_queue.html", context)


def _detail(request, registration, *, approve_form=None, reject_form=None, status=200) -> HttpResponse:
    others = Factory.objects.filter(company__nib=registration.nib).select_related("company", "region")
    context = {
        "registration": registration,
        "approve_form": approve_form or forms.ApproveForm(initial={"account_type": _suggested_type(registration)}),
        "reject_form": reject_form or forms.RejectForm(),
        "other_accounts": others,
    }
    return render(request, "accounts/registration_detail.html", context, status=status)


def _suggested_type(registration: Registration) -> str:
    return {"industri": "A", "kawasan": "B", "lainnya": "C", "instansi": "D"}.get(registration.business_kind, "A")


@role_required(Role.UPP, Role.ADMIN)
@require_GET
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = access.get_registration_for_user_or_404(request.user, pk)
    audit("accounts.registration.viewed", actor=request.user, target=registration, request=request)
    return _detail(request, registration)


@role_required(Role.UPP, Role.ADMIN)
@require_POST
def registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    registration = access.get_registration_for_user_or_404(request.user, pk)
    form = forms.ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.registration_approve(
                actor=request.user, registration_id=registration.pk, account_type=form.cleaned_data["account_type"], request=request
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Registrasi %(number)s disetujui; username dan password dikirim ke %(email)s.") % {
                "number": registration.number, "email": registration.email})
            return redirect("accounts:registration-queue")
    registration.refresh_from_db()
    return _detail(request, registration, approve_form=form, status=400)


@role_required(Role.UPP, Role.ADMIN)
@require_POST
def registration_reject(request: HttpRequest, pk: int) -> HttpResponse:
    registration = access.get_registration_for_user_or_404(request.user, pk)
    form = forms.RejectForm(request.POST)
    if form.is_valid():
        try:
            services.registration_reject(
                actor=request.user, registration_id=registration.pk, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Registrasi %(number)s ditolak; alasannya dikirim ke %(email)s.") % {
                "number": registration.number, "email": registration.email})
            return redirect("accounts:registration-queue")
    registration.refresh_from_db()
    return _detail(request, registration, reject_form=form, status=400)


@role_required(Role.UPP, Role.ADMIN)
@require_POST
def registration_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """"Periksa ulang": ask OSS and KSWP again (through the outbox, after this request's commit)."""
    registration = access.get_registration_for_user_or_404(request.user, pk)
    try:
        services.registration_recheck(actor=request.user, registration_id=registration.pk, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _(RECHECK_QUEUED))
    return redirect("accounts:registration-detail", pk=registration.pk)


@role_required(Role.UPP, Role.ADMIN)
@require_GET
def registration_nib_file(request: HttpRequest, pk: int):
    """The uploaded NIB PDF, streamed after the access check; every view of it is logged."""
    registration = access.get_registration_for_user_or_404(request.user, pk)
    audit("accounts.registration.nib_viewed", actor=request.user, target=registration, request=request)
    return serve_private_file(registration.nib_file, download_name=f"NIB-{registration.nib}.pdf")
