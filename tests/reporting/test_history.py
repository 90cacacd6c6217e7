"""Pre-fill, cross-period checks, Pengembalian Data and resubmission, versions, diff and outputs."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.urls import reverse

from reporting import services
from reporting.models import ImmutableError, Report, ReportEvent, ReportSection, ReportStatus
from reporting.registry import REPORT_TYPES
from reporting.sections import definitions as d
from reporting.sections import models as sm
from reporting.selectors import workforce_from_latest_accepted_reports
from tests.helpers import login
from tests.reporting.conftest import fill_all, post_section, section_input, submit

pytestmark = pytest.mark.django_db


def _filed(client, cast, period, when: str) -> Report:
    with time_machine.travel(when, tick=False):
        login(client, cast.company_a)
        report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
        fill_all(client, report)
        assert submit(client, report).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    return report


@pytest.fixture
def accepted_previous(client, cast, previous_period):
    report = _filed(client, cast, previous_period, "2026-01-20 10:00 +0700")
    return services.report_verify(actor=cast.verifier, report=report)


def test_the_next_period_starts_prefilled_from_the_last_accepted_report(client, cast, accepted_previous, period, in_window):
    login(client, cast.company_a)
    client.post(reverse("reporting:report-start"), {"period": period.pk, "report_type": "industri_produksi"})
    report = Report.objects.get(period=period, factory=cast.factory_a)
    assert report.prefilled_from == accepted_previous
    # Stock and structural sections are copied and wait for confirmation; per-semester flows start empty.
    carried = [code for code in report.spec.sections if not report.spec.is_flow(code)]
    assert set(ReportSection.objects.filter(report=report).values_list("code", "state", "prefilled")) == {
        (code, ReportSection.State.TO_CONFIRM, True) for code in carried
    }
    assert sm.Workforce.objects.get(report=report).total == 420
    assert sm.CapacityProduct.objects.filter(report=report).count() == 2
    assert not sm.ProductionRow.objects.filter(report=report).exists()
    assert report.events.filter(action=ReportEvent.Action.PREFILLED).exists()
    # What changed is edited, what did not is confirmed, the flows are filled in; then the report goes.
    header, tables = section_input("tenaga_kerja", prod_male_wni=210, total=430)
    assert post_section(client, report, "tenaga_kerja", header, tables).status_code == 302
    for code in carried[1:]:
        report.refresh_from_db()
        url = reverse("reporting:section-confirm", kwargs={"pk": report.pk, "code": code})
        assert client.post(url, {"lock_version": report.lock_version}).status_code == 302
    for code in report.spec.sections:
        if report.spec.is_flow(code):
            assert post_section(client, report, code, *section_input(code)).status_code == 302
    assert submit(client, report).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.versions.get().data["sections"]["tenaga_kerja"]["fields"]["total"] == 430


def test_a_report_that_was_never_accepted_is_not_used_for_prefill(client, cast, previous_period, period, in_window):
    _filed(client, cast, previous_period, "2026-01-20 10:00 +0700")  # submitted, not yet verified
    report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    assert report.prefilled_from is None and not ReportSection.objects.filter(report=report).exists()


def test_a_workforce_move_above_50_percent_needs_an_explanation(client, cast, accepted_previous, period, in_window):
    login(client, cast.company_a)
    report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    header, tables = section_input("tenaga_kerja", prod_male_wni=500, total=720)
    response = post_section(client, report, "tenaga_kerja", header, tables)
    assert d.BIG_MOVE % {"previous": 420, "current": 720} in response.content.decode()
    header["explanation"] = "Lini produksi kedua mulai beroperasi."
    assert post_section(client, report, "tenaga_kerja", header, tables).status_code == 302


def test_a_production_move_above_50_percent_needs_an_explanation(client, cast, accepted_previous, period, in_window):
    login(client, cast.company_a)
    report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    header, tables = section_input("produksi")
    tables["produksi"][1]["quantity"] = 500
    response = post_section(client, report, "produksi", header, tables)
    assert d.BIG_MOVE % {"previous": "1200", "current": "500"} in response.content.decode()
    tables["produksi"][1]["explanation"] = "Mesin pengisi sosis rusak dua bulan."
    assert post_section(client, report, "produksi", header, tables).status_code == 302


def test_investment_realisation_below_last_period_needs_an_explanation(client, cast, accepted_previous, period, in_window):
    login(client, cast.company_a)
    report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    header, tables = section_input("investasi", machinery=50_000_000_000)
    response = post_section(client, report, "investasi", header, tables)
    message = d.REALISATION_DROP % {"current": "93000000000", "previous": "98000000000"}
    assert message in response.content.decode()
    header["explanation"] = "Dua mesin lama dijual."
    assert post_section(client, report, "investasi", header, tables).status_code == 302


def test_a_returned_report_is_resubmitted_as_a_new_version_and_stays_on_time(client, cast, period):
    report = _filed(client, cast, period, "2026-08-30 10:00 +0700")
    first_submitted = report.first_submitted_at
    with time_machine.travel("2026-09-01 10:00 +0700", tick=False):
        services.report_return(actor=cast.verifier, report=report, comments={"produksi": "Nilai produksi sosis tidak wajar."})
    with time_machine.travel("2026-09-15 10:00 +0700", tick=False):  # after the window closed
        login(client, cast.company_a)
        detail = client.get(reverse("reporting:report-detail", kwargs={"pk": report.pk})).content.decode()
        assert "Nilai produksi sosis tidak wajar." in detail and "Pengembalian Data" in detail
        page = client.get(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "produksi"})).content.decode()
        assert "Nilai produksi sosis tidak wajar." in page
        header, tables = section_input("produksi")
        tables["produksi"][1]["value"] = 96_000_000_000
        assert post_section(client, report, "produksi", header, tables).status_code == 302
        assert submit(client, report).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.first_submitted_at == first_submitted and report.submitted_on_time is True
    v1, v2 = report.versions.order_by("number")
    assert (v1.on_time, v2.on_time) == (True, False) and v1.content_hash != v2.content_hash
    actions = list(report.events.filter(section="").values_list("action", flat=True))
    assert actions[-3:] == [ReportEvent.Action.SUBMITTED, ReportEvent.Action.RETURNED, ReportEvent.Action.RESUBMITTED]

    login(client, cast.verifier)
    diff = client.get(reverse("reporting:version-diff", kwargs={"pk": report.pk}), {"dari": 1, "ke": 2}).content.decode()
    assert "Produksi #2 — nilai produksi (Rp)" in diff
    assert "90.000.000.000" in diff and "96.000.000.000" in diff
    assert "Daging sapi beku" not in diff  # unchanged rows are not listed


def test_a_version_is_immutable(client, cast, period):
    report = _filed(client, cast, period, "2026-07-10 10:00 +0700")
    version = report.versions.get()
    version.data = {}
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()


def test_officers_see_the_submitted_version_and_their_view_is_audited(client, cast, period):
    from siinas.core.models import AuditEvent

    report = _filed(client, cast, period, "2026-07-10 10:00 +0700")
    login(client, cast.validator_pangan)
    page = client.get(reverse("reporting:report-detail", kwargs={"pk": report.pk})).content.decode()
    assert "Daging sapi beku" in page and "Kirim laporan" not in page
    assert AuditEvent.objects.filter(action="reporting.report_viewed", actor=cast.validator_pangan, target_id=str(report.pk)).exists()


def test_receipt_pdf_carries_the_content_hash_and_checks_publicly(client, cast, period):
    from pypdf import PdfReader

    report = _filed(client, cast, period, "2026-07-10 10:00 +0700")
    version = report.versions.get()
    login(client, cast.company_a)
    response = client.get(reverse("reporting:receipt", kwargs={"pk": report.pk, "number": 1}))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).replace("\n", "")
    assert "TANDA TERIMA LAPORAN" in text and version.content_hash in text and "PT Indo Pangan" in text
    client.logout()
    good = client.get(reverse("reporting:receipt-check", kwargs={"digest": version.content_hash})).content.decode()
    assert "Tanda terima ini sah" in good
    tampered = "f" + version.content_hash[1:] if version.content_hash[0] != "f" else "0" + version.content_hash[1:]
    bad = client.get(reverse("reporting:receipt-check", kwargs={"digest": tampered})).content.decode()
    assert "tidak sah" in bad


def test_pdf_and_xlsx_exports_come_from_the_same_data(client, cast, period):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    report = _filed(client, cast, period, "2026-07-10 10:00 +0700")
    login(client, cast.pemda_jabar)
    xlsx = client.get(reverse("reporting:report-xlsx", kwargs={"pk": report.pk}), {"versi": 1})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "Ringkasan" and book.sheetnames[8] == "8 Produksi"
    rows = list(book["8 Produksi"].iter_rows(values_only=True))
    # numbers are number cells (the PDF shows them with Indonesian grouping)
    assert ("Daging sapi beku", 5200, "ton", 520000000000, "—") in [r[:5] for r in rows]
    pdf = client.get(reverse("reporting:report-pdf", kwargs={"pk": report.pk}))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Daging sapi beku" in text and "520.000.000.000" in text
    # an officer never gets the live draft, only versions
    assert client.get(reverse("reporting:report-pdf", kwargs={"pk": report.pk}), {"versi": 9}).status_code == 404


def test_iki_weights_use_the_latest_accepted_report_workforce(client, cast, accepted_previous, period):
    assert workforce_from_latest_accepted_reports([cast.factory_a.pk, cast.factory_b.pk]) == {cast.factory_a.pk: 420}
    newer = _filed(client, cast, period, "2026-07-10 10:00 +0700")
    sm.Workforce.objects.filter(report=newer).update(total=455)
    assert workforce_from_latest_accepted_reports([cast.factory_a.pk]) == {cast.factory_a.pk: 420}  # not accepted yet
    services.report_verify(actor=cast.verifier, report=newer)
    assert workforce_from_latest_accepted_reports([cast.factory_a.pk]) == {cast.factory_a.pk: 455}


def test_any_version_can_be_read_on_the_report_page(client, cast, period):
    report = _filed(client, cast, period, "2026-08-30 10:00 +0700")
    services.report_return(actor=cast.verifier, report=report, comments={"produksi": "Periksa nilai."})
    login(client, cast.company_a)
    header, tables = section_input("produksi")
    tables["produksi"][1]["value"] = 96_000_000_000
    with time_machine.travel("2026-09-15 10:00 +0700", tick=False):
        login(client, cast.company_a)
        post_section(client, report, "produksi", header, tables)
        submit(client, report)
    login(client, cast.verifier)
    url = reverse("reporting:report-detail", kwargs={"pk": report.pk})
    assert "96.000.000.000" in client.get(url).content.decode()  # the latest version by default
    first = client.get(url, {"versi": 1}).content.decode()
    assert "Isi versi 1" in first and "90.000.000.000" in first and "96.000.000.000" not in first
    assert client.get(url, {"versi": 7}).status_code == 404


def test_a_factory_that_grew_out_of_industri_kecil_keeps_the_sections_both_types_share(client, cast, previous_period, period):
    small = _filed(client, cast, previous_period, "2026-01-20 10:00 +0700")
    Report.objects.filter(pk=small.pk).update(report_type="industri_produksi_kecil")
    services.report_verify(actor=cast.verifier, report=small)
    with time_machine.travel("2026-07-15 10:00 +0700", tick=False):
        report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    prefilled = set(ReportSection.objects.filter(report=report, prefilled=True).values_list("code", flat=True))
    shared_stock = {code for code in REPORT_TYPES["industri_produksi_kecil"].sections if not report.spec.is_flow(code)}
    assert prefilled == shared_stock  # not Pengeluaran nor INDI 4.0, nor the flows (they start empty)
    assert report.prefilled_from_id == small.pk
