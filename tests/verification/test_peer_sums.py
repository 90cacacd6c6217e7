"""The KBLI peers' running sums (verification.peers): kept by every new version and every change of a
factory's divisions, always equal to a rebuild from the versions, and giving the same z-scores as the
peers' snapshots read one by one."""

import math
import random
import statistics
import threading

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from accounts.services import factory_kbli_set
from reporting import services
from reporting.models import Report, ReportStatus, ReportVersion
from siinas.core.models import Kbli
from tests.factories import FactoryAccountFactory
from tests.helpers import login
from tests.reporting.conftest import fill_all, post_section, section_input, submit
from tests.reporting.factories import ReportFactory
from verification import peers
from verification.models import PeerMetricSum
from verification.outliers import numeric_metrics, outlier_flags, z_score_flags

pytestmark = pytest.mark.django_db


def snapshot(utilisation: float, workers: float, products=()) -> dict:
    return {
        "sections": {
            "produksi": {"fields": {"utilisation": str(utilisation)}, "rows": {"produk": [{"name": n, "qty": q} for n, q in products]}},
            "tenaga_kerja": {"fields": {"total": workers}, "rows": {}},
        }
    }


def add_version(report, data) -> ReportVersion:
    number = report.versions.count() + 1
    return ReportVersion.objects.create(report=report, number=number, data=data, content_hash="x" * 64, on_time=True)


def peer(period, kbli_codes, data, status=ReportStatus.SUBMITTED) -> Report:
    report = ReportFactory(factory=FactoryAccountFactory(kbli_codes=kbli_codes), period=period, status=status)
    add_version(report, data)
    return report


def sums() -> dict[tuple, tuple[int, float, float]]:
    return {
        (r.period_id, r.report_type, r.division_id, r.section, r.metric): (r.n, r.total, r.total_sq)
        for r in PeerMetricSum.objects.all()
    }


def assert_maintained_equals_rebuilt() -> None:
    maintained = {key: value for key, value in sums().items() if value[0] != 0}
    for key, (n, total, total_sq) in sums().items():
        if n == 0:  # every contribution left: only rounding dust may remain
            assert math.isclose(total, 0, abs_tol=1e-6) and math.isclose(total_sq, 0, abs_tol=1e-3), key
    peers.rebuild()
    rebuilt = sums()
    assert maintained.keys() == rebuilt.keys()
    for key, (n, total, total_sq) in rebuilt.items():
        m = maintained[key]
        assert m[0] == n, key
        assert math.isclose(m[1], total, rel_tol=1e-9, abs_tol=1e-6), (key, m, (n, total, total_sq))
        assert math.isclose(m[2], total_sq, rel_tol=1e-9, abs_tol=1e-3), (key, m, (n, total, total_sq))


def test_sums_follow_submits_returns_resubmits_and_kbli_changes(client, cast, period):
    rng = random.Random(14)
    food = [peer(period, ["10110"], snapshot(rng.uniform(60, 80), rng.randint(50, 500), [("Roti", rng.randint(1, 9))])) for _ in range(6)]
    both = peer(period, ["10750", "13111"], snapshot(71, 120))
    textile = peer(period, ["13111"], snapshot(40, 90, [("Kain", 3)]))
    ReportFactory(factory=FactoryAccountFactory(kbli_codes=["10110"]), period=period)  # a draft: never counted
    assert_maintained_equals_rebuilt()
    assert PeerMetricSum.objects.get(division="10", section="tenaga_kerja", metric="total").n == 7
    assert PeerMetricSum.objects.get(division="13", section="tenaga_kerja", metric="total").n == 2

    # The company files through the pages, is sent back, corrects a section and resubmits.
    with time_machine.travel("2027-07-20 10:00 +0700", tick=False):
        login(client, cast.company_a)
        client.post(reverse("reporting:report-start"), {"period": period.pk, "report_type": "industri_produksi"})
        report = Report.objects.get(factory=cast.factory_a, period=period)
        fill_all(client, report)
        assert submit(client, report).status_code == 302
        assert_maintained_equals_rebuilt()
        services.report_return(actor=cast.verifier, report=report, comments={"tenaga_kerja": "Periksa jumlah."})
        assert_maintained_equals_rebuilt()  # a returned report still counts with its newest version
        header, tables = section_input("tenaga_kerja", prod_male_wni=260, total=480)
        assert post_section(client, report, "tenaga_kerja", header, tables).status_code == 302
        assert submit(client, report).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.versions.count() == 2
    assert_maintained_equals_rebuilt()
    row = PeerMetricSum.objects.get(period=period, report_type=report.report_type, division="10", section="tenaga_kerja", metric="total")
    assert row.n == 8

    # Peers resubmit with fewer numbers, and factories change their lines.
    add_version(food[0], snapshot(75, 300))
    add_version(both, {"sections": {"tenaga_kerja": {"fields": {"total": 130}, "rows": {}}}})
    factory_kbli_set(actor=cast.admin, factory=both.factory, kbli=Kbli.objects.filter(code__in=["13111", "14111"]))
    factory_kbli_set(actor=cast.admin, factory=textile.factory, kbli=Kbli.objects.filter(code__in=["10110"]))
    assert_maintained_equals_rebuilt()
    assert not PeerMetricSum.objects.filter(division="13", n__gt=0).exclude(section="tenaga_kerja").exists()


def test_z_scores_from_the_sums_equal_the_ones_from_the_peers_snapshots(cast, period):
    rng = random.Random(6)
    datas = [snapshot(rng.gauss(70, 5), rng.randint(100, 140), [("Roti", rng.uniform(1e11, 3e11))]) for _ in range(40)]
    for data in datas:
        peer(period, ["10110"], data)
    for _ in range(5):
        peer(period, ["25111"], snapshot(5, 9000))  # another division: not a peer
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    current = snapshot(95, 400, [("Roti", 2.5e12)])
    add_version(report, current)

    expected = z_score_flags(numeric_metrics(current), [numeric_metrics(d) for d in datas])
    got = [f for f in outlier_flags(report) if f.check == "sejawat"]
    assert {(f.section, f.metric) for f in got} == {(f.section, f.metric) for f in expected} == {
        ("produksi", "utilisation"), ("tenaga_kerja", "total"), ("produksi", "produk.qty")
    }
    by_key = {(f.section, f.metric): f for f in expected}
    for flag in got:
        twin = by_key[(flag.section, flag.metric)]
        assert flag.z == pytest.approx(twin.z, abs=0.01) and flag.mean == pytest.approx(twin.mean, rel=1e-9)
        assert flag.division == "10"


def test_equal_values_with_decimals_have_no_spread_despite_rounding(cast, period):
    for _ in range(7):
        peer(period, ["10110"], snapshot(70.1, 1e12 + 0.3))
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(99.9, 3e12))
    assert [f for f in outlier_flags(report) if f.check == "sejawat"] == []


def test_a_factory_in_two_divisions_is_flagged_when_it_is_an_outlier_in_one(cast, period):
    for value in (10, 11, 9, 10, 12, 8):
        peer(period, ["10110"], snapshot(value, 100 + value))
    for value in (50, 55, 45, 52, 48, 51):
        peer(period, ["13111"], snapshot(value, 100 + value))
    factory = FactoryAccountFactory(kbli_codes=["10110", "13111"])
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(50, 105))
    flags = {(f.metric, f.division) for f in outlier_flags(report) if f.check == "sejawat"}
    # utilisation 50 is ordinary among textiles, far from food; workers 105 fits food but not textiles
    assert flags == {("utilisation", "10"), ("total", "13")}


def test_the_review_page_reads_a_flat_number_of_queries_whatever_the_peers(client, cast, period, django_assert_max_num_queries):
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    add_version(report, snapshot(99, 2000))
    login(client, cast.verifier)
    url = reverse("verification:review", args=[report.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for value in range(60):
        peer(period, ["10110"], snapshot(70 + value % 5, 100 + value, [("Roti", value), ("Kue", 1)]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Jauh dari sejawat KBLI" in page and "KBLI 10" in page


@pytest.mark.skipif(not settings.USING_POSTGRES, reason="concurrent transactions need PostgreSQL (.ci/run)")
@pytest.mark.django_db(transaction=True)
def test_two_peers_submitting_at_the_same_moment_both_count(cast):
    from tests.reporting.factories import PeriodFactory

    period = PeriodFactory(year=2027, number=1)
    reports = [ReportFactory(factory=FactoryAccountFactory(kbli_codes=["10110"]), period=period, status=ReportStatus.SUBMITTED) for _ in range(8)]
    barrier = threading.Barrier(len(reports))
    errors: list[BaseException] = []

    def submit_one(report):
        try:
            with transaction.atomic():
                barrier.wait()
                add_version(report, snapshot(70, 100))
        except BaseException as exc:  # noqa: BLE001 — reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_one, args=(r,)) for r in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    row = PeerMetricSum.objects.get(period=period, division="10", section="tenaga_kerja", metric="total")
    assert (row.n, row.total, row.total_sq) == (8, 800.0, 80_000.0)
    assert statistics.fmean([100] * 8) == row.total / row.n
