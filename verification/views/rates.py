"""The reporting-rate page (HTML, CSV, XLSX from one table)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reporting.models import Period
from reporting.selectors import newest_period_pk
from siinas.lib.access import role_required
from siinas.lib.exports import csv_response, xlsx_response
from siinas.lib.maps import province_map
from verification.forms import RateForm
from verification.rates import DIMENSIONS, RATE_ROLES, cached_rate_table, rate_export_rows

# The factory drill-down of a kab/kota lists every expected report (2,000+ rows in a big one): the page
# shows them a hundred at a time, the total row counts them all, CSV and XLSX carry them all.
FACTORY_PAGE_SIZE = 100


def _default_period() -> Period | None:
    today = timezone.localdate()
    return Period.objects.filter(window_opens__lte=today).order_by("-window_opens").first() or Period.objects.order_by("-start").first()


@role_required(*RATE_ROLES)
@require_GET
def reporting_rate(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if not data.get("period") and (default := _default_period()):
        data["period"] = str(default.pk)
    data.setdefault("by", "province")
    form = RateForm(data)
    table = page = rate_map = None
    if form.is_valid():
        table = cached_rate_table(user=request.user, period=form.cleaned_data["period"], by=form.cleaned_data["by"], filters=form.filters())
        export = request.GET.get("format")
        if export in ("csv", "xlsx"):
            header, rows = rate_export_rows(table)
            name = f"tingkat-pelaporan-{table.period.year}-{table.period.number}-{table.by}.{export}"
            return (csv_response if export == "csv" else xlsx_response)(name, header, rows)
        if table.by == "factory":
            page = Paginator(table.rows, FACTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        if table.by == "province":
            rate_map = province_map(_("Laporan terkirim (%)"), ((r.key, r.label, r.submitted_pct) for r in table.rows))
    params = data.copy()
    params.pop("format", None)
    params.pop("page", None)
    return render(
        request,
        "verification/reporting_rate.html",
        {"form": form, "table": table, "rows": page.object_list if page else table.rows if table else [], "page": page,
         "dimension": DIMENSIONS.get(data.get("by"), ""), "query": params.urlencode(),
         "period_param": data.get("period", ""), "filter_version": newest_period_pk(), "rate_map": rate_map},
        status=200 if form.is_valid() or not request.GET else 400,
    )  # fmt: skip
