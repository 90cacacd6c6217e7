"""Every rule of fields.md gives its Indonesian message at the field; explained values are accepted."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from accounts.models import AccountType, Factory
from reporting import services
from reporting.models import ReportSection
from reporting.sections import definitions as d
from reporting.sections.base import CheckContext
from reporting.sections.models import Workforce
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory, company_user
from tests.helpers import login
from tests.reporting.conftest import post_section, section_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def industry(client, cast, period, in_window):
    login(client, cast.company_a)
    report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    for code in ("kapasitas", "produksi"):
        post_section(client, report, code, *section_input(code))
    return report


@pytest.fixture
def construction(client, cast, period, in_window):
    factory = FactoryAccountFactory(stage=Factory.Stage.CONSTRUCTION, region=Region.objects.get(pk="36.72"), kbli_codes=["24101"])
    user = company_user(factory, "bajabaru")
    login(client, user)
    return services.report_start(actor=user, factory=factory, period=period, report_type="industri_pembangunan")


@pytest.fixture
def estate(client, cast, period, in_window):
    factory = FactoryAccountFactory(account_type=AccountType.B, region=Region.objects.get(pk="32.16"))
    user = company_user(factory, "kawasan")
    login(client, user)
    return services.report_start(actor=user, factory=factory, period=period, report_type="kawasan_komersial")


def _row(tables, prefix, index=0, **changes):
    tables = copy.deepcopy(tables)
    tables[prefix][index].update(changes)
    return tables


def _expect(client, report, code, header, tables, message):
    response = post_section(client, report, code, header, tables)
    assert response.status_code == 200
    assert message in response.content.decode(), message
    section = ReportSection.objects.get(report=report, code=code)
    assert section.state == ReportSection.State.INVALID
    return response


def _passes(client, report, code, header, tables):
    response = post_section(client, report, code, header, tables)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert ReportSection.objects.get(report=report, code=code).state == ReportSection.State.VALID


# --- Tenaga kerja -------------------------------------------------------------------------------


def test_the_workforce_total_is_the_sum_of_its_parts_whatever_was_posted(client, industry):
    header, tables = section_input("tenaga_kerja", total=421)
    _passes(client, industry, "tenaga_kerja", header, tables)
    assert Workforce.objects.get(report=industry).total == 420


def test_a_stored_workforce_total_that_is_not_the_sum_of_its_parts_is_still_refused(client, industry):
    header, tables = section_input("tenaga_kerja")
    _passes(client, industry, "tenaga_kerja", header, tables)
    Workforce.objects.filter(report=industry).update(total=421)  # e.g. typed before the total was computed
    handler = d.SECTION_HANDLERS["tenaga_kerja"]
    issues = handler.check(handler.load(industry), CheckContext(industry))
    assert [i.message for i in issues] == [d.WF_TOTAL_MISMATCH % {"total": 421, "sum": 420}]


def test_foreign_workers_need_a_nationality_breakdown(client, industry):
    header, tables = section_input("tenaga_kerja")
    _expect(client, industry, "tenaga_kerja", header, {"wna": []}, d.WF_NATIONALITY_REQUIRED)


def test_the_nationality_breakdown_adds_up_to_the_foreign_workers(client, industry):
    header, _ = section_input("tenaga_kerja")
    _expect(client, industry, "tenaga_kerja", header, {"wna": [{"country": "JP", "count": 1}]}, d.WF_NATIONALITY_MISMATCH % {"rows": 1, "wna": 3})


def test_construction_stage_asks_the_planned_workforce(client, construction):
    header, tables = section_input("tenaga_kerja")
    response = _expect(client, construction, "tenaga_kerja", header, tables, d.WF_PLANNED_REQUIRED)
    assert 'name="h-planned_total"' in response.content.decode()
    header["planned_total"] = 900
    _passes(client, construction, "tenaga_kerja", header, tables)


def test_production_stage_does_not_ask_the_planned_workforce(client, industry):
    response = client.get(reverse("reporting:section-edit", kwargs={"pk": industry.pk, "code": "tenaga_kerja"}))
    assert 'name="h-planned_total"' not in response.content.decode()


# --- Investasi ----------------------------------------------------------------------------------


def test_ownership_percentages_sum_to_100(client, industry):
    header, tables = section_input("investasi", domestic_pct=50)
    _expect(client, industry, "investasi", header, tables, d.OWNERSHIP_SUM % {"sum": "110"})


def test_foreign_ownership_needs_countries(client, industry):
    header, _ = section_input("investasi")
    _expect(client, industry, "investasi", header, {"asing": []}, d.FOREIGN_OWNERS_REQUIRED)


def test_ownership_per_country_adds_up_to_the_foreign_share(client, industry):
    header, _ = section_input("investasi")
    tables = {"asing": [{"country": "JP", "pct": 45}]}
    _expect(client, industry, "investasi", header, tables, d.FOREIGN_OWNERS_SUM % {"rows": "45", "foreign": "60"})


def test_a_percentage_above_100_is_refused_at_the_field(client, industry):
    header, tables = section_input("investasi", domestic_pct=140, foreign_pct=0)
    _expect(client, industry, "investasi", header, {"asing": []}, "Persentase paling besar 100.")


# --- Lahan --------------------------------------------------------------------------------------


def test_building_area_cannot_exceed_land_area(client, industry):
    header, tables = section_input("lahan", building_area_m2=60000)
    _expect(client, industry, "lahan", header, tables, d.BUILDING_OVER_LAND)


def test_coordinates_must_lie_inside_indonesia(client, industry):
    header, tables = section_input("lahan", latitude="35.6", longitude="151.2")  # north and east of Indonesia
    response = _expect(client, industry, "lahan", header, tables, d.OUTSIDE_INDONESIA)
    assert response.content.decode().count(d.OUTSIDE_INDONESIA) == 2  # at both fields


def test_a_factory_inside_an_estate_names_the_estate(client, industry):
    header, tables = section_input("lahan", in_estate=True)
    _expect(client, industry, "lahan", header, tables, d.ESTATE_NAME_REQUIRED)
    header["estate_name"] = "Kawasan Industri Jababeka"
    _passes(client, industry, "lahan", header, tables)


# --- Kapasitas, bahan baku, mesin, energi ------------------------------------------------------


def test_capacity_needs_at_least_one_product(client, industry):
    _expect(client, industry, "kapasitas", None, {"produk": []}, d.AT_LEAST_ONE_PRODUCT)


def test_a_product_kbli_must_be_a_kbli_2020_five_digit_code(client, industry):
    header, tables = section_input("kapasitas")
    _expect(client, industry, "kapasitas", header, _row(tables, "produk", kbli_code="10999"), d.KBLI_UNKNOWN % {"code": "10999"})


def test_a_product_is_listed_once(client, industry):
    header, tables = section_input("kapasitas")
    _expect(client, industry, "kapasitas", header, _row(tables, "produk", 1, name="daging  sapi BEKU"), d.DUPLICATE_PRODUCT)


def test_an_hs_code_has_eight_digits(client, industry):
    header, tables = section_input("kapasitas")
    _expect(client, industry, "kapasitas", header, _row(tables, "produk", hs_code="0202"), "Kode HS terdiri dari 8 angka (BTKI).")


def test_an_imported_material_names_its_country(client, industry):
    header, tables = section_input("bahan_baku")
    _expect(client, industry, "bahan_baku", header, _row(tables, "bahan", country=""), d.IMPORT_NEEDS_COUNTRY)


def test_a_machine_is_not_made_in_the_future(client, industry):
    header, tables = section_input("mesin")
    _expect(client, industry, "mesin", header, _row(tables, "mesin", year_made=2027), d.YEAR_IN_FUTURE % {"year": 2026})


def test_energy_quantities_are_not_negative(client, industry):
    header, tables = section_input("energi", pln_kwh=-5)
    _expect(client, industry, "energi", header, tables, "Nilai tidak boleh negatif.")
    header, tables = section_input("energi")
    _expect(client, industry, "energi", header, _row(tables, "air", volume_m3=-1), "Nilai tidak boleh negatif.")


# --- Produksi and pemasaran ----------------------------------------------------------------------


def test_a_produced_product_comes_from_the_capacity_list(client, industry):
    header, tables = section_input("produksi")
    _expect(client, industry, "produksi", header, _row(tables, "produksi", product="Bakso"), d.PRODUCT_NOT_LISTED)


def test_stored_production_of_a_product_no_longer_in_capacity_fails_at_submission(client, industry):
    # The form offers only the capacity list; the rule still holds the stored data (a product removed since).
    from reporting.sections.models import CapacityProduct

    CapacityProduct.objects.filter(report=industry, name="Sosis sapi").update(name="Sosis sapi asap")
    ctx = CheckContext(industry)
    issues = d.SECTION_HANDLERS["produksi"].check(ctx.values("produksi"), ctx)
    assert [(i.message, i.index) for i in issues] == [(d.PRODUCT_NOT_IN_CAPACITY, 1)]


def test_production_uses_the_unit_of_its_capacity(client, industry):
    header, tables = section_input("produksi")
    _expect(client, industry, "produksi", header, _row(tables, "produksi", unit="kg"), d.UNIT_MISMATCH % {"unit": "ton"})


def test_production_above_capacity_is_accepted_once_explained(client, industry):
    # 12 000 t a year installed: a semester holds 6 000 t.
    header, tables = section_input("produksi")
    over = _row(tables, "produksi", quantity=6500)
    _expect(client, industry, "produksi", header, over, d.OVER_CAPACITY % {"capacity": "6000", "unit": "ton"})
    _passes(client, industry, "produksi", header, _row(over, "produksi", explanation="Lembur tiga shift menjelang Lebaran."))


def test_sales_come_from_produced_products(client, industry):
    header, tables = section_input("produksi")
    tables["produksi"] = tables["produksi"][:1]  # Sosis sapi is in capacity but not produced this period
    post_section(client, industry, "produksi", header, tables)
    header, tables = section_input("pemasaran")
    _expect(client, industry, "pemasaran", header, tables, d.PRODUCT_NOT_PRODUCED)
    bad = _row(tables, "penjualan", 1, product="Bakso")
    _expect(client, industry, "pemasaran", header, bad, d.PRODUCT_NOT_LISTED)


def test_sales_above_production_plus_stock_are_accepted_once_explained(client, industry):
    header, tables = section_input("pemasaran")
    over = _row(tables, "penjualan", domestic_qty=4500)
    _expect(client, industry, "pemasaran", header, over, d.SALES_OVER_SUPPLY % {"sold": "5500", "supply": "5200"})
    _passes(client, industry, "pemasaran", header, _row(over, "penjualan", stock_change=300))
    _passes(client, industry, "pemasaran", header, _row(over, "penjualan", explanation="Stok akhir 2025 dijual."))


def test_an_export_names_its_destination_country(client, industry):
    header, tables = section_input("pemasaran")
    tables["tujuan"] = []
    _expect(client, industry, "pemasaran", header, tables, d.EXPORT_NEEDS_DESTINATION)


def test_a_destination_refers_to_a_sold_product(client, industry):
    header, tables = section_input("pemasaran")
    _expect(client, industry, "pemasaran", header, _row(tables, "tujuan", product="Sosis sapi"), d.EXPORT_NEEDS_DESTINATION)
    tables["penjualan"] = tables["penjualan"][:1]  # Sosis sapi is listed in capacity but not sold
    _expect(client, industry, "pemasaran", header, _row(tables, "tujuan", product="Sosis sapi"), d.DESTINATION_PRODUCT_UNKNOWN)


def test_an_export_needs_the_exchange_rate(client, industry):
    header, tables = section_input("pemasaran", usd_rate=None)
    _expect(client, industry, "pemasaran", header, tables, d.EXPORT_NEEDS_RATE)


# --- Lingkungan, INDI, rencana pembangunan ---------------------------------------------------------


def test_hazardous_waste_needs_a_licensed_handler_or_own_permit(client, industry):
    header, tables = section_input("lingkungan")
    bad = _row(tables, "limbah", 1, handler="")
    _expect(client, industry, "lingkungan", header, bad, d.B3_NEEDS_HANDLER)
    _passes(client, industry, "lingkungan", header, _row(bad, "limbah", 1, own_permit=True))


def test_an_environmental_document_is_not_dated_in_the_future(client, industry):
    header, tables = section_input("lingkungan", document_date="2026-12-01")
    _expect(client, industry, "lingkungan", header, tables, d.DATE_IN_FUTURE)


def test_indi_is_optional_but_a_score_needs_its_year(client, industry):
    _passes(client, industry, "indi", {"score": None, "assessment_year": None}, {})
    _expect(client, industry, "indi", {"score": "3", "assessment_year": None}, {}, d.INDI_NEEDS_YEAR)
    _expect(client, industry, "indi", {"score": None, "assessment_year": 2025}, {}, d.INDI_NEEDS_SCORE)
    _expect(client, industry, "indi", {"score": "4.5", "assessment_year": 2025}, {}, "Pastikan nilai ini lebih kecil dari atau sama dengan 4.")


def test_a_planned_start_in_the_past_is_accepted_once_explained(client, construction):
    header, tables = section_input("rencana_pembangunan", commercial_start="2026-03-01")
    _expect(client, construction, "rencana_pembangunan", header, tables, d.PLANNED_DATE_PAST)
    header["explanation"] = "Mundur karena izin lingkungan terlambat terbit."
    _passes(client, construction, "rencana_pembangunan", header, tables)


def test_construction_progress_is_0_to_100_percent_once_per_stage(client, construction):
    header, tables = section_input("rencana_pembangunan")
    _expect(client, construction, "rencana_pembangunan", header, _row(tables, "tahap", pct_complete=120), "Persentase paling besar 100.")
    _expect(client, construction, "rencana_pembangunan", header, _row(tables, "tahap", 1, stage="pematangan_lahan"), d.DUPLICATE_STAGE)


def test_construction_sections_carry_plan_titles_on_the_page(client, construction):
    response = client.get(reverse("reporting:section-edit", kwargs={"pk": construction.pk, "code": "kapasitas"}))
    assert "Rencana kapasitas produksi" in response.content.decode()


# --- Industrial estate -------------------------------------------------------------------------------


def test_financing_in_percent_sums_to_100(client, estate):
    header, tables = section_input("ki_pembiayaan", other=10)
    _expect(client, estate, "ki_pembiayaan", header, tables, d.FINANCING_PERCENT_SUM % {"sum": "110"})
    header, tables = section_input("ki_pembiayaan", unit="rp", own_capital=900_000, other=10)
    _passes(client, estate, "ki_pembiayaan", header, tables)  # rupiah amounts need not sum to anything


def test_sold_plus_available_land_fits_in_the_industrial_land(client, estate):
    header, tables = section_input("ki_lahan", available_ha=200)
    _expect(client, estate, "ki_lahan", header, tables, d.SOLD_AVAILABLE_OVER % {"sum": "720", "industrial": "700"})


def test_developed_area_fits_in_the_licensed_area(client, estate):
    header, tables = section_input("ki_lahan", developed_ha=1300)
    _expect(client, estate, "ki_lahan", header, tables, d.DEVELOPED_OVER_LICENSED)


def test_water_used_fits_in_the_supply_capacity(client, estate):
    header, tables = section_input("ki_air", used=1.5)
    _expect(client, estate, "ki_air", header, tables, d.WATER_USED_OVER)


def test_a_foreign_owned_tenant_names_its_country(client, estate):
    header, tables = section_input("ki_tenant")
    _expect(client, estate, "ki_tenant", header, _row(tables, "tenant", 1, country=""), d.PMA_NEEDS_COUNTRY)


def test_a_tenant_kbli_must_exist(client, estate):
    header, tables = section_input("ki_tenant")
    _expect(client, estate, "ki_tenant", header, _row(tables, "tenant", kbli_code="99999"), d.KBLI_UNKNOWN % {"code": "99999"})


def test_a_tenant_nib_has_13_digits(client, estate):
    header, tables = section_input("ki_tenant")
    _expect(client, estate, "ki_tenant", header, _row(tables, "tenant", nib="12345"), "NIB terdiri dari 13 angka.")


def test_only_the_offending_cell_is_marked_invalid(client, industry):
    header, tables = section_input("bahan_baku")
    tables["bahan"] = [dict(tables["bahan"][0], name=f"Bahan {i}") for i in range(30)]
    tables["bahan"][7]["country"] = ""
    body = _expect(client, industry, "bahan_baku", header, tables, d.IMPORT_NEEDS_COUNTRY).content.decode()
    assert body.count("is-invalid") == 1 and body.count(d.IMPORT_NEEDS_COUNTRY) == 1
    marked = body[: body.index("is-invalid")]
    assert marked.rindex('name="bahan-') == marked.rindex('name="bahan-7-country"')


def test_an_indi_assessment_is_not_dated_in_a_future_year(client, industry):
    _expect(client, industry, "indi", {"score": "3", "assessment_year": 2027}, {}, d.DATE_IN_FUTURE)


def test_the_row_template_is_styled_like_the_rows(client, industry):
    page = client.get(reverse("reporting:section-edit", kwargs={"pk": industry.pk, "code": "mesin"})).content.decode()
    template = page[page.index('<template id="mesin-template">') : page.index("</template>")]
    assert 'name="mesin-__prefix__-name"' in template and "form-control form-control-sm" in template
    assert 'aria-label="Nama mesin/peralatan"' in template
