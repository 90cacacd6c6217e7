"""The review page in the browser (issue 16 §7): a verifier opens a submitted report from the queue, reads a
section's values with their change against the last accepted report and the outlier flag beside that section,
and sends that one section back with a comment."""

from __future__ import annotations

import re

import pytest

from reporting.models import ReportEvent, ReportStatus, ReportVersion
from tests.browser.steps import assert_accessible, log_in
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _snapshot(workers: int, products: int = 3) -> dict:
    rows = [
        {
            "product": f"Sosis sapi {i + 1}",
            "quantity": "120.5",
            "unit": "ton",
            "value": "91000000",
            "explanation": "",
        }
        for i in range(products)
    ]
    return {
        "sections": {
            "tenaga_kerja": {
                "fields": {"total": workers, "prod_male_wni": workers, "explanation": ""},
                "rows": {"wna": []},
            },
            "produksi": {"fields": None, "rows": {"produksi": rows}},
        }
    }


def _with_version(factory, period, status, data) -> object:
    report = ReportFactory(factory=factory, period=period, status=status)
    ReportVersion.objects.create(report=report, number=1, data=data, content_hash="x" * 64, on_time=True)
    return report


def test_a_verifier_reads_a_sections_data_and_flag_and_returns_that_section(browsing_factory, cast):
    # Two accepted earlier semesters (400 and 430 workers), then a report of 5,000 workers and 14 products.
    _with_version(
        cast.factory_a, PeriodFactory(year=2024, number=1), ReportStatus.VALIDATED, _snapshot(400, 14)
    )
    _with_version(
        cast.factory_a, PeriodFactory(year=2025, number=1), ReportStatus.VALIDATED, _snapshot(430, 14)
    )
    report = _with_version(
        cast.factory_a, PeriodFactory(year=2026, number=1), ReportStatus.SUBMITTED, _snapshot(5000, 14)
    )
    comment = "Jumlah tenaga kerja 5.000 tidak sesuai dengan data BPJS; periksa kembali."

    verifier = browsing_factory("verifikator")
    page = verifier.page
    log_in(verifier, cast.verifier)
    verifier.navigate(page.get_by_role("navigation").get_by_role("link", name="Antrean Verifikasi").click)
    verifier.navigate(page.get_by_role("link", name="PT Indo Pangan").click)
    verifier.navigate(page.get_by_role("button", name="Ambil untuk diperiksa").click)

    workforce = page.get_by_role("region", name="Tenaga kerja")
    assert "5000" in workforce.inner_text()
    assert "sebelumnya 430, berubah +4570 (+1.062,8%)" in workforce.inner_text()
    assert (
        "Tanda:" in workforce.inner_text()
        and "Di luar riwayat pabrik (400,00 – 430,00)" in workforce.inner_text()
    )
    production = page.get_by_role("region", name=re.compile(r"\d\. Produksi$"))
    assert "Tanda:" not in production.inner_text()
    table = production.get_by_role("table", name="Produksi", exact=True)
    assert table.locator("tbody tr").count() == 10
    production.get_by_text("Tampilkan semua 14 baris (4 lagi)").click()
    assert (
        production.get_by_role("table", name="Produksi, baris 11–14")
        .get_by_text("Sosis sapi 14")
        .is_visible()
    )
    assert_accessible(verifier, "pemeriksaan laporan dengan data")
    verifier.shoot("pemeriksaan-dengan-data")

    # Writing the comment beside the section ticks that section's box (static/js/verification.js).
    workforce.get_by_role("textbox").fill(comment)
    assert workforce.get_by_role("checkbox", name="Kembalikan bagian Tenaga kerja").is_checked()
    assert not production.get_by_role("checkbox").is_checked()
    verifier.navigate(page.get_by_role("button", name="Kembalikan ke perusahaan").click)
    assert page.get_by_text("Laporan dikembalikan ke perusahaan (Pengembalian Data).").is_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    returned = ReportEvent.objects.filter(report=report, action=ReportEvent.Action.RETURNED).exclude(
        section=""
    )
    assert list(returned.values_list("section", "comment")) == [("tenaga_kerja", comment)]
    verifier.shoot("bagian-tenaga-kerja-dikembalikan")
