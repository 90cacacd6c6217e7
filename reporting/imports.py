"""Writes from an Excel upload: a draft's repeating tables replaced by a checked file (issue 16 §1).

A module beside ``services.py`` (which is near its size limit), with the same conventions: keyword-only
services with the actor first, owning their transaction, an audit event and a timeline event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from reporting import spreadsheet
from reporting.models import EDITABLE_STATUSES, Report, ReportEvent, ReportSection, SectionImport
from reporting.sections.base import (
    HEADER_PREFIX,
    CheckContext,
    SectionForms,
    SectionValues,
    raw_to_data,
    values_to_data,
)
from reporting.sections.definitions import SECTION_HANDLERS
from reporting.services import NOT_EDITABLE
from siinas.lib.audit import audit

IMPORT_HAS_PROBLEMS = gettext_noop(
    "Berkas belum dapat diterima: %(count)s kesalahan. Tidak ada yang disimpan; perbaiki lalu unggah lagi."
)
IMPORT_DONE_COMMENT = gettext_noop("Tabel diganti dari berkas Excel %(file)s: %(rows)s.")
HEADER_SHEET = gettext_noop("Formulir %(section)s")


class ImportRefused(ValidationError):
    """The file did not pass: nothing was written. ``problems`` is the listing by sheet, row, column."""

    def __init__(self, problems: list[spreadsheet.Problem]):
        super().__init__(_(IMPORT_HAS_PROBLEMS) % {"count": len(problems)}, code="import_problems")
        self.total = len(problems)
        self.problems = problems[: spreadsheet.MAX_PROBLEMS]  # the page lists these; the count says the rest


@dataclass
class ImportResult:
    report: Report
    record: SectionImport
    rows: dict[str, int]  # sheet name → rows now in the table


def _header_data(report: Report, code: str, values: SectionValues, state: ReportSection | None) -> QueryDict:
    """The section's header as the form would post it: the stored (last valid) header, else the raw
    header of a draft saved with problems; an upload replaces tables only."""
    handler = SECTION_HANDLERS[code]
    data = QueryDict(mutable=True)
    if handler.model is None:
        return data
    if values.header is not None:
        stored = values_to_data(handler, report.spec, SectionValues(header=values.header))
        for key in stored:
            if key.startswith(f"{HEADER_PREFIX}-"):
                data.setlist(key, stored.getlist(key))
    elif state is not None:
        raw = raw_to_data(handler, report.spec, state.raw or {})
        for key in raw:
            if key.startswith(f"{HEADER_PREFIX}-"):
                data.setlist(key, raw.getlist(key))
    return data


def _problems(
    report: Report, code: str, forms: SectionForms, tables: dict[str, spreadsheet.ReadTable]
) -> list[spreadsheet.Problem]:
    """Every message of a section's forms, placed at the sheet, Excel row and column header."""
    out: list[spreadsheet.Problem] = []
    if forms.header is not None and forms.header.errors:
        sheet = _(HEADER_SHEET) % {"section": report.spec.section_title(code)}
        for name, messages in forms.header.errors.items():
            label = str(forms.header.fields[name].label) if name in forms.header.fields else ""
            out += [spreadsheet.Problem(sheet, None, label[:1].upper() + label[1:], str(m)) for m in messages]
    for prefix, formset in forms.formsets.items():
        read = tables[prefix]
        labels = {c.name: c.label for c in read.table.columns}
        out += [spreadsheet.Problem(read.table.sheet, None, "", str(m)) for m in formset.non_form_errors()]
        for index, form in enumerate(formset.forms):
            for name, messages in form.errors.items():
                row = read.rows[index][0] if index < len(read.rows) else None
                out += [
                    spreadsheet.Problem(read.table.sheet, row, labels.get(name, ""), str(m)) for m in messages
                ]
    return out


def check_upload(
    *, report: Report, codes: Sequence[str], upload
) -> tuple[dict[str, SectionValues], dict[str, spreadsheet.ReadTable]]:
    """Read ``upload`` and run each section's form and rules on it; raises ImportRefused. Writes nothing.

    The rows go through the very formsets and ``Section.check`` a web save uses, so the rules cannot
    drift; a rule that looks at another section sees the uploaded content of it when it is uploaded too.
    """
    spec = report.spec
    tables = spreadsheet.tables_for(spec, codes)
    try:
        read = spreadsheet.read_workbook(upload, tables)
    except spreadsheet.SpreadsheetRefused as exc:
        raise ImportRefused(exc.problems) from exc
    states = {s.code: s for s in ReportSection.objects.filter(report=report, code__in=list(codes))}
    all_forms: dict[str, SectionForms] = {}
    values: dict[str, SectionValues] = {}
    for code in codes:
        handler = SECTION_HANDLERS[code]
        data = _header_data(report, code, handler.load(report), states.get(code))
        for row_spec in handler.rows:
            rows = read[row_spec.prefix].rows
            data[f"{row_spec.prefix}-TOTAL_FORMS"] = str(len(rows))
            data[f"{row_spec.prefix}-INITIAL_FORMS"] = "0"
            for i, (_number, cells) in enumerate(rows):
                for name, value in cells.items():
                    data[f"{row_spec.prefix}-{i}-{name}"] = value
        # A product list uploaded in the same file (Kapasitas produksi comes first) is the list chosen from.
        forms = handler.build_forms(spec, data=data, lists=handler.choice_lists(report, overrides=values))
        all_forms[code] = forms
        if forms.shape_valid():
            values[code] = forms.values()
    if len(values) == len(codes):
        ctx = CheckContext(report, overrides=values)
        for code in codes:
            all_forms[code].apply(SECTION_HANDLERS[code].check(values[code], ctx))
    problems = [p for code in codes for p in _problems(report, code, all_forms[code], read)]
    if problems:
        raise ImportRefused(problems)
    return values, read


def report_section_import(*, actor: User, report: Report, codes: Sequence[str], upload) -> ImportResult:
    """Replace the repeating tables of ``codes`` on a draft with the rows of an Excel upload.

    Caller: the factory's company user while the report is editable (the view checks it; the status
    is checked again under the row lock). ``upload`` was checked by content and size
    (``siinas.lib.uploads.validate_upload``). Every row is validated first (``check_upload``); any
    problem raises ImportRefused with the listing and nothing is written. A clean file replaces the
    sections' tables (headers stay), marks them complete, keeps what they held in a ``SectionImport``
    row and writes a timeline event. Raises ValidationError (``not_editable``) when the report was
    submitted meanwhile.
    """
    values, read = check_upload(report=report, codes=codes, upload=upload)
    spec = report.spec
    counts = {
        read[r.prefix].table.sheet: len(values[code].rows[r.prefix])
        for code in codes
        for r in SECTION_HANDLERS[code].rows
    }
    name = (getattr(upload, "name", "") or "")[:200]
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _(NOT_EDITABLE) % {"status": locked.get_status_display()}, code="not_editable"
            )
        now = timezone.now()
        previous = {
            code: SECTION_HANDLERS[code].snapshot(SECTION_HANDLERS[code].load(locked), spec) for code in codes
        }
        for code in codes:
            SECTION_HANDLERS[code].store(locked, values[code])
            ReportSection.objects.update_or_create(
                report=locked,
                code=code,
                defaults={
                    "state": ReportSection.State.VALID,
                    "raw": {},
                    "errors": {},
                    "prefilled": False,
                    "updated_at": now,
                    "updated_by": actor,
                },
            )
        Report.objects.filter(pk=locked.pk).update(lock_version=F("lock_version") + 1, updated_at=now)
        locked.refresh_from_db(fields=["lock_version", "updated_at"])
        record = SectionImport.objects.create(
            report=locked,
            sections=list(codes),
            rows=counts,
            previous=previous,
            file_name=name,
            created_by=actor,
            created_at=now,
        )
        listed = ", ".join(f"{sheet} {count}" for sheet, count in counts.items())
        ReportEvent.objects.create(
            report=locked,
            actor=actor,
            action=ReportEvent.Action.SAVED,
            section=codes[0] if len(codes) == 1 else "",
            comment=_(IMPORT_DONE_COMMENT) % {"file": name, "rows": listed},
            created_at=now,
        )
        audit(
            "reporting.sections_imported",
            actor=actor,
            target=locked,
            sections=list(codes),
            rows=counts,
            import_id=record.pk,
        )
    return ImportResult(report=locked, record=record, rows=counts)
