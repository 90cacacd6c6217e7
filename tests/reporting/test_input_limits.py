"""Input the database cannot hold never costs a section its input (issue 12, "Input").

A NUL byte went into the raw draft (a JSON column PostgreSQL refuses ``\\u0000`` in) and a count
above 2,147,483,647 went into an integer column: both gave a 500 and lost the section's input.
Control characters are now removed from every GET/POST value before a view runs, and every number
field is bounded by its column, with the message at the field.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from reporting import services
from reporting.models import ReportSection
from reporting.sections import models as sm
from tests.helpers import login
from tests.reporting.conftest import form_data, post_section, section_input

pytestmark = pytest.mark.django_db

INT_MAX_MESSAGE = "Nilai terlalu besar: paling banyak 2.147.483.647."


@pytest.fixture
def draft(client, cast, period, in_window):
    login(client, cast.company_a)
    return services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _messages(response) -> str:
    return response.content.decode()


# --- NUL and other control characters --------------------------------------------------------------


def test_a_nul_byte_typed_into_a_text_field_is_dropped_and_the_section_saves(client, draft):
    header, tables = section_input("tenaga_kerja", explanation="Ekspansi\x00 lini\x07 baru\x7f")
    response = post_section(client, draft, "tenaga_kerja", header, tables)
    assert response.status_code == 302
    assert sm.Workforce.objects.get(report=draft).explanation == "Ekspansi lini baru"
    assert ReportSection.objects.get(report=draft, code="tenaga_kerja").state == ReportSection.State.VALID


def test_tabs_and_line_breaks_are_kept(client, draft):
    header, tables = section_input("tenaga_kerja", explanation="baris satu\r\nbaris\tdua")
    assert post_section(client, draft, "tenaga_kerja", header, tables).status_code == 302
    assert sm.Workforce.objects.get(report=draft).explanation == "baris satu\r\nbaris\tdua"


def test_an_invalid_draft_with_a_nul_is_kept_without_it(client, draft):
    header, tables = section_input("tenaga_kerja")
    assert post_section(client, draft, "tenaga_kerja", header, tables).status_code == 302
    header.update(prod_male_wni="empat\x00ratus")
    tables["wna"][0]["country"] = "J\x00P\x1b"
    response = post_section(client, draft, "tenaga_kerja", header, tables)
    assert response.status_code == 200
    section = ReportSection.objects.get(report=draft, code="tenaga_kerja")
    assert section.state == ReportSection.State.INVALID
    assert section.raw["h-prod_male_wni"] == ["empatratus"] and section.raw["wna-0-country"] == ["JP"]
    assert sm.Workforce.objects.get(report=draft).total == 420  # the last valid input stays
    page = client.get(reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "tenaga_kerja"}))
    assert page.status_code == 200 and 'value="empatratus"' in page.content.decode()


def test_the_draft_service_keeps_no_control_character_whoever_calls_it(cast, draft):
    """The raw draft is a JSON column: the service cleans its input too, not only the middleware."""
    header, tables = section_input("tenaga_kerja", prod_male_wni="2\x0000")
    data = QueryDict(mutable=True)
    for key, value in form_data(header, tables).items():
        data[key] = value
    data["wna-0-country"] = "\x00JP"
    data["h-\x00extra"] = "\x01"
    services.section_save(actor=cast.company_a, report=draft, code="tenaga_kerja", data=data, lock_version=draft.lock_version)
    section = ReportSection.objects.get(report=draft, code="tenaga_kerja")
    stored = [*_strings(section.raw), *_strings(section.errors)]
    assert stored and not any(ch in s for s in stored for ch in "\x00\x01")
    assert section.raw["h-total"] == ["420"] and section.raw["wna-0-country"] == ["JP"]


# --- numbers beyond their column ---------------------------------------------------------------------


def test_a_count_beyond_the_integer_column_is_refused_at_the_field_and_the_last_valid_data_stays(client, draft):
    header, tables = section_input("tenaga_kerja")
    assert post_section(client, draft, "tenaga_kerja", header, tables).status_code == 302
    # Consistent on its own terms (the parts add up), only too big for the column.
    header.update(prod_male_wni=3_000_000_000, total=3_000_000_220)
    response = post_section(client, draft, "tenaga_kerja", header, tables)
    assert response.status_code == 200
    assert _messages(response).count(INT_MAX_MESSAGE) == 2  # at prod_male_wni and at total
    workforce = sm.Workforce.objects.get(report=draft)
    assert (workforce.prod_male_wni, workforce.total) == (200, 420)
    section = ReportSection.objects.get(report=draft, code="tenaga_kerja")
    assert section.state == ReportSection.State.INVALID and section.raw["h-total"] == ["3000000220"]
    assert section.errors["h"]["total"] == [INT_MAX_MESSAGE]


def test_a_row_count_beyond_the_column_is_refused_at_its_cell(client, draft):
    header, tables = section_input("mesin")
    tables["mesin"][0]["count"] = 2_147_483_648
    response = post_section(client, draft, "mesin", header, tables)
    assert response.status_code == 200 and INT_MAX_MESSAGE in _messages(response)
    assert not sm.Machine.objects.filter(report=draft).exists()


def test_the_largest_count_the_column_holds_is_accepted(client, draft):
    header, tables = section_input("mesin")
    tables["mesin"][0]["count"] = 2_147_483_647
    assert post_section(client, draft, "mesin", header, tables).status_code == 302
    assert sm.Machine.objects.get(report=draft).count == 2_147_483_647


def test_a_year_beyond_the_small_integer_column_is_refused_at_its_cell(client, draft):
    header, tables = section_input("mesin")
    tables["mesin"][0]["year_made"] = 99_999
    response = post_section(client, draft, "mesin", header, tables)
    assert response.status_code == 200 and "Nilai terlalu besar: paling banyak 32.767." in _messages(response)


def test_an_amount_beyond_the_decimal_column_is_refused_with_one_message(client, draft):
    header, tables = section_input("pengeluaran", wages="1" + "0" * 20)  # 21 digits: rupiah(20, 0)
    response = post_section(client, draft, "pengeluaran", header, tables)
    body = _messages(response)
    assert response.status_code == 200
    assert body.count("Nilai terlalu besar: paling banyak 99.999.999.999.999.999.999.") == 1
    assert "Pastikan jumlah angka" not in body  # not a second, digit-counting message beside it


def test_a_negative_amount_beyond_a_signed_decimal_column_is_refused(client, draft):
    header, tables = section_input("pemasaran")
    tables["penjualan"][0]["stock_change"] = "-1" + "0" * 15  # decimal(18, 3): at most 15 whole digits
    response = post_section(client, draft, "pemasaran", header, tables)
    assert response.status_code == 200
    assert "Nilai terlalu kecil: paling sedikit -999.999.999.999.999,999." in _messages(response)


def test_a_row_count_far_beyond_the_rows_sent_builds_only_the_rows_sent(client, draft):
    """Found by the fuzz test: 2,000 blank rows were built and rendered (tens of seconds) on every reload."""
    header, tables = section_input("kapasitas")
    response = post_section(client, draft, "kapasitas", header, tables, **{"produk-TOTAL_FORMS": "2147483648"})
    assert response.status_code == 302
    assert sm.CapacityProduct.objects.filter(report=draft).count() == 2


@pytest.mark.parametrize("value", ["sNaN", "NaN", "-Infinity"])
def test_a_nan_in_a_table_cell_with_a_default_is_refused_at_the_cell(client, draft, value):
    """Found by the fuzz test: "sNaN" beside the column's default 0 raised InvalidOperation (a 500)."""
    header, tables = section_input("pemasaran")
    tables["penjualan"][0]["domestic_qty"] = value
    response = post_section(client, draft, "pemasaran", header, tables)
    assert response.status_code == 200 and "Masukkan angka, misalnya 1.234.567,89." in _messages(response)
    stale = post_section(client, draft, "pemasaran", header, tables, lock_version=0)
    assert stale.status_code == 409  # the refused save shows the input again without a 500 too
