"""IKI in the browser: a company answers the questionnaire inside the window; the public reads the release."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from django.utils import timezone

from iki.models import IkiPeriod, IkiResponse, IkiResult
from iki.release import month_name
from iki.services import iki_release_publish, iki_result_compute
from tests.browser.steps import (
    assert_accessible,
    field_error,
    keyboard_choose,
    keyboard_fill,
    keyboard_submit,
    keyboard_tick,
    log_in,
    start_from_top,
)
from tests.factories import FactoryAccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _open_window_for_this_month() -> date:
    """The questionnaire opens on the 12th; the journey runs on any day, so this month's window spans it all."""
    month = _this_month()
    last_day = calendar.monthrange(month.year, month.month)[1]
    IkiPeriod.objects.create(month=month, opens_on=month, closes_on=month.replace(day=last_day))
    return month


def test_a_company_answers_the_iki_questionnaire_inside_the_window(browsing, cast):
    page = browsing.page
    month = _open_window_for_this_month()
    log_in(browsing, cast.company_a, keyboard=True)

    browsing.navigate(page.get_by_role("navigation").get_by_role("link", name="Kuesioner IKI").click)
    assert page.get_by_role("heading", level=1).inner_text() == "Pelaporan Kegiatan Industri — IKI"
    row = page.get_by_role("row").filter(has_text="10 —")
    assert row.get_by_text("Belum diisi").is_visible()
    assert_accessible(browsing, "daftar kuesioner IKI")
    browsing.shoot("kuesioner-iki-daftar")

    browsing.navigate(row.get_by_role("link", name="Isi Pelaporan Baru").click)
    assert f"{month:%Y-%m}" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("#id_kbli2").input_value() == "10"
    assert_accessible(browsing, "formulir kuesioner IKI")
    browsing.shoot("kuesioner-iki-formulir")

    # The whole questionnaire with the keyboard alone. Two rules are broken on purpose: new orders
    # "Meningkat" without a factor, and production factor "Lainnya" without its text.
    start_from_top(browsing)
    keyboard_choose(browsing, "operating_commercially", "ya")
    keyboard_fill(browsing, [("#id_main_product", "Tepung terigu")])
    keyboard_fill(
        browsing,
        [
            ("#id_official_name", "Siti Rahma"),
            ("#id_official_position", "Manajer Pabrik"),
            ("#id_official_phone", "081234567890"),
            ("#id_official_email", "siti@indopangan.co.id"),
        ],
    )
    keyboard_choose(browsing, "general", "meningkat")
    keyboard_choose(browsing, "orders", "meningkat")
    keyboard_choose(browsing, "production", "menurun")
    keyboard_tick(browsing, "input[name=production_factors][value=lainnya]")
    keyboard_choose(browsing, "stock", "tetap")
    keyboard_choose(browsing, "outlook", "optimis")
    keyboard_tick(browsing, "input[name=outlook_factors][value=pasar]")
    keyboard_submit(browsing, "form.js-once button[type=submit]")

    assert "Pilih minimal satu faktor utama." in field_error(browsing, "id_orders_factors")
    assert 'Tuliskan faktor lainnya karena Anda memilih "Lainnya".' in field_error(browsing, "id_production_other")
    # "Tetap" needs no factor: question 4 has no error although none was ticked.
    assert field_error(browsing, "id_stock_factors") == ""
    # Nothing typed is lost.
    assert page.locator("#id_main_product").input_value() == "Tepung terigu"
    assert page.locator("input[name=production_factors][value=lainnya]").is_checked()
    assert not IkiResponse.objects.exists()
    assert_accessible(browsing, "formulir kuesioner IKI dengan kesalahan")
    browsing.shoot("kuesioner-iki-aturan-faktor-dan-lainnya")

    start_from_top(browsing)
    keyboard_tick(browsing, "input[name=orders_factors][value=pesanan_domestik]")
    keyboard_fill(browsing, [("#id_production_other", "Perawatan mesin giling")])
    keyboard_submit(browsing, "form.js-once button[type=submit]")

    assert page.get_by_text("Kuesioner IKI tersimpan.").is_visible()
    main = page.locator("main").inner_text()
    assert "Tepung terigu" in main
    assert "Perawatan mesin giling" in main
    response = IkiResponse.objects.get()
    assert (response.factory, response.period, response.kbli2_id) == (cast.factory_a, month, "10")
    assert response.orders_factors == ["pesanan_domestik"]
    assert response.production_other == "Perawatan mesin giling"
    assert_accessible(browsing, "jawaban kuesioner IKI")
    browsing.shoot("kuesioner-iki-tersimpan")

    browsing.navigate(page.get_by_role("navigation").get_by_role("link", name="Kuesioner IKI").click)
    assert page.get_by_role("row").filter(has_text="10 —").get_by_text("Sudah diisi").is_visible()


def _respond(factory, month: date, *, orders: str, production: str, stock: str, **extra) -> None:
    IkiResponse.objects.create(
        factory=factory,
        period=month,
        kbli2_id="10",
        main_product="Produk pangan",
        official_name="Pejabat Pabrik",
        official_position="Direktur",
        official_phone="0211234567",
        official_email="pejabat@contoh.co.id",
        general="tetap",
        orders=orders,
        production=production,
        stock=stock,
        outlook="tidak_berubah",
        **extra,
    )


def _two_computed_months() -> tuple[date, date]:
    """The spec's worked example (workforce 100, 300, 50 in KBLI 10) in the month before last, and a brighter
    month after it; both windows have closed, so both months are computed and published."""
    this_month = _this_month()
    last = (this_month - timedelta(days=1)).replace(day=1)
    before = (last - timedelta(days=1)).replace(day=1)
    a = FactoryAccountFactory(kbli_codes=["10110"], workforce=100)
    b = FactoryAccountFactory(kbli_codes=["10750"], workforce=300)
    c = FactoryAccountFactory(kbli_codes=["10110"], workforce=50)
    _respond(a, before, orders="meningkat", production="tetap", stock="menurun", orders_factors=["nilai_tukar"])
    _respond(b, before, orders="tetap", production="menurun", stock="tetap")
    _respond(c, before, orders="menurun", production="meningkat", stock="meningkat", orders_factors=["nilai_tukar"])
    for factory in (a, b, c):
        _respond(factory, last, orders="meningkat", production="meningkat", stock="menurun",
                 orders_factors=["pesanan_domestik"], production_factors=["pesanan"], stock_factors=["penjualan"])
    for month in (before, last):
        iki_result_compute(actor=None, period=month, via="job")
        iki_release_publish(actor=None, period=month, via="job")
    return before, last


def test_the_public_reads_the_iki_release_and_switches_month(browsing, reference_data):
    page = browsing.page
    before, last = _two_computed_months()
    latest = IkiResult.objects.get(period=last)

    response = browsing.goto("/iki/")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Indeks Kepercayaan Industri (IKI)"
    assert page.get_by_role("heading", name=f"IKI {month_name(last)}", exact=True).is_visible()
    shown = page.get_by_test_id("iki-value").inner_text()
    assert shown == f"{latest.iki:.2f}".replace(".", ","), shown
    # The series chart was drawn by Chart.js (served locally) on a canvas of real size.
    assert page.locator("#iki-series-chart").bounding_box()["height"] > 50
    assert page.evaluate("() => !!window.Chart && !!Chart.getChart('iki-series-chart')")
    assert_accessible(browsing, "rilis IKI")
    browsing.shoot("rilis-iki")

    # The month selector works with the keyboard: focus it, pick the earlier month, the page reloads.
    page.locator("#periode").focus()
    browsing.navigate(lambda: page.keyboard.press("ArrowDown"))
    assert page.get_by_role("heading", name=f"IKI {month_name(before)}", exact=True).is_visible()
    assert page.get_by_test_id("iki-value").inner_text() == "43,33"
    browsing.shoot("rilis-iki-bulan-sebelumnya")


def test_an_officer_reads_the_iki_dashboard_and_a_months_detail(browsing, cast):
    page = browsing.page
    before, last = _two_computed_months()
    log_in(browsing, cast.verifier)
    browsing.navigate(page.get_by_role("navigation").get_by_role("link", name="Dasbor IKI").click)
    assert page.get_by_role("heading", level=1).inner_text() == "Dasbor IKI"
    series = page.locator("section[aria-labelledby=seri] table tbody")
    assert f"{before:%Y-%m}" in series.inner_text() and "43,33" in series.inner_text()
    assert page.evaluate("() => !!window.Chart && !!Chart.getChart('iki-series-chart')")
    assert_accessible(browsing, "dasbor IKI petugas")
    browsing.shoot("dasbor-iki")
    row = series.get_by_role("row").filter(has_text=f"{before:%Y-%m}")
    browsing.navigate(row.get_by_role("link", name="Rinci").click)
    assert f"{before:%Y-%m}" in page.get_by_role("heading", level=1).inner_text()
    assert "43,33" in page.locator("main").inner_text()
    assert_accessible(browsing, "rincian IKI bulanan")
    browsing.shoot("rincian-iki")
