"""The public "Informasi Industri" page: open to anyone, aggregates only, downloads equal to the shown
table, a map fed only with shown cells, and a query budget that does not grow with the reports."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from informasi.presenters import export_table
from informasi.selectors import industry_statistics
from tests.informasi.html import read

pytestmark = pytest.mark.django_db

URL = reverse("informasi:statistics")


@pytest.fixture
def published(validated, period):
    """Jawa Barat: 4 companies (one dominating production); Jawa Timur: 3, two with a utilisation; Banten: 1
    (hidden)."""
    for i in range(3):
        validated("32.16", workforce=10 + i, production=10, export=100 + i, utilisation=f"{60 + 10 * i}.25")
    validated("32.16", workforce=50, production=5000, export=100, utilisation=90)
    for i in range(3):
        validated("35.78", ["25111"], workforce=5 + i, production=300 + i, export=40 + i, **({"utilisation": 50} if i else {}))
    validated("36.03", workforce=99, production=7)
    return period


def _table_text(html) -> list[list[str]]:
    """The table's body and total rows as the page prints them (the header row left out)."""
    return read(html.decode() if isinstance(html, bytes) else html).rows[1:]


def test_the_page_is_open_to_anyone_and_names_no_company(client, published):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jawa Barat" in html and "Jawa Timur" in html
    assert "PT Uji Industri" not in html and "Pabrik " not in html
    rows = _table_text(html)
    banten = next(row for row in rows if row[0] == "Banten")
    # one company: hidden; investment, export and utilisation nobody reported: empty
    assert banten[1:] == ["tidak ditampilkan", "tidak ditampilkan", "—", "tidak ditampilkan", "—", "—"]


def test_utilisation_is_the_mean_of_the_companies_shown_from_3_companies(client, published):
    rows = {row[0]: row for row in _table_text(client.get(URL).content)}
    assert rows["Jawa Timur"][6] == "tidak ditampilkan", "2 companies with a utilisation"
    assert rows["Jumlah"][6] == intcomma(Decimal("66.79"))  # (300.75 + 50 + 50) / 6 = 66.7916…
    # The national mean × 6 minus Jawa Barat's × 4 would give Jawa Timur's back: Jawa Barat's mean (75,19,
    # 4 companies) is hidden with it.
    assert rows["Jawa Barat"][6] == "tidak ditampilkan"
    regions = {r["code"]: r for r in json.loads(read(client.get(URL, {"ukuran": "utilisation"}).content.decode()).scripts["informasi-map"])["regions"]}
    assert regions["32"]["hidden"] is True and regions["35"]["hidden"] is True


def test_a_chosen_province_is_shown_per_kbli_division(client, published):
    response = client.get(URL, {"provinsi": "32", "periode": published.pk})
    rows = _table_text(response.content)
    assert rows[0][0].startswith("10 ")
    assert rows[0][1] == "4"


def test_the_downloads_contain_exactly_the_shown_table(client, published):
    params = {"periode": published.pk, "ukuran": "production"}
    shown = _table_text(client.get(URL, params).content)
    header, _rows = export_table(industry_statistics(published.pk))

    response = client.get(reverse("informasi:statistics-download", kwargs={"fmt": "csv"}), params)
    assert response["Content-Disposition"].endswith('.csv"')
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == header
    assert [[line[1], *(_page_number(v) for v in line[2:])] for line in lines[1:]] == shown

    response = client.get(reverse("informasi:statistics-download", kwargs={"fmt": "xlsx"}), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [[row[1], *(_page_number(v) for v in row[2:])] for row in cells] == shown


def _page_number(value: str) -> str:
    """A file cell as the page prints it (thousands grouped as the active language does, empty as a dash)."""
    if value == "":
        return "—"
    if value.isdigit():
        return intcomma(int(value))
    return intcomma(Decimal(value)) if value.replace(".", "", 1).isdigit() else value


def test_the_map_gets_only_the_shown_cells(client, published):
    page = read(client.get(URL, {"ukuran": "production"}).content.decode())
    data = json.loads(page.scripts["informasi-map"])
    regions = {r["code"]: r for r in data["regions"]}
    assert regions["36"] == {"code": "36", "label": "Banten", "hidden": True}  # no value, not even n
    assert regions["32"]["hidden"] is True and "value" not in regions["32"]  # dominated by one company
    # Any sum with Jawa Barat stays one company's figure: the national total is hidden instead, and Jawa
    # Timur (3 companies, none dominating) is shown.
    assert regions["35"] == {"code": "35", "label": "Jawa Timur", "hidden": False, "value": 903.0}
    figure = page.figures[0]
    assert figure["data-topology"].endswith("data/provinces.topo.json")
    assert "CC BY 4.0" in figure["text"]
    charts = json.loads(page.scripts["informasi-chart-data"])
    assert charts[0]["labels"] == ["Jawa Timur"] and len(charts[0]["values"]) == 1  # in the chart's unit


def test_the_chart_draws_only_the_shown_cells(client, published):
    page = read(client.get(URL, {"ukuran": "export"}).content.decode())
    charts = json.loads(page.scripts["informasi-chart-data"])
    assert charts[0]["labels"] == ["Jawa Barat", "Jawa Timur"]
    assert charts[0]["values"][0] / charts[0]["values"][1] == pytest.approx(403 / 123)  # in the chart's unit
    # Workforce: Banten (1 company) is hidden, with it the smallest other cell (Jawa Timur) and, as that pair
    # is still Banten's one company's figure, Jawa Barat too: nothing is left to chart.
    page = read(client.get(URL, {"ukuran": "workforce"}).content.decode())
    assert "informasi-chart-data" not in page.scripts
    assert all(r["hidden"] for r in json.loads(page.scripts["informasi-map"])["regions"])


def test_a_value_outside_the_choices_falls_back_to_the_default(client, published):
    response = client.get(URL, {"provinsi": "99", "kbli": "xx", "periode": "abc", "ukuran": "rahasia"})
    assert response.status_code == 200
    assert "Per provinsi" in response.content.decode()


def test_an_unknown_download_format_does_not_exist(client, published):
    assert client.get(reverse("informasi:statistics-download", kwargs={"fmt": "pdf"})).status_code == 404


def test_the_page_keeps_a_flat_query_budget_with_many_reports(client, validated, period, django_assert_max_num_queries):
    for i in range(3):
        validated("32.16", workforce=1 + i)
    cache.clear()  # cold: the grouped rows are computed
    with django_assert_max_num_queries(10) as few:
        client.get(URL, {"provinsi": "32"})
    for i in range(60):
        validated(("32.16", "35.78", "33.01")[i % 3], ["10110", "13111", "25111"][i % 3 : i % 3 + 1], workforce=i, production=i)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"provinsi": "32"})
    assert read(response.content.decode()).rows[1][1] == "23"  # division 10 of Jawa Barat: 3 + 20
