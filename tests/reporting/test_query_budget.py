"""Pages keep a query budget that does not grow with the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import services
from reporting.models import ReportSection
from reporting.sections import models as sm
from tests.helpers import login
from tests.reporting.conftest import fill_all, form_data, section_input
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _grow(report, n: int) -> None:
    """Give the report ``n`` capacity, production, material and tenant-like rows."""
    sm.CapacityProduct.objects.filter(report=report).delete()
    sm.ProductionRow.objects.filter(report=report).delete()
    sm.Material.objects.filter(report=report).delete()
    sm.CapacityProduct.objects.bulk_create(
        sm.CapacityProduct(report=report, position=i, name=f"Produk {i}", kbli_code="10110", unit="ton", capacity=1000)
        for i in range(n)
    )
    sm.ProductionRow.objects.bulk_create(
        sm.ProductionRow(report=report, position=i, product=f"Produk {i}", quantity=100, unit="ton", value=1_000_000) for i in range(n)
    )
    sm.Material.objects.bulk_create(
        sm.Material(report=report, position=i, name=f"Bahan {i}", kind="baku", origin="domestik", quantity=5, unit="ton", value=10)
        for i in range(n)
    )


def _count(client, url, method="get", data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(ctx.captured_queries)


@pytest.fixture
def filled(client, cast, period, in_window):
    login(client, cast.company_a)
    report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    fill_all(client, report)
    return report


def test_the_dashboard_is_flat_in_periods_and_reports(client, cast, in_window, django_assert_max_num_queries):
    login(client, cast.company_a)
    for year in (2023, 2024, 2025):
        for number in (1, 2):
            ReportFactory(factory=cast.factory_a, period=PeriodFactory(year=year, number=number), status="tervalidasi")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reporting:dashboard")).status_code == 200


@pytest.mark.parametrize("code", ["produksi", "kapasitas", "bahan_baku"])
def test_a_section_page_is_flat_in_rows(client, filled, code, django_assert_max_num_queries):
    url = reverse("reporting:section-edit", kwargs={"pk": filled.pk, "code": code})
    _grow(filled, 10)
    few = _count(client, url)
    _grow(filled, 200)
    with django_assert_max_num_queries(20):
        many = _count(client, url)
    assert many == few


def test_a_section_page_showing_stored_problems_is_flat_in_rows(client, filled, django_assert_max_num_queries):
    url = reverse("reporting:section-edit", kwargs={"pk": filled.pk, "code": "produksi"})
    ReportSection.objects.filter(report=filled, code="produksi").update(state=ReportSection.State.INVALID)
    _grow(filled, 10)
    few = _count(client, url)
    _grow(filled, 200)
    with django_assert_max_num_queries(24):
        assert _count(client, url) == few


def test_the_report_page_is_flat_in_rows(client, filled, django_assert_max_num_queries):
    url = reverse("reporting:report-detail", kwargs={"pk": filled.pk})
    _grow(filled, 10)
    few = _count(client, url)
    _grow(filled, 200)
    with django_assert_max_num_queries(45):
        assert _count(client, url) == few


def test_saving_a_section_is_flat_in_rows(client, filled, django_assert_max_num_queries):
    url = reverse("reporting:section-edit", kwargs={"pk": filled.pk, "code": "bahan_baku"})
    header, tables = section_input("bahan_baku")

    def save(n):
        rows = [dict(tables["bahan"][1], name=f"Bahan {i}") for i in range(n)]
        data = form_data(header, {"bahan": rows})
        filled.refresh_from_db()
        data["lock_version"] = filled.lock_version
        return _count(client, url, "post", data)

    few = save(10)
    with django_assert_max_num_queries(20):
        assert save(200) == few


def test_submitting_is_flat_in_rows(client, cast, filled, django_assert_max_num_queries):
    # 200 more capacity products and raw materials beside the two products produced and sold
    sm.CapacityProduct.objects.bulk_create(
        sm.CapacityProduct(report=filled, position=10 + i, name=f"Produk {i}", kbli_code="10110", unit="ton", capacity=1000)
        for i in range(200)
    )
    sm.Material.objects.bulk_create(
        sm.Material(report=filled, position=10 + i, name=f"Bahan {i}", kind="baku", origin="domestik", quantity=5, unit="ton", value=10)
        for i in range(200)
    )
    filled.refresh_from_db()
    with django_assert_max_num_queries(60):
        result = services.report_submit(actor=cast.company_a, report=filled, lock_version=filled.lock_version)
    assert result.created and len(result.version.data["sections"]["kapasitas"]["rows"]["produk"]) == 202


def _grow_section(report, code: str, n: int, *, estate: bool = False) -> None:
    """``n`` valid rows in every table of section ``code`` (built from the valid test input)."""
    from reporting.sections.definitions import SECTION_HANDLERS

    handler = SECTION_HANDLERS[code]
    _, tables = section_input(code, estate=estate)
    for spec in handler.rows:
        spec.model.objects.filter(report=report).delete()
        if not tables.get(spec.prefix):
            continue
        form = handler._row_forms[spec.prefix].form(data={k: str(v) for k, v in tables[spec.prefix][0].items() if v is not None})
        assert form.is_valid(), form.errors
        values = {name: form.cleaned_data[name] for name in spec.fields}
        spec.model.objects.bulk_create(spec.model(report=report, position=i, **values) for i in range(n))


@pytest.mark.parametrize("code", ["tenaga_kerja", "investasi", "lahan", "mesin", "energi", "pemasaran", "pengeluaran", "lingkungan", "indi"])
def test_every_industry_section_page_is_flat_in_rows(client, filled, code, django_assert_max_num_queries):
    url = reverse("reporting:section-edit", kwargs={"pk": filled.pk, "code": code})
    _grow_section(filled, code, 5)
    few = _count(client, url)
    _grow_section(filled, code, 150)
    with django_assert_max_num_queries(20):
        assert _count(client, url) == few


@pytest.mark.parametrize("code", ["ki_investasi", "ki_pembiayaan", "ki_lahan", "ki_sarana", "ki_energi", "ki_air", "ki_tenant"])
def test_every_estate_section_page_is_flat_in_rows(client, cast, period, in_window, code, django_assert_max_num_queries):
    from accounts.models import AccountType
    from tests.factories import FactoryAccountFactory, company_user

    estate = FactoryAccountFactory(account_type=AccountType.B)
    user = company_user(estate, "kawasan_budget")
    login(client, user)
    report = services.report_start(actor=user, factory=estate, period=period, report_type="kawasan_komersial")
    fill_all(client, report, estate=True)
    url = reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": code})
    _grow_section(report, code, 5, estate=True)
    few = _count(client, url)
    _grow_section(report, code, 150, estate=True)
    with django_assert_max_num_queries(20):
        assert _count(client, url) == few
