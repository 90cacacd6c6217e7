"""Pohon Industri in a real browser: a visitor finds a product, the chain is drawn by the vendored
cytoscape (no other host), browses upstream to the raw material's maker and reaches a published
supplier's directory page; the page and its table pass the accessibility checks."""

from __future__ import annotations

import pytest

from eservice.models import DirectoryProduct, DirectoryProfile
from tests.analisis.pohon_fixtures import CPO, chain
from tests.browser.steps import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_browses_a_chain_from_a_product_to_a_suppliers_directory_page(browsing, reference_data):
    made = chain()
    mill = made["mills"][1]
    profile = DirectoryProfile.objects.create(factory=mill, is_published=True, display_name=mill.company.name)
    DirectoryProduct.objects.create(profile=profile, name="CPO kualitas ekspor", hs_code=CPO[1], is_published=True)
    hidden = made["mills"][2]  # makes CPO too, but did not publish: never listed
    DirectoryProfile.objects.create(factory=hidden, is_published=False, display_name=hidden.company.name)

    page = browsing.page
    assert browsing.goto("/analisis/pohon-industri/").status == 200
    page.get_by_label("Cari produk (nama atau kode HS)").fill("olein")
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_role("link", name="Olein sawit").click()
    page.locator("#pohon-graph canvas").first.wait_for()
    nodes = page.get_by_test_id("pohon-nodes")
    assert "Minyak sawit mentah (CPO)" in nodes.inner_text() and "Minyak goreng sawit" in nodes.inner_text()
    assert_accessible(browsing, "pohon industri")
    browsing.shoot("pohon-olein")

    # Upstream: from olein to CPO, then to the directory's published makers of CPO.
    nodes.get_by_role("link", name="Minyak sawit mentah (CPO)", exact=True).click()
    page.get_by_test_id("pohon-edges").wait_for()
    assert "Tandan buah segar kelapa sawit" in page.get_by_test_id("pohon-edges").inner_text()
    page.get_by_role("link", name="Pemasok Minyak sawit mentah (CPO) di direktori").click()
    page.wait_for_url("**/layanan/direktori/?hs=15111000")
    assert page.get_by_role("link", name=hidden.company.name).count() == 0
    page.get_by_role("link", name=mill.company.name).click()
    page.wait_for_url(f"**/layanan/direktori/{profile.pk}/")
    assert "CPO kualitas ekspor" in page.content()
    browsing.shoot("pohon-pemasok")
