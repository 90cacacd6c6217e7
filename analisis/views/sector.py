"""Analisis sektor industri: the public subsector list and subsector pages, and their downloads. Public
aggregates only (every figure from ``analisis.sector.selectors``, protected there); a signed-in company
also sees a link to its own position where that page exists."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from analisis.sector import presenters
from analisis.sector.selectors import divisions, sector_detail, sector_overview
from siinas.lib.exports import attachment, table_file
from siinas.lib.generated import public_download_allowed, too_many_downloads


def _period_slug(period) -> str:
    return f"{period.year}-s{period.number}" if period else "kosong"


@require_GET
def sector_list(request: HttpRequest) -> HttpResponse:
    overview = sector_overview()
    context = {
        "overview": overview,
        "rows": presenters.list_rows(overview),
        "total": presenters.cells(overview.total) if overview.total else None,
        "measures": presenters.measures(),
    }
    return render(request, "analisis/sector/list.html", context)


@require_GET
def sector_list_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Exactly the list's table, as CSV or XLSX; rate-limited like every public download."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if not public_download_allowed(request):
        return too_many_downloads(request)
    overview = sector_overview()
    header, rows = presenters.export_list(overview)
    content, content_type = table_file(fmt, header, rows, sheet="Analisis Sektor")
    return attachment(f"analisis-sektor-{_period_slug(overview.period)}.{fmt}", content, content_type)


def _subsector(kbli2: str) -> str:
    label = divisions().get(kbli2)
    if label is None:
        raise Http404
    return label


@require_GET
def sector_detail_page(request: HttpRequest, kbli2: str) -> HttpResponse:
    label = _subsector(kbli2)
    detail = sector_detail(kbli2)
    context = {
        "kbli2": kbli2,
        "label": label,
        "detail": detail,
        "measures": presenters.measures(),
        "headline": presenters.cells(detail["headline"]) if detail["headline"] else None,
        "trend": [{"period": t["period"], "cells": presenters.cells(t)} for t in detail["trend"]],
        "charts": presenters.trend_charts(detail["trend"]),
        "groups": [{"key": r["key"], "label": r["label"], "cells": presenters.cells(r)} for r in detail["groups"]],
        "groups_total": presenters.cells(detail["groups_total"]) if detail["groups"] else None,
        "is_company": getattr(request.user, "role", None) == "company",
    }
    return render(request, "analisis/sector/detail.html", context)


@require_GET
def sector_detail_download(request: HttpRequest, kbli2: str, table: str, fmt: str) -> HttpResponse:
    """One table of the subsector page (``presenters.DETAIL_TABLES``), exactly as shown."""
    if fmt not in ("csv", "xlsx") or table not in presenters.DETAIL_TABLES:
        raise Http404
    _subsector(kbli2)
    if not public_download_allowed(request):
        return too_many_downloads(request)
    detail = sector_detail(kbli2)
    header, rows = presenters.export_detail(detail, table)
    content, content_type = table_file(fmt, header, rows, sheet=f"Sektor {kbli2} {table}")
    return attachment(f"analisis-sektor-{kbli2}-{table}-{_period_slug(detail['period'])}.{fmt}", content, content_type)
