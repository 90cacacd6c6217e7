"""Posisi Anda: the bands against an independent computation, the group-size threshold, the states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy
import pytest
import time_machine
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from analisis.position import (
    ABOVE,
    BELOW,
    BOTTOM,
    FRESH_ENOUGH_SECONDS,
    MEASURES,
    MEDIAN,
    MIN_GROUP,
    SHOWN,
    TOP,
    UNFILED,
    WAITING,
    band_of,
    division_cuts,
    factory_position,
    sorted_quartiles,
)
from analisis.tasks import refresh_position_cuts
from reporting.models import ReportStatus
from siinas.core.models import OutboxMessage
from siinas.lib import disclosure
from siinas.lib.cache_serializer import from_json, to_json
from tests.analisis.position_panel import member, validated_report
from tests.factories import CompanyFactory, FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory


def expected_band(value, values) -> str:
    """The band by numpy's percentiles (float, linear interpolation), the rules written out plainly."""
    q1, median, q3 = numpy.percentile(numpy.array(values, dtype=float), [25, 50, 75])
    if value == median:
        return MEDIAN
    if value < median:
        return BOTTOM if value <= q1 else BELOW
    return TOP if value >= q3 else ABOVE


# Small ranges force ties; sizes from 1 (a group of one) up.
GROUPS = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=40) | st.lists(
    st.integers(min_value=0, max_value=10**12), min_size=1, max_size=60
)


@settings(max_examples=400, deadline=None)
@given(values=GROUPS)
def test_bands_match_numpy_percentile(values):
    for value in values:
        assert band_of(value, values) == expected_band(value, values), (value, sorted(values))


def test_a_group_of_equal_values_puts_everybody_on_the_median():
    assert {band_of(5, [5] * 20)} == {MEDIAN}


def test_bands_split_a_plain_group_in_quarters():
    values = list(range(1, 21))  # Q1 = 5.75, median = 10.5, Q3 = 15.25
    bands = [band_of(v, values) for v in values]
    assert bands == [BOTTOM] * 5 + [BELOW] * 5 + [ABOVE] * 5 + [TOP] * 5


def _band_sizes(n: int) -> list[int]:
    values = list(range(n))
    bands = [band_of(v, values) for v in values]
    return [bands.count(band) for band in (BOTTOM, BELOW, ABOVE, TOP)]


def test_from_the_minimum_group_on_every_quartile_band_holds_three_companies():
    assert all(min(_band_sizes(n)) >= disclosure.MIN_CONTRIBUTORS for n in range(MIN_GROUP, 301))
    assert min(_band_sizes(MIN_GROUP - 1)) < disclosure.MIN_CONTRIBUTORS  # the least such size


# --- The page's data from validated reports ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):  # Semester 1 2026's window has opened
        yield


@pytest.fixture
def period(reference_data):
    return PeriodFactory(year=2026, number=1)


def _panel(period, size, *, seed=7):
    """``size`` other companies of KBLI 10110 with varied values (ties included); returns their inputs."""
    rng = numpy.random.default_rng(seed)
    inputs = []
    for i in range(size):
        values = {
            "production": int(rng.integers(1, 50)) * 100_000_000,
            "workforce": int(rng.integers(10, 200)),
            "utilisation": f"{int(rng.integers(30, 100))}.{i % 3}0",
            "domestic": int(rng.integers(0, 40)) * 50_000_000,
            "export": int(rng.integers(0, 5)) * 100_000_000,
            "kwh": int(rng.integers(1000, 90000)),
            "previous": int(rng.integers(1, 50)) * 100_000_000,
        }
        member(period, **values)
        inputs.append(values)
    return inputs


def _measures(v) -> dict[str, Decimal | None]:
    """The five measures from the raw inputs, computed here again."""
    production = Decimal(v["production"])
    sales = Decimal(v["domestic"] + v["export"])
    return {
        "utilisation": Decimal(v["utilisation"]),
        "productivity": production / v["workforce"],
        "export_share": Decimal(v["export"]) * 100 / sales if sales else None,
        "energy": Decimal(v["kwh"]) * 1_000_000 / production,
        "growth": (production / Decimal(v["previous"]) - 1) * 100,
    }


OWN = {
    "production": 2_300_000_000,
    "workforce": 50,
    "utilisation": "64.00",
    "domestic": 1_500_000_000,
    "export": 500_000_000,
    "kwh": 40_000,
    "previous": 2_000_000_000,
}


def test_the_bands_match_an_independent_computation_over_the_group(cast, period):
    inputs = _panel(period, 15)
    member(period, factory=cast.factory_a, **OWN)
    position = factory_position(cast.factory_a)
    assert position.state == SHOWN and position.period == period
    rows = {row.measure.code: row for row in position.rows if row.level == "2"}
    assert set(rows) == {"utilisation", "productivity", "export_share", "energy", "growth"}
    own = _measures(OWN)
    for code, row in rows.items():
        group = [m[code] for m in map(_measures, inputs) if m[code] is not None] + [own[code]]
        assert row.companies == len(group)
        assert row.own == own[code]
        assert row.band == expected_band(float(own[code]), [float(v) for v in group]), code
    # the 5-digit group is the same set of companies here: the same bands
    five = {row.measure.code: row.band for row in position.rows if row.level == "5"}
    assert five == {code: row.band for code, row in rows.items()}


def test_no_band_below_the_minimum_group(cast, period):
    _panel(period, MIN_GROUP - 2)
    member(period, factory=cast.factory_a, **OWN)
    rows = factory_position(cast.factory_a).rows
    assert rows and all(row.band is None and row.companies is None for row in rows)
    assert all(row.own is not None for row in rows)  # the company still sees its own values


def test_the_minimum_counts_companies_not_factory_accounts(cast, period):
    _panel(period, MIN_GROUP - 3)
    twin = CompanyFactory()
    for _ in range(2):  # two factory accounts of one company (one NIB) count once
        member(period, factory=FactoryAccountFactory(company=twin, kbli_codes=["10110"]), **OWN)
    member(period, factory=cast.factory_a, **OWN)
    assert all(row.band is None for row in factory_position(cast.factory_a).rows)
    member(period, **OWN)  # one more company reaches the minimum
    with time_machine.travel(dt.timedelta(seconds=FRESH_ENOUGH_SECONDS + 1)):  # the cached cut points age
        assert all(row.band is not None for row in factory_position(cast.factory_a).rows)


def test_other_subsectors_are_not_in_the_group(cast, period):
    _panel(period, MIN_GROUP)
    for _ in range(5):
        member(period, kbli=("25111",), **OWN)
    member(period, factory=cast.factory_a, **OWN)
    rows = [row for row in factory_position(cast.factory_a).rows if row.measure.code == "productivity"]
    assert [row.companies for row in rows] == [MIN_GROUP + 1, MIN_GROUP + 1]


def test_a_factory_that_has_not_filed_is_asked_to_report_first(cast, period):
    _panel(period, MIN_GROUP)
    last_year = PeriodFactory(year=2025, number=2)
    validated_report(cast.factory_a, last_year, production=1)  # an older validated report does not count
    position = factory_position(cast.factory_a)
    assert position.state == UNFILED and position.due.period == period and position.rows == []
    ReportFactory(factory=cast.factory_a, period=period)  # a draft is not filed either
    assert factory_position(cast.factory_a).state == UNFILED


def test_a_filed_report_waits_for_validation_and_shows_the_last_validated_meanwhile(cast, period):
    ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    position = factory_position(cast.factory_a)
    assert position.state == WAITING and position.period is None and not position.shows_bands
    earlier = PeriodFactory(year=2025, number=2)
    validated_report(cast.factory_a, earlier, production=1, workforce=1)
    position = factory_position(cast.factory_a)
    assert position.state == WAITING and position.period == earlier and position.shows_bands


def test_growth_needs_the_same_semester_a_year_earlier(cast, period):
    _panel(period, MIN_GROUP)
    own = {k: v for k, v in OWN.items() if k != "previous"}
    member(period, factory=cast.factory_a, **own)
    other_semester = PeriodFactory(year=2025, number=2)
    validated_report(cast.factory_a, other_semester, production=1)
    growth = [row for row in factory_position(cast.factory_a).rows if row.measure.code == "growth"]
    assert growth and all(row.own is None and row.band is None for row in growth)


# --- The groups' cut points, cached (national scale) -----------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.decimals(min_value=-(10**6), max_value=10**6, places=3), min_size=1, max_size=50))
def test_cut_points_from_sorted_decimals_are_the_exact_fraction_quartiles(values):
    fractions = sorted(Fraction(v) for v in values)
    last = len(fractions) - 1
    expected = []
    for p in (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4)):
        h = last * p
        low, high = int(h), min(int(h) + 1, last)
        expected.append(fractions[low] + (h - low) * (fractions[high] - fractions[low]))
    assert sorted_quartiles(sorted(values)) == tuple(expected)


def test_a_second_view_bands_against_the_cached_cut_points(cast, period, django_assert_max_num_queries):
    inputs = _panel(period, 15)
    member(period, factory=cast.factory_a, **OWN)
    first = factory_position(cast.factory_a).rows
    cache.delete(f"analisis:position:cuts:v1:{period.pk}:10")
    with django_assert_max_num_queries(100) as cold:
        factory_position(cast.factory_a)
    with django_assert_max_num_queries(100) as warm:
        second = factory_position(cast.factory_a).rows
    assert len(warm.captured_queries) < len(cold.captured_queries)  # the group is not read again
    assert [(r.group, r.measure.code, r.companies, r.band) for r in second] == [
        (r.group, r.measure.code, r.companies, r.band) for r in first
    ]
    assert all(r.companies == 16 for r in second)
    # Within the window a new member is not counted yet; after it, the cut points are computed again.
    member(period, **inputs[0])
    assert {r.companies for r in factory_position(cast.factory_a).rows} == {16}
    with time_machine.travel(dt.timedelta(seconds=FRESH_ENOUGH_SECONDS + 1)):
        assert {r.companies for r in factory_position(cast.factory_a).rows} == {17}


def test_the_cache_keeps_counts_and_cut_points_only_json_safe(cast, period):
    inputs = _panel(period, 15)
    member(period, factory=cast.factory_a, **OWN)
    groups = division_cuts(period, "10")
    assert set(groups) == {"10", "10110"}
    for per_measure in groups.values():
        assert set(per_measure) == set(MEASURES)
        for n, cuts in per_measure.values():
            assert isinstance(n, int)
            assert cuts is None or (len(cuts) == 3 and all(isinstance(q, str) for q in cuts))
    assert from_json(to_json(groups)) == groups  # the Redis cache's serializer (no pickle)
    assert set(cache.get(f"analisis:position:cuts:v1:{period.pk}:10")) == {"version", "at", "groups"}
    # The cut points are the group's numpy quartiles (the factory's own value included).
    group = [m["productivity"] for m in map(_measures, inputs)] + [_measures(OWN)["productivity"]]
    n, cuts = groups["10"]["productivity"]
    assert n == 16
    assert numpy.allclose(
        [float(Fraction(q)) for q in cuts], numpy.percentile(numpy.array(group, dtype=float), [25, 50, 75])
    )


def test_with_a_worker_stale_cut_points_are_used_while_a_refresh_is_asked_for(cast, period, settings):
    settings.POSITION_CUTS_IN_BACKGROUND = True
    inputs = _panel(period, 15)
    member(period, factory=cast.factory_a, **OWN)
    assert {r.companies for r in factory_position(cast.factory_a).rows} == {16}  # nothing kept: computed
    member(period, **inputs[0])
    asked = OutboxMessage.objects.filter(name="analisis.refresh_position_cuts")
    with time_machine.travel(dt.timedelta(seconds=FRESH_ENOUGH_SECONDS + 1)):
        for _ in range(2):  # the kept cut points, and one refresh asked for
            assert {r.companies for r in factory_position(cast.factory_a).rows} == {16}
        assert [m.payload["kwargs"] for m in asked] == [{"period_id": period.pk, "division": "10"}]
        assert refresh_position_cuts(period_id=period.pk, division="10") is True  # the worker
        assert {r.companies for r in factory_position(cast.factory_a).rows} == {17}
    assert refresh_position_cuts(period_id=period.pk + 100, division="10") is False
    assert refresh_position_cuts(period_id=period.pk, division="99") is False
