"""The sector analysis' national tables at scale: one grouped statement for every semester of the trend
(``analisis.sector.selectors.division_tables``) must give exactly Informasi Industri's rows and tables
(``informasi.selectors._grouped`` and ``division_statistics``), semester by semester — companies in two
divisions, two reports of one company in a semester, ties for the largest value, missing sections — and it
is cached per data version like Informasi Industri's groups."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache

from analisis.sector.selectors import TOTAL_KEY, _division_groups, division_tables, sector_overview
from informasi.selectors import DIVISION, _grouped, division_statistics
from reporting.models import ReportMeasures, ReportStatus
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        yield


def _measures(factory, period, *, report_type="industri_produksi", production=None, workforce=None, investment=None, export=None, utilisation=None):
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.VALIDATED, report_type=report_type)
    ReportMeasures.objects.create(
        report=report, period_id=period.pk, factory=factory, report_type=report.report_type,
        workforce=workforce, production=None if production is None else Decimal(production),
        investment_industry=None if investment is None else Decimal(investment), export=None if export is None else Decimal(export),
        utilisation=None if utilisation is None else Decimal(utilisation),
    )  # fmt: skip


@pytest.fixture
def semesters(reference_data):
    """Two semesters: in the older one, 10 has a tie for the largest production and a company with two
    reports; a company is registered in 10 and 13; some sections are missing."""
    older, newer = PeriodFactory(year=2025, number=2), PeriodFactory(year=2026, number=1)
    both = FactoryAccountFactory(kbli_codes=["10710", "13111"])
    twice = FactoryAccountFactory(kbli_codes=["10740"])
    for value in (600, 600, 120, 80):  # a tie for the largest (above the company in two divisions)
        _measures(FactoryAccountFactory(kbli_codes=["10710"]), older, production=value, workforce=5, utilisation=60)
    _measures(both, older, production=500, workforce=20, investment=1000, export=50)
    _measures(twice, older, production=40, workforce=3)
    _measures(twice, older, report_type="industri_pembangunan", investment=700)  # summed with the other
    for value in (70, 71, 72):
        _measures(FactoryAccountFactory(kbli_codes=["13111", "13112"]), older, production=value, utilisation=40)
    _measures(both, newer, production=900, workforce=25, export=10, utilisation=70)
    for value in (10, 20, 30, 40):
        _measures(FactoryAccountFactory(kbli_codes=["25111"]), newer, production=value, workforce=2)
    _measures(FactoryAccountFactory(kbli_codes=["10710"]), newer)  # a report without any figure
    return older, newer


def test_one_statement_gives_informasi_industri_s_rows_for_every_semester(semesters):
    found = _division_groups([p.pk for p in semesters])
    assert {row[0] for row in found} == {p.pk for p in semesters}
    for period in semesters:
        rows = [row[1:] for row in found if row[0] == period.pk]
        divisions = sorted(row for row in rows if row[0] != TOTAL_KEY)
        total = [row for row in rows if row[0] == TOTAL_KEY]
        assert divisions == sorted(_grouped(period.pk, DIVISION, None, None))
        assert total == _grouped(period.pk, None, None, None)


def test_the_tables_are_informasi_industri_s_tables(semesters):
    ids = [p.pk for p in semesters]
    tables = division_tables(ids)
    for period_id in ids:
        assert tables[period_id].published() == division_statistics(period_id).published()
    overview = sector_overview(periods=list(semesters))
    assert [t["values"]["production"] for t in next(r for r in overview.rows if r["key"] == "13")["trend"]][0] is not None


def test_a_semester_without_reports_is_an_empty_table(semesters, reference_data):
    empty = PeriodFactory(year=2024, number=2)
    tables = division_tables([empty.pk, semesters[0].pk])
    assert tables[empty.pk].rows == [] and tables[empty.pk].total.cells["establishments"].n == 0
    assert tables[semesters[0].pk].published() == division_statistics(semesters[0].pk).published()


def test_the_grouped_rows_are_cached_per_data_version(semesters, django_assert_num_queries):
    ids = [p.pk for p in semesters]
    cache.clear()
    fresh = division_tables(ids, version="a")
    with django_assert_num_queries(0):
        kept = division_tables(ids, version="a")  # the protected cells, not protected again
    assert kept == fresh
    # Past FRESH_ENOUGH_SECONDS and the data moved: the statement and the labels again.
    with time_machine.travel("2026-11-20 10:05 +0700", tick=False), django_assert_num_queries(2):
        division_tables(ids, version="b")


def test_what_the_tables_cache_goes_through_the_redis_serializer(semesters):
    from analisis.sector.selectors import _groups_key
    from siinas.lib.cache_serializer import from_json, to_json

    ids = [p.pk for p in semesters]
    cache.clear()
    division_tables(ids)
    kept = cache.get(_groups_key(ids))
    assert "protected" in kept and from_json(to_json(kept)) == kept


def test_with_a_worker_stale_figures_are_served_and_a_refresh_is_queued_once(semesters, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analisis.sector.selectors import REFRESH_TASK
    from siinas.core.models import OutboxMessage

    settings.POSITION_CUTS_IN_BACKGROUND = True  # a worker runs (as deployed)
    ids = [p.pk for p in semesters]
    cache.clear()
    kept = division_tables(ids, version="a")
    with time_machine.travel("2026-11-20 10:05 +0700", tick=False):
        with CaptureQueriesContext(connection) as queries:
            served = division_tables(ids, version="b")
        # No grouped statement over the reports: only the outbox's insert (and its savepoints).
        assert not [q["sql"] for q in queries.captured_queries if "reportmeasures" in q["sql"].lower()]
        assert any("outbox" in q["sql"].lower() for q in queries.captured_queries)
        assert served == kept
        division_tables(ids, version="c")  # asked once a minute, not once per view
    assert OutboxMessage.objects.filter(name=REFRESH_TASK).count() == 1


def test_the_worker_refresh_recomputes_the_overview(semesters, settings):
    from analisis.sector.selectors import _groups_key
    from analisis.tasks import refresh_sector

    ids = [p.pk for p in semesters]
    cache.clear()
    refresh_sector(kbli2="10")
    assert cache.get(_groups_key(ids)) is not None
