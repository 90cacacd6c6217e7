"""The CSV/XLSX formatters (siinas.lib.exports): what a workbook holds, read back with openpyxl."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from siinas.lib.exports import sheet_title, xlsx_bytes

ROWS = [
    ["PT Satu", 12, 3.5, Decimal("1234.50"), None, True, dt.date(2027, 1, 31)],
    ["=SUM(A1:A2)", 0, None, "", "-5", False, dt.datetime(2027, 1, 31, 7, 30)],
    ["Bandung", -7, 100.0, Decimal("0"), "0123", None, ""],
]


def _read(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_numbers_dates_and_booleans_are_typed_cells_and_text_stays_text():
    book = _read(xlsx_bytes({"Data": (["Nama", "A", "B", "C", "D", "E", "F"], ROWS)}))
    sheet = book["Data"]
    assert [c.value for c in sheet[1]] == ["Nama", "A", "B", "C", "D", "E", "F"]
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["PT Satu", 12, 3.5, 1234.5, None, True, dt.datetime(2027, 1, 31)]
    assert sheet["B2"].data_type == "n" and sheet["D2"].data_type == "n"
    # Text is never a formula, and text that looks like a number stays text (a NIB keeps its zeros).
    assert [c.value for c in sheet[3]][:5] == ["'=SUM(A1:A2)", 0, None, None, "'-5"]
    assert sheet["G3"].value == dt.datetime(2027, 1, 31, 7, 30)
    assert [c.value for c in sheet[4]][:5] == ["Bandung", -7, 100, 0, "0123"]
    assert sheet["E4"].data_type == "s"


def test_text_that_looks_like_xml_stays_text():
    # xlsxwriter would write "<r>…</r>" raw into the file (as its own rich text): a name like the last one
    # would add a formula cell. It gets the apostrophe that formula-like text gets.
    injected = '<r><t>x</t></r></is></c><c r="Z1"><f>HYPERLINK("http://contoh")</f></c><c><is><r><t>y</t></r>'
    rows = [["<r><t>Rich</t></r>", "<b>&amp;</b>", "a_x0041_b", "tab\there", injected]]
    sheet = _read(xlsx_bytes({"Data": (["Nama", "B", "C", "D", "E"], rows)}))["Data"]
    assert [c.value for c in sheet[2]] == ["'<r><t>Rich</t></r>", "<b>&amp;</b>", "a_x0041_b", "tab\there", "'" + injected]
    assert sheet.max_column == 5


def test_a_row_generator_is_written_whole():
    rows = ([f"Pabrik {i}", i] for i in range(5000))
    sheet = _read(xlsx_bytes({"Data": (["Nama", "No"], rows)}))["Data"]
    assert sheet.max_row == 5001 and sheet.cell(5001, 2).value == 4999


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("3 Bahan baku/penolong", "3 Bahan baku-penolong"),
        ("a[b]c:d*e?f\\g", "a-b-c-d-e-f-g"),
        ("'Kutip'", "Kutip"),
        ("", "Data"),
        ("x" * 40, "x" * 31),
    ],
)
def test_sheet_titles_are_made_acceptable_to_excel(title, expected):
    assert sheet_title(title) == expected


def test_sheet_titles_stay_unique_after_shortening():
    long = "8 Produksi dan penjualan menurut jenis barang"
    book = _read(xlsx_bytes({long + " A": (["x"], []), long + " B": (["y"], []), "data": (["z"], []), "Data": (["w"], [])}))
    assert book.sheetnames == [long[:31], long[:27] + " (2)", "data", "Data (2)"]
    assert all(len(name) <= 31 for name in book.sheetnames)
