"""The semester report in the browser: a company fills its Tahap Produksi report section by section and
submits it; a verifier returns it with a comment, the company fixes and resubmits, verifier and validator accept.
The valid input of every section is the reporting tests' own (tests/reporting/conftest.py ``VALID``)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from reporting.models import Report, ReportStatus
from tests.browser.steps import (
    assert_accessible,
    focused_is,
    keyboard_fill,
    log_in,
    start_from_top,
    tab_to,
)
from tests.helpers import login
from tests.reporting.conftest import fill_all, section_input, submit
from tests.reporting.factories import PeriodFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_period():
    """The last semester that has ended, its filing window moved (as an admin may) to include today."""
    today = timezone.localdate()
    year, number = (today.year, 1) if today.month >= 7 else (today.year - 1, 2)
    return PeriodFactory(
        year=year, number=number, window_opens=today - dt.timedelta(days=10), window_closes=today + dt.timedelta(days=20)
    )


def _set(page, selector: str, value) -> None:
    field = page.locator(selector)
    kind = field.evaluate("el => el.tagName === 'SELECT' ? 'select' : (el.type || 'text')")
    if kind == "checkbox":
        if field.is_checked() != bool(value):
            field.focus()  # boxes at the far end of a wide table: the space bar, as a keyboard user would
            page.keyboard.press("Space")
    elif kind == "select":
        field.select_option(str(value))
    elif not field.evaluate("el => el.readOnly"):  # a computed sum (the workforce total) is not typed
        field.fill("" if value is None else str(value))


def _fill_section(browsing, code: str) -> None:
    """Type a section's valid input into its page: header fields, then each table, adding rows as needed."""
    page = browsing.page
    header, tables = section_input(code)
    for name, value in (header or {}).items():
        _set(page, f"#id_h-{name}", value)
    for prefix, rows in tables.items():
        present = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())
        for index, row in enumerate(rows):
            if index >= present:
                page.locator(f"button.js-add-row[data-prefix='{prefix}']").click()
            for name, value in row.items():
                _set(page, f"#id_{prefix}-{index}-{name}", value)
        for index in range(len(rows), present):
            _set(page, f"#id_{prefix}-{index}-DELETE", True)


def _section_state(page, title: str) -> str:
    return page.locator("main ol.list-group li").filter(has_text=title).inner_text()


def test_a_company_files_its_production_report_section_by_section(browsing, cast):
    page = browsing.page
    period = _open_period()
    log_in(browsing, cast.company_a)
    browsing.navigate(page.get_by_role("navigation").get_by_role("link", name="Laporan Semester").click)
    row = page.get_by_role("row").filter(has_text="Tahap Produksi (Industri Menengah-Besar)")
    assert row.get_by_text("dibuka").is_visible()
    assert_accessible(browsing, "laporan semester")
    browsing.shoot("laporan-semester")
    browsing.navigate(row.get_by_role("button", name="Mulai mengisi").click)
    report = Report.objects.get(factory=cast.factory_a, period=period)
    sections = report.spec.sections
    assert page.locator("main ol.list-group li").count() == len(sections)
    assert_accessible(browsing, "laporan — kemajuan pengisian")
    browsing.shoot("laporan-kemajuan-kosong")

    # 1. Tenaga kerja, as the first section page opens.
    browsing.navigate(page.locator("main ol.list-group a").first.click)
    assert_accessible(browsing, "bagian laporan: tenaga kerja")
    browsing.shoot("bagian-tenaga-kerja")

    for code in sections:
        if code == "kapasitas":
            _capacity_rows_added_removed_and_kept_as_draft(browsing, report)
        _fill_section(browsing, code)
        browsing.navigate(page.get_by_role("button", name="Simpan dan lanjut").click)
        assert page.locator(".alert-success").first.is_visible(), page.locator("main").inner_text()[:600]

    # After the last section the report page shows every section complete.
    assert f"/laporan/{report.pk}/" in page.url
    states = page.locator("main ol.list-group li .section-status-ok").count()
    assert states == len(sections), page.locator("main ol.list-group").inner_text()
    browsing.shoot("laporan-lengkap")
    browsing.navigate(page.get_by_role("button", name="Kirim laporan").click)
    assert page.locator(".alert-success").first.is_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert page.locator("main p .badge").first.inner_text() == "Terkirim"
    assert page.get_by_role("link", name="Tanda terima").is_visible()
    assert_accessible(browsing, "laporan terkirim")
    browsing.shoot("laporan-terkirim")


def _capacity_rows_added_removed_and_kept_as_draft(browsing, report) -> None:
    """On the capacity page: add rows with the keyboard, remove one, save a draft, reload, find the input."""
    page = browsing.page
    assert "/bagian/kapasitas/" in page.url
    assert_accessible(browsing, "bagian laporan: kapasitas produksi")
    present = int(page.locator("#id_produk-TOTAL_FORMS").input_value())

    # "Tambah baris" with the keyboard: the new row's first field takes the focus.
    start_from_top(browsing)
    tab_to(browsing, "button.js-add-row[data-prefix='produk']", limit=200)
    page.keyboard.press("Enter")
    assert focused_is(browsing, f"#id_produk-{present}-name")
    page.keyboard.type("Daging sapi beku")
    keyboard_fill(browsing, [(f"#id_produk-{present}-hs_code", "02023000"), (f"#id_produk-{present}-kbli_code", "10110")])
    _set(page, f"#id_produk-{present}-unit", "ton")
    _set(page, f"#id_produk-{present}-capacity", "12000")
    # A second row typed by mistake, then removed with its "Hapus" box.
    page.locator("button.js-add-row[data-prefix='produk']").click()
    _set(page, f"#id_produk-{present + 1}-name", "Baris salah ketik")
    _set(page, f"#id_produk-{present + 1}-unit", "ton")
    _set(page, f"#id_produk-{present + 1}-capacity", "1")
    _set(page, f"#id_produk-{present + 1}-DELETE", True)
    assert "text-decoration-line-through" in page.locator(f"#id_produk-{present + 1}-DELETE").locator("xpath=ancestor::tr").get_attribute("class")
    assert page.locator("table[data-formset=produk]").bounding_box()["width"] > 300
    assert_accessible(browsing, "bagian laporan: kapasitas produksi dengan baris")
    browsing.shoot("kapasitas-baris-ditambah-dan-dihapus")

    browsing.navigate(page.get_by_role("button", name="Simpan draf").click)
    assert "/bagian/kapasitas/" in page.url
    page.goto(page.url.split("?")[0])  # a fresh load, as after closing the browser
    names = [page.locator(f"#id_produk-{i}-name").input_value()
             for i in range(int(page.locator("#id_produk-TOTAL_FORMS").input_value()))]
    assert "Daging sapi beku" in names
    assert "Baris salah ketik" not in names
    browsing.shoot("kapasitas-draf-dimuat-ulang")


def _submitted_report(cast) -> Report:
    """A complete report, submitted inside the window (filed through the portal's own views; the journey
    above covers filing in the browser)."""
    period = _open_period()
    client = login(Client(), cast.company_a)
    response = client.post("/laporan/mulai/", {"period": period.pk, "report_type": "industri_produksi"})
    assert response.status_code == 302
    report = Report.objects.get(factory=cast.factory_a, period=period)
    fill_all(client, report)
    assert submit(client, report).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    return report


def test_a_returned_report_is_fixed_resubmitted_verified_and_validated(browsing_factory, cast):
    report = _submitted_report(cast)
    comment = "Nilai produksi sosis tidak sesuai dengan catatan penjualan; periksa kembali."

    # The verifier takes the report and sends the Produksi section back with a comment.
    verifier = browsing_factory("verifikator")
    page = verifier.page
    log_in(verifier, cast.verifier, keyboard=True)
    verifier.navigate(page.get_by_role("navigation").get_by_role("link", name="Antrean Verifikasi").click)
    assert_accessible(verifier, "antrean verifikasi")
    verifier.shoot("antrean-verifikasi")
    verifier.navigate(page.get_by_role("link", name="PT Indo Pangan").click)
    verifier.navigate(page.get_by_role("button", name="Ambil untuk diperiksa").click)
    assert page.get_by_text("Diperiksa oleh verifikator").is_visible()
    assert_accessible(verifier, "pemeriksaan laporan (verifikator)")
    verifier.shoot("pemeriksaan-verifikator")
    start_from_top(verifier)
    tab_to(verifier, "#id_return_produksi", limit=120)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused_is(verifier, "#id_comment_produksi")
    page.keyboard.type(comment)
    verifier.navigate(page.get_by_role("button", name="Kembalikan ke perusahaan").click)
    assert page.get_by_text("Laporan dikembalikan ke perusahaan (Pengembalian Data).").is_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    verifier.shoot("laporan-dikembalikan")

    # The company sees the comment where it applies, fixes the section and sends the report again.
    company = browsing_factory("perusahaan")
    cpage = company.page
    log_in(company, cast.company_a)
    company.goto(f"/laporan/{report.pk}/")
    assert cpage.locator("main p .badge").first.inner_text() == "Pengembalian Data"
    produksi = cpage.locator("main ol.list-group li").filter(has=cpage.get_by_role("link", name="Produksi", exact=True))
    assert comment in produksi.inner_text()
    assert_accessible(company, "laporan dikembalikan")
    company.shoot("laporan-dikembalikan-perusahaan")
    company.navigate(produksi.get_by_role("link", name="Produksi", exact=True).click)
    assert comment in cpage.locator(".alert-danger").inner_text()
    company.shoot("bagian-produksi-dengan-komentar")
    cpage.locator("#id_produksi-1-value").fill("91000000000")
    company.navigate(cpage.get_by_role("button", name="Simpan dan lanjut").click)
    company.goto(f"/laporan/{report.pk}/")
    company.navigate(cpage.get_by_role("button", name="Kirim laporan").click)
    assert cpage.locator("main p .badge").first.inner_text() == "Terkirim"
    assert cpage.locator("main table").filter(has_text="Hash isi").locator("tbody tr").count() == 2
    company.shoot("laporan-dikirim-ulang")

    # The verifier passes it on; the sector validator (KBLI 10) validates and locks it.
    verifier.navigate(page.get_by_role("navigation").get_by_role("link", name="Antrean Verifikasi").click)
    verifier.navigate(page.get_by_role("link", name="PT Indo Pangan").click)
    if page.get_by_role("button", name="Ambil untuk diperiksa").count():
        verifier.navigate(page.get_by_role("button", name="Ambil untuk diperiksa").click)
    verifier.navigate(page.get_by_role("button", name="Lengkap — teruskan ke validator").click)
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED
    verifier.shoot("laporan-terverifikasi")

    validator = browsing_factory("validator")
    vpage = validator.page
    log_in(validator, cast.validator_pangan)
    validator.navigate(vpage.get_by_role("navigation").get_by_role("link", name="Antrean Validasi").click)
    assert_accessible(validator, "antrean validasi")
    validator.shoot("antrean-validasi")
    validator.navigate(vpage.get_by_role("link", name="PT Indo Pangan").click)
    if vpage.get_by_role("button", name="Ambil untuk diperiksa").count():
        validator.navigate(vpage.get_by_role("button", name="Ambil untuk diperiksa").click)
    assert_accessible(validator, "pemeriksaan laporan (validator)")
    validator.navigate(vpage.get_by_role("button", name="Validasi dan kunci laporan").click)
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED
    validator.shoot("laporan-tervalidasi")

    company.goto(f"/laporan/{report.pk}/")
    assert cpage.locator("main p .badge").first.inner_text() == "Tervalidasi"
    assert not cpage.get_by_role("button", name="Kirim laporan").count()
    company.shoot("laporan-tervalidasi-perusahaan")


def test_a_company_fills_a_table_from_excel_and_sees_the_errors_of_a_wrong_file(browsing, cast, tmp_path):
    """Download the capacity template, upload it with a wrong unit (listed by sheet, row and column, nothing
    saved), fix the cell and upload again: the rows appear on the section page."""
    from openpyxl import load_workbook

    from reporting.sections import models as sm

    period = _open_period()
    client = login(Client(), cast.company_a)
    assert client.post("/laporan/mulai/", {"period": period.pk, "report_type": "industri_produksi"}).status_code == 302
    report = Report.objects.get(factory=cast.factory_a, period=period)
    fill_all(client, report)

    page = browsing.page
    log_in(browsing, cast.company_a)
    browsing.goto(f"/laporan/{report.pk}/bagian/kapasitas/")
    browsing.navigate(page.locator("#excel-links").get_by_role("link", name="Unggah Excel").click)
    assert page.get_by_role("heading", level=1).inner_text() == "Unggah Excel: Kapasitas produksi"
    assert_accessible(browsing, "unggah excel")
    browsing.shoot("unggah-excel")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh templat Excel").click()
    assert download.value.suggested_filename == f"templat-{report.pk}-kapasitas.xlsx"
    path = tmp_path / "kapasitas.xlsx"
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book["Produk"]
    assert [sheet.cell(2, 1).value, sheet.cell(3, 1).value] == ["Daging sapi beku", "Sosis sapi"]
    sheet.append(["Bakso sapi", "16010000", "10130", "karung", "1.500,5"])  # a unit that is not in the list
    book.save(path)

    browsing.allow_console(r"Failed to load resource: the server responded with a status of 400")
    page.locator("#id_berkas").set_input_files(path)
    browsing.navigate(page.get_by_role("button", name="Unggah dan periksa").click)
    listing = page.locator("#excel-problems tbody tr")
    assert listing.count() == 1
    assert [cell.inner_text() for cell in listing.first.locator("td").all()][:3] == ["Produk", "4", "Satuan"]
    assert "tidak ada dalam daftar" in listing.first.inner_text()
    assert sm.CapacityProduct.objects.filter(report=report).count() == 2  # nothing saved
    assert_accessible(browsing, "unggah excel dengan kesalahan")
    browsing.shoot("unggah-excel-kesalahan")

    sheet.cell(4, 4).value = "ton"
    book.save(path)
    page.locator("#id_berkas").set_input_files(path)
    browsing.navigate(page.get_by_role("button", name="Unggah dan periksa").click)
    assert "/bagian/kapasitas/" in page.url
    assert "Berkas Excel diterima: Produk 3." in page.locator(".alert-success").first.inner_text()
    assert page.locator("#id_produk-2-name").input_value() == "Bakso sapi"
    assert page.locator("#id_produk-2-capacity").input_value() == "1.500,5"  # grouped, significant decimals only
    browsing.shoot("unggah-excel-diterima")
