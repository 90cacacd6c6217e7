"""The public "Informasi Industri" page and its downloads: no login, protected aggregates only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from informasi import presenters
from informasi.forms import StatisticsFilter
from informasi.selectors import industry_statistics, statistics_version
from pemda.selectors.reports import reporting_periods
from siinas.lib.exports import attachment, table_file
from siinas.lib.generated import public_download_allowed, too_many_downloads


def _filtered(request: HttpRequest):
    periods = reporting_periods()
    form = StatisticsFilter(request.GET, periods=periods)
    chosen = form.value("periode")
    period = next((p for p in periods if p.pk == chosen), periods[0] if periods else None)
    return form, period, form.value("provinsi"), form.value("kbli"), form.value("ukuran") or "establishments"


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form, period, province, division, measure = _filtered(request)
    context = {"form": form, "period": period, "measure": measure, "query": request.GET.urlencode()}
    if period is not None:
        version = statistics_version()
        table = industry_statistics(period.pk, province, division, version=version)
        national = table if province is None else industry_statistics(period.pk, None, division, version=version)
        context |= presenters.page(table, national, measure, province)
    return render(request, "informasi/statistics.html", context)


@require_GET
def statistics_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Exactly the table the page shows for the same filters, as CSV or XLSX; rate-limited like every
    public download (siinas/lib/generated.py)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if not public_download_allowed(request):
        return too_many_downloads(request)
    _form, period, province, division, _measure = _filtered(request)
    if period is None:
        raise Http404
    table = industry_statistics(period.pk, province, division)
    header, rows = presenters.export_table(table)
    content, content_type = table_file(fmt, header, rows, sheet="Informasi Industri")
    return attachment(presenters.filename(period, table, fmt), content, content_type)
