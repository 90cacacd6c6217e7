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


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_text(_cell(v)) for v in row])
    return response


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
    """A workbook of one sheet per entry (bold header row, then the rows). Numbers (int, float, Decimal)
    are number cells, dates date cells, booleans boolean cells; text is always text (never a formula, and
    ``_safe_text`` as in the CSV). Written by ``siinas.lib.xlsx``: what xlsxwriter writes, byte for byte
    (``xlsxwriter_bytes``, kept as the reference of the tests), several times faster."""
    from siinas.lib.xlsx import Workbook

    workbook = Workbook()
    taken: set[str] = set()
    for title, (header, rows) in sheets.items():
        workbook.add_sheet(sheet_title(title, taken), _cells(header, rows))
    return workbook.save()


def xlsxwriter_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]], *, created=None) -> bytes:
    """The same workbook written by xlsxwriter (constant-memory mode: inline strings, as ``xlsx_bytes``)."""
    import xlsxwriter

    from siinas.lib.xlsx import BOLD, DATE, DATETIME

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    if created is not None:
        workbook.set_properties({"created": created})
    formats = {BOLD: workbook.add_format({"bold": True}), DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
               DATETIME: workbook.add_format({"num_format": "yyyy-mm-dd h:mm:ss"})}  # fmt: skip
    write = {"s": "write_string", "n": "write_number", "b": "write_boolean", "d": "write_datetime", "": "write_blank"}
    taken: set[str] = set()
    for title, (header, rows) in sheets.items():
        sheet = workbook.add_worksheet(sheet_title(title, taken))
        for r, cells in enumerate(_cells(header, rows)):
            for c, (kind, value, fmt) in enumerate(cells):
                getattr(sheet, write[kind])(r, c, value, formats.get(fmt))
    workbook.close()
    return buffer.getvalue()


def _cells(header: Sequence[str], rows: Iterable[Sequence[Any]]):
    """Each row (the header first, in bold) as its cells: (kind, value, format) for ``siinas.lib.xlsx``."""
    yield [_cell_of(value, "bold") for value in header]
    for row in rows:
        yield [_cell_of(value) for value in row]


def _cell_of(value: Any, fmt: str | None = None) -> tuple[str, Any, str | None]:
    kind = type(value)  # exact types first: this runs once per cell
    if kind is str:
        return ("s", _xlsx_text(value), fmt) if value else ("", None, fmt)
    if kind is int or (kind is float and math.isfinite(value)):
        return "n", value, fmt
    if value is None:
        return "", None, fmt
    if isinstance(value, bool):
        return "b", value, fmt
    if isinstance(value, int | float | Decimal) and math.isfinite(value):
        return "n", value, fmt
    if isinstance(value, dt.datetime):
        return "d", _naive(value) if value.tzinfo else value, fmt or "datetime"
    if isinstance(value, dt.date):
        return "d", value, fmt or "date"
    return "s", _xlsx_text(str(value)), fmt


def _xlsx_text(value: str) -> str:
    """Text as written: formula-like text neutralised, and text shaped "<r>…</r>" too (xlsxwriter, the
    reference, writes such text raw as rich text of its own: a company so named could add cells)."""
    value = _safe_text(value)
    if value.startswith("<r>") and value.endswith("</r>"):
        return "'" + value
    return value


def _naive(value: dt.datetime) -> dt.datetime:
    """An aware moment as Jakarta wall time (Excel has no time zones)."""
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "Data") -> HttpResponse:
    response = HttpResponse(xlsx_bytes({sheet: (header, rows)}), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
