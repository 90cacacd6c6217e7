"""A provincial Pemda officer: the regional dashboard, then the company list, filtered and exported."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from accounts.models import Scale
from siinas.core.models import Region
from tests.browser.steps import (
    assert_accessible,
    keyboard_fill,
    keyboard_submit,
    log_in,
    start_from_top,
    tab_to,
)
from tests.factories import FactoryAccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _jawa_barat(cast) -> None:
    """Besar factories (provincial authority) in two kab/kota of Jawa Barat, beside the cast's company_a
    (Kab. Bekasi); a Kecil one that is the kabupaten's business; one in Jawa Timur that is not theirs."""
    bekasi, bandung = Region.objects.get(pk="32.16"), Region.objects.get(pk="32.73")
    for n, name in enumerate(("PT Cikarang Kimia", "PT Jababeka Plastik", "PT Delta Kemasan")):
        FactoryAccountFactory(company__name=name, name=f"Pabrik {n + 1}", region=bekasi, scale=Scale.BESAR,
                              kbli_codes=["10750"], workforce=200 + n)
    for n, name in enumerate(("PT Priangan Tekstil", "PT Cigondewah Garmen", "PT Bandung Rajut")):
        FactoryAccountFactory(company__name=name, name=f"Pabrik {n + 1}", region=bandung, scale=Scale.BESAR,
                              kbli_codes=["13111"], workforce=300 + n)
    FactoryAccountFactory(company__name="CV Kecil Bekasi", region=bekasi, scale=Scale.KECIL, kbli_codes=["10110"])


def test_a_province_officer_reads_the_dashboard_and_exports_its_company_list(browsing, cast):
    page = browsing.page
    _jawa_barat(cast)
    log_in(browsing, cast.pemda_jabar, keyboard=True)

    browsing.navigate(page.get_by_role("navigation").get_by_role("link", name="Dasbor Daerah").click)
    assert page.get_by_role("heading", level=1).inner_text() == "Dasbor daerah — Jawa Barat"
    regions = page.locator("section[aria-labelledby=per-wilayah]")
    assert "Kabupaten Bekasi" in regions.inner_text() and "Kota Bandung" in regions.inner_text()
    # The charts are drawn from the aggregates by the locally served Chart.js.
    page.locator("#pemda-chart-area canvas").first.wait_for()
    assert page.locator("#pemda-chart-area canvas").count() >= 2
    assert page.evaluate(
        "() => Array.from(document.querySelectorAll('#pemda-chart-area canvas')).every(c => Chart.getChart(c))"
    )
    heights = page.eval_on_selector_all("#pemda-chart-area canvas", "cs => cs.map(c => c.getBoundingClientRect().height)")
    assert all(150 < h < 400 for h in heights), f"chart heights {heights}"
    assert_accessible(browsing, "dasbor Pemda")
    browsing.shoot("dasbor-pemda")

    browsing.navigate(page.get_by_role("link", name="Lihat daftar perusahaan").click)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Daftar perusahaan")
    names = page.locator("tbody tr td:first-child").all_inner_texts()
    # Provincial authority: the Besar factories of the province, not the kabupaten's small one.
    assert "PT Indo Pangan" in names and "PT Priangan Tekstil" in names
    assert "CV Kecil Bekasi" not in names
    assert_accessible(browsing, "daftar perusahaan Pemda")
    browsing.shoot("daftar-perusahaan")

    # Filter by kab/kota and KBLI with the keyboard alone.
    start_from_top(browsing)
    tab_to(browsing, "#id_region")
    page.keyboard.type("Kabupaten Bekasi")
    keyboard_fill(browsing, [("#id_kbli", "10")])
    keyboard_submit(browsing, "form[method=get] button[type=submit]")
    shown = sorted(page.locator("tbody tr td:first-child").all_inner_texts())
    assert shown == ["PT Cikarang Kimia", "PT Delta Kemasan", "PT Indo Pangan", "PT Jababeka Plastik"]
    assert page.get_by_text("4 akun").is_visible()
    browsing.shoot("daftar-perusahaan-tersaring")

    # The export carries exactly the filtered list.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert download.value.suggested_filename.startswith("perusahaan-32-") and download.value.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["ID akun", "Nama perusahaan", "NIB"]
    assert sorted(r[1] for r in rows[1:]) == shown

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX", exact=True).click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "Nama perusahaan"
    assert sorted(r[1] for r in values[1:]) == shown


def _pdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "notulen-rapat-hambatan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_a_regency_officer_sends_information_that_the_province_sees(browsing_factory, cast, tmp_path):
    kab = browsing_factory("pemda-kab")
    page = kab.page
    log_in(kab, cast.pemda_kab_bekasi)
    kab.navigate(page.get_by_role("navigation").get_by_role("link", name="Dasbor Daerah").click)
    kab.navigate(page.get_by_role("link", name="Informasi Pemda").first.click)
    assert_accessible(kab, "informasi Pemda")
    kab.shoot("informasi-pemda")
    row = page.get_by_role("row").filter(has_text="Informasi Hambatan")
    kab.navigate(row.get_by_role("button", name="Buat konsep").click)
    assert page.get_by_role("heading", level=1).inner_text() == "Informasi Hambatan"

    # The text and one figure, by keyboard; a draft first.
    start_from_top(kab)
    keyboard_fill(
        kab,
        [
            ("#id_text", "Pasokan gas untuk industri keramik di Cikarang tersendat sejak Mei."),
            ("#id_angka-0-label", "Perusahaan terdampak"),
            ("#id_angka-0-value", "7"),
            ("#id_angka-0-unit", "perusahaan"),
        ],
    )
    keyboard_submit(kab, "main form[novalidate]:not([action]) button[type=submit]")
    assert page.get_by_text("Konsep tersimpan.").is_visible()
    assert page.locator("#id_angka-0-label").input_value() == "Perusahaan terdampak"
    page.locator("#id_title").fill("Notulen rapat koordinasi")
    page.locator("#id_file").set_input_files(_pdf(tmp_path))
    kab.navigate(page.get_by_role("button", name="Unggah").click)
    assert page.get_by_role("link", name="Notulen rapat koordinasi").is_visible()
    assert_accessible(kab, "konsep informasi Pemda")
    kab.shoot("konsep-informasi")
    kab.navigate(page.get_by_role("button", name="Kirim ke Kementerian").click)
    assert page.get_by_text("Informasi terkirim ke Kementerian Perindustrian.").is_visible()
    kab.shoot("informasi-terkirim")

    # The province sees what its regencies sent.
    prov = browsing_factory("pemda-prov")
    log_in(prov, cast.pemda_jabar)
    prov.goto("/pemda/informasi/")
    sent = prov.page.locator("main h2:has-text('Dikirim dinas kabupaten/kota') + .list-group")
    assert "Kabupaten Bekasi — Informasi Hambatan" in sent.inner_text()
    prov.navigate(sent.get_by_role("link", name="Kabupaten Bekasi — Informasi Hambatan").click)
    assert "Pasokan gas untuk industri keramik" in prov.page.locator("main").inner_text()
    assert_accessible(prov, "informasi dari kabupaten")
    prov.shoot("informasi-dari-kabupaten")
