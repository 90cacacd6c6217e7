"""Issue 15 "Done when": an admin issues an API token that a partner uses, then revokes it.

The partner is a script on another machine: its calls are real HTTP requests (urllib, real sockets) to the
live server, with the secret the admin copied from the page that shows it once."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.browser.steps import assert_accessible, field_error, log_in

pytestmark = pytest.mark.browser


def _call(base_url: str, path: str, secret: str) -> tuple[int, dict]:
    request = urllib.request.Request(base_url + path, headers={"Authorization": f"Bearer {secret}"})  # noqa: S310 — the live server
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            status, content, kind = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, content, kind = error.code, error.read(), error.headers.get("Content-Type", "")
    return status, json.loads(content) if kind.startswith("application/json") else {}


def test_an_admin_issues_a_token_a_partner_uses_it_and_the_admin_revokes_it(browsing_factory, cast):
    admin = browsing_factory("admin")
    page = admin.page
    log_in(admin, cast.admin)
    admin.navigate(page.get_by_role("navigation").get_by_role("link", name="Mitra & Token API").click)
    assert_accessible(admin, "organisasi mitra")

    # A partner organisation with the Mitra K/L user as member.
    admin.navigate(page.get_by_role("link", name="Tambah organisasi mitra").click)
    page.get_by_label("Nama organisasi").fill("Badan Pusat Statistik")
    page.get_by_label("Singkatan").fill("BPS")
    page.get_by_label("Nomor MoU/PKS").fill("PKS-03/2026")
    page.get_by_label("MoU berlaku sampai").fill("2029-12-31")
    page.get_by_label("mitra_kl").check()
    assert_accessible(admin, "tambah organisasi")
    admin.navigate(page.get_by_role("button", name="Simpan").click)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Badan Pusat Statistik")

    # Issue a token: a missing dataset is said at its field, the input is kept.
    admin.navigate(page.get_by_role("link", name="Terbitkan token").click)
    page.get_by_label("Nama token").fill("Integrasi Satu Data")
    page.get_by_label("Batas permintaan per menit").fill("30")
    admin.allow_console(r"status of 400 \(Bad Request\) \(.*/token/baru/\)")
    admin.navigate(page.get_by_role("button", name="Terbitkan").click)
    assert "Pilih sedikitnya satu dataset." in field_error(admin, "id_datasets")
    assert page.get_by_label("Nama token").input_value() == "Integrasi Satu Data"
    assert_accessible(admin, "terbitkan token (galat)")
    admin.shoot("terbitkan-token-galat")
    for label in ("Registri pabrik", "Data laporan tervalidasi", "Kepatuhan pelaporan"):
        page.get_by_label(label).check()
    admin.navigate(page.get_by_role("button", name="Terbitkan").click)

    # The secret, once.
    secret = page.get_by_label("Token API (kirim sebagai Authorization: Bearer …)").input_value()
    assert secret.startswith("siinas_")
    assert_accessible(admin, "rahasia token")
    admin.shoot("rahasia-token-sekali")
    secret_url = page.url
    assert secret not in secret_url
    admin.goto(secret_url.removeprefix(admin.base_url))
    assert secret not in page.content() and page.locator(".token-secret-gone").is_visible()

    # The partner's script uses it.
    status, scope = _call(admin.base_url, "/api/v1/token", secret)
    assert status == 200 and scope["organisation"] == "Badan Pusat Statistik" and scope["rate_per_minute"] == 30
    status, factories = _call(admin.base_url, "/api/v1/factories/?province=32", secret)
    assert status == 200 and "PT Indo Pangan" in json.dumps(factories)

    # The admin revokes it (reason required, confirm dialog accepted); the same call is now refused.
    admin.navigate(page.get_by_role("link", name="Ke halaman token").click)
    page.get_by_label("Alasan pencabutan").fill("Uji coba selesai")
    admin.navigate(page.get_by_role("button", name="Cabut token").click)
    assert page.locator("h1 .badge").inner_text() == "dicabut"
    admin.shoot("token-dicabut")
    status, body = _call(admin.base_url, "/api/v1/token", secret)
    assert status == 401 and body["error"]["code"] == "token_revoked"

    # The Mitra K/L member sees the calls on the token's use page.
    partner = browsing_factory("mitra")
    log_in(partner, cast.kl)
    partner.navigate(partner.page.get_by_role("navigation").get_by_role("link", name="Token API organisasi saya").click)
    partner.navigate(partner.page.get_by_role("link", name="Badan Pusat Statistik").click)
    partner.navigate(partner.page.get_by_role("link", name="Integrasi Satu Data").click)
    calls = partner.page.locator("table.call-list tbody tr")
    assert calls.count() == 3
    assert "/api/v1/factories/" in partner.page.locator("table.call-list").inner_text()
    assert calls.first.locator("td").nth(3).inner_text() == "401"
    assert "/api/v1/token" in partner.page.locator("table.call-list").inner_text()
    assert partner.page.get_by_role("button", name="Cabut token").count() == 0
    assert_accessible(partner, "pemakaian token (mitra)")
    partner.shoot("pemakaian-token-mitra")
