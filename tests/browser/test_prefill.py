"""Pre-fill that asks, in the browser: last semester was accepted; this semester's report opens with its stock
sections waiting for confirmation and its flows empty beside last semester's figures, and is sent only once
every pre-filled section is confirmed."""

from __future__ import annotations

import pytest
from django.test import Client

from reporting import services
from reporting.models import Report, ReportStatus
from reporting.services import semester_defaults
from tests.browser.steps import assert_accessible, log_in
from tests.browser.test_reporting import _fill_section, _open_period
from tests.helpers import login
from tests.reporting.conftest import fill_all, submit
from tests.reporting.factories import PeriodFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accepted_last_semester(cast, current) -> Report:
    year, number = (current.year, 1) if current.number == 2 else (current.year - 1, 2)
    earlier = PeriodFactory(year=year, number=number, **semester_defaults(year, number))
    client = login(Client(), cast.company_a)
    client.post("/laporan/mulai/", {"period": earlier.pk, "report_type": "industri_produksi"})
    report = Report.objects.get(factory=cast.factory_a, period=earlier)
    fill_all(client, report)
    assert submit(client, report).status_code == 302
    report.refresh_from_db()
    return services.report_verify(actor=cast.verifier, report=report)


def test_a_prefilled_report_is_confirmed_section_by_section_before_it_is_sent(browsing, cast):
    page = browsing.page
    current = _open_period()
    _accepted_last_semester(cast, current)
    log_in(browsing, cast.company_a)
    browsing.navigate(page.get_by_role("navigation").get_by_role("link", name="Laporan Semester").click)
    row = page.get_by_role("row").filter(has_text="Tahap Produksi (Industri Menengah-Besar)")
    browsing.navigate(row.get_by_role("button", name="Mulai mengisi").click)
    report = Report.objects.get(factory=cast.factory_a, period=current)
    spec = report.spec
    stock = [code for code in spec.sections if not spec.is_flow(code)]
    assert page.locator("main ol.list-group li .section-status-confirm").count() == len(stock)
    assert_accessible(browsing, "laporan diisi dari laporan sebelumnya")
    browsing.shoot("laporan-perlu-dikonfirmasi")

    # Sending now is refused, naming the sections to confirm.
    browsing.navigate(page.get_by_role("button", name="Kirim laporan").click)
    refusal = page.locator(".alert-danger").first.inner_text()
    assert "belum dikonfirmasi" in refusal and "Luas lahan dan lokasi" in refusal

    # Each stock section: "Data masih sama — konfirmasi"; the next section opens.
    for code in stock:
        browsing.goto(f"/laporan/{report.pk}/bagian/{code}/")
        if code == "lahan":
            assert_accessible(browsing, "bagian laporan: konfirmasi data yang sama")
            browsing.shoot("bagian-lahan-konfirmasi")
        browsing.navigate(page.get_by_role("button", name="Data masih sama — konfirmasi").click)
        assert page.locator(".alert-success").first.is_visible(), page.locator("main").inner_text()[:600]

    # Each flow section: empty, last semester beside it; typed in and saved.
    for code in spec.sections:
        if not spec.is_flow(code):
            continue
        browsing.goto(f"/laporan/{report.pk}/bagian/{code}/")
        assert page.locator(".last-semester").first.is_visible()
        if code == "produksi":
            assert page.locator("#id_produksi-0-product").input_value() == ""
            assert_accessible(browsing, "bagian laporan: produksi dengan acuan semester lalu")
            browsing.shoot("bagian-produksi-acuan-semester-lalu")
        _fill_section(browsing, code)
        browsing.navigate(page.get_by_role("button", name="Simpan draf").click)
        assert page.locator(".alert-success").first.is_visible(), page.locator("main").inner_text()[:600]

    browsing.goto(f"/laporan/{report.pk}/")
    assert page.locator("main ol.list-group li .section-status-ok").count() == len(spec.sections)
    browsing.navigate(page.get_by_role("button", name="Kirim laporan").click)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
