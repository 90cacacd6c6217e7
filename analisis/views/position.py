"""Posisi Anda (issue 18 §2): the signed-in company's own factory against its subsector, as bands."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import own_factory_or_404
from accounts.models import Role
from analisis.position import MEASURES, MIN_GROUP, export_table, factory_position
from siinas.lib.access import role_required
from siinas.lib.exports import attachment, table_file


@require_GET
@role_required(Role.COMPANY)
def position(request: HttpRequest) -> HttpResponse:
    factory = own_factory_or_404(request.user)
    context = {"position": factory_position(factory), "min_group": MIN_GROUP, "measures": MEASURES.values()}
    return render(request, "analisis/position/page.html", context)


@require_GET
@role_required(Role.COMPANY)
def position_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Exactly the page's table (the own factory's values and bands) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    result = factory_position(own_factory_or_404(request.user))
    if not result.shows_bands:
        raise Http404
    header, rows = export_table(result)
    content, content_type = table_file(fmt, header, rows, sheet="Posisi Anda")
    period = result.period
    return attachment(f"posisi-anda-{period.year}-{period.number}.{fmt}", content, content_type)
