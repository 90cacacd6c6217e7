"""Tables that fit (issue 16 §4), in the browser: at 1280 px the Pemasaran sales table scrolls inside its box with
the product column held in place, and the error of its last column (Penjelasan) is reached by scrolling the box; at a
390 px phone width each row's fields stack as label/value pairs and nothing widens the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reporting import services
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.steps import assert_accessible, log_in
from tests.browser.test_reporting import _open_period, _set
from tests.helpers import login
from tests.reporting.conftest import post_section, section_input

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SALES = "table[data-formset=penjualan]"


def _report_up_to_sales(cast):
    """A draft whose capacity and production are filled (the sales check compares with production)."""
    period = _open_period()
    client = Client()
    login(client, cast.company_a)
    report = services.report_start(
        actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi"
    )
    for code in ("kapasitas", "produksi"):
        assert post_section(client, report, code, *section_input(code)).status_code == 302
    return report


def _inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 1
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
        and inner["y"] >= outer["y"] - 1
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1
    )


def test_a_sales_rows_penjelasan_error_is_reached_by_scrolling_and_rows_stack_on_a_phone(browsing, cast):
    page = browsing.page
    report = _report_up_to_sales(cast)
    log_in(browsing, cast.company_a)
    browsing.goto(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "pemasaran"}))

    # The valid sales input, except the first row sells more than was made and leaves Penjelasan empty.
    header, tables = section_input("pemasaran")
    for name, value in header.items():
        _set(page, f"#id_h-{name}", value)
    for prefix, rows in tables.items():
        for index, row in enumerate(rows):
            if index >= int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value()):
                page.locator(f"button.js-add-row[data-prefix='{prefix}']").click()
            for name, value in row.items():
                _set(page, f"#id_{prefix}-{index}-{name}", value)
    _set(page, "#id_penjualan-0-domestic_qty", 4500)
    browsing.navigate(page.get_by_role("button", name="Simpan draf").click)

    # 1280 px: the table is wider than its box, which scrolls; the page itself does not.
    assert page.viewport_size == DESKTOP
    box = page.locator(SALES).locator("xpath=..")
    widths = box.evaluate(
        "b => [b.scrollWidth, b.clientWidth, document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] > widths[1], widths
    assert widths[2] <= widths[3] + 1, widths
    assert box.evaluate("b => b.scrollLeft") == 0
    cell = page.locator(f"{SALES} tbody tr").first.locator("td[data-label='Penjelasan']")
    error = cell.locator(".invalid-feedback")
    assert "melebihi produksi" in error.inner_text()
    assert "is-invalid" in page.locator("#id_penjualan-0-explanation").get_attribute("class")
    assert not _inside(error.bounding_box(), box.bounding_box()), (
        "Penjelasan should start out of view, to the right"
    )

    # Scrolling the box brings the error into view; the product column stays where it was.
    product_before = page.locator("#id_penjualan-0-product").bounding_box()
    error.scroll_into_view_if_needed()
    assert box.evaluate("b => b.scrollLeft") > 0
    assert error.is_visible()
    shown = error.bounding_box()
    assert _inside(shown, box.bounding_box())
    assert shown["x"] + shown["width"] <= DESKTOP["width"]
    product_after = page.locator("#id_penjualan-0-product").bounding_box()
    assert abs(product_after["x"] - product_before["x"]) <= 1, (product_before, product_after)
    first_cell = page.locator(f"{SALES} tbody tr").first.locator("td").first.bounding_box()
    assert shown["x"] >= first_cell["x"] + first_cell["width"] - 1, (
        "the error must not pass under the sticky column"
    )
    # The sticky cell is opaque: what is under it at its centre is the cell (or its field), not a scrolled column.
    on_top = page.evaluate(
        """([x, y]) => { const el = document.elementFromPoint(x, y); return el.closest('td') === el.closest('tr').cells[0]; }""",
        [first_cell["x"] + first_cell["width"] / 2, first_cell["y"] + first_cell["height"] / 2],
    )
    assert on_top
    assert_accessible(browsing, "pemasaran dengan kesalahan di penjelasan")
    browsing.shoot("pemasaran-kesalahan-penjelasan")

    # 390 px: each row is a stack of label/value pairs inside the screen; no sideways scroll anywhere.
    page.set_viewport_size(PHONE)
    page.locator("h1").scroll_into_view_if_needed()
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    assert (
        page.locator(f"{SALES} thead").evaluate("h => h.getBoundingClientRect().width") <= 1
    )  # for screen readers only
    cells = page.locator(f"{SALES} tbody tr").first.locator("td")
    tops = []
    for i in range(cells.count()):
        td = cells.nth(i)
        rect = td.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= PHONE["width"], (
            td.get_attribute("data-label"),
            rect,
        )
        field = td.locator("input:not([type=hidden]), select, textarea").first
        if field.count():
            fr = field.bounding_box()
            assert fr["width"] < PHONE["width"] and fr["x"] + fr["width"] <= PHONE["width"], (
                td.get_attribute("data-label"),
                fr,
            )
        label = td.evaluate("td => getComputedStyle(td, '::before').content")
        assert td.get_attribute("data-label") in label, label
        tops.append(rect["y"])
    assert tops == sorted(tops) and len(set(tops)) == len(tops), tops  # one under the other
    error.scroll_into_view_if_needed()
    assert error.is_visible()
    assert error.bounding_box()["x"] + error.bounding_box()["width"] <= PHONE["width"]
    assert_accessible(browsing, "pemasaran di ponsel")
    page.set_viewport_size(DESKTOP)
