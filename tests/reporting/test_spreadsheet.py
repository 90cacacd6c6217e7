"""Excel round-trip of the repeating tables (issue 16 §1): the template, the upload, the error listing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reporting import imports, selectors, services, spreadsheet
from reporting.models import ReportEvent, ReportSection, SectionImport
from reporting.sections import models as sm
from siinas.lib.uploads import UPLOAD_TOO_LARGE, type_not_allowed_message
from tests.helpers import login
from tests.reporting.conftest import fill_all

pytestmark = pytest.mark.django_db

PRODUCT_HEADERS = ["Nama produk", "Kode HS", "KBLI", "Satuan", "Kapasitas terpasang per tahun"]


@pytest.fixture
def draft(client, cast, period, in_window):
    login(client, cast.company_a)
    report = services.report_start(
        actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi"
    )
    fill_all(client, report)
    report.refresh_from_db()
    return report


def _url(name: str, report, code: str | None = None) -> str:
    kwargs = {"pk": report.pk} | ({"code": code} if code else {})
    return reverse(f"reporting:{name}", kwargs=kwargs)


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook the test builds, as a user's spreadsheet program would save it."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _products(rows: list[list]) -> bytes:
    return _xlsx({"Produk": [PRODUCT_HEADERS, *rows]})


def _upload(client, report, content: bytes, code: str | None = "kapasitas", name: str = "isian.xlsx"):
    url = _url("section-excel" if code else "report-excel", report, code)
    return client.post(url, {"berkas": SimpleUploadedFile(name, content)})


def _listing(response) -> list[tuple[str, str, str, str]]:
    """The error listing as (sheet, row, column, message)."""
    import re

    html = response.content.decode()
    body = html.split('id="excel-problems"', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    import html as html_lib

    return [tuple(html_lib.unescape(cell) for cell in row) for row in rows]


def _state(report) -> tuple:
    report.refresh_from_db()
    return (
        report.lock_version,
        selectors.report_snapshot(report)["sections"],
        SectionImport.objects.filter(report=report).count(),
    )


# --- the template ----------------------------------------------------------------------------------------


def test_the_template_holds_the_current_rows_with_number_cells_drop_downs_and_instructions(client, draft):
    response = client.get(_url("section-excel-template", draft, "bahan_baku"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Petunjuk", "Bahan baku dan bahan penolong", "Daftar"]
    assert book["Daftar"].sheet_state == "hidden"
    sheet = book["Bahan baku dan bahan penolong"]
    assert [c.value for c in sheet[1]] == [
        "Nama bahan",
        "Kode HS",
        "Jenis",
        "Asal",
        "Negara asal (impor)",
        "Jumlah",
        "Satuan",
        "Nilai (Rp)",
    ]
    assert [c.value for c in sheet[2]] == [
        "Sapi bakalan",
        "01022990",
        "baku",
        "impor",
        "AU",
        9000,
        "ton",
        450_000_000_000,
    ]
    assert sheet["F2"].data_type == "n" and sheet["F2"].number_format == "#,##0.00#"
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations["G2"].startswith("'Daftar'!$") and validations["E2"].startswith("'Daftar'!$")
    guide = "\n".join(str(c.value) for c in book["Petunjuk"]["A"] if c.value)
    assert (
        "Hanya nilai yang dibaca" in guide
        and "Negara asal (impor): kode dari daftar" in guide
        and "2.000 baris per tabel" in guide
    )


def test_the_whole_report_template_has_one_sheet_per_repeating_table(client, draft):
    book = load_workbook(io.BytesIO(client.get(_url("report-excel-template", draft)).content), read_only=True)
    assert book.sheetnames == [
        "Petunjuk", "Rincian tenaga kerja WNA", "Kepemilikan asing per negara", "Produk", "Bahan baku dan bahan penolong",
        "Mesin dan peralatan", "Bahan bakar", "Air baku", "Produksi", "Penjualan per produk", "Negara tujuan ekspor",
        "Limbah", "Daftar",
    ]  # fmt: skip


# --- round trip ------------------------------------------------------------------------------------------


def test_a_whole_report_template_uploaded_unchanged_leaves_the_same_draft(client, draft):
    before = selectors.report_snapshot(draft)["sections"]
    content = client.get(_url("report-excel-template", draft)).content
    response = _upload(client, draft, content, code=None)
    assert response.status_code == 302 and response["Location"] == _url("report-detail", draft)
    assert selectors.report_snapshot(draft)["sections"] == before
    record = SectionImport.objects.get(report=draft)
    assert record.rows["Produk"] == 2 and record.rows["Limbah"] == 2 and len(record.sections) == 9


@pytest.mark.parametrize(
    "report_type",
    ["industri_pembangunan", "industri_produksi_kecil", "kawasan_pembangunan", "kawasan_komersial"],
)
def test_every_report_type_round_trips_unchanged(client, cast, period, in_window, report_type):
    from reporting.models import Report

    login(client, cast.company_a)
    report = Report.objects.create(factory=cast.factory_a, period=period, report_type=report_type)
    fill_all(client, report, estate=report_type.startswith("kawasan"))
    before = selectors.report_snapshot(report)["sections"]
    content = client.get(_url("report-excel-template", report)).content
    assert _upload(client, report, content, code=None).status_code == 302
    assert selectors.report_snapshot(report)["sections"] == before


def test_a_clean_file_replaces_the_table_and_the_previous_rows_stay_in_the_drafts_history(
    client, cast, draft
):
    response = _upload(client, draft, _products([["Bakso sapi", "16010000", "10130", "ton", "1.500,5"]]))
    assert response.status_code == 302 and response["Location"] == _url("section-edit", draft, "kapasitas")
    rows = list(sm.CapacityProduct.objects.filter(report=draft).values_list("name", "capacity"))
    assert rows == [("Bakso sapi", Decimal("1500.500"))]
    assert ReportSection.objects.get(report=draft, code="kapasitas").state == ReportSection.State.VALID
    record = SectionImport.objects.get(report=draft)
    assert [p["name"] for p in record.previous["kapasitas"]["rows"]["produk"]] == [
        "Daging sapi beku",
        "Sosis sapi",
    ]
    assert record.created_by == cast.company_a and record.file_name == "isian.xlsx"
    event = ReportEvent.objects.filter(report=draft, action=ReportEvent.Action.SAVED).get()
    assert event.section == "kapasitas" and "Produk 1" in event.comment


def test_codes_may_be_given_by_their_name_and_numbers_as_indonesian_text(client, draft):
    response = _upload(
        client,
        draft,
        _products([["Kornet", "", "10130", "Kg", "2.000.000"], ["Abon", "", "10130", "ton", 12.25]]),
    )
    assert response.status_code == 302
    assert list(sm.CapacityProduct.objects.filter(report=draft).values_list("unit", "capacity")) == [
        ("kg", Decimal("2000000")),
        ("ton", Decimal("12.25")),
    ]


def test_a_number_cell_with_three_decimals_is_not_read_as_thousands(client, draft):
    """1.234 in a number cell is one and a bit, although the Indonesian form reads "1.234" typed as 1234:
    the cell's number is handed to the form in the page's format (siinas.lib.numbers); typed text groups."""
    response = _upload(client, draft, _products([["Kornet", "", "10130", "ton", 1.234], ["Abon", "", "10130", "ton", "1.234"]]))
    assert response.status_code == 302, _listing(response)
    assert list(sm.CapacityProduct.objects.filter(report=draft).values_list("capacity", flat=True)) == [
        Decimal("1.234"),
        Decimal("1234"),
    ]


def test_a_whole_report_file_uploaded_on_a_section_page_replaces_only_that_section(client, draft):
    content = client.get(_url("report-excel-template", draft)).content
    book = load_workbook(io.BytesIO(content))
    book["Mesin dan peralatan"]["B2"] = 9
    book["Produk"]["E2"] = 13000
    buffer = io.BytesIO()
    book.save(buffer)
    assert _upload(client, draft, buffer.getvalue(), code="mesin").status_code == 302
    assert sm.Machine.objects.get(report=draft).count == 9
    assert sm.CapacityProduct.objects.get(report=draft, name="Daging sapi beku").capacity == 12000


def test_a_two_thousand_row_table_is_imported_in_a_flat_number_of_queries(
    client, draft, django_assert_max_num_queries
):
    rows = [
        [f"Produk olahan {i:04d}", "16010000", "10130", "ton", 1000 + i] for i in range(spreadsheet.MAX_ROWS)
    ]
    content = _products(rows)
    with django_assert_max_num_queries(40):  # bulk inserts of 500: the count hardly grows with the rows
        assert _upload(client, draft, content).status_code == 302
    assert sm.CapacityProduct.objects.filter(report=draft).count() == 2000
    assert sm.CapacityProduct.objects.get(report=draft, position=1999).name == "Produk olahan 1999"


# --- every kind of error: listed by sheet, row and column; nothing saved ---------------------------------


def test_a_file_that_is_not_an_xlsx_is_refused_at_the_field(client, draft):
    before = _state(draft)
    response = _upload(client, draft, b"Nama produk;KBLI\nBakso;10130\n", name="isian.xlsx")
    assert response.status_code == 400
    assert type_not_allowed_message(("xlsx",)) in response.content.decode()
    assert _state(draft) == before


def test_a_file_over_the_size_limit_is_refused(client, draft):
    before = _state(draft)
    response = _upload(client, draft, b"PK\x03\x04" + b"0" * spreadsheet.MAX_BYTES)
    assert response.status_code == 400
    assert UPLOAD_TOO_LARGE % {"limit": 5} in response.content.decode()
    assert _state(draft) == before


def test_a_table_over_the_row_limit_is_refused(client, draft):
    before = _state(draft)
    rows = [[f"Produk {i}", "", "10130", "ton", 1] for i in range(spreadsheet.MAX_ROWS + 1)]
    response = _upload(client, draft, _products(rows))
    assert response.status_code == 400
    assert _listing(response) == [("Produk", "2002", "—", spreadsheet.TOO_MANY_ROWS % {"limit": "2.000"})]
    assert _state(draft) == before


def test_a_value_far_below_the_table_is_refused_not_left_unread(client, draft):
    before = _state(draft)
    rows = [["Bakso", "", "10130", "ton", 1], *([[None] * 5] * 2600), ["Kornet", "", "10130", "ton", 2]]
    response = _upload(client, draft, _products(rows))
    message = spreadsheet.DATA_TOO_FAR % {"last": "2.501", "limit": "2.000"}
    assert _listing(response) == [("Produk", "2603", "—", message)]
    assert _state(draft) == before


def test_a_formula_is_refused_only_values_are_read(client, draft):
    before = _state(draft)
    response = _upload(client, draft, _products([["Bakso", "", "10130", "ton", "=1000*12"]]))
    assert response.status_code == 400
    assert _listing(response) == [
        (
            "Produk",
            "2",
            "Kapasitas terpasang per tahun",
            spreadsheet.FORMULA_REFUSED % {"formula": "=1000*12"},
        )
    ]
    assert _state(draft) == before


def test_an_unknown_code_a_bad_number_and_a_missing_value_are_listed_at_their_cells(client, draft):
    before = _state(draft)
    rows = [
        ["Bakso", "", "10130", "karung", 10],  # unknown unit
        ["Kornet", "", "10130", "ton", "sepuluh"],  # not a number
        ["", "", "10130", "ton", 5],  # no name
        ["Abon", "", "99999", "ton", 5],  # a KBLI that does not exist (the section's rule)
    ]
    response = _upload(client, draft, _products(rows))
    assert response.status_code == 400
    assert _listing(response) == [
        ("Produk", "2", "Satuan", spreadsheet.CHOICE_UNKNOWN % {"value": "karung"}),
    ]
    # The cell-level problems come first; with them fixed the form and the rules speak:
    rows[0][3] = "ton"
    listing = _listing(_upload(client, draft, _products(rows)))
    assert listing == [
        ("Produk", "3", "Kapasitas terpasang per tahun", "Masukkan angka, misalnya 1.234.567,89."),
        ("Produk", "4", "Nama produk", "Bidang ini tidak boleh kosong."),
    ]
    rows[1][4], rows[2][0] = 10, "Sosis"
    listing = _listing(_upload(client, draft, _products(rows)))
    assert listing == [("Produk", "5", "KBLI", "KBLI 99999 tidak ada dalam KBLI 2020 (5 digit).")]
    assert (
        "Berkas belum dapat diterima: 1 kesalahan."
        in _upload(client, draft, _products(rows)).content.decode()
    )
    assert _state(draft) == before


def test_a_missing_sheet_and_changed_headers_are_refused(client, draft):
    before = _state(draft)
    response = _upload(client, draft, _xlsx({"Lembar1": [PRODUCT_HEADERS]}))
    assert _listing(response) == [("Produk", "—", "—", spreadsheet.SHEET_MISSING)]
    headers = ["Nama produk", "KBLI", "Kode HS", "Satuan", "Kapasitas terpasang per tahun", "Catatan"]
    listing = _listing(_upload(client, draft, _xlsx({"Produk": [headers, ["Bakso", "10130", "", "ton", 1]]})))
    assert listing == [
        ("Produk", "1", "Kode HS", spreadsheet.HEADER_WRONG % {"expected": "Kode HS", "found": "KBLI"}),
        ("Produk", "1", "KBLI", spreadsheet.HEADER_WRONG % {"expected": "KBLI", "found": "Kode HS"}),
        ("Produk", "1", "Catatan", spreadsheet.HEADER_EXTRA % {"found": "Catatan"}),
    ]
    assert _state(draft) == before


def test_a_rule_across_sections_sees_the_uploaded_content_of_both(client, draft):
    """Production must list products of the capacity table: in a whole-report file both are checked together."""
    before = _state(draft)
    book = load_workbook(io.BytesIO(client.get(_url("report-excel-template", draft)).content))
    book["Produk"]["A3"] = "Sosis ayam"  # renamed in capacity, not in production
    buffer = io.BytesIO()
    book.save(buffer)
    listing = _listing(_upload(client, draft, buffer.getvalue(), code=None))
    assert ("Produksi", "3", "Produk (dari daftar kapasitas)", "Pilih produk dari daftar kapasitas produksi.") in listing
    assert ("Penjualan per produk", "3", "Produk", "Pilih produk dari daftar kapasitas produksi.") in listing
    assert _state(draft) == before


def test_a_table_rule_and_a_header_rule_are_listed_without_a_row(client, draft):
    before = _state(draft)
    content = _xlsx({"Rincian tenaga kerja WNA": [["Negara", "Jumlah orang"], ["JP", 1]]})
    listing = _listing(_upload(client, draft, content, code="tenaga_kerja"))
    assert listing == [
        (
            "Rincian tenaga kerja WNA",
            "—",
            "—",
            "Jumlah rincian kewarganegaraan (1) harus sama dengan jumlah tenaga kerja WNA (3).",
        )
    ]
    assert _state(draft) == before


def test_a_section_whose_form_part_was_never_filled_lists_those_fields_under_the_form(
    client, cast, period, in_window
):
    login(client, cast.company_a)
    report = services.report_start(
        actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi"
    )
    content = _xlsx(
        {
            "Bahan bakar": [["Jenis bahan bakar", "Jumlah", "Satuan", "Nilai (Rp)"]],
            "Air baku": [["Sumber air", "Volume (m³)"]],
        }
    )
    listing = _listing(_upload(client, report, content, code="energi"))
    assert (
        "Formulir Penggunaan energi dan air baku",
        "—",
        "Listrik PLN (kWh)",
        "Bidang ini tidak boleh kosong.",
    ) in listing
    assert not sm.Fuel.objects.filter(report=report).exists()
    assert not ReportSection.objects.filter(report=report, code="energi").exists()


def test_the_service_refuses_a_report_submitted_in_the_meantime(cast, draft):
    from django.core.exceptions import ValidationError

    from reporting.models import Report, ReportStatus

    Report.objects.filter(pk=draft.pk).update(
        status=ReportStatus.SUBMITTED, first_submitted_at=draft.created_at
    )
    upload = SimpleUploadedFile("isian.xlsx", _products([["Bakso", "", "10130", "ton", 1]]))
    with pytest.raises(ValidationError) as refused:
        imports.report_section_import(actor=cast.company_a, report=draft, codes=["kapasitas"], upload=upload)
    assert refused.value.code == "not_editable"
    assert sm.CapacityProduct.objects.filter(report=draft).count() == 2


def test_indonesian_number_text_is_read_as_the_form_expects():
    assert spreadsheet.number_text("1.234.567,89") == "1234567.89"
    assert spreadsheet.number_text("1.234") == "1234"
    assert spreadsheet.number_text("12,5") == "12.5"
    assert spreadsheet.number_text("12.5") == "12.5"
    assert spreadsheet.number_text("sepuluh") == "sepuluh"


# --- who may ---------------------------------------------------------------------------------------------


def test_only_the_owner_of_an_editable_report_downloads_and_uploads(client, cast, draft):
    from reporting.models import Report, ReportStatus

    for name, code in (
        ("report-excel", None),
        ("report-excel-template", None),
        ("section-excel", "mesin"),
        ("section-excel-template", "mesin"),
    ):
        login(client, cast.company_b)
        assert client.get(_url(name, draft, code)).status_code == 404, name  # another tenant
        assert client.post(_url(name, draft, code)).status_code == 404, name
        login(client, cast.verifier)
        assert client.get(_url(name, draft, code)).status_code == 403, name  # wrong role
        assert client.post(_url(name, draft, code)).status_code == 403, name
        login(client, cast.company_a)
        assert client.get(_url(name, draft, code)).status_code == 200, name
    assert (
        client.get(_url("section-excel", draft, "pengeluaran")).status_code == 404
    )  # a section without a table
    Report.objects.filter(pk=draft.pk).update(
        status=ReportStatus.SUBMITTED, first_submitted_at=draft.created_at
    )
    assert client.get(_url("report-excel", draft)).status_code == 403  # no longer editable
