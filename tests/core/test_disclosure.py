"""Disclosure control (siinas/lib/disclosure.py): the count rule, the (2, 85 %) dominance rule, secondary
suppression and the viewer rule; then property tests: no published table lets one company's value be
derived from the shown cells and totals, and no shown magnitude cell is dominated."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siinas.lib.disclosure import (
    DOMINANCE_K,
    DOMINANCE_N,
    MIN_CONTRIBUTORS,
    Entry,
    Group,
    Table,
    dominated,
    exposed,
    protect,
    protect_table,
    sensitive,
    top_values,
)


def entry(key, contributions, *, seen=False) -> Entry:
    return Entry(key=key, n=len(contributions), value=sum(contributions), top=top_values(contributions), seen=seen)


# --- The rules on small tables ----------------------------------------------------------------------------


def test_the_parameters_are_the_documented_ones():
    assert MIN_CONTRIBUTORS == 3
    assert DOMINANCE_N == 2
    assert Decimal("0.85") == DOMINANCE_K


def test_a_cell_of_one_or_two_companies_is_hidden_and_an_empty_one_is_not():
    cells = [Entry("a", 1), Entry("b", 2), Entry("c", 0), Entry("d", 5), Entry("e", 9)]
    hidden = protect_table(cells, [])
    assert {"a", "b"} <= hidden
    assert "c" not in hidden


def test_one_dominant_company_among_five_hides_a_magnitude_cell():
    cells = [entry("bekasi", [95, 2, 1, 1, 1]), entry("bogor", [10, 10, 10, 10]), entry("depok", [5, 6, 7])]
    assert protect_table(cells, [], magnitude=True) == {"bekasi"}


def test_two_companies_at_exactly_85_percent_are_not_dominant():
    assert not dominated(100, (50, 35))
    assert dominated(100, (50, 36))


def test_the_dominance_rule_does_not_apply_to_counts():
    cells = [Entry("a", 5, value=5, top=(1, 1))]
    assert protect_table(cells, [], magnitude=False) == frozenset()


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it_when_the_total_is_shown():
    cells = [Entry("a", 1, 1), Entry("b", 4, 4), Entry("c", 9, 9)]
    assert protect_table(cells) == {"a", "b"}


def test_two_hidden_cells_that_together_are_still_one_dominant_company_take_a_third():
    cells = [entry("a", [900]), entry("b", [5, 5]), entry("c", [300, 300, 300]), entry("d", [400, 400, 400, 400])]
    hidden = protect_table(cells, magnitude=True)
    assert hidden == {"a", "b", "c"}


def test_the_total_is_hidden_when_no_other_cell_can_cover_the_hidden_one():
    cells = [entry("a", [7]), entry("b", [3, 3, 3], seen=True), entry("total", [7, 3, 3, 3])]
    hidden = protect_table(cells, [Group(members=("a", "b"), total="total")], magnitude=True)
    assert hidden == {"a", "total"}


def test_what_the_viewer_may_see_row_by_row_is_never_hidden_for_that_viewer():
    cells = [Entry("own", 2, 2, seen=True), Entry("other", 4, 4)]
    assert protect_table(cells) == frozenset()
    assert protect_table([Entry("a", 1), Entry("b", 2)], viewer_can_see_rows=True) == frozenset()


def test_a_bridge_in_a_two_way_table_is_found_and_covered():
    # Rows r1..r4 × columns c1..c4, margins shown. Two 2×2 blocks of hidden cells joined by one more
    # hidden cell: each row and column holds ≥ 2 hidden cells, yet the joining cell is a bridge and
    # follows exactly from the margins. The exact check must hide more.
    grid = {(r, c): 10 for r in range(4) for c in range(4)}
    cells = [Entry((r, c), 5, v) for (r, c), v in grid.items()]
    rows = [Group(members=tuple((r, c) for c in range(4)), total=("row", r)) for r in range(4)]
    cols = [Group(members=tuple((r, c) for r in range(4)), total=("col", c)) for c in range(4)]
    cells += [Entry(("row", r), 20, 40) for r in range(4)] + [Entry(("col", c), 20, 40) for c in range(4)]
    table = Table(cells=cells, groups=rows + cols)
    from siinas.lib.disclosure import exposed

    bridge = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)}
    assert (1, 2) in exposed(table, bridge)
    small = {(0, 0): 1}
    cells = [Entry(k, small.get(k, 5), 10) for k in grid] + cells[16:]
    hidden = protect(Table(cells=cells, groups=rows + cols))
    assert (0, 0) in hidden
    assert exposed(Table(cells=cells, groups=rows + cols), hidden) == []


def test_empty_cells_around_a_hidden_one_do_not_leave_it_derivable():
    # Found by the property test below: in a 3 × 4 table with margins, the only cells beside (0, 2) are
    # empty, so its row and column have nothing left to hide; the margins still gave it away.
    grid = {(r, c): [] for r in range(3) for c in range(4)}
    grid.update({(0, 2): [1], (0, 3): [1], (1, 3): [1, 1], (2, 1): [1], (2, 2): [1, 1]})
    cells, groups = _two_way(grid, 3, 4)
    hidden = protect(Table(cells=cells, groups=groups))
    assert (0, 2) in hidden
    _assert_published_table_is_safe(cells, groups, hidden, magnitude=False)


# --- Property tests ---------------------------------------------------------------------------------------

contributions = st.lists(st.integers(min_value=0, max_value=1_000), min_size=0, max_size=6)


def _determined_by_nullspace(equations: list[dict], unknowns: list) -> set:
    """Independent check: an unknown is determined iff every solution of the homogeneous system has it
    0, i.e. it is 0 in every vector of the null space (a basis from Gauss–Jordan elimination)."""
    index = {k: i for i, k in enumerate(unknowns)}
    matrix = [[Fraction(eq.get(k, 0)) for k in unknowns] for eq in equations]
    pivots: list[int] = []
    row = 0
    for col in range(len(unknowns)):
        pick = next((r for r in range(row, len(matrix)) if matrix[r][col]), None)
        if pick is None:
            continue
        matrix[row], matrix[pick] = matrix[pick], matrix[row]
        matrix[row] = [v / matrix[row][col] for v in matrix[row]]
        for r in range(len(matrix)):
            if r != row and matrix[r][col]:
                f = matrix[r][col]
                matrix[r] = [a - f * b for a, b in zip(matrix[r], matrix[row], strict=True)]
        pivots.append(col)
        row += 1
    free = [c for c in range(len(unknowns)) if c not in pivots]
    basis = []
    for f in free:
        vector = [Fraction(0)] * len(unknowns)
        vector[f] = Fraction(1)
        for r, p in enumerate(pivots):
            vector[p] = -matrix[r][f]
        basis.append(vector)
    return {k for k in unknowns if all(v[index[k]] == 0 for v in basis)}


def _two_way(grid: dict, n_rows: int, n_cols: int) -> tuple[list[Entry], list[Group]]:
    """A rows × columns table of company values with its row, column and grand totals, each a cell."""
    cells = [entry(k, v) for k, v in grid.items()]
    for r in range(n_rows):
        cells.append(entry(("row", r), [x for c in range(n_cols) for x in grid[(r, c)]]))
    for c in range(n_cols):
        cells.append(entry(("col", c), [x for r in range(n_rows) for x in grid[(r, c)]]))
    cells.append(entry("total", [x for v in grid.values() for x in v]))
    groups = [Group(tuple((r, c) for c in range(n_cols)), ("row", r)) for r in range(n_rows)]
    groups += [Group(tuple((r, c) for r in range(n_rows)), ("col", c)) for c in range(n_cols)]
    groups += [Group(tuple(("row", r) for r in range(n_rows)), "total"), Group(tuple(("col", c) for c in range(n_cols)), "total")]
    return cells, groups


def _equations(groups, hidden) -> list[dict]:
    out = []
    for g in groups:
        eq: dict = {}
        for m in g.members:
            if m in hidden:
                eq[m] = eq.get(m, 0) + 1
        if g.total is not None and g.total in hidden:
            eq[g.total] = eq.get(g.total, 0) - 1
        if eq:
            out.append(eq)
    return out


def _assert_published_table_is_safe(cells: list[Entry], groups: list[Group], hidden, *, magnitude: bool) -> None:
    by_key = {c.key: c for c in cells}
    for c in cells:
        if c.key not in hidden and not c.seen:
            assert not (0 < c.n < MIN_CONTRIBUTORS), f"shown cell {c.key} of {c.n} companies"
            if magnitude:
                assert not dominated(c.value, c.top), f"shown cell {c.key} is dominated"
    derivable = _determined_by_nullspace(_equations(groups, hidden), sorted(hidden, key=str))
    sensitive_derivable = {k for k in derivable if by_key[k].n and not by_key[k].seen}
    assert not sensitive_derivable, f"derivable from the shown cells and totals: {sensitive_derivable}"
    for g in groups:  # what subtraction gives for a group: the hidden cells together must pass the rules
        if g.total is not None and g.total in hidden:
            continue
        inside = [by_key[m] for m in g.members if m in hidden]
        if inside:
            tops = [v for c in inside for v in c.top]
            union = Entry("u", sum(c.n for c in inside), sum(c.value for c in inside), top_values(tops))
            assert len(inside) >= 2
            assert not (0 < union.n < MIN_CONTRIBUTORS)
            if magnitude:
                assert not dominated(union.value, union.top)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contributions, min_size=1, max_size=8), st.booleans())
def test_no_one_way_table_with_a_total_gives_a_company_away(columns, magnitude):
    cells = [entry(i, values) for i, values in enumerate(columns)]
    everything = [v for values in columns for v in values]
    cells.append(entry("total", everything))
    groups = [Group(members=tuple(range(len(columns))), total="total")]
    hidden = protect(Table(cells=cells, groups=groups, magnitude=magnitude))
    _assert_published_table_is_safe(cells, groups, hidden, magnitude=magnitude)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=5),
    st.data(),
    st.booleans(),
)
def test_no_two_way_table_with_margins_gives_a_company_away(n_rows, n_cols, data, magnitude):
    grid = {(r, c): data.draw(contributions) for r in range(n_rows) for c in range(n_cols)}
    cells, groups = _two_way(grid, n_rows, n_cols)
    hidden = protect(Table(cells=cells, groups=groups, magnitude=magnitude))
    _assert_published_table_is_safe(cells, groups, hidden, magnitude=magnitude)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(contributions, st.booleans()), min_size=1, max_size=6))
def test_cells_the_viewer_sees_row_by_row_are_always_shown(columns):
    cells = [entry(i, values, seen=seen) for i, (values, seen) in enumerate(columns)]
    everything = [v for values, _seen in columns for v in values]
    cells.append(entry("total", everything, seen=all(seen for values, seen in columns if values)))
    groups = [Group(tuple(range(len(columns))), "total")]
    hidden = protect(Table(cells=cells, groups=groups, magnitude=True))
    assert not any(c.seen and c.key in hidden for c in cells)
    _assert_published_table_is_safe(cells, groups, hidden, magnitude=True)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(contributions, st.booleans()), min_size=0, max_size=12),
    st.booleans(),
    st.sets(st.integers(0, 14), max_size=3),
)
def test_cells_in_no_group_are_decided_by_the_primary_rules_alone(columns, magnitude, already):
    """``groups=[]`` (cells that add up to nothing published, as the Pohon Industri counts): the module skips
    the secondary step and the exact check. The result is what the full procedure gives — the primary rules
    and the cells hidden already — and what the exact check finds exposed in it is nothing."""
    cells = [entry(i, values, seen=seen) for i, (values, seen) in enumerate(columns)]
    hidden = protect_table(cells, groups=[], magnitude=magnitude, hidden=already)
    expected = {c.key for c in cells if sensitive(c, magnitude=magnitude)} | {k for k in already if k < len(cells)}
    assert hidden == expected
    assert exposed(Table(cells=cells, groups=[], magnitude=magnitude), hidden) == []
