"""The partner datasets (issue 15 §3): the factory registry, validated report data and compliance per NIB,
each within the token's scope; only validated reports are served; no personal data; cursor pages, ETags,
a flat query budget and one ApiCall per call. Who may call what is tests/api/test_harness.py."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Factory
from api.models import ApiCall
from reporting.models import ReportStatus
from siinas.core.models import Region
from tests.api import partner_data
from tests.api.factories import bearer, token
from tests.factories import CompanyFactory, FactoryAccountFactory
from tests.reporting.factories import PeriodFactory
from verification.models import WarningLetter

pytestmark = pytest.mark.django_db

NIB_A = "0233010001824"


@pytest.fixture
def national(cast) -> dict:
    """Headers of a national token holding every dataset."""
    return bearer(token(cast.admin, name="Nasional")[1])


@pytest.fixture
def jabar_pangan(cast) -> dict:
    return bearer(token(cast.admin, region="32", divisions=("10",), name="Jawa Barat pangan")[1])


def get(client, name: str, headers: dict, query: dict | None = None, **kwargs):
    return client.get(reverse(f"api:{name}", kwargs=kwargs), query or {}, **headers)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def all_pages(client, name: str, headers: dict, query: dict) -> list[dict]:
    rows, response = [], get(client, name, headers, query)
    while True:
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = client.get(body["next"], **headers)


def many_factories(n: int, *, region: str = "32.16", kbli: str = "10110") -> list[Factory]:
    where = Region.objects.get(pk=region)
    return [FactoryAccountFactory(region=where, kbli_codes=[kbli]) for _ in range(n)]


# --- 1. The registry -------------------------------------------------------------------------------


def test_the_registry_gives_each_account_with_its_classification_and_status(client, cast, national):
    rows = {row["nib"]: row for row in results(get(client, "factories", national))}
    assert rows[NIB_A] == {
        "id": cast.factory_a.pk,
        "nib": NIB_A,
        "company": "PT Indo Pangan",
        "name": "Pabrik Bekasi",
        "kbli": ["10110"],
        "regency": {"code": "32.16", "name": Region.objects.get(pk="32.16").name},
        "province": {"code": "32", "name": Region.objects.get(pk="32").name},
        "scale": "besar",
        "stage": "produksi",
        "account_type": "A",
        "status": "aktif",
        "closed_on": None,
        "operating_since": None,
        "registered_on": "2024-01-01",
    }
    assert cast.factory_b.company.nib in rows


def test_the_registry_serves_no_person_address_email_or_phone(client, cast, national):
    body = get(client, "factories", national).content.decode() + get(client, "company", national, nib=NIB_A).content.decode()
    for personal in (cast.factory_a.email, cast.factory_a.address, cast.company_a.username, cast.company_a.email, "@"):
        assert personal not in body


def test_the_registry_keeps_to_the_token_territory_and_divisions(client, cast, jabar_pangan):
    FactoryAccountFactory(region=Region.objects.get(pk="32.16"), kbli_codes=["24101"])  # Jawa Barat, logam
    nibs = [row["nib"] for row in results(get(client, "factories", jabar_pangan))]
    assert nibs == [NIB_A]
    assert get(client, "factory", jabar_pangan, factory_id=cast.factory_b.pk).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"province": "35"}, ["b"]),
        ({"regency": "32.16"}, ["a"]),
        ({"kbli": "10"}, ["a"]),
        ({"kbli": "25111"}, ["b"]),
        ({"nib": NIB_A}, ["a"]),
        ({"status": "nonaktif"}, []),
        ({"scale": "kecil"}, ["b"]),
    ],
)
def test_the_registry_filters(client, cast, national, query, expected):
    names = {"a": cast.factory_a.pk, "b": cast.factory_b.pk}
    assert [row["id"] for row in results(get(client, "factories", national, query))] == [names[k] for k in expected]


def test_a_malformed_filter_is_a_400_at_the_field(client, cast, national):
    response = get(client, "factories", national, {"province": "Jawa Barat"})
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "province"


def test_a_company_lists_its_accounts_in_scope_only(client, cast, jabar_pangan):
    FactoryAccountFactory(company=cast.factory_a.company, name="Pabrik Sidoarjo", region=Region.objects.get(pk="35.15"), kbli_codes=["10110"])
    body = get(client, "company", jabar_pangan, nib=NIB_A).json()
    assert [f["name"] for f in body["factories"]] == ["Pabrik Bekasi"]
    assert get(client, "company", jabar_pangan, nib=cast.factory_b.company.nib).status_code == 404


def test_cursor_pages_walk_the_whole_registry_once(client, cast, national):
    many_factories(7)
    rows = all_pages(client, "factories", national, {"page_size": 3})
    ids = [row["id"] for row in rows]
    assert ids == sorted(Factory.objects.values_list("pk", flat=True))


def test_the_registry_page_keeps_a_flat_query_budget(client, cast, national, django_assert_max_num_queries):
    many_factories(150)
    get(client, "factories", national)  # the token's last-used stamp is written once a minute
    with django_assert_max_num_queries(6):
        assert len(results(get(client, "factories", national, {"page_size": 100}))) == 100  # the largest page


# --- 2. Validated reports -------------------------------------------------------------------------


def test_only_validated_reports_are_served(client, cast, national):
    period = partner_data.s1_2026()
    validated = partner_data.report(cast.factory_a, period)
    others = [
        partner_data.report(FactoryAccountFactory(kbli_codes=["10110"]), period, status=status)
        for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.VERIFIED)
    ]
    assert [row["id"] for row in results(get(client, "reports", national))] == [validated.pk]
    for report in others:
        assert get(client, "report", national, report_id=report.pk).status_code == 404


def test_a_report_in_the_list_carries_its_period_and_headline_measures(client, cast, national):
    report = partner_data.report(cast.factory_a)
    (row,) = results(get(client, "reports", national, {"period": "2026-S1"}))
    assert row["factory"] == {
        "id": cast.factory_a.pk, "nib": NIB_A, "company": "PT Indo Pangan", "name": "Pabrik Bekasi", "regency": "32.16", "province": "32",
    }  # fmt: skip
    assert (row["id"], row["period"], row["report_type"]) == (report.pk, "2026-S1", "industri_produksi")
    assert row["validated_at"].startswith("2026-09-15T")
    assert row["measures"]["workforce"] == 420
    assert row["measures"]["production"] == "9000000000"
    assert row["measures"]["export"] == "1500000000"


def test_the_report_list_filters_by_period_region_kbli_and_validation_time(client, cast, national):
    partner_data.report(cast.factory_a)
    partner_data.report(cast.factory_b, PeriodFactory(year=2025, number=2))
    assert len(results(get(client, "reports", national, {"period": "2025-S2"}))) == 1
    assert [r["factory"]["nib"] for r in results(get(client, "reports", national, {"province": "32"}))] == [NIB_A]
    assert [r["factory"]["nib"] for r in results(get(client, "reports", national, {"kbli": "25"}))] == [cast.factory_b.company.nib]
    assert results(get(client, "reports", national, {"validated_since": "2026-09-16T00:00:00+07:00"})) == []
    response = get(client, "reports", national, {"period": "2031-S1"})
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [{"field": "period", "message": "Periode ini tidak ada di SIINas."}]
    assert get(client, "reports", national, {"period": "semester 1"}).status_code == 400


def test_a_report_gives_its_validated_sections_in_a_stable_shape(client, cast, national):
    report = partner_data.report(cast.factory_a)
    body = get(client, "report", national, report_id=report.pk).json()
    assert [s["code"] for s in body["sections"]] == list(report.spec.sections)
    sections = {s["code"]: s for s in body["sections"]}
    assert sections["tenaga_kerja"]["title"] == "Tenaga kerja"
    assert sections["tenaga_kerja"]["fields"]["total"] == 420
    assert sections["produksi"]["tables"]["produksi"][0]["value"] == "9000000000"
    assert body["version"] == 1
    assert body["content_hash"] == report.versions.get().content_hash
    assert cast.factory_a.address not in str(body)


def test_the_report_list_keeps_a_flat_query_budget(client, cast, national, django_assert_max_num_queries):
    period = partner_data.s1_2026()
    for factory in many_factories(60):
        partner_data.report(factory, period)
    get(client, "reports", national)
    with django_assert_max_num_queries(6):
        assert len(results(get(client, "reports", national))) == 60


# --- 3. Compliance --------------------------------------------------------------------------------


@pytest.fixture
def september_2026():
    """Two weeks after Semester 1 2026's window closed (31 August)."""
    with time_machine.travel(partner_data.now_in(partner_data.s1_2026()), tick=False):
        yield


@pytest.fixture
def two_semesters(cast):
    """Semester 2 2025 (not filed, SP1 sent) and Semester 1 2026 (filed on time, validated) for factory_a."""
    s2_2025, s1_2026 = PeriodFactory(year=2025, number=2), partner_data.s1_2026()
    partner_data.report(cast.factory_a, s1_2026)
    WarningLetter.objects.create(
        factory=cast.factory_a, period=s2_2025, level="SP1", number="SP1/2026/0001",
        issued_on=dt.date(2026, 3, 2), deadline=dt.date(2026, 3, 16), sent_at=dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC),
    )  # fmt: skip
    WarningLetter.objects.create(factory=cast.factory_a, period=s2_2025, level="SP2")  # planned, never sent: no letter
    return s2_2025, s1_2026


def test_compliance_of_a_nib_says_per_period_what_was_due_filed_validated_and_late(client, cast, national, two_semesters, september_2026):
    body = get(client, "compliance-nib", national, nib=NIB_A).json()
    assert (body["nib"], body["company"], body["periods"]) == (NIB_A, "PT Indo Pangan", ["2026-S1", "2025-S2"])
    (factory,) = body["factories"]
    assert factory["id"] == cast.factory_a.pk
    s1, s2 = factory["periods"]
    assert s1["due"] and s1["filed"] and s1["on_time"] and s1["validated"] and not s1["late"]
    assert s1["report_types_due"] == ["industri_produksi"]
    assert s1["validated_at"].startswith("2026-09-15T")
    assert s1["warning_letters"] == []
    assert s2["due"] and not s2["filed"] and not s2["validated"] and s2["late"]
    assert s2["warning_letters"] == [{"level": "SP1", "number": "SP1/2026/0001", "issued_on": "2026-03-02", "deadline": "2026-03-16"}]


def test_an_account_registered_after_the_window_opened_owed_nothing(client, cast, national, two_semesters, september_2026):
    late = FactoryAccountFactory(company=CompanyFactory(), kbli_codes=["10110"])
    Factory.objects.filter(pk=late.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 7, 2, 9)))
    (factory,) = get(client, "compliance-nib", national, nib=late.company.nib).json()["factories"]
    s1, s2 = factory["periods"]
    assert not s1["due"] and not s1["late"] and not s2["due"]


def test_a_period_range_picks_the_semesters(client, cast, national, two_semesters, september_2026):
    body = get(client, "compliance-nib", national, {"since": "2025-S2", "until": "2025-S2"}, nib=NIB_A).json()
    assert body["periods"] == ["2025-S2"]
    response = get(client, "compliance-nib", national, {"since": "2026-S1", "until": "2025-S2"}, nib=NIB_A)
    assert response.status_code == 400


def test_compliance_for_one_period_lists_each_account_in_scope(client, cast, national, two_semesters, september_2026):
    rows = {row["nib"]: row for row in results(get(client, "compliance", national, {"period": "2026-S1"}))}
    assert rows[NIB_A]["compliance"]["validated"] is True
    other = rows[cast.factory_b.company.nib]["compliance"]
    assert other["due"] and not other["filed"] and other["late"]
    # The default period: the last semester whose window has opened.
    assert results(get(client, "compliance", national))[0]["compliance"]["period"] == "2026-S1"


def test_the_compliance_list_keeps_a_flat_query_budget(client, cast, national, two_semesters, september_2026, django_assert_max_num_queries):
    s2_2025, s1_2026 = two_semesters
    factories = many_factories(60)
    Factory.objects.filter(pk__in=[f.pk for f in factories]).update(created_at=cast.factory_a.created_at)
    for factory in factories[::2]:
        partner_data.report(factory, s1_2026)
    get(client, "compliance", national, {"period": "2026-S1"})
    with django_assert_max_num_queries(9):
        assert len(results(get(client, "compliance", national, {"period": "2026-S1"}))) == 62


def test_compliance_of_a_nib_keeps_a_flat_query_budget(client, cast, national, two_semesters, september_2026, django_assert_max_num_queries):
    s2_2025, s1_2026 = two_semesters
    for n in range(12):
        factory = FactoryAccountFactory(company=cast.factory_a.company, name=f"Gudang {n}", kbli_codes=["10110"])
        partner_data.report(factory, s1_2026)
    get(client, "compliance-nib", national, nib=NIB_A)
    with django_assert_max_num_queries(10):
        body = get(client, "compliance-nib", national, nib=NIB_A).json()
    assert len(body["factories"]) == 13


# --- ETag, audit, OpenAPI -------------------------------------------------------------------------


def test_a_second_call_with_the_etag_is_not_modified(client, cast, national):
    first = get(client, "factories", national)
    again = client.get(reverse("api:factories"), HTTP_IF_NONE_MATCH=first["ETag"], **national)
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, no-store"


def test_each_call_writes_one_api_call_with_endpoint_parameters_and_rows(client, cast, national):
    many_factories(3)
    get(client, "factories", national, {"province": "32", "page_size": "2"})
    call = ApiCall.objects.get()
    assert (call.endpoint, call.params, call.rows, call.status) == ("factories", {"province": "32", "page_size": "2"}, 2, 200)
    get(client, "compliance-nib", national, nib=NIB_A)
    assert ApiCall.objects.order_by("-id").values_list("endpoint", "params", "rows").first() == (
        "compliance-nib", {"path.nib": NIB_A}, 1,
    )  # fmt: skip


def test_the_openapi_document_describes_the_partner_endpoints(client):
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    for path in ("/api/v1/factories/", "/api/v1/factories/{factory_id}", "/api/v1/companies/{nib}", "/api/v1/reports/",
                 "/api/v1/reports/{report_id}", "/api/v1/compliance/", "/api/v1/compliance/{nib}"):  # fmt: skip
        assert path in paths
        assert paths[path]["get"]["summary"]
