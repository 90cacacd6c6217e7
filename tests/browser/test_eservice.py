"""E-service in the browser: a company applies for an IOMKI, the sector validator reviews and approves it,
the company downloads the decision letter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eservice.models import Application
from tests.browser.steps import (
    assert_accessible,
    keyboard_choose,
    keyboard_fill,
    keyboard_submit,
    keyboard_tick,
    log_in,
    start_from_top,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _statement_pdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "pernyataan-prokes.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_a_company_applies_for_an_iomki_that_the_validator_approves(browsing_factory, cast, tmp_path):
    company = browsing_factory("perusahaan")
    page = company.page
    log_in(company, cast.company_a)
    company.navigate(page.get_by_role("navigation").get_by_role("link", name="Layanan", exact=True).click)
    assert page.get_by_role("heading", level=1).inner_text() == "Layanan (E-Service)"
    assert_accessible(company, "daftar layanan")
    company.shoot("layanan")
    card = page.locator(".card").filter(has_text="(IOMKI)")
    company.navigate(card.get_by_role("link", name="Isi formulir").click)
    assert_accessible(company, "formulir IOMKI")

    # The form with the keyboard; on-site workers above the total are refused first.
    start_from_top(company)
    tab_to(company, "#id_activity")
    page.keyboard.type("Operasional dan")
    assert page.locator("#id_activity").input_value() == "keduanya"
    keyboard_fill(
        company,
        [
            ("#id_shifts", "2"),
            ("#id_workforce_total", "420"),
            ("#id_workforce_on_site", "500"),
            ("#id_health_officer", "dr. Ratna Sari"),
            ("#id_distribution_area", "Jabodetabek dan Jawa Barat"),
            ("#id_vehicles", "12"),
        ],
    )
    keyboard_tick(company, "#id_health_protocol")
    keyboard_submit(company, "main form button[type=submit]")
    assert page.locator("#id_workforce_on_site.is-invalid").count() == 1
    assert page.locator("#id_health_officer").input_value() == "dr. Ratna Sari"
    company.shoot("formulir-iomki-ditolak")
    start_from_top(company)
    keyboard_fill(company, [("#id_workforce_on_site", "300")])
    keyboard_submit(company, "main form button[type=submit]")
    assert page.get_by_text("Konsep disimpan.").is_visible()
    application = Application.objects.get(factory=cast.factory_a)

    # The required statement is uploaded, then the application is sent (the confirm dialog is accepted).
    page.locator("#id_kind").select_option("pernyataan_prokes")
    page.locator("#id_file").set_input_files(_statement_pdf(tmp_path))
    company.navigate(page.get_by_role("button", name="Unggah").click)
    assert page.get_by_role("link", name="pernyataan-prokes.pdf").first.is_visible()
    assert_accessible(company, "permohonan IOMKI (konsep)")
    company.shoot("permohonan-konsep")
    company.navigate(page.get_by_role("button", name="Ajukan", exact=True).click)
    application.refresh_from_db()
    assert application.status == "diajukan"
    assert page.locator("#status").inner_text() == application.get_status_display()
    company.shoot("permohonan-diajukan")

    # The validator of KBLI 10 finds it in the queue, reviews and approves it for six months.
    validator = browsing_factory("validator")
    vpage = validator.page
    log_in(validator, cast.validator_pangan)
    validator.navigate(vpage.get_by_role("navigation").get_by_role("link", name="Layanan (petugas)").click)
    assert_accessible(validator, "antrean layanan")
    validator.shoot("antrean-layanan")
    validator.navigate(vpage.get_by_role("link", name=application.number).first.click)
    validator.navigate(vpage.get_by_role("button", name="Mulai periksa").click)
    validator.navigate(vpage.get_by_role("link", name="Putuskan (setujui/tolak)").click)
    assert_accessible(validator, "keputusan layanan")
    start_from_top(validator)
    keyboard_choose(validator, "outcome", "approve")
    keyboard_fill(validator, [("#id_note", "Protokol kesehatan memadai.")])
    valid_until = timezone.localdate() + dt.timedelta(days=182)
    vpage.locator("#id_keputusan-valid_until").fill(valid_until.isoformat())
    validator.shoot("keputusan-layanan")
    keyboard_submit(validator, "main form button[type=submit]")
    application.refresh_from_db()
    assert application.status == "disetujui" and application.valid_until == valid_until

    # The company sees the decision and its letter.
    company.goto(f"/layanan/permohonan/{application.pk}/")
    assert page.locator("#status").inner_text() == application.get_status_display()
    assert "Protokol kesehatan memadai." in page.locator("#officer-note").inner_text()
    letter = page.get_by_role("link", name="Izin Operasional dan Mobilitas Kegiatan Industri (PDF)")
    pdf = company.context.request.get(company.url(letter.get_attribute("href")))
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    assert_accessible(company, "permohonan IOMKI disetujui")
    company.shoot("permohonan-disetujui")


def test_a_supplier_publishes_its_profile_and_answers_a_buyers_inquiry(browsing_factory, cast):
    # The supplier (CV Logam Surabaya) publishes its profile and a product, choosing what is shown.
    supplier = browsing_factory("pemasok")
    page = supplier.page
    log_in(supplier, cast.company_b)
    supplier.navigate(page.get_by_role("navigation").get_by_role("link", name="Business Matching").click)
    supplier.navigate(page.get_by_role("link", name="Profil dan produk saya").click)
    assert_accessible(supplier, "profil business matching")
    start_from_top(supplier)
    keyboard_tick(supplier, "#id_is_published")
    keyboard_fill(supplier, [("#id_description", "Bengkel logam presisi: baut, mur dan komponen mesin pertanian.")])
    keyboard_tick(supplier, "#id_publish_region")
    keyboard_tick(supplier, "#id_publish_workforce", on=False)
    keyboard_submit(supplier, "main form.js-once button[type=submit]")
    assert page.get_by_text("Profil direktori disimpan.").is_visible()
    supplier.navigate(page.get_by_role("link", name="Tambah produk").click)
    start_from_top(supplier)
    keyboard_fill(supplier, [("#id_name", "Baut baja galvanis M12"), ("#id_hs_code", "73181510"), ("#id_kbli", "25111")])
    keyboard_tick(supplier, "#id_is_published")
    keyboard_submit(supplier, "main form button[type=submit]")
    assert page.get_by_text("Produk disimpan.").is_visible()
    supplier.shoot("profil-pemasok")

    # Anyone finds it in the directory, with only what the supplier chose to show.
    public = browsing_factory("publik")
    public.goto("/layanan/direktori/")
    start_from_top(public)
    keyboard_fill(public, [("#id_q", "baut")])
    keyboard_submit(public, "main form button[type=submit]")
    card = public.page.locator(".card").filter(has_text="CV Logam Surabaya")
    assert "Baut baja galvanis M12" in card.inner_text()
    assert "Kota Surabaya" in card.inner_text()
    assert_accessible(public, "direktori business matching")
    public.shoot("direktori")
    public.navigate(card.get_by_role("link", name="CV Logam Surabaya").click)
    detail = public.page.locator("main").inner_text()
    assert "Rungkut" not in detail  # the factory address was not chosen for publication
    assert not public.page.get_by_role("link", name="Kirim permintaan ke pemasok ini").count()

    # A buyer company asks for a quotation; the supplier answers in its inbox.
    buyer = browsing_factory("pembeli")
    bpage = buyer.page
    log_in(buyer, cast.company_a)
    buyer.goto(public.page.url.replace(public.base_url, ""))
    buyer.navigate(bpage.get_by_role("link", name="Minta penawaran").first.click)
    assert_accessible(buyer, "permintaan penawaran")
    start_from_top(buyer)
    keyboard_fill(buyer, [("#id_subject", "Penawaran baut M12 untuk rak gudang"),
                          ("#id_body", "Mohon penawaran 20.000 buah per bulan, dikirim ke Bekasi.")])
    keyboard_submit(buyer, "main form button[type=submit]")
    assert "Mohon penawaran 20.000 buah per bulan" in bpage.locator("main").inner_text()
    buyer.shoot("permintaan-terkirim")

    supplier.navigate(page.get_by_role("navigation").get_by_role("link", name="Business Matching").click)
    thread = page.get_by_role("link", name="Penawaran baut M12 untuk rak gudang")
    assert "fw-bold" in thread.get_attribute("class")  # unread
    supplier.navigate(thread.click)
    start_from_top(supplier)
    keyboard_fill(supplier, [("#id_body", "Bisa: Rp 2.150 per buah, franko Bekasi, 14 hari kerja.")])
    keyboard_submit(supplier, "main form.js-once button[type=submit]")
    assert_accessible(supplier, "percakapan business matching")
    supplier.shoot("balasan-pemasok")

    buyer.navigate(bpage.get_by_role("navigation").get_by_role("link", name="Business Matching").click)
    buyer.navigate(bpage.get_by_role("link", name="Penawaran baut M12 untuk rak gudang").click)
    assert "Rp 2.150 per buah" in bpage.locator("main").inner_text()
    buyer.shoot("balasan-diterima")
