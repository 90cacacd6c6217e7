"""Semester reports seen from a Pemda office: reporting rate, values from validated reports only (n ≥ 3),
the trend, the report monitor with its reminders, and the reporting-status filter of the company list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import Factory, Scale
from pemda.models import MonitoringNote, RegionalDocument, TerritoryFigures
from pemda.selectors.reports import report_aggregates, reporting_periods
from reporting.models import Report, ReportEvent, ReportStatus
from reporting.sections import models as sections
from tests.helpers import login
from tests.pemda.bulk import populate_ten_thousand
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(dt.datetime(2024, 1, 1))
TODAY = "2026-11-20 10:00 +0700"  # S1 2026 closed on 31 August; S2 2025 closed in February


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def s1(db):
    return PeriodFactory(year=2026, number=1)


@pytest.fixture
def s2_2025(db):
    return PeriodFactory(year=2025, number=2)


@pytest.fixture
def old_cast(cast):
    """The cast's accounts existed long before the periods (so they owe the reports)."""
    Factory.objects.update(created_at=LONG_AGO)
    return cast


def _report(factory, period, status=ReportStatus.VALIDATED, *, workforce=100, investment=1_000, production=None, export=None, on_time=True):
    report = ReportFactory(factory=factory, period=period, status=status, submitted_on_time=None if status == ReportStatus.DRAFT else on_time)
    sections.Workforce.objects.create(report=report, total=workforce)
    sections.Investment.objects.create(
        report=report, land=investment, buildings=0, machinery=0, other_fixed=0, working_capital=0,
        ownership="pmdn", domestic_pct=100, foreign_pct=0,
    )
    if production is not None:
        sections.ProductionRow.objects.create(report=report, product="Tepung", quantity=1, unit="ton", value=production)
    if export is not None:
        sections.SalesRow.objects.create(report=report, product="Tepung", export_value=export)
    return report


def test_only_validated_reports_count_and_small_cells_are_hidden(old_cast, place, s1):
    # Kecil factories: the kab/kota offices' authority, not the province's, so protected for the province.
    karawang = [place("32.15", Scale.KECIL, created_at=LONG_AGO) for _ in range(3)]
    for f in karawang:
        _report(f, s1, workforce=100, investment=2_000, production=500)
    _report(place("32.15", Scale.KECIL, created_at=LONG_AGO), s1, status=ReportStatus.VERIFIED, workforce=9999)
    # Bekasi: alone (its workforce small enough that with Bandung's two it is not dominant: nothing more hides)
    _report(place("32.16", Scale.KECIL, created_at=LONG_AGO), s1, workforce=60, investment=7_000, production=900)
    bandung = [place("32.73", Scale.KECIL, created_at=LONG_AGO) for _ in range(2)]
    for f in bandung:
        _report(f, s1, workforce=50, investment=10)  # Kota Bandung: two, without production

    aggregates = report_aggregates(old_cast.pemda_jabar, s1, reporting_periods())
    cells = aggregates["by_region"].cells
    assert (cells["32.15"]["workforce"].n, cells["32.15"]["workforce"].values["sum"]) == (3, 300)
    assert not cells["32.15"]["workforce"].hidden  # the verified (not validated) report is left out
    assert cells["32.16"]["workforce"].hidden and cells["32.73"]["workforce"].hidden
    assert cells["32.15"]["production"].values["sum"] == 1500
    # Production: Karawang 3 shown, Bekasi 1 hidden → Karawang hides too (the total would reveal Bekasi).
    assert cells["32.15"]["production"].hidden and cells["32.16"]["production"].hidden
    assert cells["32.73"]["production"].n == 0 and cells["32.73"]["production"].hidden
    assert aggregates["validated_reports"] == 6


def test_one_company_with_95_percent_of_a_cells_export_hides_it_for_the_province(old_cast, place, s1):
    # Kab. Karawang: five Kecil factories (not the province's to list); one holds 95 % of the export value.
    exports = [9_500, 200, 100, 100, 100]
    for export in exports:
        _report(place("32.15", Scale.KECIL, created_at=LONG_AGO), s1, workforce=100, export=export)
    for _ in range(3):  # Kota Bandung: three even exporters
        _report(place("32.73", Scale.KECIL, created_at=LONG_AGO), s1, workforce=100, export=1_000)
    for _ in range(3):  # Kota Bogor: three more, so the complementary cell is not the total itself
        _report(place("32.71", Scale.KECIL, created_at=LONG_AGO), s1, workforce=100, export=2_000)

    aggregates = report_aggregates(old_cast.pemda_jabar, s1, reporting_periods())
    export = aggregates["by_region"].cells["32.15"]["export"]
    assert export.n == 5 and export.hidden  # five companies: the count rule alone would show it
    # Secondary suppression: the smallest other export cell goes too, so the total cannot give it away.
    assert aggregates["by_region"].cells["32.73"]["export"].hidden
    assert not aggregates["by_region"].cells["32.71"]["export"].hidden
    assert not aggregates["by_region"].cells["32.15"]["workforce"].hidden  # the workforce is even
    assert not any(c.top for row in aggregates["by_region"].cells.values() for c in row.values())  # values not kept


def test_cells_of_factories_the_province_lists_itself_are_shown_to_it(old_cast, place, s1):
    # factory_a (Besar, Kab. Bekasi) is under the province's authority: its own report is no secret to it.
    _report(old_cast.factory_a, s1, workforce=420, investment=7_000)
    cells = report_aggregates(old_cast.pemda_jabar, s1, reporting_periods())["by_region"].cells
    assert not cells["32.16"]["workforce"].hidden and cells["32.16"]["workforce"].values["sum"] == 420
    # The kab/kota office may not list a Besar factory: for it the same cell is hidden.
    cells = report_aggregates(old_cast.pemda_kab_bekasi, s1, reporting_periods())["by_region"].cells
    assert cells["32.16"]["workforce"].hidden


def test_the_trend_gives_each_period_its_own_total(old_cast, place, s1, s2_2025):
    factories = [place("32.15", Scale.BESAR, created_at=LONG_AGO) for _ in range(3)]
    for f in factories:
        _report(f, s2_2025, workforce=10)
        _report(f, s1, workforce=20)
    trend = report_aggregates(old_cast.pemda_jabar, s1, reporting_periods())["trend"]
    assert [(str(row["period"]), row["cells"]["workforce"].values["sum"]) for row in trend] == [
        ("Semester 2 2025", 30),
        ("Semester 1 2026", 60),
    ]


def test_the_dashboard_shows_the_reporting_rate_by_kab_kota(client, old_cast, place, s1):
    karawang = [place("32.15", Scale.BESAR, created_at=LONG_AGO) for _ in range(4)]
    _report(karawang[0], s1)
    _report(karawang[1], s1, status=ReportStatus.SUBMITTED, on_time=False)
    login(client, old_cast.pemda_jabar)
    response = client.get(reverse("pemda:dashboard"), {"periode": s1.pk})
    assert response.status_code == 200
    rows = {r.row.key: r for r in response.context["rates_region"]}
    karawang_row = rows["32.15"].row
    assert (karawang_row.expected, karawang_row.submitted, karawang_row.on_time, karawang_row.validated) == (4, 2, 1, 1)
    assert rows["32.16"].hidden  # Kab. Bekasi: factory_a alone


def test_the_monitor_lists_reports_under_authority_with_lateness(client, old_cast, place, s1):
    menengah = place("32.16", Scale.MENENGAH, created_at=LONG_AGO, name="Pabrik Menengah")
    late = place("32.16", Scale.KECIL, created_at=LONG_AGO, name="Pabrik Terlambat")
    _report(late, s1, status=ReportStatus.SUBMITTED, on_time=False)
    login(client, old_cast.pemda_kab_bekasi)
    response = client.get(reverse("pemda:report-monitor"), {"periode": s1.pk})
    rows = {r.factory.name: r for r in response.context["rows"]}
    assert set(rows) == {"Pabrik Menengah", "Pabrik Terlambat"}  # factory_a (Besar) is the province's
    assert rows["Pabrik Menengah"].submitted_at is None and rows["Pabrik Menengah"].days_late == (dt.date(2026, 11, 20) - s1.window_closes).days
    assert rows["Pabrik Terlambat"].on_time is False
    only_late = client.get(reverse("pemda:report-monitor"), {"periode": s1.pk, "status": "belum"})
    assert [r.factory.pk for r in only_late.context["rows"]] == [menengah.pk]


def test_a_reminder_from_the_monitor_is_recorded_against_the_period(client, old_cast, place, s1, django_capture_on_commit_callbacks):
    kecil = place("32.16", Scale.KECIL, created_at=LONG_AGO)
    login(client, old_cast.pemda_kab_bekasi)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pemda:note-send", kwargs={"pk": kecil.pk}),
            {"kind": "pengingat", "message": "Mohon segera melapor.", "dari": "monitor", "periode": s1.pk, "period_label": str(s1)},
        )
    assert response["Location"] == f"{reverse('pemda:report-monitor')}?periode={s1.pk}"
    note = MonitoringNote.objects.get()
    assert (note.factory, note.period_label) == (kecil, "Semester 1 2026")


def test_the_company_list_filters_by_reporting_status(client, old_cast, place, s1):
    validated = place("32.16", Scale.KECIL, created_at=LONG_AGO, name="Sudah Valid")
    place("32.16", Scale.KECIL, created_at=LONG_AGO, name="Belum Lapor")
    _report(validated, s1)
    login(client, old_cast.pemda_kab_bekasi)
    url = reverse("pemda:company-list")
    names = {f.name for f in client.get(url, {"periode": s1.pk, "laporan": "tervalidasi"}).context["page"].object_list}
    assert names == {"Sudah Valid"}
    names = {f.name for f in client.get(url, {"periode": s1.pk, "laporan": "belum"}).context["page"].object_list}
    assert names == {"Belum Lapor"}


def test_the_company_detail_lists_the_factorys_submitted_reports(client, old_cast, s1):
    _report(old_cast.factory_a, s1, status=ReportStatus.VERIFIED)
    login(client, old_cast.pemda_jabar)
    response = client.get(reverse("pemda:company-detail", kwargs={"pk": old_cast.factory_a.pk}))
    assert [(r["period_label"], r["status_label"]) for r in response.context["reports"]] == [("Semester 1 2026", "Terverifikasi")]


def test_report_sections_keep_the_dashboard_query_budget_flat(client, old_cast, place, s1, s2_2025, django_assert_max_num_queries):
    for _ in range(3):  # a few reports first: the baseline runs every query the page can run
        _report(place("32.15", Scale.BESAR, created_at=LONG_AGO), s1, production=10, export=5)
    login(client, old_cast.pemda_jabar)
    client.get(reverse("pemda:dashboard"))  # the figures are kept from now on (pemda.figures)
    TerritoryFigures.objects.update(version="moved")
    cache.clear()
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("pemda:dashboard"))
    populate_ten_thousand()
    factories = list(Factory.objects.filter(province_id="32").values_list("pk", flat=True)[:600])
    for period in (s1, s2_2025):
        reports = [ReportFactory.build(factory_id=pk, period=period, status=ReportStatus.VALIDATED) for pk in factories]
        Report.objects.bulk_create(reports)
        ids = Report.objects.filter(period=period, factory_id__in=factories).values_list("pk", flat=True)
        sections.Workforce.objects.bulk_create([sections.Workforce(report_id=i, total=10) for i in ids])
    cache.clear()  # both views cold: every part computed (the e-service counts did not change and were cached)
    with django_assert_max_num_queries(40) as many:
        response = client.get(reverse("pemda:dashboard"))
    assert response.context["aggregates"]["validated_reports"] == 603
    assert response.context["aggregates"]["trend"][-1]["cells"]["workforce"].values["sum"] == Decimal(6000 + 300)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_compliance_recap_freezes_the_territorys_reporting_rate(client, old_cast, place, s1):
    karawang = [place("32.15", Scale.BESAR, created_at=LONG_AGO) for _ in range(4)]
    _report(karawang[0], s1)
    _report(karawang[1], s1, status=ReportStatus.SUBMITTED)
    place("32.73", Scale.BESAR, created_at=LONG_AGO)  # Kota Bandung: 2, hidden with Bekasi's 1
    place("32.73", Scale.BESAR, created_at=LONG_AGO)
    login(client, old_cast.pemda_jabar)
    client.post(reverse("pemda:document-create"), {"kind": "kepatuhan", "title": "Rekap kepatuhan S1 2026"})
    document = RegionalDocument.objects.get()
    by_region = next(t for t in document.content["tables"] if "per kabupaten/kota" in t["title"])
    assert "Semester 1 2026" in by_region["title"]
    assert ["Kabupaten Karawang", 4, 2, 2, 1] in by_region["rows"]
    assert ["Kabupaten Bekasi", None, None, None, None] in by_region["rows"]  # factory_a alone


def test_the_ministry_sees_the_reporting_rate_per_province(client, old_cast, place, s1):
    for _ in range(3):
        _report(place("32.15", Scale.BESAR, created_at=LONG_AGO), s1)
    login(client, old_cast.admin)
    rows = {r["region"].code: r for r in client.get(reverse("pemda:ministry-overview")).context["rows"]}
    assert (rows["32"]["rate"].expected, rows["32"]["rate"].validated) == (4, 3)
    assert rows["35"]["rate"].expected == 1 and rows["35"]["rate"].submitted == 0


def test_the_industry_recap_adds_the_semesters_validated_report_totals(old_cast, place, s1):
    from pemda.models import Category
    from pemda.services import submission_create

    for _ in range(3):
        _report(place("32.15", Scale.BESAR, created_at=LONG_AGO), s1, workforce=100, investment=2_000, production=50)
    _report(place("32.15", Scale.BESAR, created_at=LONG_AGO), s1, status=ReportStatus.SUBMITTED, workforce=7777)
    submission = submission_create(actor=old_cast.pemda_jabar, category=Category.REKAP_INDUSTRI, year=2026, semester=1)
    figures = {f.label: (f.value, f.note) for f in submission.figures.all()}
    assert figures["Tenaga kerja (orang) — laporan tervalidasi Semester 1 2026"] == (300, "3 perusahaan")
    assert figures["Investasi (Rp) — laporan tervalidasi Semester 1 2026"] == (6_000, "3 perusahaan")
    assert figures["Nilai produksi (Rp) — laporan tervalidasi Semester 1 2026"] == (150, "3 perusahaan")
    assert not any("Nilai ekspor" in label for label in figures)  # nobody reported exports


def test_the_monitor_and_the_status_filter_keep_a_flat_budget_with_ten_thousand_factories(
    client, old_cast, place, s1, django_assert_max_num_queries
):
    _report(place("32.15", Scale.BESAR, created_at=LONG_AGO), s1, status=ReportStatus.SUBMITTED, on_time=False)
    login(client, old_cast.pemda_jabar)
    pages = [
        (reverse("pemda:report-monitor"), {"periode": s1.pk}),
        (reverse("pemda:report-monitor"), {"periode": s1.pk, "status": "terlambat"}),
        (reverse("pemda:company-list"), {"periode": s1.pk, "laporan": "belum"}),
    ]
    few = []
    for url, params in pages:
        with django_assert_max_num_queries(15) as queries:
            assert client.get(url, params).status_code == 200
        few.append(len(queries.captured_queries))
    populate_ten_thousand()
    Factory.objects.update(created_at=LONG_AGO)
    cache.clear()  # cold again: the company list's filter form is kept rendered (its choices' queries skipped)
    many = []
    for url, params in pages:
        with django_assert_max_num_queries(15) as queries:
            response = client.get(url, params)
        many.append(len(queries.captured_queries))
    assert response.context["page"].paginator.count > 2000
    assert many == few


def _validate_as_the_pipeline_does(report: Report) -> None:
    """What reporting's services do on validation: status, updated_at and lock_version move together, and the
    move is written to the report's timeline (what reporting.selectors.reports_data_version reads)."""
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.VALIDATED, updated_at=timezone.now() + dt.timedelta(seconds=1), lock_version=F("lock_version") + 1
    )
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.VALIDATED, from_status=ReportStatus.VERIFIED, to_status=ReportStatus.VALIDATED
    )


def test_a_cached_reporting_rate_follows_a_status_change(client, old_cast, place, s1):
    factories = [place("32.15", Scale.BESAR, created_at=LONG_AGO) for _ in range(3)]
    report = _report(factories[0], s1, status=ReportStatus.VERIFIED)
    login(client, old_cast.pemda_jabar)

    def karawang():
        rows = client.get(reverse("pemda:dashboard"), {"periode": s1.pk}).context["rates_region"]
        row = next(r.row for r in rows if r.row.key == "32.15")
        return row.submitted, row.validated

    assert karawang() == (1, 0)
    assert karawang() == (1, 0)  # served from the cache
    _validate_as_the_pipeline_does(report)
    assert karawang() == (1, 1)


def test_the_export_carries_each_rows_report_status_for_the_period(client, old_cast, place, s1):
    import csv
    import io

    late = place("32.16", Scale.KECIL, created_at=LONG_AGO, name="Terlambat")
    place("32.16", Scale.KECIL, created_at=LONG_AGO, name="Belum")
    _report(late, s1, status=ReportStatus.SUBMITTED, on_time=False)
    login(client, old_cast.pemda_kab_bekasi)
    response = client.get(reverse("pemda:company-export", kwargs={"fmt": "csv"}), {"periode": s1.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-3:] == ["Periode laporan", "Status laporan", "Tepat waktu"]
    by_name = {r[3]: r[-3:] for r in rows[1:]}
    assert by_name == {"Terlambat": ["Semester 1 2026", "Terkirim", "Tidak"], "Belum": ["Semester 1 2026", "Belum dibuat", ""]}


def test_cached_values_follow_a_newly_validated_report(client, old_cast, place, s1):

    factories = [place("32.15", Scale.BESAR, created_at=LONG_AGO) for _ in range(4)]
    for f in factories[:3]:
        _report(f, s1, workforce=10)
    pending = _report(factories[3], s1, status=ReportStatus.VERIFIED, workforce=5)
    login(client, old_cast.pemda_jabar)

    def karawang_workforce():
        aggregates = client.get(reverse("pemda:dashboard"), {"periode": s1.pk}).context["aggregates"]
        return aggregates["by_region"].cells["32.15"]["workforce"].values["sum"]

    assert karawang_workforce() == 30
    assert karawang_workforce() == 30  # from the cache
    _validate_as_the_pipeline_does(pending)
    assert karawang_workforce() == 35


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis (.ci/run)")
def test_the_dashboard_served_from_redis_through_the_json_serializer_is_the_same_page(client, old_cast, place, s1, settings):
    """Issue 13 §5: the Redis cache stores JSON, not pickles; a warm dashboard equals the cold one."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": settings.REDIS_CACHE_BACKEND,
            "LOCATION": settings.REDIS_CACHE_URL,
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    caches["default"].clear()
    factories = [place("32.15", Scale.BESAR, created_at=LONG_AGO) for _ in range(4)]
    for f in factories:
        _report(f, s1, workforce=10)
    login(client, old_cast.pemda_jabar)
    cold = client.get(reverse("pemda:dashboard"), {"periode": s1.pk})
    warm = client.get(reverse("pemda:dashboard"), {"periode": s1.pk})
    assert cold.status_code == warm.status_code == 200
    assert cold.context["aggregates"] == warm.context["aggregates"]
    assert [r.row for r in cold.context["rates_region"]] == [r.row for r in warm.context["rates_region"]]
    assert warm.context["aggregates"]["trend"][0]["period"] == s1
    assert warm.context["aggregates"]["by_region"].cells["32.15"]["workforce"].values["sum"] == 40
    raw = caches["default"]._cache.get_client(write=False).keys("*pemda:*")
    assert raw, "the aggregates were cached in Redis"
    caches["default"].clear()
