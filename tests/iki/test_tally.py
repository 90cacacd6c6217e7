"""The database tally (SQL aggregates, the job's path) equals the engine's tally over the same
responses read as records — the two paths cannot drift apart."""

from __future__ import annotations

import random
from datetime import date

import pytest

from iki import selectors
from iki.engine import compute_from_tally, compute_month, tally
from tests.factories import FactoryAccountFactory
from tests.iki.conftest import MARCH, make_response

pytestmark = pytest.mark.django_db
FEBRUARY = date(2026, 2, 1)
ANSWERS = ("meningkat", "tetap", "menurun")


@pytest.fixture
def mixed_month(reference_data):
    rng = random.Random(6)
    factories = [FactoryAccountFactory(kbli_codes=["10110", "25111"], workforce=rng.choice([0, 7, 120, 950])) for _ in range(12)]
    for i, factory in enumerate(factories):
        for kbli2 in ("10", "25"):
            if (i + len(kbli2)) % 3 == 0 and kbli2 == "25":
                continue
            for month in (FEBRUARY, MARCH):
                if month == FEBRUARY and i % 2:
                    continue
                answers = {name: rng.choice(ANSWERS) for name in ("general", "orders", "production", "stock")}
                make_response(
                    factory,
                    month,
                    kbli2,
                    outlook=rng.choice(["optimis", "tidak_berubah", "pesimis"]),
                    orders_factors=rng.sample(["pesanan_domestik", "nilai_tukar", "hpe", "lainnya"], k=rng.choice([0, 1, 2])),
                    stock_factors=rng.sample(["penjualan", "pesanan"], k=rng.choice([0, 1])),
                    orders_other="alasan lain",
                    **answers,
                )
    return factories


def test_the_sql_tally_equals_the_engine_tally(mixed_month):
    records = selectors.response_records([FEBRUARY, MARCH])
    from_records = tally("2026-03", records, records)
    from_sql = selectors.month_tally(MARCH)
    assert from_sql == from_records
    assert from_sql.panel_repeated is not None and 0 < from_sql.panel_repeated < from_sql.respondents
    from_engine = compute_month("2026-03", records, previous=records)
    assert compute_from_tally(from_sql, previous_iki=from_engine.previous_iki) == from_engine


def test_the_sql_tally_uses_the_reported_workforce_like_the_records(mixed_month, monkeypatch):
    reported = {mixed_month[0].pk: 4000, mixed_month[1].pk: 0, mixed_month[2].pk: mixed_month[2].workforce}
    monkeypatch.setattr(selectors, "workforce_from_latest_accepted_reports", lambda ids: {k: v for k, v in reported.items() if k in set(ids)})
    records = selectors.response_records([FEBRUARY, MARCH])
    assert selectors.month_tally(MARCH) == tally("2026-03", records, records)


def test_no_responses_no_tally(reference_data):
    assert selectors.month_tally(MARCH) is None


def test_panel_lines_are_found_whichever_month_was_answered_first(reference_data):
    # an admin-stretched March window can let April's answer be saved before March's
    factory = FactoryAccountFactory(kbli_codes=["10110"])
    others = [FactoryAccountFactory(kbli_codes=["10110"]) for _ in range(2)]
    april = date(2026, 4, 1)
    make_response(factory, april)
    for other in others:
        make_response(other, april)
    make_response(factory, MARCH)
    records = selectors.response_records([MARCH, april])
    assert selectors.month_tally(april).panel_repeated == 1 == tally("2026-04", records, records).panel_repeated
