"""Tables that fit (issue 16 §4): a row's errors are written inside that row, each field error in its own cell
and a row's own (non-field) error in its first cell, the cell that stays in view while the table scrolls; every
cell names its column (``data-label``) for the phone layout. The browser journey is tests/browser/test_section_tables.py."""

from __future__ import annotations

import html
import re

import pytest
from django import forms
from django.urls import reverse

from reporting import services
from reporting.sections import definitions as d
from reporting.sections.definitions import SECTION_HANDLERS
from tests.helpers import login
from tests.reporting.conftest import post_section, section_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def industry(client, cast, period, in_window):
    login(client, cast.company_a)
    report = services.report_start(
        actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi"
    )
    for code in ("kapasitas", "produksi"):
        post_section(client, report, code, *section_input(code))
    return report


def _oversold(tables):
    tables["penjualan"][0]["domestic_qty"] = 4500  # 4500 + 1000 sold > 5200 made (see test_checks)
    return tables


def _row_of(page: str, field_id: str) -> str:
    """The <tr> holding the field ``field_id``."""
    rows = re.findall(r"<tr\b.*?</tr>", page, flags=re.S)
    matching = [row for row in rows if f'id="{field_id}"' in row]
    assert len(matching) == 1, field_id
    return matching[0]


def _cells(row: str) -> list[tuple[str, str]]:
    """(data-label, inner HTML) of each cell of a row."""
    return [
        (html.unescape(label), inner)
        for label, inner in re.findall(r'<td data-label="([^"]*)">(.*?)</td>', row, flags=re.S)
    ]


def test_the_sales_error_is_written_in_the_rows_penjelasan_cell(client, industry):
    header, tables = section_input("pemasaran")
    response = post_section(client, industry, "pemasaran", header, _oversold(tables))
    assert response.status_code == 200
    page = response.content.decode()
    message = html.escape(d.SALES_OVER_SUPPLY % {"sold": "5500", "supply": "5200"})
    row = _row_of(page, "id_penjualan-0-explanation")
    cells = dict(_cells(row))
    assert message in cells["Penjelasan"]
    assert "is-invalid" in cells["Penjelasan"]
    assert all(message not in inner for label, inner in cells.items() if label != "Penjelasan")
    # The second row is fine: no error, no invalid mark.
    assert "invalid-feedback" not in _row_of(page, "id_penjualan-1-explanation")


def test_every_cell_names_its_column_as_the_header_does(client, industry):
    response = client.get(reverse("reporting:section-edit", kwargs={"pk": industry.pk, "code": "pemasaran"}))
    page = response.content.decode()
    table = re.search(r'<table[^>]*data-formset="penjualan".*?</table>', page, flags=re.S).group(0)
    headers = [html.unescape(h) for h in re.findall(r'<th scope="col" class="small">(.*?)</th>', table)]
    labels = [label for label, _ in _cells(_row_of(page, "id_penjualan-0-product"))]
    assert labels[: len(headers) - 1] == headers[:-1]  # the last column, the "Hapus" box, is Django's DELETE
    assert labels[0] == "Produk" and "Penjelasan" in labels
    assert 'class="table table-sm align-top report-rows"' in table
    # A Penjelasan box in a row is two lines tall (Django's Textarea would make it ten, and every row with it).
    explanation = re.search(r'<textarea name="penjualan-0-explanation"[^>]*>', table).group(0)
    assert 'rows="2"' in explanation
    # The row "Tambah baris" adds carries the same labels.
    template = re.search(r'<template id="penjualan-template">(.*?)</template>', page, flags=re.S).group(1)
    assert [label for label, _ in _cells(template)] == labels


def test_a_rows_own_error_is_written_in_its_first_cell(client, industry, monkeypatch):
    """A rule of a whole row (no one field) shows in the row's first, always visible cell, not above the table."""
    row_form = SECTION_HANDLERS["pemasaran"]._row_forms["penjualan"].form

    def clean(self):
        if self.cleaned_data.get("product") == "Sosis sapi":
            raise forms.ValidationError("Baris ini bertentangan dengan baris lain.")
        return self.cleaned_data

    monkeypatch.setattr(row_form, "clean", clean)
    header, tables = section_input("pemasaran")
    response = post_section(client, industry, "pemasaran", header, tables)
    assert response.status_code == 200
    page = response.content.decode()
    row = _row_of(page, "id_penjualan-1-product")
    first_label, first_cell = _cells(row)[0]
    assert first_label == "Produk"
    assert "report-row-error" in first_cell and "Baris ini bertentangan dengan baris lain." in first_cell
    assert page.count("Baris ini bertentangan dengan baris lain.") == 1
    assert "report-row-error" not in _row_of(page, "id_penjualan-0-product")
