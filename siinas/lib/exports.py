"""CSV and XLSX formatters for a table built by a selector (style.md §12)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return value


def _safe_text(value: Any) -> Any:
    """Neutralise spreadsheet formula injection in text cells (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


CSV_TYPE = "text/csv; charset=utf-8"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(buffer)
    writer.writerow(header)
    # Written to a buffer and handed over once: a write per row to the response encoded each row on its
    # own (a quarter of a 2,500-row export's time, issue 14).
    writer.writerows([_safe_text(_cell(v)) for v in row] for row in rows)
    return buffer.getvalue()


def table_file(fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "Data") -> tuple[bytes, str]:
    """The table as a ``csv`` or ``xlsx`` file: its bytes and content type."""
    if fmt == "csv":
        return csv_text(header, rows).encode("utf-8"), CSV_TYPE
    return xlsx_bytes({sheet: (header, rows)}), XLSX_TYPE


def attachment(filename: str, content: bytes | str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    return attachment(filename, csv_text(header, rows), CSV_TYPE)


# Excel refuses these in a sheet title, and titles longer than 31 characters or opening/closing with an
# apostrophe; a report section called "Bahan baku/penolong" must not make the export fail.
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def sheet_title(title: str, taken: set[str] | None = None) -> str:
    """``title`` as Excel accepts it: forbidden characters replaced, 31 characters at most, unique
    (case-insensitively) among ``taken``, which it is added to."""
    base = (str(title).translate(_SHEET_FORBIDDEN).strip("'").strip() or "Data")[:31]
    taken = taken if taken is not None else set()
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of one sheet per entry (bold header row, then the rows), written by xlsxwriter: about
    twice as fast as openpyxl's cells. Numbers (int, float, Decimal) are number cells, dates date cells,
    booleans boolean cells; text is always text (never a formula: ``write_string``, and ``_safe_text`` as
    in the CSV).

    xlsxwriter writes a string that looks like "<r>…</r>" into the file unescaped (it takes it for rich
    text it made itself): a company named so could break the file or add cells, so such text gets the
    same leading apostrophe as formula-like text (``_xlsx_text``)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    formats = {dt.datetime: workbook.add_format({"num_format": "yyyy-mm-dd h:mm:ss"}),
               dt.date: workbook.add_format({"num_format": "yyyy-mm-dd"})}  # fmt: skip
    taken: set[str] = set()
    for title, (header, rows) in sheets.items():
        sheet = workbook.add_worksheet(sheet_title(title, taken))
        for col, value in enumerate(header):
            _write(sheet, 0, col, value, formats, bold)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                _write(sheet, r, col, value, formats)
    workbook.close()
    return buffer.getvalue()


def _write(sheet, row: int, col: int, value: Any, formats: dict, fmt=None) -> None:
    kind = type(value)  # exact types first: this runs once per cell
    if kind is str:
        if value:
            sheet.write_string(row, col, _xlsx_text(value), fmt)
        elif fmt is not None:
            sheet.write_blank(row, col, None, fmt)
    elif kind is int or (kind is float and math.isfinite(value)):
        sheet.write_number(row, col, value, fmt)
    elif value is None:
        if fmt is not None:
            sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float | Decimal) and math.isfinite(value):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, _naive(value) if value.tzinfo else value, fmt or formats[dt.datetime])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, fmt or formats[dt.date])
    else:
        sheet.write_string(row, col, _xlsx_text(str(value)), fmt)


def _xlsx_text(value: str) -> str:
    value = _safe_text(value)
    if value.startswith("<r>") and value.endswith("</r>"):
        return "'" + value
    return value


def _naive(value: dt.datetime) -> dt.datetime:
    """An aware moment as Jakarta wall time (Excel has no time zones)."""
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "Data") -> HttpResponse:
    return attachment(filename, xlsx_bytes({sheet: (header, rows)}), XLSX_TYPE)
