"""IKI pages: the company's questionnaire, the officers' dashboard and the public release."""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from iki import access, selectors, services
from iki import release as public_release
from iki.forms import ReleaseRevisionForm, ResponseForm, initial_from
from iki.questions import FACTOR_LABELS, FACTOR_QUESTIONS
from siinas.lib.access import require, role_required
from siinas.lib.audit import audit
from siinas.lib.exports import csv_response
from siinas.lib.generated import public_download_allowed, stored_document, too_many_downloads
from siinas.lib.pdf import html_to_pdf, pdf_response
from siinas.lib.uploads import serve_private_file

# --- public release -------------------------------------------------------------------------------


@require_GET
def release(request: HttpRequest) -> HttpResponse:
    month = selectors.parse_period(request.GET.get("periode", "")) if request.GET.get("periode") else None
    series = public_release.published_series()
    data = public_release.published_release(month, series=series)
    if data is None and month is not None:
        raise Http404
    return render(request, "iki/release.html", {"release": data, "periods": series})


@require_GET
def release_pdf(request: HttpRequest, period: date) -> HttpResponse:
    """Public. Rendered once per release content and then served from storage; anonymous downloads are
    rate-limited per address (siinas/lib/generated.py)."""
    if not public_download_allowed(request):
        return too_many_downloads(request)
    data = public_release.published_release(period)
    if data is None:
        raise Http404
    html = public_release.release_html(data)
    content = stored_document("iki-release", key=html, suffix="pdf", render=lambda: html_to_pdf(html))
    return pdf_response(content, f"rilis-iki-{data.period}.pdf")


@require_GET
def release_csv(request: HttpRequest, period: date) -> HttpResponse:
    """Public. A few milliseconds to build (no PDF engine), so it is built per request; rate-limited."""
    if not public_download_allowed(request):
        return too_many_downloads(request)
    data = public_release.published_release(period)
    if data is None:
        raise Http404
    return csv_response(f"iki-{data.period}.csv", public_release.CSV_HEADER, public_release.csv_rows(data))


# --- the company's questionnaire --------------------------------------------------------------------


@role_required(*access.RESPONDENT_ROLES)
@require_GET
def response_list(request: HttpRequest) -> HttpResponse:
    factory = request.user.factory
    window = selectors.open_window()
    divisions = selectors.factory_iki_divisions(factory)
    responses = list(selectors.responses_of_factory(factory.pk))
    answered = {r.kbli2_id: r for r in responses if window and r.period == window.month}
    lines = [{"kbli": k, "response": answered.get(k.code)} for k in divisions]
    context = {
        "window": window,
        "upcoming": None if window else selectors.next_window(),
        "lines": lines,
        "responses": responses,
        "today": timezone.localdate(),
    }
    return render(request, "iki/response_list.html", context)


def _save(request: HttpRequest, form: ResponseForm, response=None):
    """Run the service; map its field errors back onto the form. Returns the response or None."""
    try:
        return services.iki_response_save(
            actor=request.user, factory=request.user.factory, data=form.service_data(), response=response
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


@role_required(*access.RESPONDENT_ROLES)
@require_http_methods(["GET", "POST"])
def response_create(request: HttpRequest) -> HttpResponse:
    window = selectors.open_window()
    if window is None:
        messages.error(request, _("Kuesioner IKI sedang ditutup."))
        return redirect("iki:response-list")
    divisions = selectors.factory_iki_divisions(request.user.factory)
    if request.method == "POST":
        form = ResponseForm(request.POST, request.FILES, divisions=divisions)
        if form.is_valid() and (response := _save(request, form)):
            messages.success(request, _("Kuesioner IKI tersimpan. Anda dapat mengubahnya sampai jendela ditutup."))
            return redirect("iki:response-detail", pk=response.pk)
    else:
        form = ResponseForm(divisions=divisions, initial={"kbli2": request.GET.get("kbli2", "")})
    return render(request, "iki/response_form.html", {"form": form, "window": window, "factory": request.user.factory})


@role_required(*access.RESPONDENT_ROLES)
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.get_response_for_user_or_404(request.user, pk)
    require(access.can_edit_response(request.user, response))
    window = selectors.window_for(response.period)
    if not window.is_open(timezone.localdate()):
        messages.error(request, _("Jendela kuesioner periode ini sudah ditutup; jawaban tidak dapat diubah."))
        return redirect("iki:response-detail", pk=response.pk)
    if request.method == "POST":
        form = ResponseForm(request.POST, request.FILES, editing=True)
        if form.is_valid() and _save(request, form, response):
            messages.success(request, _("Perubahan jawaban tersimpan."))
            return redirect("iki:response-detail", pk=response.pk)
    else:
        form = ResponseForm(editing=True, initial=initial_from(response))
    context = {"form": form, "window": window, "factory": request.user.factory, "response": response}
    return render(request, "iki/response_form.html", context)


def _answers_for_display(response) -> list[dict]:
    blocks = []
    for answer, factors_field, other_field, _choices, _neutral in FACTOR_QUESTIONS:
        labels = FACTOR_LABELS[answer]
        blocks.append(
            {
                "answer": getattr(response, f"get_{answer}_display")(),
                "label": response._meta.get_field(answer).verbose_name,
                "factors": [labels.get(code, code) for code in getattr(response, factors_field)],
                "other": getattr(response, other_field),
            }
        )
    return blocks


@role_required(*access.RESPONSE_READER_ROLES)
@require_GET
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.get_response_for_user_or_404(request.user, pk)
    if not access.can_edit_response(request.user, response):
        audit("iki.response_viewed", actor=request.user, target=response, request=request)
    window = selectors.window_for(response.period)
    context = {
        "response": response,
        "blocks": _answers_for_display(response),
        "editable": access.can_edit_response(request.user, response) and window.is_open(timezone.localdate()),
        "window": window,
    }
    return render(request, "iki/response_detail.html", context)


@role_required(*access.RESPONSE_READER_ROLES)
@require_GET
def response_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.get_response_for_user_or_404(request.user, pk)
    if not response.power_of_attorney:
        raise Http404
    if not access.can_edit_response(request.user, response):
        audit("iki.power_of_attorney_viewed", actor=request.user, target=response, request=request)
    suffix = PurePosixPath(response.power_of_attorney.name).suffix or ".pdf"
    return serve_private_file(response.power_of_attorney, download_name=f"surat-kuasa-iki-{response.period_label}{suffix}")


# --- officers -------------------------------------------------------------------------------------


@role_required(*access.DASHBOARD_ROLES)
@require_GET
def officer_dashboard(request: HttpRequest) -> HttpResponse:
    requested = selectors.parse_period(request.GET.get("periode", "")) if request.GET.get("periode") else None
    latest = selectors.latest_result()
    month = requested or (latest.period if latest else selectors.first_of_month(timezone.localdate()))
    context = {
        "month": month,
        "month_label": f"{month:%Y-%m}",
        "window": selectors.window_for(month),
        "by_subsector": selectors.response_rate_by_subsector(month),
        "by_province": selectors.response_rate_by_province(month),
        "series": selectors.series(),
        "can_recompute": request.user.role in access.RECOMPUTE_ROLES,
    }
    return render(request, "iki/officer_dashboard.html", context)


def _officer_period_page(request: HttpRequest, period: date, *, revision_form: ReleaseRevisionForm | None = None) -> HttpResponse:
    result = selectors.result_for(period)
    rates = {r.key: r for r in selectors.response_rate_by_subsector(period)}
    rows = selectors.subsector_rows(result) if result else []
    for row in rows:
        row["rate"] = rates[row["kbli2"]].rate if row["kbli2"] in rates else None
        row["status_label"] = public_release.STATUS_DISPLAY[row["status"]]
    can_publish = access.can_publish_release(request.user)
    context = {
        "period": period,
        "period_label": f"{period:%Y-%m}",
        "result": result,
        "rows": rows,
        "window": selectors.window_for(period),
        "can_recompute": request.user.role in access.RECOMPUTE_ROLES,
        "dominant": public_release.factor_groups(result.payload) if result and result.iki is not None else [],
        "responses": None,
        # "angka terbit" (the newest vintage) beside "angka terkini" (today's answers and weights)
        "vintages": public_release.published_vintages(period),
        "current_iki": selectors.current_iki(period),
        "can_publish": can_publish,
        "revision_form": revision_form or (ReleaseRevisionForm() if can_publish else None),
    }
    if request.user.role == Role.ADMIN:
        # Only an admin may open individual answers (SIINAS.md §1); each opening is audited.
        qs = access.responses_visible_to(request.user).filter(period=period).order_by("kbli2_id", "factory__company__name")
        context["responses"] = Paginator(qs, 50).get_page(request.GET.get("halaman"))
    return render(request, "iki/officer_period.html", context)


@role_required(*access.DASHBOARD_ROLES)
@require_GET
def officer_period(request: HttpRequest, period: date) -> HttpResponse:
    return _officer_period_page(request, period)


@role_required(*access.RELEASE_ROLES)
@require_POST
def release_revise(request: HttpRequest, period: date) -> HttpResponse:
    """"Terbitkan revisi" (or the first publication of a month the job could not publish): a new
    release vintage from today's answers and weights, with its reason."""
    form = ReleaseRevisionForm(request.POST)
    if form.is_valid():
        try:
            vintage = services.iki_release_publish(actor=request.user, period=period, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except services.IkiComputeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("IKI %(month)s diterbitkan sebagai rilis ke-%(n)d: %(iki)s.")
                % {"month": public_release.month_name(period), "n": vintage.vintage, "iki": formats.number_format(vintage.iki, 2)},
            )
            return redirect(reverse("iki:officer-period", kwargs={"period": period}))
    return _officer_period_page(request, period, revision_form=form)


@role_required(*access.RECOMPUTE_ROLES)
@require_POST
def result_recompute(request: HttpRequest, period: date) -> HttpResponse:
    try:
        outcome = services.iki_result_compute(actor=request.user, period=period, via="petugas")
    except services.IkiComputeError as exc:
        messages.error(request, str(exc))
    else:
        value = "–" if outcome.result.iki is None else f"{outcome.result.iki}"
        messages.success(request, _("IKI %(period)s dihitung ulang: %(iki)s.") % {"period": f"{period:%Y-%m}", "iki": value})
    return redirect(reverse("iki:officer-period", kwargs={"period": period}))
