"""Warning letters: the list and download for officers and for the company (its own), the sanction list."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Role
from reporting.models import Period
from siinas.lib.access import get_scoped_or_404, role_required
from siinas.lib.audit import audit
from siinas.lib.bounds import whole_number
from siinas.lib.exports import csv_response
from siinas.lib.uploads import serve_private_file
from verification.models import WarningLetter
from verification.selectors import letters_visible_to, sanction_recommendations

PAGE_SIZE = 50


@role_required(Role.COMPANY, Role.VERIFIER, Role.ADMIN)
@require_GET
def letter_list(request: HttpRequest) -> HttpResponse:
    letters = letters_visible_to(request.user).order_by("-sent_at", "-pk")
    level = request.GET.get("tingkat")
    if level in WarningLetter.Kind.values:
        letters = letters.filter(level=level)
    period = whole_number(request.GET.get("periode"))
    if period is not None:
        letters = letters.filter(period_id=period)
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "levels": WarningLetter.Kind.choices,
        "periods": Period.objects.order_by("-start"),
        "is_company": request.user.role == Role.COMPANY,
    }
    return render(request, "verification/letter_list.html", context)


@role_required(Role.COMPANY, Role.VERIFIER, Role.ADMIN)
@require_GET
def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_scoped_or_404(letters_visible_to(request.user), pk=pk)
    if request.user.is_officer:
        audit("verification.letter_downloaded", actor=request.user, target=letter, request=request)
    # Shown in the browser: the letter is a PDF SIINas rendered itself, not an upload (uploads are attachments).
    return serve_private_file(letter.pdf, download_name=letter.download_name, as_attachment=False)


@role_required(Role.VERIFIER, Role.ADMIN)
@require_GET
def sanction_list(request: HttpRequest) -> HttpResponse:
    """After SP3's deadline without a report: the administrative-sanction recommendation list."""
    cases = sanction_recommendations(today=timezone.localdate())
    if request.GET.get("format") == "csv":
        header = ["Perusahaan", "NIB", "Lokasi", "Kabupaten/kota", "Provinsi", "Periode", "Nomor SP3", "Tanggal SP3", "Batas waktu"]
        rows = (
            [c.factory.company.name, c.factory.company.nib, c.factory.name, c.factory.region.name, c.factory.province.name,
             str(c.period), c.number, c.issued_on.isoformat(), c.deadline.isoformat()]
            for c in cases
        )  # fmt: skip
        return csv_response("rekomendasi-sanksi.csv", header, rows)
    return render(request, "verification/sanction_list.html", {"cases": cases})
