"""Formatters of the one data builder (style.md §12): PDF of a report, XLSX of a report, Tanda Terima."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from reporting.models import Report, ReportVersion
from reporting.sections.definitions import SECTION_HANDLERS
from reporting.selectors import build_document
from siinas.lib.exports import XLSX_TYPE, xlsx_bytes
from siinas.lib.pdf import render_pdf
from siinas.lib.qr import qr_data_uri


def report_pdf(report: Report, snapshot: dict[str, Any], label: str) -> bytes:
    context = {
        "report": report,
        "snapshot": snapshot,
        "label": label,
        "document": build_document(report.spec, snapshot),
        "generated_at": timezone.localtime(),
    }
    return render_pdf("pdf/reporting-report.html", context)


def report_sheets(report: Report, snapshot: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """One sheet per section: its fields as label/value pairs, then each table with its headers. Numbers
    are numbers (the snapshot's own values), everything else the document's display text; the sheet
    titles are made acceptable to Excel by ``xlsx_bytes``."""
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {}
    factory = snapshot.get("factory", {})
    sheets["Ringkasan"] = (
        ["Isian", "Nilai"],
        [
            ["Jenis laporan", str(report.get_report_type_display())],
            ["Periode", snapshot.get("period", str(report.period))],
            ["Perusahaan", factory.get("company", "")],
            ["NIB", factory.get("nib", "")],
            ["Lokasi", factory.get("name", "")],
            ["Alamat", factory.get("address", "")],
        ],
    )
    spec = report.spec
    document = build_document(spec, snapshot)
    for number, (code, section) in enumerate(zip(spec.sections, document, strict=True), start=1):
        handler = SECTION_HANDLERS[code]
        data = snapshot.get("sections", {}).get(code) or {}
        values = data.get("fields") or {}
        names = handler.header_fields(spec) if handler.model is not None else []
        rows: list[list[Any]] = [
            [label, _typed(handler.model, name, values.get(name), shown)]
            for name, (label, shown) in zip(names, section.fields, strict=True)
        ]
        for r, table in zip(handler.rows, section.tables, strict=True):
            if rows:
                rows.append([])
            rows.append([table.title])
            rows.append(table.headers)
            raw_rows = (data.get("rows") or {}).get(r.prefix, [])
            rows.extend(
                [_typed(r.model, name, raw.get(name), text) for name, text in zip(r.fields, shown, strict=True)]
                for raw, shown in zip(raw_rows, table.rows, strict=True)
            )
        sheets[f"{number} {section.title}"] = (["Isian", "Nilai"] if section.fields else [section.title], rows)
    return sheets


_NUMBER_FIELDS = {"DecimalField", "FloatField", "IntegerField", "BigIntegerField", "SmallIntegerField",
                  "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField"}  # fmt: skip


def _typed(model, name: str, raw: Any, shown: Any) -> Any:
    """The snapshot's number for a numeric field without choices (Decimal or int), else the display text."""
    field = model._meta.get_field(name)
    if raw is None or raw == "" or field.choices or isinstance(raw, bool) or field.get_internal_type() not in _NUMBER_FIELDS:
        return shown
    if isinstance(raw, int | float):
        return raw
    try:
        return Decimal(str(raw))  # a Decimal is kept in the snapshot as its text
    except InvalidOperation:
        return shown


def report_xlsx(report: Report, snapshot: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(report_sheets(report, snapshot)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def receipt_pdf(report: Report, version: ReportVersion, check_url: str) -> bytes:
    """Tanda Terima: what was received, when, whether on time, and the hash that identifies the content."""
    context = {
        "report": report,
        "version": version,
        "factory": version.data.get("factory", {}),
        "submitted_at": timezone.localtime(version.created_at),
        "qr": qr_data_uri(check_url, box_size=4),
        "check_url": check_url,
        "sections": [report.spec.section_title(code) for code in report.spec.sections],
    }
    return render_pdf("pdf/reporting-receipt.html", context)
