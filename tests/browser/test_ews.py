"""A kabupaten officer opens "Peringatan Dini": its region's signals, each with its drawn chart."""

from __future__ import annotations

import pytest

from ews.services import signals_refresh
from tests.browser.steps import assert_accessible, log_in
from tests.ews import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_kabupaten_officer_reads_its_signals_with_their_charts(browsing, cast):
    page = browsing.page
    b.material(cast)
    signals_refresh()
    log_in(browsing, cast.pemda_kab_bekasi)

    browsing.navigate(page.get_by_role("navigation").get_by_role("link", name="Peringatan Dini").click)
    assert page.get_by_role("heading", level=1).inner_text() == "Peringatan dini"
    headings = page.locator("article h2").all_inner_texts()
    assert sorted(headings) == [
        "Lonjakan izin IOMKI yang beroperasi terbatas",
        "Penurunan dibanding semester yang sama tahun lalu",
    ]
    page.locator("canvas[data-chart]").first.wait_for()
    assert page.evaluate("() => Array.from(document.querySelectorAll('canvas[data-chart]')).every(c => Chart.getChart(c))")
    heights = page.eval_on_selector_all("canvas[data-chart]", "cs => cs.map(c => c.getBoundingClientRect().height)")
    assert all(100 < h < 250 for h in heights), f"chart heights {heights}"
    assert_accessible(browsing, "peringatan dini")
    browsing.shoot("peringatan-dini")
