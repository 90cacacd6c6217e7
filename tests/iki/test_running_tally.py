"""The running tally (iki/tallies.py), kept by every save and delete of a response, gives exactly the
month that a full recomputation from the responses gives — after random answers, edits, deletes and
weight changes."""

from __future__ import annotations

import random
from datetime import date

import pytest

from accounts.models import Factory
from iki import selectors, tallies
from iki.engine import compute_from_tally, compute_month, tally
from iki.models import IkiResponse, IkiTally
from iki.questions import FACTOR_QUESTIONS
from tests.factories import FactoryAccountFactory
from tests.iki.conftest import MARCH, make_response

pytestmark = pytest.mark.django_db
FEBRUARY = date(2026, 2, 1)
CHANGES = ("meningkat", "tetap", "menurun")
OUTLOOKS = ("optimis", "tidak_berubah", "pesimis")
DIVISIONS = {"10": "10110", "25": "25111"}


def random_answers(rng: random.Random) -> dict:
    data = {name: rng.choice(CHANGES) for name in ("general", "orders", "production", "stock")}
    data["outlook"] = rng.choice(OUTLOOKS)
    for _answer, factors_field, other_field, choices, _neutral in FACTOR_QUESTIONS:
        codes = [code for code, _label in choices]
        data[factors_field] = rng.sample(codes, k=rng.choice((0, 1, 2, 3)))
        data[other_field] = "alasan lain" if "lainnya" in data[factors_field] else ""
    return data


def assert_tally_equals_records(month: date) -> None:
    records = selectors.response_records([selectors.previous_month(month), month])
    label = f"{month:%Y-%m}"
    from_records = tally(label, records, records)
    assert selectors.month_tally(month) == from_records
    assert selectors.month_tally_scan(month) == from_records
    expected = compute_month(label, records, previous=records)
    result = compute_from_tally(selectors.month_tally(month), previous_iki=expected.previous_iki)
    assert result == expected
    assert result.as_stored() == expected.as_stored()


def build_random_months(rng: random.Random) -> list[IkiResponse]:
    factories = [
        FactoryAccountFactory(kbli_codes=list(DIVISIONS.values()), workforce=rng.choice([0, 1, 7, 120, 950, 4000])) for _ in range(9)
    ]
    saved = []
    for month in (FEBRUARY, MARCH, date(2026, 4, 1)):
        for factory in factories:
            for kbli2 in DIVISIONS:
                if rng.random() < 0.75:
                    saved.append(make_response(factory, month, kbli2, **random_answers(rng)))
    return saved


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_running_tally_equals_the_records_after_edits_deletes_and_weight_changes(reference_data, monkeypatch, seed):
    rng = random.Random(seed)
    saved = build_random_months(rng)
    for month in (MARCH, date(2026, 4, 1)):
        assert_tally_equals_records(month)

    rng.shuffle(saved)
    edited, deleted, kept = saved[:12], saved[12:20], saved[20:]
    for response in edited:
        for name, value in random_answers(rng).items():
            setattr(response, name, value)
        response.save()
    for response in deleted:
        response.delete()
    # weights change after the factories answered: a profile edit and accepted semester reports
    factory_ids = sorted({r.factory_id for r in kept})
    Factory.objects.filter(pk=factory_ids[0]).update(workforce=3333)
    Factory.objects.filter(pk=factory_ids[1]).update(workforce=0)
    reported = {factory_ids[2]: 777, factory_ids[3]: 0, factory_ids[4]: 12}
    monkeypatch.setattr(selectors, "workforce_from_latest_accepted_reports", lambda ids: {k: v for k, v in reported.items() if k in set(ids)})
    # a new line after the change is tallied with the factory's earlier weight, then corrected too
    for factory_id in factory_ids[:3]:
        for kbli2 in DIVISIONS:
            if not IkiResponse.objects.filter(factory_id=factory_id, period=MARCH, kbli2_id=kbli2).exists():
                make_response(Factory.objects.get(pk=factory_id), MARCH, kbli2, **random_answers(rng))

    for month in (FEBRUARY, MARCH, date(2026, 4, 1)):
        assert_tally_equals_records(month)
    # and a rebuild from the rows lands on the same tally
    before = selectors.month_tally(MARCH)
    tallies.rebuild(MARCH)
    assert selectors.month_tally(MARCH) == before


def test_a_deleted_line_leaves_no_trace_in_the_tally(reference_data):
    factory = FactoryAccountFactory(kbli_codes=["10110"], workforce=50)
    response = make_response(factory, MARCH, orders="meningkat", orders_factors=["nilai_tukar"])
    assert IkiTally.objects.get(period=MARCH, kbli2="10").respondents == 1
    response.delete()
    row = IkiTally.objects.get(period=MARCH, kbli2="10")
    assert (row.respondents, row.weight, row.orders, row.production, row.stock, row.counts) == (0, 0, 0, 0, 0, {})
    assert selectors.month_tally(MARCH) is None


def test_deleting_last_months_line_takes_it_out_of_this_months_panel(reference_data):
    factories = [FactoryAccountFactory(kbli_codes=["10110"]) for _ in range(3)]
    february = [make_response(f, FEBRUARY) for f in factories]
    for f in factories:
        make_response(f, MARCH)
    assert selectors.month_tally(MARCH).panel_repeated == 3
    february[0].delete()
    assert selectors.month_tally(MARCH).panel_repeated == 2
    assert_tally_equals_records(MARCH)


def test_computing_a_month_reads_the_tally_not_the_responses(reference_data, django_assert_max_num_queries):
    rng = random.Random(9)
    build_random_months(rng)
    with django_assert_max_num_queries(5):  # tally rows, weights, the two report queries, last month exists
        selectors.month_tally(MARCH)


def test_the_tally_path_gives_the_same_result_as_the_scan_path(reference_data):
    build_random_months(random.Random(5))
    assert compute_from_tally(selectors.month_tally(MARCH)) == compute_from_tally(selectors.month_tally_scan(MARCH))
