"""A product list typed once (issue 16 §2), in the browser: on Produksi the product of a row, also of a row
added with "Tambah baris", is chosen from the products typed in Kapasitas produksi, and saved as chosen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reporting import services
from reporting.sections import models as sm
from tests.browser.steps import log_in
from tests.browser.test_reporting import _open_period, _set
from tests.helpers import login
from tests.reporting.conftest import post_section, section_input

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_production_row_chooses_its_product_from_the_capacity_list(browsing, cast):
    period = _open_period()
    client = Client()
    login(client, cast.company_a)
    report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    assert post_section(client, report, "kapasitas", *section_input("kapasitas")).status_code == 302
    page = browsing.page
    log_in(browsing, cast.company_a)
    browsing.goto(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "produksi"}))

    first = page.locator("#id_produksi-0-product")
    assert first.evaluate("el => el.tagName") == "SELECT"
    assert first.locator("option").all_inner_texts() == ["— pilih —", "Daging sapi beku", "Sosis sapi"]
    page.locator("button.js-add-row[data-prefix='produksi']").click()
    second = page.locator("#id_produksi-1-product")
    assert second.locator("option").all_inner_texts() == ["— pilih —", "Daging sapi beku", "Sosis sapi"]

    _, tables = section_input("produksi")
    for index, row in enumerate(tables["produksi"]):
        for name, value in row.items():
            _set(page, f"#id_produksi-{index}-{name}", value)
    browsing.navigate(page.get_by_role("button", name="Simpan draf").click)
    assert page.locator(".invalid-feedback").count() == 0
    products = sm.ProductionRow.objects.filter(report=report).order_by("position").values_list("product", flat=True)
    assert list(products) == ["Daging sapi beku", "Sosis sapi"]
