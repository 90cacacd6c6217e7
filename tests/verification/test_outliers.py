"""Outlier flags for the reviewer: min–max against the factory's own history, z-score against KBLI peers."""

import pytest

from reporting.models import ReportStatus, ReportVersion
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory
from verification.outliers import min_max_flags, numeric_metrics, outlier_flags, z_score_flags


def snapshot(production: float, workers: int, products=()) -> dict:
    return {
        "sections": {
            "produksi": {"fields": {"explanation": "", "utilisation": str(production)}, "rows": {"produk": [{"name": n, "qty": q} for n, q in products]}},
            "tenaga_kerja": {"fields": {"total": workers, "has_wna": True}, "rows": {}},
        }
    }


def test_numbers_are_read_from_fields_and_table_columns_are_totalled():
    metrics = numeric_metrics(snapshot(75.5, 420, [("Tepung", 100), ("Roti", "250.5")]))
    assert metrics[("produksi", "utilisation")] == 75.5
    assert metrics[("tenaga_kerja", "total")] == 420
    assert metrics[("produksi", "produk.qty")] == 350.5
    assert ("tenaga_kerja", "has_wna") not in metrics, "booleans are not numbers"
    assert ("produksi", "explanation") not in metrics


def test_min_max_flags_a_value_outside_the_factorys_own_range():
    history = [{("t", "total"): 400}, {("t", "total"): 430}]
    assert min_max_flags({("t", "total"): 420}, history) == []
    (flag,) = min_max_flags({("t", "total"): 900}, history)
    assert (flag.check, flag.low, flag.high) == ("riwayat", 400, 430)
    assert min_max_flags({("t", "total"): 900}, history[:1]) == [], "one earlier period is not a range"


def test_z_score_flags_a_value_far_from_its_peers():
    peers = [{("t", "total"): v} for v in (100, 110, 90, 105, 95, 100)]
    (flag,) = z_score_flags({("t", "total"): 400}, peers)
    assert flag.check == "sejawat" and flag.z > 3
    assert z_score_flags({("t", "total"): 108}, peers) == []
    assert z_score_flags({("t", "total"): 400}, peers[:4]) == [], "too few peers to judge"


def _version(report, data):
    ReportVersion.objects.create(report=report, number=1, data=data, content_hash="x" * 64, on_time=True)


@pytest.mark.django_db
def test_a_report_is_flagged_against_its_history_and_its_kbli_peers(cast, period):
    for year, workers in ((2025, 400), (2026, 430)):
        earlier = ReportFactory(factory=cast.factory_a, period=PeriodFactory(year=year, number=1), status=ReportStatus.VALIDATED)
        _version(earlier, snapshot(70, workers))
    for utilisation in (70, 72, 68, 71, 69, 70):
        peer = ReportFactory(factory=FactoryAccountFactory(kbli_codes=["10710"]), period=period, status=ReportStatus.SUBMITTED)
        _version(peer, snapshot(utilisation, 100))
    other_division = ReportFactory(factory=cast.factory_b, period=period, status=ReportStatus.SUBMITTED)
    _version(other_division, snapshot(5, 100))

    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    _version(report, snapshot(99, 2000))
    flags = {(f.section, f.metric, f.check) for f in outlier_flags(report)}
    assert ("tenaga_kerja", "total", "riwayat") in flags
    assert ("produksi", "utilisation", "sejawat") in flags
    assert ("tenaga_kerja", "total", "sejawat") not in flags, "peers all report 100: no spread, no z-score"


@pytest.mark.django_db
def test_the_review_page_shows_the_flags(client, cast, period):
    from django.urls import reverse

    from tests.helpers import login

    for year, workers in ((2025, 400), (2026, 430)):
        earlier = ReportFactory(factory=cast.factory_a, period=PeriodFactory(year=year, number=1), status=ReportStatus.VALIDATED)
        _version(earlier, snapshot(70, workers))
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    _version(report, snapshot(70, 5000))
    login(client, cast.verifier)
    page = client.get(reverse("verification:review", args=[report.pk])).content.decode()
    assert "Di luar riwayat pabrik" in page and "Tenaga kerja" in page


def test_flags_are_labelled_as_the_company_saw_the_fields():
    from reporting.sections import models as sm
    from verification.outliers import metric_label

    assert metric_label("tenaga_kerja", "total") == str(sm.Workforce._meta.get_field("total").verbose_name)
    label = metric_label("produksi", "produksi.quantity")
    assert label.endswith("jumlah " + str(sm.ProductionRow._meta.get_field("quantity").verbose_name))
    assert metric_label("produksi", "tidak_ada.kolom") == "tidak_ada.kolom"


def test_coordinates_positions_and_years_are_not_measures():
    data = {"sections": {"lahan": {"fields": {"latitude": "-6.4", "land_area_m2": 50000}, "rows": {}},
                         "mesin": {"fields": {}, "rows": {"mesin": [{"year_made": 2001, "count": 3, "position": 0}]}}}}  # fmt: skip
    assert numeric_metrics(data) == {("lahan", "land_area_m2"): 50000.0, ("mesin", "mesin.count"): 3.0}
