"""Bukti Kepemilikan Akun: admin issue/re-issue/revoke, the PDF, and the public QR check."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access, selectors, services
from accounts.models import AccountCertificate, Factory, Role
from siinas.lib.access import get_scoped_or_404, role_required
from siinas.lib.audit import audit
from siinas.lib.pdf import pdf_response, render_pdf
from siinas.lib.qr import qr_data_uri


def check_url(certificate: AccountCertificate) -> str:
    return settings.SIINAS_BASE_URL + reverse("accounts:certificate-check", kwargs={"token": services.certificate_token(certificate)})


def certificate_pdf_bytes(certificate: AccountCertificate) -> bytes:
    url = check_url(certificate)
    return render_pdf("pdf/accounts-certificate.html", {"certificate": certificate, "qr": qr_data_uri(url), "check_url": url})


@role_required(Role.ADMIN)
@require_GET
def certificate_admin(request: HttpRequest) -> HttpResponse:
    factories = selectors.certificates_for_admin()
    query = request.GET.get("q", "").strip()
    if query:
        factories = factories.filter(Q(company__name__icontains=query) | Q(company__nib__startswith=query) | Q(name__icontains=query))
    page = Paginator(factories.order_by("company__name", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/certificate_admin.html", {"page": page, "query": query})


@role_required(Role.ADMIN)
@require_POST
def certificate_issue(request: HttpRequest, factory_pk: int) -> HttpResponse:
    factory = get_scoped_or_404(Factory.objects.all(), pk=factory_pk)
    certificate = services.certificate_issue(actor=request.user, factory=factory, request=request)
    messages.success(request, _("Sertifikat %(number)s diterbitkan.") % {"number": certificate.number})
    return redirect(f"{reverse('accounts:certificate-admin')}?q={factory.company.nib}")


@role_required(Role.ADMIN)
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_scoped_or_404(AccountCertificate.objects.select_related("factory__company"), pk=pk)
    reason = request.POST.get("reason", "")[:2000]
    try:
        services.certificate_revoke(actor=request.user, certificate=certificate, reason=reason, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sertifikat %(number)s dicabut.") % {"number": certificate.number})
    return redirect(f"{reverse('accounts:certificate-admin')}?q={certificate.factory.company.nib}")


@role_required(Role.ADMIN)
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_scoped_or_404(AccountCertificate.objects.select_related("factory__company"), pk=pk)
    return pdf_response(certificate_pdf_bytes(certificate), f"{certificate.number}.pdf")


@role_required(Role.COMPANY)
@require_GET
def certificate_own(request: HttpRequest) -> HttpResponse:
    """The company's current certificate (Bukti Kepemilikan Akun in its profile menu)."""
    factory = access.own_factory_or_404(request.user)
    certificate = get_scoped_or_404(factory.certificates.filter(status=AccountCertificate.Status.CURRENT))
    audit("accounts.certificate.downloaded", actor=request.user, target=certificate, request=request)
    return pdf_response(certificate_pdf_bytes(certificate), f"{certificate.number}.pdf")


@require_GET
def certificate_check(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what the QR opens. Confirms name, NIB and address only for a genuine certificate."""
    check = selectors.certificate_check(token)
    status = 200 if check.state != "invalid" else 404
    return render(request, "accounts/certificate_check.html", {"check": check, "now": timezone.now()}, status=status)
