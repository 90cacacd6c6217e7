"""Excel round-trip of a report's repeating tables: the template written, an upload read back.

Pure functions around the section declarations (``Section.rows``): one sheet per repeating table,
headed by the labels the web form shows; a "Petunjuk" sheet of instructions; a hidden "Daftar" sheet
holding the code lists the drop-downs point at. Reading gives, per table, each filled row as the
strings the web form would post: the service feeds them through the same formsets and rules
(``reporting.imports``), so a row is judged exactly as if it had been typed.

Limits (docs/reporting.md, "Excel"): the file at most ``MAX_BYTES``, a table at most ``MAX_ROWS``
filled rows (the formset's own ``absolute_max``), the worksheets at most ``MAX_SHEET_XML_BYTES``
uncompressed. Only values are read: a formula cell is refused (``data_only=False`` so openpyxl shows
it as a formula instead of the value a spreadsheet program last cached).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reporting.registry import ReportTypeSpec
from reporting.sections.base import NameList, SectionValues, to_json
from reporting.sections.definitions import SECTION_HANDLERS
from siinas.lib.exports import sheet_title
from siinas.lib.numbers import localized_from_machine

MB = 1024 * 1024
MAX_BYTES = 5 * MB
MAX_ROWS = 2_000
MAX_SHEET_XML_BYTES = 32 * MB  # all worksheets, uncompressed: a 2,000-row table is about 1 MB
MAX_PROBLEMS = 200  # listed; the count of the rest is given
BLANK_ROW_SLACK = 500  # empty rows tolerated between filled ones
EXCEL_LAST_ROW = 1_048_576
GUIDE_SHEET = "Petunjuk"
LIST_SHEET = "Daftar"
YES, NO = "Ya", "Tidak"

SHEET_MISSING = gettext_noop(
    "Lembar ini tidak ada dalam berkas. Gunakan templat yang diunduh dari SIINas tanpa mengganti nama lembar."
)
HEADER_WRONG = gettext_noop(
    "Judul kolom harus “%(expected)s” (tertulis “%(found)s”). Jangan mengubah, menambah atau memindahkan kolom."
)
HEADER_EXTRA = gettext_noop("Kolom “%(found)s” tidak dikenal. Jangan menambah kolom.")
TOO_MANY_ROWS = gettext_noop(
    "Lembar ini memuat lebih dari %(limit)s baris data; batas per tabel %(limit)s baris."
)
DATA_TOO_FAR = gettext_noop(
    "Ada isian di bawah baris %(last)s. Isi tabel mulai baris 2 tanpa deretan baris kosong yang panjang "
    "(paling banyak %(limit)s baris data)."
)
FORMULA_REFUSED = gettext_noop(
    "Sel berisi rumus (%(formula)s). Hanya nilai yang dibaca: ketik atau tempel nilainya saja."
)
SHEETS_TOO_LARGE = gettext_noop(
    "Isi lembar kerja terlalu besar untuk diperiksa (lebih dari %(limit)s MB setelah diekstrak)."
)
UNREADABLE = gettext_noop("Berkas tidak dapat dibaca sebagai lembar kerja Excel (XLSX).")
CHOICE_UNKNOWN = gettext_noop("“%(value)s” tidak ada dalam daftar. Pilih dari daftar tarik-turun.")
BOOL_UNKNOWN = gettext_noop("Isi “Ya” atau “Tidak”.")
VALUE_TYPE = gettext_noop("Nilai sel tidak dikenal; ketik nilainya sebagai teks atau angka.")


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str  # text, int, decimal, choice, bool, date
    required: bool
    choices: tuple[tuple[str, str], ...] = ()
    decimal_places: int = 0
    listed: NameList | None = None  # a name chosen from a list typed once elsewhere (the capacity products)


@dataclass(frozen=True)
class Table:
    code: str  # the section
    prefix: str  # the formset
    sheet: str
    title: str
    columns: tuple[Column, ...]


@dataclass
class Problem:
    """One message of the error listing: where (sheet, Excel row, column header) and what."""

    sheet: str
    row: int | None
    column: str
    message: str


class SpreadsheetRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


@dataclass
class ReadTable:
    table: Table
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (Excel row number, form values)


def _column(name: str, form_field: forms.Field) -> Column:
    label = capfirst(str(form_field.label))
    if isinstance(form_field, forms.BooleanField):
        return Column(name, label, "bool", False)
    if isinstance(form_field, forms.ChoiceField):
        choices = tuple((str(code), str(text)) for code, text in form_field.choices if code != "")
        return Column(name, label, "choice", form_field.required, choices)
    if isinstance(form_field, forms.DecimalField):  # before IntegerField: Django's DecimalField is one
        return Column(
            name, label, "decimal", form_field.required, decimal_places=form_field.decimal_places or 0
        )
    if isinstance(form_field, forms.IntegerField):
        return Column(name, label, "int", form_field.required)
    if isinstance(form_field, forms.DateField):
        return Column(name, label, "date", form_field.required)
    return Column(name, label, "text", form_field.required)


def tables_for(spec: ReportTypeSpec, codes: list[str] | tuple[str, ...]) -> list[Table]:
    """The repeating tables of ``codes`` (in the report type's order), each with its sheet name.

    Sheet names are given over the whole report type, so a whole-report file and a one-section file
    name a table's sheet alike (either can be uploaded on a section's page).
    """
    taken: set[str] = {GUIDE_SHEET.lower(), LIST_SHEET.lower()}
    tables = []
    for code in spec.sections:
        handler = SECTION_HANDLERS[code]
        for row_spec in handler.rows:
            sheet = sheet_title(str(row_spec.title), taken)
            if code not in codes:
                continue
            form_class = handler._row_forms[row_spec.prefix].form
            chosen = dict(row_spec.chosen)
            columns = tuple(
                replace(_column(name, form_class.base_fields[name]), listed=chosen.get(name)) for name in row_spec.fields
            )
            tables.append(Table(code, row_spec.prefix, sheet, str(row_spec.title), columns))
    return tables


def section_codes_with_tables(spec: ReportTypeSpec) -> list[str]:
    return [code for code in spec.sections if SECTION_HANDLERS[code].rows]


# --- writing -------------------------------------------------------------------------------------------


def _cell_value(column: Column, value: Any) -> Any:
    """A stored value as the cell holds it: numbers as numbers, a code as its code, a flag as Ya/Tidak."""
    if value is None or value == "":
        return None
    if column.kind == "bool":
        return YES if value else NO
    if column.kind in ("int", "decimal"):
        if isinstance(value, int):
            return value
        number = Decimal(value)
        as_float = float(number)
        # A number Excel cannot hold exactly (over 15 significant digits) is written as text; read back the same.
        return as_float if Decimal(repr(as_float)) == number else to_json(number)
    if column.kind == "date":
        return value
    return str(value)


def _number_format(column: Column) -> str:
    if column.kind == "int" or column.decimal_places == 0:
        return "#,##0"
    return "#,##0." + "0" * min(column.decimal_places, 2) + "#" * max(column.decimal_places - 2, 0)


def table_rows(values: SectionValues, table: Table) -> list[list[Any]]:
    return [
        [_cell_value(c, getattr(item, c.name)) for c in table.columns]
        for item in values.rows.get(table.prefix, [])
    ]


def _guide(tables: list[Table], heading: list[str]) -> list[str]:
    lines = [*heading, ""]
    lines += [
        _("Cara mengisi:"),
        _("1. Isi satu baris untuk setiap butir pada lembar tabelnya, mulai dari baris 2. Baris kosong diabaikan."),
        _("2. Jangan mengubah nama lembar, judul kolom atau urutan kolom."),
        _("3. Kolom kode (satuan, negara, jenis, dan sebagainya) diisi dari daftar tarik-turun; kode atau namanya diterima."),
        _("4. Angka boleh diketik sebagai angka atau sebagai teks berformat Indonesia, misalnya 1.234.567,89."),
        _("5. Hanya nilai yang dibaca: sel berisi rumus ditolak. Salin lalu tempel sebagai nilai (Paste Values)."),
        _("6. Batas: berkas paling besar %(mb)s MB dan paling banyak %(rows)s baris per tabel.")
        % {"mb": MAX_BYTES // MB, "rows": thousands(MAX_ROWS)},
        _("7. Unggahan diperiksa dengan aturan yang sama dengan formulir. Bila ada kesalahan, tidak ada yang disimpan dan "
          "daftar kesalahan (lembar, baris, kolom) ditampilkan."),
        _("8. Bila berkas bersih, isi tabel pada draf diganti seluruhnya dengan isi berkas; isi sebelumnya tetap tercatat "
          "dalam riwayat draf."),
        "",
        _("Kolom setiap lembar (* wajib diisi):"),
    ]  # fmt: skip
    kinds = {
        "text": _("teks"),
        "int": _("bilangan bulat"),
        "decimal": _("angka"),
        "bool": _("Ya/Tidak"),
        "date": _("tanggal"),
    }
    for table in tables:
        lines.append("")
        lines.append(f"{table.sheet}:")
        for column in table.columns:
            star = " *" if column.required else ""
            if column.listed is not None:
                kind = _("nama dari daftar tarik-turun (diisi di lembar %(sheet)s)") % {"sheet": _list_sheet(column.listed)}
            elif column.kind == "choice":
                listed = ", ".join(f"{code} = {text}" for code, text in column.choices)
                kind = _("kode dari daftar") + (f" ({listed})" if len(column.choices) <= 12 else "")
            else:
                kind = kinds[column.kind]
            lines.append(f"  \u2022 {column.label}{star}: {kind}")
    return lines


def _list_sheet(listed: NameList) -> str:
    """The sheet where a list's names are typed (e.g. "Produk" for the capacity products)."""
    handler = SECTION_HANDLERS[listed.section]
    spec = next(r for r in handler.rows if r.prefix == listed.table)
    return sheet_title(str(spec.title), {GUIDE_SHEET.lower(), LIST_SHEET.lower()})


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def workbook_bytes(
    tables: list[Table],
    rows: dict[str, list[list[Any]]],
    *,
    heading: list[str],
    extra_lists: dict[str, list[tuple[str, str]]] | None = None,
    names: dict[NameList, list[str]] | None = None,
) -> bytes:
    """The template: Petunjuk, one sheet per table with ``rows[prefix]``, and the hidden Daftar sheet.

    ``extra_lists`` adds drop-downs by column name (e.g. the KBLI codes) that only warn when a value
    is not listed: the server checks those codes itself. A column chosen from a ``NameList`` (a
    product) gets a drop-down that refuses other names: of the list's own sheet when the file has it
    (what is typed there is offered at once), else of ``names`` (the stored list, on the Daftar sheet).
    """
    import xlsxwriter

    extra_lists = extra_lists or {}
    names = names or {}
    by_table = {(t.code, t.prefix): t for t in tables}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
    wrap = book.add_format({"text_wrap": False})
    guide = book.add_worksheet(GUIDE_SHEET)
    guide.set_column(0, 0, 120, wrap)
    for r, line in enumerate(_guide(tables, heading)):
        guide.write_string(r, 0, line)
    sheets = {t.prefix: book.add_worksheet(t.sheet) for t in tables}
    lists = book.add_worksheet(LIST_SHEET)
    list_ranges: dict[tuple, str] = {}
    list_col = 0

    def list_range(key: tuple, header: str, entries: list[tuple[str, str]]) -> str:
        nonlocal list_col
        if key not in list_ranges:
            lists.write_string(0, list_col, header, bold)
            lists.write_string(0, list_col + 1, _("Keterangan"), bold)
            for i, (code, text) in enumerate(entries, start=1):
                lists.write_string(i, list_col, code)
                lists.write_string(i, list_col + 1, text)
            letter = xlsxwriter.utility.xl_col_to_name(list_col)
            list_ranges[key] = f"='{LIST_SHEET}'!${letter}$2:${letter}${len(entries) + 1}"
            list_col += 2
        return list_ranges[key]

    formats: dict[str, Any] = {}
    last = MAX_ROWS  # drop-downs and formats down to the row limit
    for table in tables:
        sheet = sheets[table.prefix]
        sheet.freeze_panes(1, 0)
        for c, column in enumerate(table.columns):
            sheet.write_string(0, c, column.label, bold)
            width = max(12, min(40, len(column.label) + 4))
            fmt = None
            if column.kind in ("int", "decimal"):
                key = _number_format(column)
                fmt = formats.setdefault(key, book.add_format({"num_format": key}))
            elif column.kind == "date":
                fmt = formats.setdefault("date", book.add_format({"num_format": "yyyy-mm-dd"}))
            elif column.kind == "text":
                fmt = formats.setdefault("text", book.add_format({"num_format": "@"}))
            sheet.set_column(c, c, width, fmt)
            validation = None
            if column.kind == "choice":
                source = list_range(("choice", column.choices), column.label, list(column.choices))
                validation = {"validate": "list", "source": source, "error_title": column.label[:32],
                              "error_message": _("Pilih dari daftar.")}  # fmt: skip
            elif column.kind == "bool":
                validation = {"validate": "list", "source": [YES, NO]}
            elif column.listed is not None:
                validation = _listed_validation(column, by_table, names, list_range)
            elif column.name in extra_lists and extra_lists[column.name]:
                source = list_range(("extra", column.name), column.label, extra_lists[column.name])
                validation = {"validate": "list", "source": source, "error_type": "warning",
                              "error_message": _("Kode ini tidak ada dalam daftar.")}  # fmt: skip
            if validation is not None:
                sheet.data_validation(1, c, last, c, validation)
        for r, values in enumerate(rows.get(table.prefix, []), start=1):
            for c, value in enumerate(values):
                _write(sheet, r, c, value)
    lists.hide()
    guide.activate()
    book.close()
    return buffer.getvalue()


def _listed_validation(column: Column, by_table: dict, names: dict[NameList, list[str]], list_range) -> dict | None:
    import xlsxwriter

    listed = column.listed
    source_table = by_table.get((listed.section, listed.table))
    if source_table is not None:
        c = next(i for i, col in enumerate(source_table.columns) if col.name == listed.field)
        letter = xlsxwriter.utility.xl_col_to_name(c)
        source = f"={_quoted(source_table.sheet)}!${letter}$2:${letter}${MAX_ROWS + 1}"
    elif names.get(listed):
        source = list_range(("names", listed), column.label, [(name, "") for name in names[listed]])
    else:
        return None  # no list yet: the upload refuses every name, with the message saying where to type them
    return {"validate": "list", "source": source, "error_title": column.label[:32], "error_message": _(listed.message)}


def _write(sheet, row: int, col: int, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, YES if value else NO)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value)
    else:
        # A string cell is never evaluated, so no apostrophe is added (it would come back in the value).
        # xlsxwriter writes text shaped like "<r>…</r>" unescaped, taking it for its own rich text: such
        # text gets a leading apostrophe here, which the reader removes again.
        text = str(value)
        if text.startswith("<r>") and text.endswith("</r>"):
            text = "'" + text
        sheet.write_string(row, col, text)


# --- reading -------------------------------------------------------------------------------------------

_ID_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_ID_DECIMAL = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})*|\d+),\d+$")


def number_text(text: str) -> str:
    """A number typed as text, as the form reads it: "1.234.567,89" (Indonesian) → "1234567.89".

    A comma is the decimal mark; dots in groups of three before it are thousands. Without a comma,
    "1.234.567" (groups of three) is thousands too; any other text is passed on as it is (the form
    then says whether it is a number: "12.5" is twelve and a half).
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if _ID_DECIMAL.match(cleaned):
        return cleaned.replace(".", "").replace(",", ".")
    if _ID_THOUSANDS.match(cleaned):
        return cleaned.replace(".", "")
    return cleaned


def _number_from_cell(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    try:
        return format(Decimal(repr(value)).normalize(), "f")
    except InvalidOperation:  # inf/nan: the form refuses the text
        return repr(value)


def _form_value(column: Column, value: Any) -> tuple[str, str | None]:
    """(the form's value, or a problem message) for one cell's value."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'<r>") and value.endswith("</r>"):
            value = value[1:]
    if value is None or value == "":
        return "", None
    if column.kind == "bool":
        key = str(value).strip().lower()
        if value is True or key in ("ya", "y", "true", "benar", "1"):
            return "on", None
        if value is False or key in ("tidak", "t", "false", "salah", "0"):
            return "", None
        return "", _(BOOL_UNKNOWN)
    if isinstance(value, bool):
        return ("1" if value else "0"), None
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.isoformat(), None
    if isinstance(value, int | float):
        text = _number_from_cell(value)
    elif isinstance(value, str):
        text = value
    else:
        return "", _(VALUE_TYPE)
    if column.kind in ("int", "decimal"):
        # The form reads the page's language (siinas.lib.numbers): a machine value is handed over in it.
        return localized_from_machine(number_text(text) if isinstance(value, str) else text), None
    if column.kind == "choice":
        wanted = text.strip().lower()
        for code, label in column.choices:
            if wanted in (code.lower(), label.lower()):
                return code, None
        return "", _(CHOICE_UNKNOWN) % {"value": text[:60]}
    return text, None


def _check_sizes(upload) -> None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            total = sum(
                i.file_size for i in archive.infolist() if i.filename.lower().startswith("xl/worksheets/")
            )
    except zipfile.BadZipFile as exc:
        raise SpreadsheetRefused([Problem("", None, "", _(UNREADABLE))]) from exc
    finally:
        upload.seek(0)
    if total > MAX_SHEET_XML_BYTES:
        raise SpreadsheetRefused(
            [Problem("", None, "", _(SHEETS_TOO_LARGE) % {"limit": MAX_SHEET_XML_BYTES // MB})]
        )


def read_workbook(upload, tables: list[Table]) -> dict[str, ReadTable]:
    """Each table's filled rows as form values, or ``SpreadsheetRefused`` with every problem found.

    ``upload`` was checked by content first (``siinas.lib.uploads.validate_upload``). Sheets other
    than the tables' are ignored.
    """
    from openpyxl import load_workbook

    _check_sizes(upload)
    try:
        book = load_workbook(upload, read_only=True, data_only=False, keep_vba=False, keep_links=False)
    except Exception as exc:  # a broken part openpyxl cannot read
        raise SpreadsheetRefused([Problem("", None, "", _(UNREADABLE))]) from exc
    problems: list[Problem] = []
    result: dict[str, ReadTable] = {}
    try:
        names = {name.strip().lower(): name for name in book.sheetnames}
        for table in tables:
            name = names.get(table.sheet.lower())
            if name is None:
                problems.append(Problem(table.sheet, None, "", _(SHEET_MISSING)))
                continue
            result[table.prefix] = _read_sheet(book[name], table, problems)
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # malformed sheet XML
        raise SpreadsheetRefused([Problem("", None, "", _(UNREADABLE))]) from exc
    finally:
        book.close()
        upload.seek(0)
    if problems:
        raise SpreadsheetRefused(problems)
    return result


def _read_sheet(sheet, table: Table, problems: list[Problem]) -> ReadTable:
    width = len(table.columns)
    last_row = 1 + MAX_ROWS + BLANK_ROW_SLACK
    read = ReadTable(table)
    header = next(sheet.iter_rows(min_row=1, max_row=1, max_col=width + 20, values_only=True), ())
    header = list(header) + [None] * (width - len(header))
    header_ok = True
    for c, column in enumerate(table.columns):
        found = str(header[c] or "").strip()
        if found.lower() != column.label.lower():
            problems.append(
                Problem(
                    table.sheet, 1, column.label, _(HEADER_WRONG) % {"expected": column.label, "found": found}
                )
            )
            header_ok = False
    for extra in header[width:]:
        if extra not in (None, ""):
            problems.append(Problem(table.sheet, 1, str(extra), _(HEADER_EXTRA) % {"found": str(extra)[:60]}))
            header_ok = False
    if not header_ok:
        return read
    # One row past the reach: openpyxl yields it only when the sheet goes on (then the rest is scanned).
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_row=last_row + 1, max_col=width), start=2):
        if number > last_row:
            _refuse_data_below(sheet, table, last_row, problems)
            break
        if all(cell.value in (None, "") for cell in cells):
            continue
        if len(read.rows) == MAX_ROWS:
            problems.append(
                Problem(table.sheet, number, "", _(TOO_MANY_ROWS) % {"limit": thousands(MAX_ROWS)})
            )
            break
        values: dict[str, str] = {}
        for column, cell in zip(table.columns, cells, strict=False):
            if cell.data_type == "f":
                formula = str(getattr(cell.value, "text", cell.value))[:40]
                problems.append(
                    Problem(table.sheet, number, column.label, _(FORMULA_REFUSED) % {"formula": formula})
                )
                continue
            value, message = _form_value(column, cell.value)
            if message:
                problems.append(Problem(table.sheet, number, column.label, message))
            elif value:
                values[column.name] = value
        read.rows.append((number, values))
    return read


def _refuse_data_below(sheet, table: Table, last_row: int, problems: list[Problem]) -> None:
    """Any value below the reach is refused rather than silently left unread. The scan's cost is bounded
    by ``MAX_SHEET_XML_BYTES``; an explicit end row keeps a wrong ``<dimension>`` from shortening it."""
    rest = sheet.iter_rows(
        min_row=last_row + 1, max_row=EXCEL_LAST_ROW, max_col=len(table.columns), values_only=True
    )
    for number, values in enumerate(rest, start=last_row + 1):
        if any(v not in (None, "") for v in values):
            message = _(DATA_TOO_FAR) % {"last": thousands(last_row), "limit": thousands(MAX_ROWS)}
            problems.append(Problem(table.sheet, number, "", message))
            return


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")
