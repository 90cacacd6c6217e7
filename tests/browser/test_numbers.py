"""Numbers in the browser (issue 16 §2, §3): digits are grouped in the page's language as they are typed, also in
rows added on the page, and the workforce total follows its parts live; the server saves what the page shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting import services
from reporting.sections import models as sm
from tests.browser.steps import assert_accessible, log_in
from tests.browser.test_reporting import _open_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _draft(cast):
    return services.report_start(
        actor=cast.company_a, factory=cast.factory_a, period=_open_period(), report_type="industri_produksi"
    )


def _type(page, selector: str, text: str) -> str:
    field = page.locator(selector)
    field.fill("")
    field.press_sequentially(text)
    return field.input_value()


def test_a_rupiah_amount_is_grouped_as_it_is_typed_and_saved_as_its_number(browsing, cast):
    page = browsing.page
    report = _draft(cast)
    log_in(browsing, cast.company_a)
    browsing.goto(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "investasi"}))
    assert _type(page, "#id_h-land", "1234567") == "1.234.567"
    assert _type(page, "#id_h-machinery", "55000000000000") == "55.000.000.000.000"
    # The caret stays after the digit just typed: a digit inserted in the middle lands where it was typed.
    field = page.locator("#id_h-buildings")
    _type(page, "#id_h-buildings", "30000")
    field.press("Home")
    field.press("ArrowRight")
    field.press_sequentially("1")
    assert field.input_value() == "310.000"
    # Percentages with a decimal comma; "." typed by habit is read on leaving the field, as the server reads it.
    assert _type(page, "#id_h-domestic_pct", "40,5") == "40,5"
    _type(page, "#id_h-foreign_pct", "59.5")
    page.locator("#id_h-land").focus()
    assert page.locator("#id_h-foreign_pct").input_value() == "59,5"
    # The totals the rules compare follow live, exact beyond a JS number's 15 digits.
    fixed = page.locator("output[data-sum-of='h-land h-buildings h-machinery h-other_fixed']")
    assert fixed.inner_text() == "55.000.001.544.567"
    _type(page, "#id_h-other_fixed", "9000000000000000000")
    assert fixed.inner_text() == "9.000.055.000.001.544.567"
    assert page.locator("output[data-sum-of='h-domestic_pct h-foreign_pct']").inner_text() == "100"
    assert_accessible(browsing, "investasi dengan angka berkelompok")
    browsing.shoot("investasi-angka-berkelompok")
    browsing.navigate(page.get_by_role("button", name="Simpan draf").click)
    # No ownership status chosen: kept as a draft with its message, the numbers kept as their values.
    raw = report.sections.get(code="investasi").raw
    assert (raw["h-land"], raw["h-machinery"], raw["h-foreign_pct"]) == (["1234567"], ["55000000000000"], ["59.5"])
    assert fixed.inner_text() == "9.000.055.000.001.544.567"  # the server's sum of the kept draft
    assert page.locator("#id_h-land").input_value() == "1.234.567"


def test_rows_added_on_the_page_are_grouped_too(browsing, cast):
    page = browsing.page
    report = _draft(cast)
    log_in(browsing, cast.company_a)
    browsing.goto(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "bahan_baku"}))
    present = int(page.locator("#id_bahan-TOTAL_FORMS").input_value())
    page.locator("button.js-add-row[data-prefix='bahan']").click()
    assert _type(page, f"#id_bahan-{present}-value", "450000000000") == "450.000.000.000"
    assert _type(page, f"#id_bahan-{present}-quantity", "9000,125") == "9.000,125"
    browsing.shoot("bahan-baku-baris-ditambah")


def test_the_workforce_total_follows_its_parts_as_they_are_typed(browsing, cast):
    page = browsing.page
    report = _draft(cast)
    log_in(browsing, cast.company_a)
    browsing.goto(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "tenaga_kerja"}))
    total = page.locator("#id_h-total")
    assert total.get_attribute("readonly") is not None
    _type(page, "#id_h-prod_male_wni", "1200")
    assert total.input_value() == "1.200"
    _type(page, "#id_h-prod_female_wni", "150")
    _type(page, "#id_h-nonprod_male_wni", "40")
    assert total.input_value() == "1.390"
    _type(page, "#id_h-prod_male_wni", "200")
    assert total.input_value() == "390"
    # The foreign workers' breakdown is totalled under its table as rows are typed, added and ticked for deletion.
    column = page.locator("output[data-column-sum=wna][data-column=count]")
    page.locator("#id_h-prod_male_wna").fill("3")
    page.locator("#id_wna-0-country").select_option("JP")
    _type(page, "#id_wna-0-count", "2")
    page.locator("button.js-add-row[data-prefix='wna']").click()
    page.locator("#id_wna-1-country").select_option("MY")
    _type(page, "#id_wna-1-count", "1000")
    assert column.inner_text() == "1.002"
    page.locator("#id_wna-1-DELETE").check()
    assert column.inner_text() == "2"
    _type(page, "#id_wna-0-count", "3")
    assert column.inner_text() == "3" and total.input_value() == "393"
    assert_accessible(browsing, "tenaga kerja dengan jumlah otomatis")
    browsing.shoot("tenaga-kerja-jumlah-otomatis")
    browsing.navigate(page.get_by_role("button", name="Simpan draf").click)
    assert sm.Workforce.objects.get(report=report).total == 393


def test_the_english_page_groups_with_commas(browsing, cast):
    page = browsing.page
    report = _draft(cast)
    log_in(browsing, cast.company_a)
    browsing.navigate(lambda: page.locator("select[name=language]").select_option("en"))
    browsing.goto(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "investasi"}))
    assert page.locator("html").get_attribute("lang") == "en"
    assert _type(page, "#id_h-land", "1234567.5") == "1,234,567.5"
