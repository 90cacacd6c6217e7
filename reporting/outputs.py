"""Formatters of the one data builder (style.md §12): PDF of a report, XLSX of a report, Tanda Terima."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from reporting.models import Report, ReportVersion
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
    """One sheet per section: its fields as label/value pairs, then each table with its headers."""
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
    for number, section in enumerate(build_document(report.spec, snapshot), start=1):
        rows: list[list[Any]] = [[label, value] for label, value in section.fields]
        for table in section.tables:
            if rows:
                rows.append([])
            rows.append([table.title])
            rows.append(table.headers)
            rows.extend(table.rows)
        sheets[f"{number} {section.title}"[:31]] = (["Isian", "Nilai"] if section.fields else [section.title], rows)
    return sheets


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
