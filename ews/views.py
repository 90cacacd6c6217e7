"""The "Peringatan dini" page: active early-warning signals in the user's scope, with their evidence."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ews import detect, selectors
from ews.access import VIEWERS
from ews.models import Signal
from siinas.lib.access import role_required


@role_required(*VIEWERS)
@require_GET
def signal_list(request: HttpRequest) -> HttpResponse:
    source = request.GET.get("sumber", "")
    page = selectors.active_signals_page(request.user, source=source, page=request.GET.get("halaman", 1))
    charts = {f"sinyal-{s.pk}": s.chart for s in page.object_list}
    context = {
        "page": page,
        "charts": charts,
        "source": source,
        "sources": Signal.Source.choices,
        "params": {
            "z": detect.Z_THRESHOLD,
            "min_history": detect.MIN_HISTORY,
            "streak": detect.STREAK_MONTHS,
            "yoy": detect.YOY_FALL_PCT,
            "min_companies": detect.MIN_COMPANIES,
            "iomki_utilisation": detect.IOMKI_REDUCED_UTILISATION,
            "iomki_rise": round(100 * detect.IOMKI_MIN_RISE),
        },
    }
    return render(request, "ews/signal_list.html", context)
