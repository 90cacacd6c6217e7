"""The sector analysis pages (/analisis/sektor/), their downloads and the public API: open to anyone,
protected aggregates only, downloads equal to the shown tables, the API equal to the page, and a query
budget that does not grow with the reports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from analisis.sector.selectors import company_figures, sector_detail, sector_overview
from informasi.selectors import division_statistics
from reporting.models import ReportMeasures, ReportStatus
from reporting.sections.models import CapacityProduct, Material, ProductionRow
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("analisis:sector-list")
FOOD = reverse("analisis:sector-detail", kwargs={"kbli2": "10"})


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        yield


@pytest.fixture
def period(reference_data):
    return PeriodFactory(year=2026, number=1)


@pytest.fixture
def company(period):
    """``company("10710", 100, product=("Roti tawar", "190590"), material=("Tepung terigu", "110100", 30))``:
    a factory with one validated report of ``period``: its stored measures, one capacity and production
    line of the product, one raw material."""

    def make(kbli: str, production: int, *, product=("Produk", ""), material=None, workforce=10, report_period=None):
        factory = FactoryAccountFactory(kbli_codes=[kbli])
        report = ReportFactory(factory=factory, period=report_period or period, status=ReportStatus.VALIDATED, report_type="industri_produksi")
        name, hs = product
        CapacityProduct.objects.create(report=report, name=name, hs_code=hs, kbli_code=kbli, unit="ton", capacity=1000)
        ProductionRow.objects.create(report=report, product=f" {name.upper()} ", quantity=10, unit="ton", value=production)
        if material:
            m_name, m_hs, m_value = material
            Material.objects.create(
                report=report, name=m_name, hs_code=m_hs, kind="baku", origin="domestik", quantity=5, unit="ton", value=m_value
            )
        ReportMeasures.objects.create(
            report=report, period_id=report.period_id, factory=factory, report_type=report.report_type,
            workforce=workforce, production=Decimal(production), utilisation=Decimal(50),
        )  # fmt: skip
        return factory

    return make


@pytest.fixture
def food(company, period):
    """Division 10: bread (10710) 4 companies, noodles (10740) 3, starch (10621) 1; division 13: 1 company,
    division 25: 3 small ones (so that division 10's row is not the one hidden with 13's)."""
    for i, value in enumerate((100, 110, 120, 130)):
        company("10710", value, product=("Roti tawar", "190590"), material=("Tepung terigu", "110100", 30), workforce=10 + i)
    for value in (200, 210, 220):
        company("10740", value, product=("Mi instan", "190230"), material=("Tepung terigu", "110100", 30))
    company("10621", 50, product=("Tepung tapioka", "110814"), material=("Ubi kayu", "071410", 5))
    company("13111", 70)
    for _i in range(3):
        company("25111", 50, workforce=1)
    return period


class _Tables(HTMLParser):
    """The page's tables by ``data-testid``: rows of cell texts (header rows included)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("data-testid")
            self.tables[self._table] = []
        elif self._table and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- The list ------------------------------------------------------------------------------------------


def test_the_list_is_open_to_anyone_and_hides_a_subsector_of_one_company(client, food):
    response = client.get(LIST)
    assert response.status_code == 200
    rows = {row[0]: row for row in tables_of(response)["sector-table"][1:]}
    food_row = next(row for key, row in rows.items() if key.startswith("10 "))
    assert food_row[1] == "8" and food_row[4] == intcomma(Decimal(1140))
    textile = next(row for key, row in rows.items() if key.startswith("13 "))
    assert textile[1] == "tidak ditampilkan" and textile[4] == "tidak ditampilkan"
    assert "PT " not in " ".join(" ".join(r) for r in rows.values())


def _as_page(value: str) -> str:
    """A downloaded cell as the page prints it."""
    if value == "":
        return "—"
    if value == "tidak ditampilkan":
        return value
    return intcomma(Decimal(value))


def test_the_list_download_is_the_shown_table(client, food):
    page = tables_of(client.get(LIST))["sector-table"]
    rows = _csv(client.get(reverse("analisis:sector-list-download", kwargs={"fmt": "csv"})))
    assert [[row[1], *map(_as_page, row[2:])] for row in rows[1:]] == [row[:7] for row in page[1:]]
    assert rows[-1][1] == "Jumlah"


def test_the_subsectors_are_the_rows_of_informasi_industri(food):
    overview = sector_overview()
    table = division_statistics(food.pk)
    assert [r["key"] for r in overview.rows] == [r.key for r in table.rows]
    for row, stat in zip(overview.rows, table.rows, strict=True):
        assert row["values"] == {m: c.shown for m, c in stat.cells.items()}


# --- One subsector ---------------------------------------------------------------------------------------


def test_the_groups_add_up_to_the_headline_and_a_lone_company_is_hidden_with_a_neighbour(client, food):
    detail = sector_detail("10")
    groups = {g["key"]: g for g in detail["groups"]}
    assert set(groups) == {"10621", "10710", "10740"}
    assert "production" in groups["10621"]["hidden"] and "establishments" in groups["10621"]["hidden"]
    assert "production" in groups["10710"]["hidden"], "else the subsector's total minus the others gives starch"
    assert groups["10740"]["values"]["production"] == 630
    assert detail["groups_total"]["values"]["production"] == detail["headline"]["values"]["production"] == 1140
    companies = company_figures(food.pk, "10")
    assert sum(c.values["production"] for c in companies) == 1140


def test_the_top_products_leave_out_what_would_give_a_company_away(food):
    products = sector_detail("10")["products"]
    # tapioca is one company's; "lainnya" would be exactly it with both others listed, so bread joins it
    assert [(p["name"], p["hs_code"], p["value"]) for p in products["listed"]] == [("Mi instan", "190230", 630)]
    assert products["other"] == {"value": Decimal(510), "hidden": False}
    assert products["total"] == {"value": Decimal(1140), "hidden": False}


def test_the_top_materials_are_grouped_by_hs_code_and_a_lone_one_is_not_listed(food):
    materials = sector_detail("10")["materials"]
    assert [(m["name"], m["hs_code"], m["value"]) for m in materials["listed"]] == [("Tepung terigu", "110100", 210)]
    assert materials["other"]["hidden"] and materials["total"]["hidden"]


def test_a_dominant_firm_cannot_be_worked_out_from_the_groups_or_the_products(company, period):
    for value in (10, 11, 12):
        company("10710", value, product=("Roti tawar", "190590"))
    for value in (20, 21, 22):
        company("10740", value, product=("Mi instan", "190230"))
    company("10740", 100_000, product=("Mi instan", "190230"))  # dominates noodles and the subsector
    for _i in range(3):
        company("25111", 5)
    detail = sector_detail("10")
    assert "production" in detail["headline"]["hidden"]
    groups = {g["key"]: g for g in detail["groups"]}
    assert "production" in groups["10740"]["hidden"]
    assert not any(p["name"] == "Mi instan" for p in detail["products"]["listed"])
    shown = [v for v in (detail["products"]["other"]["value"], detail["products"]["total"]["value"]) if v is not None]
    assert not any(v >= 100_000 for v in shown)


def test_the_page_shows_the_tables_and_each_download_is_the_shown_table(client, food):
    page = tables_of(client.get(FOOD))
    groups = page["sector-groups"]
    assert groups[1][0].startswith("10621") and groups[1][1] == "tidak ditampilkan"
    url = reverse("analisis:sector-detail-download", kwargs={"kbli2": "10", "table": "kelompok", "fmt": "csv"})
    rows = _csv(client.get(url))
    assert [row[1] for row in rows[1:]] == [row[0] for row in groups[1:]]
    assert [[row[1], *map(_as_page, row[2:])] for row in rows[1:]] == groups[1:]
    products = page["sector-products"]
    assert [row[1:] for row in products[1:]] == [
        ["Mi instan", "190230", "630"],
        ["Produk lainnya", "", "510"],
        ["Jumlah nilai produksi", "", intcomma(Decimal(1140))],
    ]
    url = reverse("analisis:sector-detail-download", kwargs={"kbli2": "10", "table": "produk", "fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1:] == [[1, "Mi instan", "190230", 630], [None, "Produk lainnya", None, 510], [None, "Jumlah nilai produksi", None, 1140]]


def test_an_unknown_subsector_is_404(client, food):
    assert client.get(reverse("analisis:sector-detail", kwargs={"kbli2": "99"})).status_code == 404
    url = reverse("analisis:sector-detail-download", kwargs={"kbli2": "10", "table": "rahasia", "fmt": "csv"})
    assert client.get(url).status_code == 404


def test_the_subsector_iki_series_and_its_dominant_factors_come_from_the_release(client, food):
    from iki.models import IkiRelease
    from iki.vintages import COLUMNS

    def response(pk, kbli2, factors):
        return [pk, pk, kbli2, 10, "tetap", "meningkat", "tetap", "tetap", "optimis", factors, 0]

    responses = [response(i, "10", {"orders": ["pesanan_domestik"]}) for i in range(4)]
    responses += [response(10, "10", {"orders": ["pesanan_grup"]}), response(11, "13", {"orders": ["pesanan_grup"]})]
    payload = {
        "subsectors": [
            {"kbli2": "10", "iki": 53.1, "status": "ekspansi", "respondents": 5},
            {"kbli2": "13", "iki": None, "status": "suppressed", "respondents": 1},
        ]
    }
    for month, iki in ((dt.date(2026, 9, 1), 51.0), (dt.date(2026, 10, 1), 53.1)):
        payload["subsectors"][0]["iki"] = iki
        IkiRelease.objects.create(
            period=month, vintage=1, iki=52, status="ekspansi", respondents=6, payload=payload,
            inputs={"columns": COLUMNS, "responses": responses}, inputs_sha256="0" * 64,
        )  # fmt: skip
    detail = sector_detail("10")
    assert [(m["month"], m["iki"]) for m in detail["iki"]] == [(dt.date(2026, 9, 1), 51.0), (dt.date(2026, 10, 1), 53.1)]
    orders = detail["factors"]["variables"][0]
    # 4 of the 5 responses naming an order factor named domestic orders; "pesanan_grup" (1 respondent) is left out
    assert orders["variable"] == "orders" and [(f["code"], f["pct"]) for f in orders["factors"]] == [("pesanan_domestik", Decimal("80.00"))]
    assert sector_detail("13")["factors"] is None
    assert [m["iki"] for m in sector_detail("13")["iki"]] == [None, None]
    html = client.get(FOOD).content.decode()
    assert "Pesanan domestik: 80,00%" in html or "Pesanan domestik: 80.00%" in html


def test_a_company_sees_the_page_with_its_menu_entry(client, cast, food):
    client.force_login(cast.company_a)
    response = client.get(FOOD)
    assert response.status_code == 200
    assert reverse("analisis:sector-list") in response.content.decode()


# --- Query budget ------------------------------------------------------------------------------------------


def test_the_pages_keep_a_flat_query_budget_with_many_reports(client, company, period, django_assert_max_num_queries):
    for i in range(3):
        company("10710", 100 + i, product=("Roti", "190590"), material=("Tepung", "110100", 5))
    cache.clear()
    with django_assert_max_num_queries(40) as few_detail:
        client.get(FOOD)
    cache.clear()
    with django_assert_max_num_queries(40) as few_list:
        client.get(LIST)
    codes = ("10710", "10740", "10621", "13111", "25111")
    for i in range(60):
        company(codes[i % 5], 10 + i, product=(f"Produk {i % 7}", f"19{i % 7:04d}"), material=(f"Bahan {i % 4}", "", 3 + i))
    cache.clear()
    with django_assert_max_num_queries(len(few_detail.captured_queries)):
        response = client.get(FOOD)
    assert tables_of(response)["sector-groups"][1:]
    cache.clear()
    with django_assert_max_num_queries(len(few_list.captured_queries)):
        client.get(LIST)
    with django_assert_max_num_queries(12):  # warm: the grouped rows and the subsector's tables come from the cache
        client.get(FOOD)


# --- The public API ------------------------------------------------------------------------------------------


def test_the_api_returns_the_page_s_numbers(client, food):
    body = client.get(reverse("api:sectors")).json()
    overview = sector_overview()
    assert body["period"] == str(overview.period)
    for row, api_row in zip(overview.rows, body["sectors"], strict=True):
        assert api_row["kbli"] == row["key"] and api_row["hidden"] == row["hidden"]
        assert api_row["values"] == {m: None if v is None else str(v) for m, v in row["values"].items()}
    detail = client.get(reverse("api:sector", kwargs={"kbli2": "10"})).json()
    page = tables_of(client.get(FOOD))
    assert [g["kbli"] for g in detail["groups"]] == [row[0].split()[0] for row in page["sector-groups"][1:-1]]
    assert detail["products"]["listed"] == [{"name": "Mi instan", "hs_code": "190230", "value": "630"}]
    assert detail["products"]["other"] == {"value": "510", "hidden": False}
    assert detail["headline"]["values"]["production"] == "1140"
    for group in detail["groups"]:
        row = next(r for r in page["sector-groups"][1:] if r[0].startswith(group["kbli"]))
        shown = group["values"]["production"]
        assert row[4] == ("tidak ditampilkan" if "production" in group["hidden"] else intcomma(Decimal(shown)))
    assert client.get(reverse("api:sector", kwargs={"kbli2": "99"})).status_code == 404


def test_what_the_subsector_page_caches_goes_through_the_redis_serializer(food):
    from analisis.sector.selectors import _detail
    from siinas.lib.cache_serializer import from_json, to_json

    detail = _detail("10", sector_overview())
    assert from_json(to_json(detail)) == detail


def test_a_headline_read_a_moment_before_a_new_validation_publishes_no_breakdown(company, food):
    from analisis.sector.selectors import _detail

    sector_detail("10")  # Informasi Industri's grouped rows are cached now (served for FRESH_ENOUGH_SECONDS)
    company("10740", 230, product=("Mi instan", "190230"))  # validated meanwhile: the reports move on
    detail = _detail("10", sector_overview())  # the headline from the cache, the groups from the reports
    assert detail["consistent"] is False
    assert all(v is None for g in detail["groups"] for v in g["values"].values()), "no group adds up to a stale total"
    assert all("production" in g["hidden"] for g in detail["groups"])
    assert detail["products"]["listed"] == [] and detail["products"]["other"]["hidden"]


def test_a_subsector_without_validated_reports_shows_empty_tables(client, food):
    tables = tables_of(client.get(reverse("analisis:sector-detail", kwargs={"kbli2": "11"})))
    assert tables["sector-groups"][1:] == [["Belum ada laporan tervalidasi."]]
    assert tables["sector-products"][1:] == [["Tidak ada yang dapat ditampilkan tanpa membuka data perusahaan."]]
