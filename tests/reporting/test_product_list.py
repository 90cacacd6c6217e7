"""A product list typed once (issue 16 §2): the products typed in Kapasitas produksi are chosen, not retyped,
in Produksi and Pemasaran; a name not in the list is refused at the field; the Excel template offers the list as
a drop-down and an upload is checked against it."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.models import ReportSection
from reporting.sections import definitions as d
from reporting.sections import models as sm
from tests.helpers import login
from tests.reporting.conftest import post_section, section_input

pytestmark = pytest.mark.django_db

CAPACITY = ["Daging sapi beku", "Sosis sapi"]  # section_input("kapasitas")


@pytest.fixture
def report(client, cast, period, in_window):
    login(client, cast.company_a)
    return services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")


@pytest.fixture
def industry(client, report):
    for code in ("kapasitas", "produksi", "pemasaran"):
        assert post_section(client, report, code, *section_input(code)).status_code == 302, code
    return report


def _page(client, report, code: str) -> str:
    response = client.get(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": code}))
    assert response.status_code == 200
    return response.content.decode()


def _options(page: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each option of the select ``name``."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, flags=re.S).group(1)
    return [
        (html.unescape(value), html.unescape(text), bool(selected))
        for value, selected, text in re.findall(r'<option value="([^"]*)"([^>]*selected)?[^>]*>([^<]*)</option>', select)
    ]


def _cell(page: str, field_id: str) -> str:
    """The table cell holding the field ``field_id`` (its input and its messages)."""
    return re.search(rf'<td data-label="[^"]*">(?:(?!<td).)*?id="{field_id}".*?</td>', page, flags=re.S).group(0)


def _stored_products(report) -> list[str]:
    return list(sm.ProductionRow.objects.filter(report=report).order_by("position").values_list("product", flat=True))


# --- the page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "name"), [("produksi", "produksi-0-product"), ("pemasaran", "penjualan-0-product"), ("pemasaran", "tujuan-0-product")])
def test_the_product_is_a_select_of_exactly_the_capacity_products(client, industry, code, name):
    options = _options(_page(client, industry, code), name)
    assert [value for value, _text, _selected in options] == ["", *CAPACITY]
    assert [value for value, _text, selected in options if selected] == [CAPACITY[0]]


def test_a_new_row_offers_the_same_list(client, industry):
    page = _page(client, industry, "produksi")
    template = re.search(r'<template id="produksi-template">(.*?)</template>', page, flags=re.S).group(1)
    assert [value for value, _text, _selected in _options(template, "produksi-__prefix__-product")] == ["", *CAPACITY]


def test_a_product_not_in_the_capacity_list_is_refused_at_the_field_and_nothing_saved_is_lost(client, industry):
    header, tables = section_input("produksi")
    tables["produksi"][1]["product"] = "Bakso"
    response = post_section(client, industry, "produksi", header, tables)
    assert response.status_code == 200
    page = response.content.decode()
    cell = _cell(page, "id_produksi-1-product")
    assert html.escape(d.PRODUCT_NOT_LISTED) in cell and "is-invalid" in cell
    assert ("Bakso", "Bakso (tidak ada di daftar)", True) in _options(page, "produksi-1-product")  # as typed, marked
    assert "invalid-feedback" not in _cell(page, "id_produksi-0-product")
    state = ReportSection.objects.get(report=industry, code="produksi")
    assert state.state == ReportSection.State.INVALID and state.raw["produksi-1-product"] == ["Bakso"]
    assert _stored_products(industry) == CAPACITY  # the last valid save stays
    # Reloaded, the draft comes back as typed with its message.
    assert html.escape(d.PRODUCT_NOT_LISTED) in _cell(_page(client, industry, "produksi"), "id_produksi-1-product")


def test_a_name_differing_only_in_case_or_spacing_is_stored_as_the_list_spells_it(client, industry):
    header, tables = section_input("produksi")
    tables["produksi"][1]["product"] = "  sosis   SAPI "
    assert post_section(client, industry, "produksi", header, tables).status_code == 302
    assert _stored_products(industry) == CAPACITY


def test_an_empty_capacity_list_sends_the_user_to_the_capacity_section(client, report):
    for code in ("produksi", "pemasaran"):
        page = _page(client, report, code)
        alert = re.search(r'<div class="alert alert-warning" id="empty-list-kapasitas">(.*?)</div>', page, flags=re.S).group(1)
        assert "Isi dulu daftar produk di bagian" in alert
        link = reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "kapasitas"})
        assert f'<a href="{link}">Kapasitas produksi</a>' in alert
    assert _options(page, "penjualan-0-product") == [("", "— pilih —", True)]  # nothing else to choose
    header, tables = section_input("produksi")
    response = post_section(client, report, "produksi", header, tables)
    assert html.escape(d.PRODUCT_NOT_LISTED) in _cell(response.content.decode(), "id_produksi-0-product")


def test_with_capacity_filled_the_page_has_no_such_message(client, industry):
    assert 'id="empty-list-kapasitas"' not in _page(client, industry, "produksi")
    assert 'id="empty-list-kapasitas"' not in _page(client, industry, "kapasitas")


def test_a_product_renamed_in_capacity_is_shown_with_the_message_not_silently_changed(client, industry):
    header, tables = section_input("kapasitas")
    tables["produk"][1]["name"] = "Sosis sapi asap"
    assert post_section(client, industry, "kapasitas", header, tables).status_code == 302
    page = _page(client, industry, "produksi")
    options = _options(page, "produksi-1-product")
    assert [value for value, _text, _selected in options] == ["", "Daging sapi beku", "Sosis sapi asap", "Sosis sapi"]
    assert ("Sosis sapi", "Sosis sapi (tidak ada di daftar)", True) in options
    assert html.escape(d.PRODUCT_NOT_LISTED) in _cell(page, "id_produksi-1-product")
    assert "invalid-feedback" not in _cell(page, "id_produksi-0-product")
    assert _stored_products(industry) == CAPACITY  # nothing renamed behind the user's back
    # Choosing the new name saves.
    header, tables = section_input("produksi")
    tables["produksi"][1]["product"] = "Sosis sapi asap"
    assert post_section(client, industry, "produksi", header, tables).status_code == 302
    assert _stored_products(industry) == ["Daging sapi beku", "Sosis sapi asap"]


# --- query budget -----------------------------------------------------------------------------------------


def _grow(report, n: int) -> None:
    """``n`` capacity products and a production row for each."""
    sm.CapacityProduct.objects.filter(report=report).delete()
    sm.ProductionRow.objects.filter(report=report).delete()
    sm.CapacityProduct.objects.bulk_create(
        sm.CapacityProduct(report=report, position=i, name=f"Produk {i}", kbli_code="10110", unit="ton", capacity=1000)
        for i in range(n)
    )
    sm.ProductionRow.objects.bulk_create(
        sm.ProductionRow(report=report, position=i, product=f"Produk {i}", quantity=100, unit="ton", value=1_000_000)
        for i in range(n)
    )


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_production_page_of_50_products_keeps_its_query_budget(client, industry, django_assert_max_num_queries):
    url = reverse("reporting:section-edit", kwargs={"pk": industry.pk, "code": "produksi"})
    _grow(industry, 5)
    few, _page_ = _queries(client, url)
    _grow(industry, 50)
    with django_assert_max_num_queries(20):
        many, page = _queries(client, url)
    assert many == few
    assert [value for value, _text, _selected in _options(page, "produksi-49-product")] == ["", *(f"Produk {i}" for i in range(50))]


# --- Excel ------------------------------------------------------------------------------------------------


def _template(client, report, code: str | None):
    name = "section-excel-template" if code else "report-excel-template"
    kwargs = {"pk": report.pk} | ({"code": code} if code else {})
    return load_workbook(io.BytesIO(client.get(reverse(f"reporting:{name}", kwargs=kwargs)).content))


def _list_validation(sheet, column: str):
    found = [v for v in sheet.data_validations.dataValidation if any(str(r).startswith(f"{column}2:") for r in v.sqref.ranges)]
    assert len(found) == 1, [str(v.sqref) for v in sheet.data_validations.dataValidation]
    assert found[0].type == "list"
    return found[0]


def _range_values(book, formula: str) -> list[str]:
    sheet, cells = re.fullmatch(r"'?(.*?)'?!(\$[A-Z]+\$\d+:\$[A-Z]+\$\d+)", formula).groups()
    return [row[0].value for row in book[sheet][cells.replace("$", "")] if row[0].value is not None]


def test_the_production_template_offers_the_capacity_products_as_a_drop_down(client, industry):
    book = _template(client, industry, "produksi")
    validation = _list_validation(book["Produksi"], "A")
    assert validation.errorStyle in (None, "stop")  # another name is refused by Excel too
    assert validation.error == d.PRODUCT_NOT_LISTED
    assert _range_values(book, validation.formula1) == CAPACITY  # on the hidden Daftar sheet
    book = _template(client, industry, "pemasaran")
    for sheet in ("Penjualan per produk", "Negara tujuan ekspor"):
        assert _range_values(book, _list_validation(book[sheet], "A").formula1) == CAPACITY


def test_a_whole_report_template_points_the_drop_down_at_its_capacity_sheet(client, industry):
    book = _template(client, industry, None)
    validation = _list_validation(book["Produksi"], "A")
    assert validation.formula1 == "'Produk'!$A$2:$A$2001"  # what is typed in Produk is offered at once
    assert _range_values(book, validation.formula1) == CAPACITY


def _upload(client, report, code: str, book) -> list[tuple[str, str, str, str]]:
    buffer = io.BytesIO()
    book.save(buffer)
    url = reverse("reporting:section-excel", kwargs={"pk": report.pk, "code": code})
    response = client.post(url, {"berkas": SimpleUploadedFile("isian.xlsx", buffer.getvalue())})
    body = response.content.decode().split('id="excel-problems"', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    return [tuple(html.unescape(cell) for cell in row) for row in rows]


def test_an_upload_naming_an_unknown_product_is_listed_by_sheet_row_and_column(client, industry):
    book = _template(client, industry, "produksi")
    book["Produksi"]["A3"] = "Bakso"
    assert _upload(client, industry, "produksi", book) == [
        ("Produksi", "3", "Produk (dari daftar kapasitas)", d.PRODUCT_NOT_LISTED)
    ]
    assert _stored_products(industry) == CAPACITY


def test_an_upload_matches_names_as_the_form_does(client, industry):
    book = _template(client, industry, "produksi")
    book["Produksi"]["A3"] = "SOSIS SAPI"
    buffer = io.BytesIO()
    book.save(buffer)
    url = reverse("reporting:section-excel", kwargs={"pk": industry.pk, "code": "produksi"})
    response = client.post(url, {"berkas": SimpleUploadedFile("isian.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    assert _stored_products(industry) == CAPACITY


# --- the widget -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "Sosis sapi", "sosis sapi", "Bakso <lama> & \"x\""])
def test_the_fast_renderer_writes_the_product_select_as_django_does(value):
    from django import forms
    from django.forms.renderers import DjangoTemplates

    from reporting.sections.base import RENDERER, ListedField

    class Row(forms.Form):
        product = ListedField(CAPACITY, message=d.PRODUCT_NOT_LISTED, label="Produk")

    widget = Row().fields["product"].widget
    lean = widget.render("product", value, renderer=RENDERER)
    assert lean == widget.render("product", value, renderer=DjangoTemplates())
    # A value the list does not spell exactly is still shown, selected and marked (never replaced by "— pilih —").
    assert ("(tidak ada di daftar)" in lean) == (value not in ("", *CAPACITY))
    assert lean.count(" selected>") == 1
