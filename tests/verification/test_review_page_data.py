"""The review page shows the data (issue 16 §7): each section's values beside its return box, header numbers with
their change against the last accepted report, and the section's outlier flags beside it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import ReportStatus, ReportVersion
from reporting.registry import REPORT_TYPES
from reporting.sections import models as sm
from reporting.sections.definitions import SECTION_HANDLERS
from reporting.selectors import HeaderChange, header_changes
from tests.factories import FactoryAccountFactory
from tests.helpers import login
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

SPEC = REPORT_TYPES["industri_produksi"]


def snapshot(
    *, workers: int | None = 420, machinery: str = "750000", products: int = 2, quantity: str = "10.5"
) -> dict:
    fields = {"total": workers, "prod_male_wni": workers, "explanation": ""}
    return {
        "sections": {
            "tenaga_kerja": {"fields": fields, "rows": {"wna": []}},
            "produksi": {
                "fields": None,
                "rows": {
                    "produksi": [
                        {
                            "product": f"Produk {i + 1:03d}",
                            "quantity": quantity,
                            "unit": "ton",
                            "value": "1000000",
                            "explanation": "",
                        }
                        for i in range(products)
                    ]
                },
            },
            "investasi": {"fields": {"machinery": machinery}, "rows": {}},
        }
    }


def add_version(report, data, number: int = 1) -> None:
    ReportVersion.objects.create(report=report, number=number, data=data, content_hash="x" * 64, on_time=True)


def accepted(factory, year: int, data, status=ReportStatus.VALIDATED):
    report = ReportFactory(factory=factory, period=PeriodFactory(year=year, number=1), status=status)
    add_version(report, data)
    return report


def section_html(page: str, code: str) -> str:
    """The ``<section>`` of one report section on the review page."""
    match = re.search(rf'<section[^>]*aria-labelledby="bagian-{code}">(.*?)</section>', page, re.S)
    assert match, f"no section {code} on the page"
    return match.group(1)


def review_page(client, user, report) -> str:
    login(client, user)
    response = client.get(reverse("verification:review", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_sections_values_are_shown_beside_its_return_box(client, cast, period):
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(workers=1234, products=3))
    page = review_page(client, cast.verifier, report)
    workforce = section_html(page, "tenaga_kerja")
    assert (
        "1234" in workforce
        and str(sm.Workforce._meta.get_field("total").verbose_name).capitalize() in workforce
    )
    assert (
        'id="id_return_tenaga_kerja"' in workforce and 'data-return-box="id_return_tenaga_kerja"' in workforce
    )
    production = section_html(page, "produksi")
    assert "<caption>Produksi</caption>" in production
    assert all(f"Produk {i:03d}" in production for i in (1, 2, 3)) and "10,5" in production
    assert 'id="id_return_produksi"' in production and "Produk 001" not in workforce


def test_the_values_are_the_submitted_version_not_the_company_draft(client, cast, period):
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(workers=777))
    sm.Workforce.objects.create(report=report, total=999, prod_male_wni=999)
    assert "777" in section_html(review_page(client, cast.verifier, report), "tenaga_kerja")


def test_before_any_version_the_live_section_tables_are_shown(client, cast, period):
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    sm.Workforce.objects.create(report=report, total=321, prod_male_wni=321)
    assert "321" in section_html(review_page(client, cast.verifier, report), "tenaga_kerja")


def test_the_change_against_the_last_accepted_report_is_absolute_and_percent():
    changes = header_changes(
        SPEC, snapshot(workers=400, machinery="800000"), snapshot(workers=500, machinery="700000.5")
    )
    fields = list(SECTION_HANDLERS["tenaga_kerja"].header_fields(SPEC))
    total = changes["tenaga_kerja"][fields.index("total")]
    assert total == HeaderChange(previous="400", delta="+100", percent="+25%")
    assert changes["tenaga_kerja"][fields.index("explanation")] is None, "text has no change"
    assert changes["tenaga_kerja"][fields.index("prod_female_wni")] is None, "missing on both sides"
    machinery = changes["investasi"][
        list(SECTION_HANDLERS["investasi"].header_fields(SPEC)).index("machinery")
    ]
    assert machinery == HeaderChange(previous="800.000", delta="-99.999,5", percent="-12,5%")


def test_a_fall_a_fraction_and_a_previous_zero_are_computed_right():
    names = list(SECTION_HANDLERS["tenaga_kerja"].header_fields(SPEC))
    down = header_changes(SPEC, snapshot(workers=300), snapshot(workers=200))["tenaga_kerja"][
        names.index("total")
    ]
    assert (down.delta, down.percent) == ("-100", "-33,3%")
    from_zero = header_changes(SPEC, snapshot(workers=0), snapshot(workers=15))["tenaga_kerja"][
        names.index("total")
    ]
    assert (from_zero.previous, from_zero.delta, from_zero.percent) == ("0", "+15", None)
    same = header_changes(SPEC, snapshot(workers=15), snapshot(workers=15))["tenaga_kerja"][
        names.index("total")
    ]
    assert (same.delta, same.percent) == ("0", "0%")


def test_with_no_previous_accepted_report_no_change_is_shown(client, cast, period):
    assert all(c is None for cs in header_changes(SPEC, None, snapshot()).values() for c in cs)
    # An earlier report that was submitted but never accepted is not "the last accepted report".
    accepted(cast.factory_a, 2026, snapshot(workers=100), status=ReportStatus.SUBMITTED)
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(workers=500))
    page = review_page(client, cast.verifier, report)
    assert "Belum ada laporan yang diterima dari periode sebelumnya" in page
    assert "sebelumnya" not in section_html(page, "tenaga_kerja")


def test_the_page_shows_the_change_against_the_latest_accepted_earlier_report(client, cast, period):
    accepted(cast.factory_a, 2025, snapshot(workers=100))
    accepted(cast.factory_a, 2026, snapshot(workers=400), status=ReportStatus.VERIFIED)
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(workers=500))
    workforce = section_html(review_page(client, cast.verifier, report), "tenaga_kerja")
    assert "sebelumnya 400, berubah +100 (+25%)" in workforce


def test_an_outlier_flag_is_shown_beside_the_right_section(client, cast, period):
    accepted(cast.factory_a, 2025, snapshot(workers=400))
    accepted(cast.factory_a, 2026, snapshot(workers=430))
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(workers=5000))
    page = review_page(client, cast.verifier, report)
    workforce = section_html(page, "tenaga_kerja")
    assert "Tanda:" in workforce and "Di luar riwayat pabrik" in workforce and "2 tanda" in workforce
    label = str(sm.Workforce._meta.get_field("total").verbose_name)
    assert f"{label} = 5.000,00" in workforce
    assert "Tanda:" not in section_html(page, "produksi") and "Tanda:" not in section_html(page, "investasi")


def test_a_peer_flag_is_shown_beside_its_section(client, cast, period):
    for value in (70, 72, 68, 71, 69, 70):
        peer = ReportFactory(
            factory=FactoryAccountFactory(kbli_codes=["10710"]), period=period, status=ReportStatus.SUBMITTED
        )
        add_version(peer, snapshot(machinery=str(value * 10000)))
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(machinery="990000"))
    page = review_page(client, cast.verifier, report)
    assert "Jauh dari sejawat KBLI" in section_html(page, "investasi")
    assert "Jauh dari sejawat KBLI" not in section_html(page, "tenaga_kerja")


def test_a_long_table_shows_ten_rows_and_the_rest_under_tampilkan_semua(client, cast, period):
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(products=25))
    production = section_html(review_page(client, cast.verifier, report), "produksi")
    visible, _sep, hidden = production.partition("<details")
    assert "Produk 010" in visible and "Produk 011" not in visible
    assert (
        "Tampilkan semua 25 baris (15 lagi)" in hidden and "Produk 011" in hidden and "Produk 025" in hidden
    )
    assert "<caption>Produksi, baris 11–25</caption>" in hidden


def test_the_review_page_reads_a_flat_number_of_queries_with_200_row_tables(
    client, cast, period, django_assert_max_num_queries
):
    accepted(cast.factory_a, 2025, snapshot(workers=400, products=2))
    small = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(small, snapshot(products=2))
    login(client, cast.verifier)
    client.get(reverse("verification:review", args=[small.pk]))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("verification:review", args=[small.pk]))
    budget = len(few.captured_queries)  # read now: the next request clears Django's query log
    large = ReportFactory(factory=cast.factory_b, period=period, status=ReportStatus.SUBMITTED)
    add_version(large, snapshot(products=200, quantity="1234567.125"), number=1)
    add_version(large, snapshot(products=200), number=2)
    client.get(reverse("verification:review", args=[large.pk]))
    with django_assert_max_num_queries(budget):
        page = client.get(reverse("verification:review", args=[large.pk])).content.decode()
    assert "Produk 200" in page and "Tampilkan semua 200 baris" in page


def test_before_any_version_the_live_tables_are_read_in_a_flat_number_of_queries(
    client, cast, period, django_assert_max_num_queries
):
    def with_rows(factory, count):
        report = ReportFactory(factory=factory, period=period, status=ReportStatus.SUBMITTED)
        sm.ProductionRow.objects.bulk_create(
            sm.ProductionRow(
                report=report,
                position=i,
                product=f"Produk {i + 1:03d}",
                quantity=Decimal("1.5"),
                unit="ton",
                value=1000,
            )
            for i in range(count)
        )
        return report

    small, large = with_rows(cast.factory_a, 1), with_rows(cast.factory_b, 200)
    login(client, cast.verifier)
    client.get(reverse("verification:review", args=[small.pk]))
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("verification:review", args=[small.pk]))
    budget = len(few.captured_queries)  # read now: the next request clears Django's query log
    client.get(reverse("verification:review", args=[large.pk]))
    with django_assert_max_num_queries(budget):
        page = client.get(reverse("verification:review", args=[large.pk])).content.decode()
    assert "Produk 200" in page


def test_a_validator_of_another_division_gets_404_and_a_company_403(client, cast, period):
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.VERIFIED)
    add_version(report, snapshot())
    url = reverse("verification:review", args=[report.pk])
    login(client, cast.validator_logam)
    assert client.get(url).status_code == 404
    login(client, cast.company_a)
    assert client.get(url).status_code == 403
    login(client, cast.validator_pangan)
    assert "Produk 001" in client.get(url).content.decode()
