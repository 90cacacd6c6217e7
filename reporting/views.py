"""Semester-report pages: access → form → service → redirect (style.md §9)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from accounts.models import Role
from reporting import imports, selectors, services, spreadsheet
from reporting.access import (
    can_edit,
    get_other_data_for_user_or_404,
    get_report_for_user_or_404,
    is_owner,
    other_data_visible_to,
)
from reporting.forms import ExcelUploadForm, LockForm, OtherDataForm, StartReportForm
from reporting.models import Period, ReportSection, ReportVersion
from reporting.outputs import receipt_pdf, report_pdf, report_xlsx
from reporting.sections.definitions import SECTION_HANDLERS
from siinas.lib.access import require, role_required
from siinas.lib.audit import audit
from siinas.lib.bounds import whole_number
from siinas.lib.exports import XLSX_TYPE
from siinas.lib.pdf import pdf_response
from siinas.lib.uploads import serve_private_file

READERS = (Role.COMPANY, Role.VERIFIER, Role.VALIDATOR, Role.PEMDA_PROV, Role.PEMDA_KAB, Role.ADMIN)
SAVED = gettext_noop("Bagian %(section)s tersimpan.")
SAVED_WITH_PROBLEMS = gettext_noop("Draf bagian %(section)s disimpan, tetapi masih ada isian yang perlu diperbaiki (lihat pesan di kolomnya).")
SUBMITTED = gettext_noop("Laporan terkirim (versi %(number)s). Tanda terima dapat diunduh di bawah.")
IMPORTED = gettext_noop("Berkas Excel diterima: %(rows)s. Isi tabel sebelumnya tersimpan dalam riwayat draf.")
CONFIRMED = gettext_noop("Bagian %(section)s dikonfirmasi: datanya masih sama dengan laporan sebelumnya.")
NOT_CONFIRMED = gettext_noop("Bagian %(section)s belum dapat dikonfirmasi: data laporan sebelumnya tidak lolos pemeriksaan. Perbaiki isian yang ditandai, lalu simpan.")
ALREADY_SUBMITTED = gettext_noop("Laporan ini sudah terkirim (versi %(number)s); tidak ada versi baru yang dibuat.")


def _viewed(request: HttpRequest, report) -> None:
    """Every view of confidential data by an officer is recorded (SIINAS.md §1)."""
    if request.user.role != Role.COMPANY:
        audit("reporting.report_viewed", actor=request.user, target=report, request=request, path=request.path)


@role_required(Role.COMPANY)
def dashboard(request: HttpRequest) -> HttpResponse:
    factory = request.user.factory
    context = {"factory": factory, "due": selectors.due_reports(factory), "other_data": other_data_visible_to(request.user)[:5]}
    return render(request, "reporting/dashboard.html", context)


@require_POST
@role_required(Role.COMPANY)
def report_start(request: HttpRequest) -> HttpResponse:
    form = StartReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periode atau jenis laporan tidak dikenal."))
        return redirect("reporting:dashboard")
    try:
        report = services.report_start(
            actor=request.user,
            factory=request.user.factory,
            period=form.cleaned_data["period"],
            report_type=form.cleaned_data["report_type"],
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("reporting:dashboard")
    return redirect("reporting:report-detail", pk=report.pk)


@role_required(*READERS)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    owner = is_owner(request.user, report)
    versions = list(report.versions.order_by("-number").only("number", "created_at", "content_hash", "on_time", "data"))
    if not owner:
        _viewed(request, report)
    shown = _version_shown(request, versions, owner)
    snapshot = shown.data if shown else (selectors.report_snapshot_in_one_query(report) if owner else {})
    context = {
        "report": report,
        "owner": owner,
        "editable": can_edit(request.user, report),
        "progress": selectors.report_progress(report) if owner else [],
        "document": selectors.build_document(report.spec, snapshot),
        "versions": versions,
        "shown": shown,
        "timeline": selectors.report_timeline(report),
        "section_titles": {code: report.spec.section_title(code) for code in report.spec.sections},
    }
    return render(request, "reporting/report_detail.html", context)


def _version_shown(request: HttpRequest, versions: list[ReportVersion], owner: bool) -> ReportVersion | None:
    """``?versi=n`` shows that version; otherwise officers see the latest one and the owner the live data."""
    number = request.GET.get("versi", "")
    if number:
        chosen = next((v for v in versions if str(v.number) == number), None)
        if chosen is None:
            raise Http404
        return chosen
    return None if owner else (versions[0] if versions else None)


@role_required(Role.COMPANY)
def section_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    require(can_edit(request.user, report))
    if code not in report.spec.sections:
        raise Http404
    title = report.spec.section_title(code)
    lock_version, status = report.lock_version, 200
    if request.method == "POST":
        lock = LockForm(request.POST)
        try:
            if not lock.is_valid():
                raise ValidationError(_(services.STALE_DRAFT), code="stale")
            result = services.section_save(
                actor=request.user, report=report, code=code, data=request.POST, lock_version=lock.cleaned_data["lock_version"]
            )
        except ValidationError as exc:
            # Nothing was written. The user's input comes back with the reason, and the page keeps the
            # stale lock so a second click is refused too until the page is reloaded.
            forms, status = _unsaved_forms(report, code, request.POST), 409
            lock_version = request.POST.get("lock_version", "")
            messages.error(request, exc.messages[0])
        else:
            if result.state == ReportSection.State.VALID:
                messages.success(request, _(SAVED) % {"section": title})
                return _after_save(report, code, go_on="lanjut" in request.POST)
            messages.warning(request, _(SAVED_WITH_PROBLEMS) % {"section": title})
            forms, lock_version = result.forms, result.lock_version
            forms.style()
    else:
        forms = selectors.section_forms_for(report, code)
    progress = selectors.report_progress(report)
    state = next(s.state for s in progress if s.code == code)
    reference = selectors.last_semester_reference(report, code)
    context = {
        "report": report,
        "code": code,
        "title": title,
        "forms": forms,
        "lock_version": lock_version,
        "progress": progress,
        "to_confirm": state == ReportSection.State.TO_CONFIRM,
        "reference": reference,
        **_with_reference(forms, reference, untouched=state == ReportSection.State.EMPTY),
        "returned_comment": selectors.returned_comments(report).get(code, ""),
        "profile_address": report.factory.address if code == "lahan" else "",
        # "Isi dulu daftar produk di bagian Kapasitas produksi": a list to choose from that is still empty.
        "empty_lists": [(listed.section, report.spec.section_title(listed.section)) for listed in forms.empty_lists()],
    }
    return render(request, "reporting/section_edit.html", context, status=status)


@require_POST
@role_required(Role.COMPANY)
def section_confirm(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """"Data masih sama — konfirmasi": a section pre-filled from the last accepted report, confirmed as it is."""
    report = get_report_for_user_or_404(request.user, pk)
    require(can_edit(request.user, report))
    if code not in report.spec.sections:
        raise Http404
    title = report.spec.section_title(code)
    lock = LockForm(request.POST)
    try:
        if not lock.is_valid():
            raise ValidationError(_(services.STALE_DRAFT), code="stale")
        state = services.section_confirm(actor=request.user, report=report, code=code, lock_version=lock.cleaned_data["lock_version"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("reporting:section-edit", pk=report.pk, code=code)
    if state != ReportSection.State.VALID:
        messages.warning(request, _(NOT_CONFIRMED) % {"section": title})
        return redirect("reporting:section-edit", pk=report.pk, code=code)
    messages.success(request, _(CONFIRMED) % {"section": title})
    return _after_save(report, code, go_on=True)


def _with_reference(forms, reference: selectors.SectionReference | None, *, untouched: bool) -> dict:
    """Each header field with last semester's value, each table with last semester's rows (or None).

    Beside last semester's figures an untouched flow section shows empty inputs, not the columns' default
    0: a 0 saved unread would be sent as this period's figure.
    """
    fields = reference.fields if reference else {}
    tables = reference.tables if reference else {}
    if reference and untouched and forms.header is not None and not forms.bound:
        forms.header.initial = dict.fromkeys(forms.header.fields)
    return {
        "header_pairs": [(bound, fields.get(bound.name)) for bound in forms.header] if forms.header is not None else [],
        "tables": [(spec, formset, blank, sums, tables.get(spec.prefix)) for spec, formset, blank, sums in forms.tables()],
    }


def _unsaved_forms(report, code: str, data):
    handler = SECTION_HANDLERS[code]
    forms = handler.build_forms(report.spec, data=data, lists=handler.choice_lists(report))
    forms.shape_valid()
    forms.style()
    return forms


def _after_save(report, code: str, *, go_on: bool) -> HttpResponse:
    target = _next_section(report, code) if go_on else code
    if target is None:
        return redirect("reporting:report-detail", pk=report.pk)
    return redirect("reporting:section-edit", pk=report.pk, code=target)


def _next_section(report, code: str) -> str | None:
    sections = report.spec.sections
    index = sections.index(code)
    return sections[index + 1] if index + 1 < len(sections) else None


def _excel_scope(request: HttpRequest, pk: int, code: str | None):
    """The owner's editable report and the sections of the file: one section, or every section with a table."""
    report = get_report_for_user_or_404(request.user, pk)
    require(can_edit(request.user, report))
    codes = spreadsheet.section_codes_with_tables(report.spec)
    if code is not None:
        if code not in codes:
            raise Http404
        codes = [code]
    return report, codes


@role_required(Role.COMPANY)
def excel_template(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    report, codes = _excel_scope(request, pk, code)
    name = f"templat-{report.pk}-{code or 'laporan'}.xlsx"
    response = HttpResponse(selectors.excel_template(report, codes), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(Role.COMPANY)
def excel_upload(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    report, codes = _excel_scope(request, pk, code)
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    refused, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                upload = form.cleaned_data["berkas"]
                result = imports.report_section_import(actor=request.user, report=report, codes=codes, upload=upload)
            except imports.ImportRefused as exc:
                refused = exc
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                listed = ", ".join(f"{sheet} {count}" for sheet, count in result.rows.items())
                messages.success(request, _(IMPORTED) % {"rows": listed})
                if code is None:
                    return redirect("reporting:report-detail", pk=report.pk)
                return redirect("reporting:section-edit", pk=report.pk, code=code)
    context = {
        "report": report,
        "code": code,
        "title": report.spec.section_title(code) if code else report.get_report_type_display(),
        "tables": spreadsheet.tables_for(report.spec, codes),
        "form": form,
        "refused": refused,
        "limits": {"mb": spreadsheet.MAX_BYTES // spreadsheet.MB, "rows": spreadsheet.thousands(spreadsheet.MAX_ROWS)},
    }
    return render(request, "reporting/excel_upload.html", context, status=status)


@require_POST
@role_required(Role.COMPANY)
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    require(is_owner(request.user, report))
    lock = LockForm(request.POST)
    if not lock.is_valid():
        messages.error(request, _(services.STALE_DRAFT))
        return redirect("reporting:report-detail", pk=report.pk)
    try:
        result = services.report_submit(actor=request.user, report=report, lock_version=lock.cleaned_data["lock_version"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("reporting:report-detail", pk=report.pk)
    template = SUBMITTED if result.created else ALREADY_SUBMITTED
    messages.success(request, _(template) % {"number": result.version.number})
    return redirect("reporting:report-detail", pk=report.pk)


def _version(report, number: str | None) -> ReportVersion | None:
    versions = report.versions.all()
    if number:
        wanted = whole_number(number)
        if wanted is None:
            raise Http404
        return get_object_or_404(versions, number=wanted)
    return versions.order_by("-number").first()


def _export_source(request: HttpRequest, report) -> tuple[dict, str]:
    """A chosen version, else the latest one; the owner may also export the current draft."""
    version = _version(report, request.GET.get("versi"))
    if version is None:
        if not is_owner(request.user, report):
            raise Http404
        return selectors.report_snapshot(report), _("draf")
    return version.data, f"v{version.number}"


@role_required(*READERS)
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    _viewed(request, report)
    numbers = list(report.versions.order_by("number").values_list("number", flat=True))
    new_no = whole_number(request.GET.get("ke"))
    new_no = new_no if new_no is not None else (numbers[-1] if numbers else None)
    old_no = whole_number(request.GET.get("dari"))
    old_no = old_no if old_no is not None else (numbers[-2] if len(numbers) > 1 else None)
    changes = None
    if old_no is not None and new_no is not None:
        pair = {v.number: v.data for v in report.versions.filter(number__in=[old_no, new_no])}
        if len(pair) < len({old_no, new_no}):
            raise Http404
        changes = selectors.version_diff(report.spec, pair[old_no], pair[new_no])
    context = {"report": report, "numbers": numbers, "old": old_no, "new": new_no, "changes": changes}
    return render(request, "reporting/diff.html", context)


@role_required(*READERS)
def report_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    _viewed(request, report)
    snapshot, label = _export_source(request, report)
    return pdf_response(report_pdf(report, snapshot, label), f"laporan-{report.pk}-{label}.pdf")


@role_required(*READERS)
def report_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    _viewed(request, report)
    snapshot, label = _export_source(request, report)
    return report_xlsx(report, snapshot, f"laporan-{report.pk}-{label}.xlsx")


@role_required(*READERS)
def receipt(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    report = get_report_for_user_or_404(request.user, pk)
    _viewed(request, report)
    version = get_object_or_404(report.versions.select_related("created_by"), number=number)
    check_url = request.build_absolute_uri(reverse("reporting:receipt-check", kwargs={"digest": version.content_hash}))
    return pdf_response(receipt_pdf(report, version, check_url), f"tanda-terima-{report.pk}-v{number}.pdf")


def receipt_check(request: HttpRequest, digest: str) -> HttpResponse:
    """Public: does a Tanda Terima with this hash exist? Shows only what the receipt itself states."""
    version = (
        ReportVersion.objects.filter(content_hash=digest.lower())
        .select_related("report__factory__company", "report__period")
        .first()
    )
    return render(request, "reporting/receipt_check.html", {"version": version, "digest": digest})


@role_required(Role.COMPANY)
def other_data_list(request: HttpRequest) -> HttpResponse:
    factory = request.user.factory
    form = OtherDataForm(request.POST or None, request.FILES or None, factory=factory)
    if request.method == "POST" and form.is_valid():
        services.other_data_submit(
            actor=request.user, factory=factory, cleaned=form.cleaned_data, files=form.cleaned_data["attachments"]
        )
        messages.success(request, _("Data lainnya terkirim."))
        return redirect("reporting:other-list")
    items = other_data_visible_to(request.user).prefetch_related("attachments")
    periods = Period.objects.all()[:6]
    return render(request, "reporting/other_list.html", {"form": form, "items": items, "periods": periods})


@role_required(*READERS)
def other_data_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_other_data_for_user_or_404(request.user, pk)
    if request.user.role != Role.COMPANY:
        audit("reporting.other_data_viewed", actor=request.user, target=item, request=request)
    return render(request, "reporting/other_detail.html", {"item": item})


@role_required(*READERS)
def other_data_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    item = get_other_data_for_user_or_404(request.user, pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_id)
    if request.user.role != Role.COMPANY:
        audit("reporting.other_data_attachment_viewed", actor=request.user, target=item, request=request)
    return serve_private_file(attachment.file, download_name=attachment.original_name, as_attachment=True)
