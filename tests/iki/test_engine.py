"""The IKI engine against the spec's worked example, the April 2023 release, and its invariants."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from iki.engine import (
    CHANGE_ANSWERS,
    EKSPANSI,
    IKI_DIVISIONS,
    KONTRAKSI,
    MENINGKAT,
    MENURUN,
    OUTLOOK_ANSWERS,
    STABIL,
    SUPPRESSED,
    TETAP,
    GdpGroup,
    ResponseRecord,
    compute_index,
    compute_month,
    iki_from_variables,
    previous_period,
)


def record(respondent, w, orders, production, stock, *, kbli2="10", period="2023-04", general=TETAP, outlook="optimis", factors=None):
    return ResponseRecord(
        period=period,
        respondent=respondent,
        kbli2=kbli2,
        workforce=w,
        general=general,
        orders=orders,
        production=production,
        stock=stock,
        outlook=outlook,
        factors=factors or {},
    )


WORKED_EXAMPLE = [
    record("A", 100, MENINGKAT, TETAP, MENURUN),
    record("B", 300, TETAP, MENURUN, TETAP),
    record("C", 50, MENURUN, MENINGKAT, MENINGKAT),
]


def test_worked_example_gives_43_33_kontraksi():
    index = compute_index(WORKED_EXAMPLE)
    assert index.v_orders == Decimal("55.56")
    assert index.v_production == Decimal("22.22")
    assert index.v_stock == Decimal("44.44")
    assert index.iki == Decimal("43.33")
    assert index.status == KONTRAKSI


def test_worked_example_as_a_subsector_of_the_month():
    result = compute_month("2023-04", WORKED_EXAMPLE)
    food = next(s for s in result.subsectors if s.kbli2 == "10")
    assert food.iki == Decimal("43.33") and food.status == KONTRAKSI and food.respondents == 3
    assert result.iki == Decimal("43.33")
    assert result.contracting == 1 and result.expanding == 0


def test_april_2023_published_variables_give_51_38():
    assert iki_from_variables(Decimal("50.57"), Decimal("52.08"), Decimal("52.33")) == Decimal("51.38")


def test_status_thresholds_are_on_the_published_value():
    all_same = compute_index([record("A", 10, TETAP, TETAP, TETAP)])
    assert all_same.iki == Decimal("50.00") and all_same.status == STABIL
    assert compute_index([record("A", 10, MENINGKAT, TETAP, TETAP)]).status == EKSPANSI


def test_a_subsector_with_fewer_than_3_respondents_is_suppressed():
    rows = [record("A", 100, MENINGKAT, MENINGKAT, MENINGKAT, kbli2="25"), record("B", 10, MENURUN, TETAP, TETAP, kbli2="25")]
    result = compute_month("2023-04", rows + WORKED_EXAMPLE)
    metal = next(s for s in result.subsectors if s.kbli2 == "25")
    assert metal.respondents == 2 and metal.iki is None and metal.status == SUPPRESSED
    contract = result.as_contract()
    metal_json = next(s for s in contract["subsectors"] if s["kbli2"] == "25")
    assert metal_json == {"kbli2": "25", "iki": None, "respondents": 2, "status": "suppressed"}
    # the national figure still pools every response
    assert result.respondents == 5
    assert result.iki == compute_index(rows + WORKED_EXAMPLE).iki


def test_every_one_of_the_23_divisions_is_listed_and_19_is_not():
    result = compute_month("2023-04", WORKED_EXAMPLE)
    assert [s.kbli2 for s in result.subsectors] == list(IKI_DIVISIONS)
    assert len(IKI_DIVISIONS) == 23 and "19" not in IKI_DIVISIONS


def test_a_national_total_under_3_respondents_is_suppressed_too():
    result = compute_month("2023-04", WORKED_EXAMPLE[:2])
    assert result.iki is None and result.as_contract()["iki"] is None


def test_panel_consistency_is_the_share_of_this_months_lines_that_answered_last_month():
    march = [record("A", 1, TETAP, TETAP, TETAP, period="2023-03"), record("B", 1, TETAP, TETAP, TETAP, period="2023-03", kbli2="11")]
    april = [*WORKED_EXAMPLE, record("B", 300, TETAP, TETAP, TETAP, kbli2="11")]
    result = compute_month("2023-04", april, previous=march)
    # A/10 and B/11 answered in March; B/10, C/10 did not: 2 of 4
    assert result.panel_consistency == Decimal("50.00")


def test_panel_consistency_is_unknown_without_a_previous_month():
    assert compute_month("2023-04", WORKED_EXAMPLE).panel_consistency is None


def test_change_against_last_month():
    march = [record(r, 10, MENURUN, MENURUN, MENURUN, period="2023-03") for r in "ABC"]
    result = compute_month("2023-04", WORKED_EXAMPLE, previous=march)
    assert result.previous_iki == Decimal("0.00")
    assert result.change == Decimal("43.33")
    assert compute_month("2023-04", WORKED_EXAMPLE, previous_iki=Decimal("45.00")).change == Decimal("-1.67")


def test_distributions_of_question_1_and_5_are_percentages_of_respondents():
    rows = [
        record("A", 100, TETAP, TETAP, TETAP, general=MENINGKAT, outlook="optimis"),
        record("B", 1, TETAP, TETAP, TETAP, general=MENINGKAT, outlook="pesimis"),
        record("C", 1, TETAP, TETAP, TETAP, general=MENURUN, outlook="optimis"),
    ]
    result = compute_month("2023-04", rows).as_contract()
    assert result["general"] == {"meningkat": 66.67, "tetap": 0.0, "menurun": 33.33}
    assert result["outlook"] == {"optimis": 66.67, "tidak_berubah": 0.0, "pesimis": 33.33}


def test_dominant_factors_rank_by_how_many_respondents_named_them():
    rows = [
        record("A", 1, MENINGKAT, TETAP, TETAP, factors={"orders": ("pesanan_domestik", "nilai_tukar")}),
        record("B", 1, MENINGKAT, TETAP, TETAP, factors={"orders": ("nilai_tukar",)}),
        record("C", 1, TETAP, TETAP, TETAP),
    ]
    dominant = compute_month("2023-04", rows).dominant_factors["orders"]
    assert [(f.factor, f.count, f.pct) for f in dominant] == [
        ("nilai_tukar", 2, Decimal("100.00")),
        ("pesanan_domestik", 1, Decimal("50.00")),
    ]


def test_a_gdp_group_of_several_divisions_is_split_by_respondents_workforce():
    food = [record(r, 300, MENINGKAT, MENINGKAT, MENINGKAT, kbli2="10") for r in "ABC"]
    drinks = [record(r, 100, MENURUN, MENURUN, MENURUN, kbli2="11") for r in "DEF"]
    tobacco = [record(r, 10, MENINGKAT, TETAP, TETAP, kbli2="12") for r in "GHI"]
    groups = [
        GdpGroup(Decimal("38.35"), frozenset({"10", "11"})),
        GdpGroup(Decimal("4.21"), frozenset({"12"})),
        GdpGroup(Decimal("6.25"), frozenset({"13", "14"})),
    ]
    result = compute_month("2023-04", food + drinks + tobacco, gdp_groups=groups)
    # food holds 900 of the group's 1200 workers: 38.35 × 3/4 = 28.7625, plus tobacco whole
    assert result.expanding_gdp_share == Decimal("32.97")
    assert result.expanding == 2 and result.contracting == 1


def test_previous_period_wraps_the_year():
    assert previous_period("2023-01") == "2022-12"
    assert previous_period("2023-10") == "2023-09"


answers = st.sampled_from(CHANGE_ANSWERS)
records_strategy = st.lists(
    st.builds(
        ResponseRecord,
        period=st.just("2023-04"),
        respondent=st.text(min_size=1, max_size=4),
        kbli2=st.sampled_from(IKI_DIVISIONS),
        workforce=st.integers(min_value=0, max_value=100_000),
        general=answers,
        orders=answers,
        production=answers,
        stock=answers,
        outlook=st.sampled_from(OUTLOOK_ANSWERS),
    ),
    min_size=1,
    max_size=40,
)


@given(records_strategy)
@settings(max_examples=200, deadline=None)
def test_the_index_and_its_variables_stay_between_0_and_100(rows):
    index = compute_index(rows)
    for value in (index.iki, index.v_orders, index.v_production, index.v_stock):
        assert Decimal(0) <= value <= Decimal(100)


UP = {MENURUN: TETAP, TETAP: MENINGKAT}


@given(records_strategy, st.data())
@settings(max_examples=200, deadline=None)
def test_the_index_never_falls_when_one_answer_moves_up(rows, data):
    position = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    variable = data.draw(st.sampled_from(["orders", "production", "stock"]))
    chosen = rows[position]
    current = getattr(chosen, variable)
    assume(current in UP)
    moved = chosen._replace(**{variable: UP[current]})
    before = compute_index(rows)
    after = compute_index([*rows[:position], moved, *rows[position + 1 :]])
    assert after.iki >= before.iki
    assert getattr(after, f"v_{variable}") >= getattr(before, f"v_{variable}")
