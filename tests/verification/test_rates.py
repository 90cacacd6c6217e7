"""Reporting rate per period: expected, submitted, on time, validated — by region, KBLI and type."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reporting.models import Report, ReportStatus
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory
from tests.helpers import login
from tests.reporting.factories import ReportFactory
from tests.verification.conftest import bulk_factories
from verification.rates import rate_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(cast, period):
    """factory_a (Jawa Barat, KBLI 10) filed on time and was validated; factory_b (Jawa Timur, 25) filed late."""
    a = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.VALIDATED, submitted_on_time=True)
    b = ReportFactory(factory=cast.factory_b, period=period, report_type="industri_produksi_kecil",
                      status=ReportStatus.SUBMITTED, submitted_on_time=False)  # fmt: skip
    return a, b


def _rows(table):
    return {row.key: (row.expected, row.submitted, row.on_time, row.validated) for row in table.rows}


def test_rates_by_province_count_expected_submitted_on_time_and_validated(cast, period, filed):
    FactoryAccountFactory(kbli_codes=["10110"])  # another Jawa Barat factory that has not filed
    table = rate_table(user=cast.verifier, period=period, by="province")
    assert _rows(table) == {"32": (2, 1, 1, 1), "35": (1, 1, 0, 0)}
    assert (table.total.expected, table.total.submitted, table.total.on_time, table.total.validated) == (3, 2, 1, 1)
    assert table.rows[0].submitted_pct == 50.0


def test_rates_by_kbli_and_report_type(cast, period, filed):
    assert _rows(rate_table(user=cast.verifier, period=period, by="kbli")) == {"10": (1, 1, 1, 1), "25": (1, 1, 0, 0)}
    by_type = _rows(rate_table(user=cast.verifier, period=period, by="report_type"))
    assert by_type == {"industri_produksi": (1, 1, 1, 1), "industri_produksi_kecil": (1, 1, 0, 0)}


def test_a_report_filed_in_the_window_stays_on_time_after_it_was_returned(cast, period):
    from reporting.services import report_return

    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED, submitted_on_time=True)
    report_return(actor=cast.verifier, report=report, comments={"produksi": "Periksa kembali."})
    assert _rows(rate_table(user=cast.verifier, period=period, by="province"))["32"] == (1, 1, 1, 0)


def test_drill_down_goes_province_then_kab_kota_then_factories(client, cast, period, filed):
    login(client, cast.verifier)
    url = reverse("verification:reporting-rate")
    page = client.get(url, {"period": period.pk, "by": "province"})
    jabar = next(row for row in page.context["table"].rows if row.key == "32")
    assert jabar.drill == {"province": "32", "by": "region"}
    assert f"?period={period.pk}&amp;province=32&amp;by=region" in page.content.decode()
    regions = client.get(url, {"period": period.pk, **jabar.drill}).context["table"]
    assert [row.key for row in regions.rows] == ["32.16"]
    factories = client.get(url, {"period": period.pk, **regions.rows[0].drill}).context["table"]
    assert [row.label for row in factories.rows] == ["PT Indo Pangan — Pabrik Bekasi"]
    assert factories.rows[0].detail["status"] == "Tervalidasi"


def test_a_validator_sees_rates_of_its_divisions_only(cast, period, filed):
    assert set(_rows(rate_table(user=cast.validator_pangan, period=period, by="province"))) == {"32"}


def test_pemda_sees_its_territory_in_aggregate_but_only_its_authority_individually(cast, period, filed):
    kecil = FactoryAccountFactory(kbli_codes=["10110"], scale="kecil", company__name="CV Kecil Bekasi")
    ReportFactory(factory=kecil, period=period, report_type="industri_produksi_kecil", status=ReportStatus.SUBMITTED)
    assert _rows(rate_table(user=cast.pemda_kab_bekasi, period=period, by="region")) == {"32.16": (2, 2, 2, 1)}
    individual = rate_table(user=cast.pemda_kab_bekasi, period=period, by="factory")
    assert [row.label for row in individual.rows] == ["CV Kecil Bekasi — Pabrik " + kecil.name.split()[-1]]


def test_csv_and_xlsx_exports_carry_the_same_numbers(client, cast, period, filed):
    login(client, cast.admin)
    url = reverse("verification:reporting-rate")
    csv = client.get(url, {"period": period.pk, "by": "province", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Provinsi,Diharapkan,Terkirim,Tepat waktu,Tervalidasi")
    jabar = Region.objects.get(pk="32").name
    assert f"{jabar},1,1,1,1,100.0,100.0,100.0" in lines
    xlsx = client.get(url, {"period": period.pk, "by": "province", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:5] == ["Provinsi", "Diharapkan", "Terkirim", "Tepat waktu", "Tervalidasi"]
    assert [c.value for c in sheet[sheet.max_row]][:5] == ["Jumlah", 2, 2, 1, 1]


def test_an_unknown_period_is_refused_at_the_field(client, cast, period):
    login(client, cast.verifier)
    response = client.get(reverse("verification:reporting-rate"), {"period": 999999, "by": "province"})
    assert response.status_code == 400 and "period" in response.context["form"].errors


def test_the_rate_page_keeps_a_flat_query_budget_with_thousands_of_factories(client, cast, period, django_assert_num_queries):
    login(client, cast.verifier)
    url = reverse("verification:reporting-rate")

    def queries_for(by: str, *, cold: bool = True) -> int:
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if cold:  # the table and the kept filter form computed
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"period": period.pk, "by": by}).status_code == 200
        return len(ctx.captured_queries)

    few = {by: queries_for(by) for by in ("province", "region", "kbli", "report_type", "factory")}
    factories = bulk_factories(2500, tag="r", created_at=timezone.now() - dt.timedelta(days=400))
    factories += bulk_factories(500, tag="s", region_code="35.78", kbli_code="25111", scale="kecil",
                                created_at=timezone.now() - dt.timedelta(days=400))  # fmt: skip
    when = timezone.now()
    Report.objects.bulk_create(
        Report(factory=f, period=period, report_type="industri_produksi" if f.scale == "besar" else "industri_produksi_kecil",
               status=ReportStatus.SUBMITTED, first_submitted_at=when, last_submitted_at=when, submitted_on_time=i % 2 == 0)
        for i, f in enumerate(factories[::2])
    )  # fmt: skip
    many = {by: queries_for(by) for by in few}
    assert many == few, "the number of queries does not grow with the rows"
    assert max(many.values()) <= 16, "12 for the table, 2 for the data version of its cache key, 2 for the form's periods"
    table = client.get(url, {"period": period.pk, "by": "province"}).context["table"]
    assert table.total.expected == 3002 and table.total.submitted == 1500
    for by in few:  # each table computed once more, then read
        queries_for(by, cold=False)
    cached = {by: queries_for(by, cold=False) for by in few}
    assert all(cached[by] < many[by] for by in few), f"a second view reads the table from the cache: {cached}"


# --- The cached table ---------------------------------------------------------------------------------


def test_a_status_move_shows_at_the_next_view_of_the_cached_rate(client, cast, period, filed):
    from reporting.services import report_validate, report_verify

    login(client, cast.verifier)
    url = reverse("verification:reporting-rate")
    first = client.get(url, {"period": period.pk, "by": "province"}).context["table"]
    assert next(row for row in first.rows if row.key == "35").validated == 0
    report_validate(actor=cast.admin, report=report_verify(actor=cast.verifier, report=filed[1]))
    again = client.get(url, {"period": period.pk, "by": "province"}).context["table"]
    assert next(row for row in again.rows if row.key == "35").validated == 1, "no stale figure"


def test_the_second_view_and_its_exports_read_the_cached_table(client, cast, period, filed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, cast.verifier)
    url = reverse("verification:reporting-rate")
    with CaptureQueriesContext(connection) as first:
        client.get(url, {"period": period.pk, "by": "kbli"})
    with CaptureQueriesContext(connection) as second:
        client.get(url, {"period": period.pk, "by": "kbli"})
    with CaptureQueriesContext(connection) as export:
        response = client.get(url, {"period": period.pk, "by": "kbli", "format": "csv"})
    assert len(second) < len(first) and len(export) <= len(second)
    assert "Jumlah,2,2,1,1" in response.content.decode("utf-8-sig")


def test_the_cache_is_kept_per_scope(client, cast, period, filed):
    login(client, cast.verifier)
    url = reverse("verification:reporting-rate")
    assert {r.key for r in client.get(url, {"period": period.pk, "by": "province"}).context["table"].rows} == {"32", "35"}
    login(client, cast.validator_pangan)
    assert {r.key for r in client.get(url, {"period": period.pk, "by": "province"}).context["table"].rows} == {"32"}


def test_verifiers_and_admins_share_the_national_table(client, cast, period, filed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("verification:reporting-rate")
    login(client, cast.verifier)
    with CaptureQueriesContext(connection) as first:
        client.get(url, {"period": period.pk, "by": "kbli"})
    login(client, cast.admin)
    with CaptureQueriesContext(connection) as admin:
        client.get(url, {"period": period.pk, "by": "kbli"})
    assert len(admin) < len(first)


def test_the_factory_drill_down_shows_a_hundred_rows_a_page_and_the_total_of_all(client, cast, period):
    bulk_factories(230, tag="p", created_at=timezone.now() - dt.timedelta(days=400))
    login(client, cast.verifier)
    url = reverse("verification:reporting-rate")
    query = {"period": period.pk, "by": "factory", "province": "32", "region": "32.16"}
    first = client.get(url, query)
    expected = first.context["table"].total.expected
    assert expected > 200 and len(first.context["rows"]) == 100
    assert f">{expected}</td>" in first.content.decode() and "page=2" in first.content.decode()
    last = client.get(url, {**query, "page": 3})
    assert len(last.context["rows"]) == expected - 200
    csv_lines = client.get(url, {**query, "format": "csv"}).content.decode("utf-8-sig").strip().splitlines()
    assert len(csv_lines) == 1 + expected + 1, "the export carries every row, and the total"


def test_the_national_page_draws_the_submitted_rate_on_the_province_map(client, cast, period, filed):
    import json

    from tests.informasi.html import read

    login(client, cast.verifier)
    page = read(client.get(reverse("verification:reporting-rate"), {"period": period.pk, "by": "province"}).content.decode())
    data = json.loads(page.scripts["rate-map"])
    assert data["title"] == "Laporan terkirim (%)"
    assert [(r["code"], r["label"], r["value"]) for r in data["regions"]] == [("32", "Jawa Barat", 100.0), ("35", "Jawa Timur", 100.0)]
    assert page.figures[0]["data-province-map"] == "rate-map"
    kbli = read(client.get(reverse("verification:reporting-rate"), {"period": period.pk, "by": "kbli"}).content.decode())
    assert "rate-map" not in kbli.scripts  # a map of provinces only where the rows are provinces
