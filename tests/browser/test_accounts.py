"""Accounts in the browser: registration → UPP approval → first login with the e-mailed one-time password;
the account ownership certificate and the public page its QR code opens."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest

from accounts.models import Factory, Registration, User
from tests.browser.steps import (
    assert_accessible,
    keyboard_fill,
    keyboard_submit,
    last_mail_to,
    log_in,
    start_from_top,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NPWP = "013121660091000"  # a valid 15-digit NPWP (check digit per python-stdnum)
NIB = "8120001234567"
EMAIL = "admin@sumbermakmur.co.id"


def _nib_pdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "NIB-8120001234567.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_cek_nib_di_oss_fills_in_the_company_name_but_never_hands_out_the_npwp(browsing_factory, reference_data):
    company = browsing_factory("perusahaan")
    page = company.page
    company.goto("/akun/registrasi/")
    start_from_top(company)
    keyboard_fill(company, [("#id_nib", "0233010001824")])  # data/oss_offline.csv
    tab_to(company, "button[formaction$='/cek-nib/']")
    page.keyboard.press("Enter")
    page.locator("#nib-check-result .alert-success").wait_for()
    assert page.locator("#id_company_name").input_value() == "PT Indo Pangan"
    assert page.locator("#id_npwp").input_value() == ""  # anyone may ask: the NPWP is typed, then compared
    assert page.url.endswith("/akun/registrasi/")  # no page change: only the result line was swapped in
    assert_accessible(company, "registrasi setelah cek NIB")
    company.shoot("registrasi-cek-nib")
    # Enter in a field still registers (the form's default button is "Daftar"): here the form is incomplete,
    # so the page comes back with the errors at the fields, not with another NIB check.
    tab_to(company, "#id_company_name")
    company.navigate(lambda: page.keyboard.press("Enter"))
    assert page.locator("#id_captcha_1").is_visible() and "Registrasi Akun SIINas" in page.title()
    assert not Registration.objects.exists()
    assert "NPWP tidak valid" not in page.content()


def test_a_company_registers_is_approved_and_changes_its_one_time_password(browsing_factory, cast, tmp_path):
    company = browsing_factory("perusahaan")
    page = company.page
    company.goto("/akun/masuk/")
    company.navigate(page.get_by_role("link", name=re.compile("Registrasi")).click)
    assert page.get_by_role("heading", level=1).inner_text() == "Registrasi Akun SIINas"
    assert_accessible(company, "formulir registrasi")
    company.shoot("registrasi-kosong")

    # The whole form with the keyboard; the NIB PDF is chosen through the file input it tabs to.
    start_from_top(company)
    keyboard_fill(company, [("#id_company_name", "PT Sumber Makmur Pangan")])
    tab_to(company, "#id_business_kind")
    page.keyboard.type("Perusahaan industri")
    keyboard_fill(company, [("#id_factory_name", "Pabrik Cikarang")])
    tab_to(company, "#id_region")
    page.keyboard.type("Kabupaten Bekasi")
    assert page.locator("#id_region").input_value() == "32.16"
    keyboard_fill(
        company,
        [
            ("#id_address", "Jalan Industri Selatan 5 Blok HH, Pasirsari, Cikarang Selatan"),
            ("#id_npwp", NPWP),
            ("#id_nib", NIB),
        ],
    )
    tab_to(company, "#id_nib_file")
    page.locator("#id_nib_file").set_input_files(_nib_pdf(tmp_path))
    keyboard_fill(company, [("#id_email", EMAIL), ("#id_captcha_1", "PASSED")])
    company.shoot("registrasi-terisi")
    keyboard_submit(company, "form.js-once button[type=submit].btn-primary")

    assert page.get_by_role("heading", level=1).inner_text() == "Bukti Pendaftaran Akun SIINas"
    registration = Registration.objects.get(nib=NIB)
    receipt = page.locator("main").inner_text()
    assert f"#{registration.number}" in receipt
    assert "PT Sumber Makmur Pangan" in receipt and EMAIL in receipt
    assert_accessible(company, "bukti pendaftaran")
    company.shoot("bukti-pendaftaran")

    # The UPP officer, in a browser of their own, passes the TOTP step and approves.
    upp = browsing_factory("upp")
    log_in(upp, cast.upp, keyboard=True)
    upp.navigate(upp.page.get_by_role("navigation").get_by_role("link", name="Validasi Registrasi").click)
    row = upp.page.get_by_role("row").filter(has_text="PT Sumber Makmur Pangan")
    assert NIB in row.inner_text()
    assert_accessible(upp, "antrean validasi registrasi")
    upp.shoot("antrean-validasi")
    upp.navigate(row.get_by_role("link", name="Periksa").click)
    assert f"#{registration.number}" in upp.page.get_by_role("heading", level=1).inner_text()
    # An uploaded file is always downloaded, never shown in the portal's origin (issue 13).
    with upp.page.expect_download() as download:
        upp.page.get_by_role("link", name="Unduh softcopy NIB (PDF)").click()
    assert download.value.suggested_filename == f"NIB-{NIB}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    assert_accessible(upp, "detail registrasi")
    upp.shoot("detail-registrasi")
    start_from_top(upp)
    tab_to(upp, "#id_account_type")
    assert upp.page.locator("#id_account_type").input_value() == "A"
    keyboard_submit(upp, "form[action$='/setujui/'] button[type=submit]")
    assert upp.page.get_by_text(f"Registrasi {registration.number} disetujui").is_visible()
    upp.shoot("registrasi-disetujui")

    # The e-mail carries the username and the one-time password.
    body = last_mail_to(EMAIL, subject_contains="telah aktif").body
    credentials = re.search(r"(?:Username|Nama pengguna): (\S+)\s+Password sekali pakai: (\S+)", body)
    assert credentials, body
    username, one_time = credentials.groups()
    user = User.objects.get(username=username)
    assert user.factory == Factory.objects.get(company__nib=NIB)

    # First login: the portal insists on a new password before anything else.
    company.goto("/akun/masuk/")
    start_from_top(company)
    keyboard_fill(company, [("#id_username", username), ("#id_password", one_time)])
    company.navigate(lambda: page.keyboard.press("Enter"))
    assert "/akun/ganti-password/" in page.url
    assert page.get_by_text("Anda masuk dengan password sekali pakai.").is_visible()
    assert_accessible(company, "ganti password pertama")
    company.shoot("ganti-password-pertama")
    company.goto("/laporan/")
    assert "/akun/ganti-password/" in page.url, "a page other than the password change opened first"

    start_from_top(company)
    keyboard_fill(
        company,
        [("#id_old_password", one_time), ("#id_new_password1", "lemah"), ("#id_new_password2", "lemah")],
    )
    keyboard_submit(company, "form.js-once button[type=submit]")
    assert "/akun/ganti-password/" in page.url
    assert page.locator(".invalid-feedback").first.is_visible()
    company.shoot("ganti-password-ditolak")

    start_from_top(company)
    keyboard_fill(
        company,
        [
            ("#id_old_password", one_time),
            ("#id_new_password1", "Makmur#Pangan2026"),
            ("#id_new_password2", "Makmur#Pangan2026"),
        ],
    )
    keyboard_submit(company, "form.js-once button[type=submit]")
    assert page.get_by_text("Password berhasil diganti.").is_visible()
    assert "/akun/ganti-password/" not in page.url
    assert page.get_by_role("navigation").get_by_role("link", name="Laporan Semester").is_visible()
    company.shoot("beranda-perusahaan")
    user.refresh_from_db()
    assert user.check_password("Makmur#Pangan2026") and not user.must_change_password


def _qr_url_in(pdf: bytes) -> str:
    """The URL in the certificate's QR code, read from the image embedded in the PDF (zxing-cpp)."""
    import zxingcpp
    from PIL import Image
    from pypdf import PdfReader

    for pdf_page in PdfReader(io.BytesIO(pdf)).pages:
        for image in pdf_page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            found = zxingcpp.read_barcodes(picture)
            if found:
                return found[0].text
    raise AssertionError("no QR code in the certificate PDF")


def test_an_admin_issues_a_certificate_whose_qr_page_the_public_checks(browsing_factory, cast):
    admin = browsing_factory("admin")
    log_in(admin, cast.admin)
    admin.navigate(admin.page.get_by_role("navigation").get_by_role("link", name="Sertifikat Akun").click)
    row = admin.page.get_by_role("row").filter(has_text="PT Indo Pangan — Pabrik Bekasi")
    admin.navigate(row.get_by_role("button", name="Terbitkan").click)
    row = admin.page.get_by_role("row").filter(has_text="PT Indo Pangan — Pabrik Bekasi")
    assert row.get_by_text("Berlaku").is_visible()
    assert_accessible(admin, "sertifikat akun (admin)")
    admin.shoot("sertifikat-diterbitkan")

    pdf = admin.context.request.get(admin.url(row.get_by_role("link", name="PDF").get_attribute("href")))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    check_path = urlsplit(_qr_url_in(pdf.body())).path
    assert check_path.startswith("/akun/sertifikat/cek/")

    public = browsing_factory("publik")
    public.goto(check_path)
    assert public.page.locator("[data-state=valid]").inner_text() == "Sertifikat asli dan berlaku."
    shown = public.page.locator("main dl").inner_text()
    assert "PT Indo Pangan" in shown and cast.factory_a.company.nib in shown
    assert_accessible(public, "cek sertifikat")
    public.shoot("cek-sertifikat-berlaku")

    # A tampered QR is not accepted.
    public.allow_console(r"status of 404")
    public.goto(check_path.rstrip("/") + "x/")
    assert public.page.locator("[data-state=invalid]").is_visible()
    public.shoot("cek-sertifikat-palsu")

    # The admin revokes it; the same QR now says so.
    row = admin.page.get_by_role("row").filter(has_text="PT Indo Pangan — Pabrik Bekasi")
    row.get_by_label("Alasan pencabutan").fill("Pabrik berhenti beroperasi")
    admin.navigate(row.get_by_role("button", name="Cabut").click)
    public.goto(check_path)
    assert "DICABUT" in public.page.locator("[data-state=revoked]").inner_text()
    public.shoot("cek-sertifikat-dicabut")
