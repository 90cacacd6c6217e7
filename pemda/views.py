"""Pemda pages: thin views — role gate, scoped lookup, form, service, redirect (style.md §9)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from pemda import selectors, services
from pemda.access import (
    MINISTRY,
    PEMDA,
    can_edit_submission,
    get_attachment_for_user_or_404,
    get_document_for_user_or_404,
    get_factory_for_pemda_or_404,
    get_submission_for_user_or_404,
    notes_visible_to,
)
from pemda.forms import (
    AttachmentForm,
    DocumentForm,
    FigureFormSet,
    NoteForm,
    SubmissionCreateForm,
    SubmissionTextForm,
)
from pemda.models import Category, Semester, Submission
from pemda.selectors import reports as report_selectors
from siinas.core import export_jobs
from siinas.lib.access import get_scoped_or_404, require, role_required
from siinas.lib.audit import audit
from siinas.lib.bounds import whole_number
from siinas.lib.exports import attachment, csv_response, xlsx_response
from siinas.lib.maps import province_map
from siinas.lib.pdf import pdf_response, render_pdf
from siinas.lib.uploads import serve_private_file

PAGE_SIZE = 50
EXPORT_FORMATS = selectors.EXPORT_FORMATS


def _apply_errors(form, exc: ValidationError) -> None:
    """Map a service's ValidationError back onto the form so the user's input is kept."""
    if hasattr(exc, "error_dict"):
        for fieldname, errors in exc.message_dict.items():
            form.add_error(fieldname if fieldname in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default


# --- Dashboard ------------------------------------------------------------------------------------------


@role_required(*PEMDA)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.dashboard_context(request.user, request.GET.get("periode"))
    return render(request, "pemda/dashboard.html", context)


@role_required(*PEMDA)
@require_GET
def dashboard_kbli_rates(request: HttpRequest) -> HttpResponse:
    """The dashboard's reporting rate and report values per KBLI division: the tables alone when the
    dashboard loads them (HTMX; the values swapped out of band into their place), a page of its own when
    followed as a link (no JavaScript)."""
    context = selectors.kbli_rates_context(request.user, request.GET.get("periode"))
    template = "pemda/_kbli_fragment.html" if request.htmx else "pemda/dashboard_kbli_rates.html"
    return render(request, template, context)


# --- Company list, export, detail -----------------------------------------------------------------------


def _filter_summary(filterset) -> dict:
    if not filterset.form.is_valid():
        return {}
    return {k: str(v) for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}


@role_required(*PEMDA)
@require_GET
def company_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.company_filter(request.user, request.GET)
    report_period = filterset.report_period
    page = selectors.company_page(filterset, request.GET.get("page"), PAGE_SIZE)
    audit(
        "pemda.company_list",
        actor=request.user,
        request=request,
        filters=_filter_summary(filterset),
        page=page.number,
        factories=[f.pk for f in page.object_list],
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pemda/company_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "formats": EXPORT_FORMATS,
            "report_period": report_period,
            "report_labels": dict(report_selectors.MONITOR_STATUSES),
            "filter_version": selectors.company_filter_version(request.user),
        },
    )


@role_required(*PEMDA)
@require_http_methods(["GET", "POST"])
def company_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list as CSV/XLSX: answered directly up to ``export_jobs.SYNC_ROWS`` rows; a larger one is
    asked for (POST, from this page's button) and built by a worker for "Ekspor saya"."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    params = data.get("q", "") if request.method == "POST" else request.GET.urlencode()
    filterset = selectors.company_filter(request.user, QueryDict(params))
    if not filterset.is_valid():
        messages.error(request, _("Filter tidak valid; periksa isian filter."))
        return redirect("pemda:company-list")
    count = filterset.qs.count()
    summary = _filter_summary(filterset)
    if count <= export_jobs.SYNC_ROWS:
        audit("pemda.company_export", actor=request.user, request=request, format=fmt, filters=summary, rows=count)
        filename, _rows, content, content_type = selectors.company_export_file(request.user, fmt, params)
        return attachment(filename, content, content_type)
    if request.method == "GET":
        return render(request, "pemda/company_export_confirm.html", {"fmt": fmt, "rows": count, "query": params, "filters": summary})
    title = _("Daftar perusahaan %(territory)s (%(rows)s baris)") % {"territory": request.user.region, "rows": count}
    try:
        job = export_jobs.request_export(owner=request.user, kind="pemda.companies", fmt=fmt, params=params, title=title, rows=count)
    except export_jobs.TooManyOpen:
        messages.error(request, _("Masih ada %(n)s ekspor yang sedang disiapkan. Tunggu hingga selesai.") % {"n": export_jobs.MAX_OPEN})
        return redirect("core:exports")
    audit("pemda.company_export", actor=request.user, request=request, format=fmt, filters=summary, rows=count, job=job.pk)
    messages.success(request, _("Ekspor sedang disiapkan. Unduh dari halaman ini setelah statusnya \"siap diunduh\"."))
    return redirect("core:exports")


@role_required(*PEMDA)
@require_GET
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    factory = get_factory_for_pemda_or_404(request.user, pk)
    audit("pemda.factory_view", actor=request.user, target=factory, request=request)
    context = selectors.company_detail_context(request.user, factory)
    context["note_form"] = NoteForm()
    return render(request, "pemda/company_detail.html", context)


# --- Report monitor -------------------------------------------------------------------------------------


@role_required(*PEMDA)
@require_GET
def report_monitor(request: HttpRequest) -> HttpResponse:
    periods = report_selectors.reporting_periods()
    period = report_selectors.pick_period(periods, request.GET.get("periode"))
    status = request.GET.get("status", "")
    if status not in dict(report_selectors.MONITOR_STATUSES):
        status = ""
    context = {"periods": periods, "period": period, "status": status, "statuses": report_selectors.MONITOR_STATUSES}
    if period is not None:
        queryset = report_selectors.monitor_queryset(request.user, period)
        if status:
            queryset = report_selectors.filter_report_status(queryset, period, status)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        audit(
            "pemda.report_monitor",
            actor=request.user,
            request=request,
            period=period.pk,
            status=status,
            factories=[f.pk for f in page.object_list],
        )
        context |= {"page": page, "rows": report_selectors.monitor_rows(page.object_list, period)}
    return render(request, "pemda/report_monitor.html", context)


# --- Monitoring notes -----------------------------------------------------------------------------------


@role_required(*PEMDA)
@require_POST
def note_send(request: HttpRequest, pk: int) -> HttpResponse:
    factory = get_factory_for_pemda_or_404(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_send(
                actor=request.user,
                factory=factory,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                period_label=request.POST.get("period_label", "")[:40],
                report_ref=request.POST.get("report_ref", "")[:64],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Pesan tercatat dan dikirim ke %(email)s.") % {"email": factory.email})
            period = request.POST.get("periode", "")
            if request.POST.get("dari") == "monitor" and period.isdigit():
                return redirect(f"{reverse('pemda:report-monitor')}?periode={period}")
            return redirect("pemda:company-detail", pk=factory.pk)
    audit("pemda.factory_view", actor=request.user, target=factory, request=request)
    context = selectors.company_detail_context(request.user, factory)
    context["note_form"] = form
    return render(request, "pemda/company_detail.html", context, status=400)


@role_required(*PEMDA)
@require_GET
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_scoped_or_404(notes_visible_to(request.user).select_related("factory__company", "sent_by"), pk=pk)
    audit("pemda.note_view", actor=request.user, target=note.factory, request=request, note=note.pk)
    return render(request, "pemda/note_detail.html", {"note": note})


# --- Submissions ----------------------------------------------------------------------------------------


def _period_from(request: HttpRequest) -> tuple[int, int]:
    year, semester = selectors.current_period()
    if "periode" in request.GET:  # the period picker sends "2026-1"
        raw_year, _sep, raw_semester = request.GET["periode"].partition("-")
        picked = whole_number(raw_year, "SmallIntegerField"), whole_number(raw_semester, "SmallIntegerField")
        if None not in picked:
            year, semester = picked
    else:
        year = _int_param(request, "tahun", year)
        semester = _int_param(request, "semester", semester)
    if semester not in Semester.values:
        semester = 1
    return year, semester


@role_required(*PEMDA)
@require_GET
def submission_list(request: HttpRequest) -> HttpResponse:
    year, semester = _period_from(request)
    matrix = selectors.territory_submission_matrix(request.user.region, year, semester)
    history = Submission.objects.filter(region_id=request.user.region_id).order_by("-year", "-semester", "category")
    from_regencies = (
        Submission.objects.filter(
            region__province_id=request.user.region_id, status=Submission.Status.SUBMITTED, year=year, semester=semester
        )
        .select_related("region")
        .order_by("region_id", "category")
        if request.user.role == Role.PEMDA_PROV
        else Submission.objects.none()
    )
    return render(
        request,
        "pemda/submission_list.html",
        {
            "year": year,
            "semester": semester,
            "matrix": matrix,
            "periods": selectors.submission_period_choices(),
            "history": history,
            "from_regencies": from_regencies,
        },
    )


@role_required(*PEMDA)
@require_POST
def submission_create(request: HttpRequest) -> HttpResponse:
    form = SubmissionCreateForm(request.POST)
    if form.is_valid():
        try:
            submission = services.submission_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("pemda:submission-edit", pk=submission.pk)
    for error in form.errors.values():
        for message in error:
            messages.error(request, message)
    return redirect("pemda:submission-list")


@role_required(*PEMDA, *MINISTRY)
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user_or_404(request.user, pk)
    return render(
        request,
        "pemda/submission_detail.html",
        {
            "submission": submission,
            "figures": submission.figures.all(),
            "attachments": submission.attachments.all(),
            "can_edit": can_edit_submission(request.user, submission),
        },
    )


def _figures_initial(submission: Submission) -> list[dict]:
    return [{"label": f.label, "value": f.value, "unit": f.unit, "note": f.note} for f in submission.figures.all()]


def _edit_context(submission: Submission, text_form, formset, attachment_form=None) -> dict:
    return {
        "submission": submission,
        "text_form": text_form,
        "formset": formset,
        "attachment_form": attachment_form or AttachmentForm(),
        "attachments": submission.attachments.all(),
    }


@role_required(*PEMDA)
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user_or_404(request.user, pk)
    require(can_edit_submission(request.user, submission))
    if request.method == "GET":
        text_form = SubmissionTextForm(initial={"text": submission.text})
        formset = FigureFormSet(initial=_figures_initial(submission), prefix="angka")
        return render(request, "pemda/submission_edit.html", _edit_context(submission, text_form, formset))
    text_form = SubmissionTextForm(request.POST)
    formset = FigureFormSet(request.POST, prefix="angka")
    if text_form.is_valid() and formset.is_valid():
        figures = [
            services.FigureInput(f.cleaned_data["label"], f.cleaned_data["value"], f.cleaned_data["unit"], f.cleaned_data["note"])
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("label")
        ]
        try:
            services.submission_update(actor=request.user, submission=submission, text=text_form.cleaned_data["text"], figures=figures)
        except ValidationError as exc:
            _apply_errors(text_form, exc)
        else:
            messages.success(request, _("Konsep tersimpan."))
            return redirect("pemda:submission-edit", pk=submission.pk)
    return render(request, "pemda/submission_edit.html", _edit_context(submission, text_form, formset), status=400)


@role_required(*PEMDA)
@require_POST
def submission_generate(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user_or_404(request.user, pk)
    require(can_edit_submission(request.user, submission))
    try:
        hidden = services.submission_generate_recap(actor=request.user, submission=submission)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rekapitulasi dihasilkan dari data SIINas wilayah Anda."))
        if hidden:
            messages.info(request, _("%(n)d sel tidak ditampilkan karena mencakup kurang dari 3 perusahaan.") % {"n": hidden})
    return redirect("pemda:submission-edit", pk=submission.pk)


@role_required(*PEMDA)
@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user_or_404(request.user, pk)
    require(can_edit_submission(request.user, submission))
    try:
        services.submission_submit(actor=request.user, submission=submission)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("pemda:submission-edit", pk=submission.pk)
    messages.success(request, _("Informasi terkirim ke Kementerian Perindustrian."))
    return redirect("pemda:submission-detail", pk=submission.pk)


@role_required(*PEMDA)
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user_or_404(request.user, pk)
    require(can_edit_submission(request.user, submission))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, submission=submission, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Lampiran tersimpan."))
            return redirect("pemda:submission-edit", pk=submission.pk)
    text_form = SubmissionTextForm(initial={"text": submission.text})
    formset = FigureFormSet(initial=_figures_initial(submission), prefix="angka")
    return render(request, "pemda/submission_edit.html", _edit_context(submission, text_form, formset, form), status=400)


@role_required(*PEMDA, *MINISTRY)
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for_user_or_404(request.user, pk)
    audit("pemda.attachment_download", actor=request.user, target=attachment.submission, request=request, attachment=attachment.pk)
    return serve_private_file(attachment.file, download_name=attachment.download_name, as_attachment=True)


@role_required(*PEMDA)
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for_user_or_404(request.user, pk)
    require(can_edit_submission(request.user, attachment.submission))
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Lampiran dihapus."))
    return redirect("pemda:submission-edit", pk=attachment.submission_id)


# --- Regional documents and Kepmendagri indicators ------------------------------------------------------


@role_required(*PEMDA)
@require_POST
def document_create(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            for message in error:
                messages.error(request, message)
        return redirect("pemda:indicators")
    kind = form.cleaned_data["kind"]
    try:
        document = services.document_issue(
            actor=request.user,
            kind=kind,
            title=form.cleaned_data["title"],
            content=selectors.document_content(request.user, kind),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("pemda:indicators")
    messages.success(request, _("Dokumen %(number)s diterbitkan.") % {"number": document.number})
    return redirect("pemda:document-detail", pk=document.pk)


@role_required(*PEMDA, *MINISTRY)
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user_or_404(request.user, pk)
    return render(request, "pemda/document_detail.html", {"document": document})


@role_required(*PEMDA, *MINISTRY)
@require_GET
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user_or_404(request.user, pk)
    code = selectors.document_sub_activity(document)
    content = render_pdf("pdf/pemda-document.html", {"document": document, "code": code})
    return pdf_response(content, f"{document.number.replace('/', '-')}.pdf")


@role_required(*PEMDA)
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    years = selectors.indicator_years(request.user.region)
    year = _int_param(request, "tahun", years[0])
    documents = selectors.indicator_documents(request.user.region, year)
    return render(
        request,
        "pemda/indicators.html",
        {
            "year": year,
            "years": years,
            "summary": selectors.indicator_summary(documents),
            "document_form": DocumentForm(),
            "formats": EXPORT_FORMATS,
        },
    )


@role_required(*PEMDA)
@require_GET
def indicator_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    year = _int_param(request, "tahun", timezone.localdate().year)
    documents = selectors.indicator_documents(request.user.region, year)
    rows = selectors.indicator_export_rows(documents)
    filename = f"indikator-kepmendagri-{request.user.region_id}-{year}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, selectors.INDICATOR_HEADER, rows)
    return xlsx_response(filename, selectors.INDICATOR_HEADER, rows, sheet=f"Indikator {year}")


# --- Ministry -------------------------------------------------------------------------------------------


@role_required(*MINISTRY)
@require_GET
def ministry_overview(request: HttpRequest) -> HttpResponse:
    year, semester = _period_from(request)
    province = request.GET.get("provinsi", "")
    category = request.GET.get("kategori", "")
    if category not in Category.values:
        category = ""
    rows = selectors.national_overview(year, semester)
    report_periods = report_selectors.reporting_periods()
    report_period = report_selectors.pick_period(report_periods, request.GET.get("periode_laporan"))
    rate_map = None
    if report_period is not None:
        rates = {r.key: r for r in report_selectors.rate_table(user=request.user, period=report_period, by="province").rows}
        for row in rows:
            row["rate"] = rates.get(row["region"].code)
        rate_map = province_map(_("Laporan terkirim (%)"), ((r.key, r.label, r.submitted_pct) for r in rates.values()))
    if province not in {r["region"].code for r in rows}:
        province = ""
    submissions = Paginator(
        selectors.ministry_submissions(year=year, semester=semester, province=province, category=category), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "pemda/ministry_overview.html",
        {
            "year": year,
            "semester": semester,
            "periods": selectors.submission_period_choices(),
            "rows": rows,
            "totals": selectors.overview_totals(rows),
            "province": province,
            "category": category,
            "categories": Category.choices,
            "submissions": submissions,
            "report_period": report_period,
            "rate_map": rate_map,
        },
    )

