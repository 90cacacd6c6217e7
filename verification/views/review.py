"""The review queues and the review page: claim, pass to validation, validate, Pengembalian Data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from reporting.access import can_return, can_validate, can_verify, get_report_for_user_or_404
from reporting.selectors import newest_period_pk, reports_data_version
from siinas.lib.access import require, role_required
from siinas.lib.pagination import page_in_two_steps
from verification import services
from verification.filters import ReviewQueueFilter
from verification.forms import ReturnForm, ReviewCommentForm
from verification.queues import queue_rows, validator_queue, verifier_queue
from verification.selectors import report_events, report_for_reading, review_data
from verification.services.review import active_claim

PAGE_SIZE = 50


def _queue_page(request: HttpRequest, queryset, title: str, template_name: str) -> HttpResponse:
    filterset = ReviewQueueFilter(request.GET or None, queryset=queryset, request=request)
    # Keys first, rows second, the total cached per data version (siinas/lib/pagination.py).
    page = page_in_two_steps(filterset.qs, request.GET.get("page"), PAGE_SIZE, rows=queue_rows, version=reports_data_version())
    # The filter form's rendering is cached per query string and the periods it offers (queue.html).
    context = {"filter": filterset, "page": page, "title": title, "filter_version": newest_period_pk()}
    return render(request, template_name, context)


@role_required(Role.VERIFIER, Role.ADMIN)
@require_GET
def verifier_queue_view(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, verifier_queue(request.user), _("Antrean verifikasi"), "verification/queue.html")


@role_required(Role.VALIDATOR, Role.ADMIN)
@require_GET
def validator_queue_view(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, validator_queue(request.user), _("Antrean validasi"), "verification/queue.html")


def _sections(report) -> list[tuple[str, str]]:
    return [(code, report.spec.section_title(code)) for code in report.spec.sections]


def _review_page(request: HttpRequest, report, *, return_form=None, comment_form=None, status: int = 200) -> HttpResponse:
    user = request.user
    data = review_data(report)
    return_form = return_form or ReturnForm(sections=_sections(report))
    boxes = {code: (tick, comment) for code, _title, tick, comment in return_form.rows()}
    context = {
        "report": report,
        "claim": active_claim(report),
        # Each section with its values, changes and flags, and beside it its Pengembalian Data box.
        "sections": [(section, *boxes.get(section.document.code, (None, None))) for section in data.sections],
        "flag_count": data.flag_count,
        "has_previous": data.has_previous,
        "events": report_events(report),
        "versions": report.versions.order_by("-number").only("number", "created_at", "on_time", "report_id"),
        "can_verify": can_verify(user, report),
        "can_validate": can_validate(user, report),
        "can_return": can_return(user, report),
        "return_form": return_form,
        "comment_form": comment_form or ReviewCommentForm(),
    }
    return render(request, "verification/review.html", context, status=status)


@role_required(Role.VERIFIER, Role.VALIDATOR, Role.ADMIN)
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, report_for_reading(request.user, pk, request=request))


@role_required(Role.VERIFIER, Role.VALIDATOR, Role.ADMIN)
@require_POST
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    require(can_return(request.user, report))
    try:
        services.review_claim(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Laporan Anda ambil untuk diperiksa."))
    return redirect("verification:review", pk=report.pk)


@role_required(Role.VERIFIER, Role.VALIDATOR, Role.ADMIN)
@require_POST
def review_release(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    services.review_release(actor=request.user, report=report)
    messages.info(request, _("Laporan dikembalikan ke antrean."))
    return redirect("verification:review", pk=report.pk)


def _move(request: HttpRequest, pk: int, capability, service, done: str, next_url: str) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    require(capability(request.user, report))
    form = ReviewCommentForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, report=report, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, done)
            return redirect(next_url)
    return _review_page(request, report, comment_form=form, status=400)


@role_required(Role.VERIFIER, Role.ADMIN)
@require_POST
def review_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, can_verify, services.review_verify, _("Laporan lengkap dan diteruskan ke validator."), "verification:verifier-queue")


@role_required(Role.VALIDATOR, Role.ADMIN)
@require_POST
def review_validate(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, can_validate, services.review_validate, _("Laporan tervalidasi dan dikunci."), "verification:validator-queue")


@role_required(Role.VERIFIER, Role.VALIDATOR, Role.ADMIN)
@require_POST
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    require(can_return(request.user, report))
    form = ReturnForm(request.POST, sections=_sections(report))
    if form.is_valid():
        try:
            services.review_return(actor=request.user, report=report, comments=form.comments())
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(f"comment_{key}" if f"comment_{key}" in form.fields else None, errors)
        else:
            messages.success(request, _("Laporan dikembalikan ke perusahaan (Pengembalian Data)."))
            queue = "verification:validator-queue" if request.user.role == Role.VALIDATOR else "verification:verifier-queue"
            return redirect(queue)
    return _review_page(request, report, return_form=form, status=400)
