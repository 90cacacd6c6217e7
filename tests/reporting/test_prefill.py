"""Pre-fill that asks (issue 16 §5): a new period's report starts from the last accepted one, but nothing goes
again unread. Stock and structural sections arrive pre-filled and "Perlu dikonfirmasi"; per-semester flows
arrive empty with last semester shown beside each field; the report is sent only when every pre-filled
section is confirmed ("Data masih sama — konfirmasi") or saved edited."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from reporting import services, views
from reporting.models import Report, ReportSection, ReportStatus
from reporting.registry import REPORT_TYPES
from reporting.sections import definitions as d
from reporting.sections import models as sm
from siinas.core.models import AuditEvent
from tests.helpers import login
from tests.reporting.conftest import IN_WINDOW, fill_all, post_section, section_input, submit

pytestmark = pytest.mark.django_db

STOCK = ["tenaga_kerja", "investasi", "lahan", "kapasitas", "mesin", "lingkungan", "indi"]
FLOWS = ["bahan_baku", "energi", "produksi", "pemasaran", "pengeluaran"]


def _accepted(client, cast, period) -> Report:
    """factory_a's Semester 2 2025 report, filed in full and verified by Pusdatin."""
    with time_machine.travel("2026-01-20 10:00 +0700", tick=False):
        login(client, cast.company_a)
        report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
        fill_all(client, report)
        assert submit(client, report).status_code == 302
    report.refresh_from_db()
    return services.report_verify(actor=cast.verifier, report=report)


@pytest.fixture
def accepted_previous(client, cast, previous_period):
    return _accepted(client, cast, previous_period)


@pytest.fixture
def draft(client, cast, accepted_previous, period, in_window):
    login(client, cast.company_a)
    client.post(reverse("reporting:report-start"), {"period": period.pk, "report_type": "industri_produksi"})
    return Report.objects.get(period=period, factory=cast.factory_a)


def _states(report) -> dict[str, str]:
    return dict(ReportSection.objects.filter(report=report).values_list("code", "state"))


def _confirm(client, report, code, **kwargs):
    report.refresh_from_db()
    url = reverse("reporting:section-confirm", kwargs={"pk": report.pk, "code": code})
    return client.post(url, {"lock_version": report.lock_version}, **kwargs)


def _fill_flows(client, report) -> None:
    for code in FLOWS:
        header, tables = section_input(code)
        assert post_section(client, report, code, header, tables).status_code == 302, code


# --- Which sections carry over ----------------------------------------------------------------


def test_every_section_of_every_report_type_is_either_carried_over_or_a_flow():
    flows = {code: {c for c in spec.sections if spec.is_flow(c)} for code, spec in REPORT_TYPES.items() if spec.periodic}
    assert flows == {
        "industri_pembangunan": set(),  # in construction every section is a plan: restated, so carried over
        "industri_produksi_kecil": {"bahan_baku", "energi", "produksi", "pemasaran"},
        "industri_produksi": {"bahan_baku", "energi", "produksi", "pemasaran", "pengeluaran"},
        "kawasan_pembangunan": set(),
        "kawasan_komersial": set(),
    }
    assert set(STOCK + FLOWS) == set(REPORT_TYPES["industri_produksi"].sections)


def test_stock_and_structural_sections_arrive_prefilled_and_need_confirmation(client, draft, accepted_previous):
    assert draft.prefilled_from == accepted_previous
    assert _states(draft) == dict.fromkeys(STOCK, ReportSection.State.TO_CONFIRM)
    assert set(ReportSection.objects.filter(report=draft, prefilled=True).values_list("code", flat=True)) == set(STOCK)
    assert sm.Workforce.objects.get(report=draft).total == 420
    assert sm.Land.objects.get(report=draft).land_area_m2 == 50000
    assert sm.CapacityProduct.objects.filter(report=draft).count() == 2
    assert sm.Machine.objects.filter(report=draft).count() == 1
    page = client.get(reverse("reporting:report-detail", kwargs={"pk": draft.pk})).content.decode()
    assert page.count("Perlu dikonfirmasi") == len(STOCK)
    assert "Lengkap</span>" not in page


def test_flow_sections_arrive_empty(draft):
    assert not set(_states(draft)) & set(FLOWS)
    assert not sm.Material.objects.filter(report=draft).exists()
    assert not sm.Energy.objects.filter(report=draft).exists()
    assert not sm.ProductionRow.objects.filter(report=draft).exists()
    assert not sm.SalesRow.objects.filter(report=draft).exists()
    assert not sm.Expenditure.objects.filter(report=draft).exists()


def test_a_flow_section_shows_last_semester_beside_each_field(client, draft):
    page = client.get(reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "energi"})).content.decode()
    assert "Isian Semester 2 2025 ditampilkan sebagai acuan" in page
    assert "Semester lalu: 2.400.000" in page  # PLN kWh, under its empty input
    assert 'name="h-pln_kwh" value=' not in page  # empty: neither last semester's figure nor a default 0
    assert "Semester lalu (Semester 2 2025): 1 baris, sebagai acuan" in page  # fuel
    assert "Data masih sama" not in page  # nothing to confirm in a flow section


def test_a_flow_table_shows_last_semesters_rows_as_a_reference_panel(client, draft):
    page = client.get(reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "produksi"})).content.decode()
    assert "Semester lalu (Semester 2 2025): 2 baris, sebagai acuan" in page
    assert "<td>Daging sapi beku</td>" in page and "<td>5.200</td>" in page
    # The input rows start empty: the product is offered from the (carried) capacity list, not chosen.
    assert '<option value="Daging sapi beku">' in page and 'value="Daging sapi beku" selected' not in page
    assert 'name="produksi-0-quantity"' in page and 'value="5.200"' not in page


def test_the_reference_is_the_last_submitted_version_even_before_it_is_accepted(client, cast, previous_period, period):
    with time_machine.travel("2026-01-20 10:00 +0700", tick=False):
        login(client, cast.company_a)
        earlier = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=previous_period, report_type="industri_produksi")
        fill_all(client, earlier)
        submit(client, earlier)
    with time_machine.travel(IN_WINDOW, tick=False):
        login(client, cast.company_a)
        report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
        page = client.get(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "produksi"})).content.decode()
    assert report.prefilled_from is None  # only an accepted report is copied ...
    assert "<td>Daging sapi beku</td>" in page  # ... but the last one sent is shown for reference


def test_a_stock_section_page_asks_for_confirmation_and_shows_no_reference(client, draft):
    page = client.get(reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "mesin"})).content.decode()
    assert "Data masih sama — konfirmasi" in page
    assert reverse("reporting:section-confirm", kwargs={"pk": draft.pk, "code": "mesin"}) in page
    assert "Semester lalu" not in page
    assert 'value="Mesin pembeku"' in page


# --- Confirming -------------------------------------------------------------------------------


def test_the_confirm_button_makes_a_prefilled_section_complete(client, cast, draft):
    response = _confirm(client, draft, "lahan")
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "kapasitas"})
    assert _states(draft)["lahan"] == ReportSection.State.VALID
    assert sm.Land.objects.get(report=draft).land_area_m2 == 50000  # the data is kept as it was
    event = AuditEvent.objects.get(action="reporting.section_confirmed")
    assert event.actor == cast.company_a and event.extra["section"] == "lahan"


def test_editing_a_prefilled_section_also_confirms_it(client, draft):
    header, tables = section_input("tenaga_kerja", prod_male_wni=210, total=430)
    assert post_section(client, draft, "tenaga_kerja", header, tables).status_code == 302
    assert _states(draft)["tenaga_kerja"] == ReportSection.State.VALID
    assert sm.Workforce.objects.get(report=draft).total == 430


def test_confirming_copied_data_that_no_longer_passes_its_rules_asks_for_a_fix(client, draft):
    sm.Land.objects.filter(report=draft).update(building_area_m2=60000)  # larger than the land: a rule fails
    response = _confirm(client, draft, "lahan", follow=True)
    assert _states(draft)["lahan"] == ReportSection.State.INVALID
    page = response.content.decode()
    assert views.NOT_CONFIRMED % {"section": "Luas lahan dan lokasi"} in page
    assert d.BUILDING_OVER_LAND in page  # at the field, with the copied data in the form


def test_a_section_that_is_not_waiting_cannot_be_confirmed(client, draft):
    _confirm(client, draft, "lahan")
    response = _confirm(client, draft, "lahan", follow=True)
    assert services.NOT_TO_CONFIRM in response.content.decode()
    assert _confirm(client, draft, "produksi").status_code == 302
    assert "produksi" not in _states(draft)


def test_a_section_the_report_type_does_not_have_cannot_be_confirmed(client, draft):
    assert _confirm(client, draft, "ki_tenant").status_code == 404
    assert client.get(reverse("reporting:section-confirm", kwargs={"pk": draft.pk, "code": "lahan"})).status_code == 405


def test_a_confirmation_from_a_stale_page_is_refused(client, draft):
    draft.refresh_from_db()
    stale = draft.lock_version
    header, tables = section_input("tenaga_kerja")
    post_section(client, draft, "tenaga_kerja", header, tables)
    url = reverse("reporting:section-confirm", kwargs={"pk": draft.pk, "code": "lahan"})
    response = client.post(url, {"lock_version": stale}, follow=True)
    assert services.STALE_DRAFT[:40] in response.content.decode()
    assert _states(draft)["lahan"] == ReportSection.State.TO_CONFIRM


# --- Submitting -------------------------------------------------------------------------------


def test_the_report_cannot_be_submitted_until_every_prefilled_section_is_confirmed_or_edited(client, draft):
    _fill_flows(client, draft)
    response = submit(client, draft, follow=True)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    titles = ", ".join(draft.spec.section_title(code) for code in STOCK)
    assert services.SECTIONS_TO_CONFIRM % {"sections": titles} in response.content.decode()
    assert _states(draft)["lahan"] == ReportSection.State.TO_CONFIRM  # still waiting, not marked as an error

    for code in STOCK[1:]:
        assert _confirm(client, draft, code).status_code == 302
    header, tables = section_input("tenaga_kerja", prod_male_wni=210, total=430)
    post_section(client, draft, "tenaga_kerja", header, tables)
    assert submit(client, draft).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    sent = draft.versions.get().data["sections"]
    assert sent["tenaga_kerja"]["fields"]["total"] == 430 and sent["lahan"]["fields"]["land_area_m2"] == "50000"


def test_the_refusal_names_the_sections_to_confirm_apart_from_those_still_empty(client, draft):
    response = submit(client, draft, follow=True)
    page = response.content.decode()
    assert services.SECTIONS_TO_CONFIRM % {"sections": ", ".join(draft.spec.section_title(c) for c in STOCK)} in page
    flows = ", ".join(draft.spec.section_title(c) for c in draft.spec.sections if c in FLOWS)
    assert services.SECTIONS_INCOMPLETE % {"sections": flows} in page


def test_the_home_page_lists_the_sections_still_to_confirm_of_a_draft(client, draft):
    _confirm(client, draft, "lahan")
    page = client.get(reverse("core:dashboard")).content.decode()
    waiting = ", ".join(draft.spec.section_title(code) for code in STOCK if code != "lahan")
    assert f"Perlu dikonfirmasi (diisi dari laporan sebelumnya): {waiting}</div>" in page


# --- Nothing already saved is lost -------------------------------------------------------------


def test_prefill_never_overwrites_a_section_the_company_already_saved(client, cast, previous_period, period):
    with time_machine.travel("2026-01-20 10:00 +0700", tick=False):
        login(client, cast.company_a)
        earlier = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=previous_period, report_type="industri_produksi")
        fill_all(client, earlier)
        submit(client, earlier)
    with time_machine.travel(IN_WINDOW, tick=False):
        login(client, cast.company_a)
        # Started while last semester still waited for Pusdatin: nothing accepted to copy yet.
        report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
        assert report.prefilled_from is None
        header, tables = section_input("tenaga_kerja", prod_male_wni=210, total=430)
        post_section(client, report, "tenaga_kerja", header, tables)
        post_section(client, report, "lahan", {"land_area_m2": "abc"}, {})  # saved with a problem: kept as typed
        earlier.refresh_from_db()
        services.report_verify(actor=cast.verifier, report=earlier)
        again = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    assert again.pk == report.pk and again.prefilled_from == earlier
    states = _states(report)
    assert states["tenaga_kerja"] == ReportSection.State.VALID and sm.Workforce.objects.get(report=report).total == 430
    assert states["lahan"] == ReportSection.State.INVALID
    assert ReportSection.objects.get(report=report, code="lahan").raw["h-land_area_m2"] == ["abc"]
    assert not sm.Land.objects.filter(report=report).exists()
    assert states["mesin"] == ReportSection.State.TO_CONFIRM and sm.Machine.objects.filter(report=report).count() == 1


def test_a_submitted_report_is_not_prefilled_again(client, cast, draft, accepted_previous):
    events = draft.events.count()
    services.report_start(actor=cast.company_a, factory=cast.factory_a, period=draft.period, report_type="industri_produksi")
    assert draft.events.count() == events  # idempotent once pre-filled


# --- Query budget -----------------------------------------------------------------------------


def _grow_last_semester(report, n: int) -> None:
    version = report.versions.get()
    data = version.data
    row = data["sections"]["produksi"]["rows"]["produksi"][0]
    data["sections"]["produksi"]["rows"]["produksi"] = [{**row, "product": f"Produk {i}"} for i in range(n)]
    type(version).objects.filter(pk=version.pk).update(data=data)  # a test shortcut past the immutability guard


def test_a_flow_section_page_with_its_reference_keeps_a_flat_query_budget(client, draft, accepted_previous, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "produksi"})
    _grow_last_semester(accepted_previous, 3)
    with CaptureQueriesContext(connection) as few:
        assert "Produk 2" in client.get(url).content.decode()
    _grow_last_semester(accepted_previous, 300)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Produk 299" in client.get(url).content.decode()
