"""The report forms read and show numbers in the page's language; sums are computed (issue 16 §2, §3)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.models import ReportSection
from reporting.registry import REPORT_TYPES
from reporting.sections import models as sm
from tests.helpers import login
from tests.reporting.conftest import _messages, post_section, section_input
from tests.reporting.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, cast, period, in_window):
    login(client, cast.company_a)
    return services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")


def _page(client, report, code) -> str:
    return client.get(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": code})).content.decode()


def _input(page: str, name: str) -> str:
    found = re.search(rf'<input [^>]*name="{re.escape(name)}"[^>]*>', page)
    assert found, name
    return found.group(0)


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_an_indonesian_amount_with_groups_and_decimals_is_saved_as_its_number(client, draft):
    for code in ("kapasitas", "produksi"):  # the sales rows name produced products
        assert post_section(client, draft, code, *section_input(code)).status_code == 302
    header, tables = section_input("pemasaran", usd_rate="16.250,75")
    tables["penjualan"][0].update(domestic_value="400.000.000.000", export_value_usd="6.000.000,5", domestic_qty="4.000")
    response = post_section(client, draft, "pemasaran", header, tables)
    assert response.status_code == 302, _messages(response)
    assert sm.Marketing.objects.get(report=draft).usd_rate == Decimal("16250.75")
    row = sm.SalesRow.objects.get(report=draft, position=0)
    assert (row.domestic_value, row.export_value_usd, row.domestic_qty) == (400_000_000_000, Decimal("6000000.5"), 4000)


def test_the_example_of_the_issue_is_saved_exactly(client, draft):
    header, tables = section_input("energi", pln_kwh="1.234.567,89")
    assert post_section(client, draft, "energi", header, tables).status_code == 302
    assert sm.Energy.objects.get(report=draft).pln_kwh == Decimal("1234567.89")


def test_inputs_show_grouped_digits_and_only_significant_decimals(client, draft):
    header, tables = section_input("bahan_baku")
    tables["bahan"][1]["quantity"] = "90.5"
    assert post_section(client, draft, "bahan_baku", header, tables).status_code == 302
    page = _page(client, draft, "bahan_baku")
    value = _input(page, "bahan-0-value")
    assert 'type="text"' in value and 'value="450.000.000.000"' in value and 'inputmode="numeric"' in value
    assert "number-input-wide" in value  # a Rupiah box fits 15+ digits
    assert 'value="9.000"' in _input(page, "bahan-0-quantity")  # not "9000.000"
    assert 'value="90,5"' in _input(page, "bahan-1-quantity")
    assert 'data-decimal-mark="," data-group-mark="."' in page


def test_the_english_switch_shows_and_reads_english_numbers(client, draft):
    header, tables = section_input("energi")
    assert post_section(client, draft, "energi", header, tables).status_code == 302
    _english(client)
    page = _page(client, draft, "energi")
    assert 'value="2,400,000"' in _input(page, "h-pln_kwh")
    assert 'data-decimal-mark="." data-group-mark=","' in page
    header["pln_kwh"] = "2,500,000.5"
    assert post_section(client, draft, "energi", header, tables).status_code == 302
    assert sm.Energy.objects.get(report=draft).pln_kwh == Decimal("2500000.5")


def test_a_bad_number_is_refused_at_its_field_and_the_other_values_are_kept(client, draft):
    header, tables = section_input("bahan_baku")
    tables["bahan"][0]["value"] = "450.000.000.000"
    tables["bahan"][1]["quantity"] = "4O"  # a letter O
    response = post_section(client, draft, "bahan_baku", header, tables)
    assert response.status_code == 200
    page = response.content.decode()
    cell = re.search(r'name="bahan-1-quantity".*?</td>', page, re.S).group(0)
    assert 'value="4O"' in cell and "Masukkan angka, misalnya 1.234.567,89." in cell
    assert 'value="450.000.000.000"' in _input(page, "bahan-0-value")
    section = ReportSection.objects.get(report=draft, code="bahan_baku")
    assert section.state == ReportSection.State.INVALID
    assert section.raw["bahan-1-quantity"] == ["4O"] and section.raw["bahan-0-value"] == ["450000000000"]
    again = _page(client, draft, "bahan_baku")
    assert 'value="4O"' in _input(again, "bahan-1-quantity") and 'value="450.000.000.000"' in _input(again, "bahan-0-value")


def test_a_fraction_of_a_rupiah_gets_the_whole_number_message(client, draft):
    header, tables = section_input("bahan_baku")
    tables["bahan"][0]["value"] = "1.234,5"
    page = post_section(client, draft, "bahan_baku", header, tables).content.decode()
    assert "Isi dengan bilangan bulat, tanpa angka di belakang koma." in page


def test_a_draft_kept_in_indonesian_reads_the_same_in_english(client, draft):
    header, tables = section_input("bahan_baku")
    tables["bahan"][1].update(quantity="1.234", value="tiga")  # 1234 tonnes, and a bad value to keep the draft raw
    assert post_section(client, draft, "bahan_baku", header, tables).status_code == 200
    _english(client)
    page = _page(client, draft, "bahan_baku")
    assert 'value="1,234"' in _input(page, "bahan-1-quantity")  # not 1.234 tonnes
    tables["bahan"][1].update(quantity="1,234", value="120,000,000")
    assert post_section(client, draft, "bahan_baku", header, tables).status_code == 302
    assert sm.Material.objects.get(report=draft, position=1).quantity == 1234


def test_a_draft_kept_before_numbers_were_localized_reads_its_machine_values(client, draft):
    """Drafts kept from the former type=number inputs hold "90.000" meaning ninety (a quantity with 3 places)."""
    header, tables = section_input("bahan_baku")
    assert post_section(client, draft, "bahan_baku", header, tables).status_code == 302
    raw = {"bahan-TOTAL_FORMS": ["1"], "bahan-INITIAL_FORMS": ["0"], "bahan-0-name": ["Garam"], "bahan-0-kind": ["baku"]}
    raw |= {"bahan-0-origin": ["domestik"], "bahan-0-unit": ["ton"], "bahan-0-quantity": ["90.000"], "bahan-0-value": [""]}
    ReportSection.objects.filter(report=draft, code="bahan_baku").update(state=ReportSection.State.INVALID, raw=raw)
    assert 'value="90"' in _input(_page(client, draft, "bahan_baku"), "bahan-0-quantity")


def test_the_workforce_total_is_computed_read_only_and_summed_live(client, draft):
    header, tables = section_input("tenaga_kerja", total="")
    header.update(prod_male_wni="1.200")
    assert post_section(client, draft, "tenaga_kerja", header, tables).status_code == 302
    assert sm.Workforce.objects.get(report=draft).total == 1420
    total = _input(_page(client, draft, "tenaga_kerja"), "h-total")
    assert "readonly" in total and 'value="1.420"' in total
    assert 'data-sum-of="h-prod_male_wni h-prod_female_wni h-prod_male_wna' in total


def test_the_workforce_total_shown_again_with_a_problem_is_the_sum_of_what_was_typed(client, draft):
    header, tables = section_input("tenaga_kerja", total=5)
    header.update(prod_female_wni="seratus")
    page = post_section(client, draft, "tenaga_kerja", header, tables).content.decode()
    assert 'value="270"' in _input(page, "h-total")  # 420 less the 150 not understood


def test_a_tables_column_total_is_shown_under_it_without_the_rows_ticked_for_deletion(client, draft):
    header, tables = section_input("tenaga_kerja")
    tables["wna"].append({"country": "SG", "count": "1.000", "DELETE": True})
    tables["wna"].append({"country": "", "count": "dua"})  # a bad value: its message, and it counts 0
    page = post_section(client, draft, "tenaga_kerja", header, tables).content.decode()
    assert re.search(r'Total jumlah orang: <output [^>]*data-column-sum="wna" data-column="count"[^>]*>3</output>', page)
    page = _page(client, draft, "tenaga_kerja")
    assert re.search(r'data-column="count"[^>]*>3</output>', page)


def test_totals_the_rules_compare_are_shown_under_the_form(client, draft):
    header, tables = section_input("investasi")
    assert post_section(client, draft, "investasi", header, tables).status_code == 302
    page = _page(client, draft, "investasi")
    fixed = r'Total modal tetap \(Rp\): <output [^>]*data-sum-of="h-land h-buildings h-machinery h-other_fixed"[^>]*>'
    assert re.search(fixed + r"98\.000\.000\.000</output>", page)
    assert re.search(r'Total kepemilikan \(%\): <output [^>]*>100</output>', page)


def test_the_section_form_keeps_its_query_budget_with_many_grouped_rows(client, draft, django_assert_max_num_queries):
    header, tables = section_input("bahan_baku")
    tables["bahan"] = tables["bahan"] * 25
    assert post_section(client, draft, "bahan_baku", header, tables).status_code == 302
    with django_assert_max_num_queries(25):
        page = _page(client, draft, "bahan_baku")
    assert page.count('value="450.000.000.000"') == 25


@pytest.mark.parametrize("report_type", [code for code, spec in REPORT_TYPES.items() if spec.periodic])
def test_the_report_xlsx_downloads_for_every_report_type(client, cast, report_type):
    report = ReportFactory(factory=cast.factory_a, report_type=report_type)
    login(client, cast.company_a)
    response = client.get(reverse("reporting:report-xlsx", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 1 + len(report.spec.sections)
