"""The sector analysis' tables (analisis/sector/tables.py) on generated panels with a dominant firm: no
company's value can be read off, or derived from, what the subsector page and its downloads publish —
its cells, the 5-digit groups subtracted from the subsector total, the top products (and "lainnya")
subtracted from the same total, or both equations combined. The checks here recompute everything from
the companies' own values; they do not ask the disclosure module."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analisis.sector.tables import TOTAL, CompanyFigures, Line, cells_of, protect_subsector, top_list
from informasi.selectors import MAGNITUDES, MEASURES, StatRow
from siinas.lib import disclosure

GROUPS = ("10110", "10120", "10130", "10211")
PRODUCTS = ("hs:1001", "hs:1101", "nama:roti", "hs:1905", "nama:mi")


def safe(contributions: dict[int, Decimal]) -> bool:
    """The rules recomputed: nobody, or 3 companies or more of whom the two largest hold at most 85 %."""
    values = list(contributions.values())
    if not values:
        return True
    if len(values) < 3:
        return False
    total = sum(values, Decimal(0))
    if total <= 0:
        return True
    return sum(sorted(values, reverse=True)[:2], Decimal(0)) <= Decimal("0.85") * total


def union(*parts: dict[int, Decimal]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(Decimal)
    for part in parts:
        for company, value in part.items():
            out[company] += value
    return dict(out)


def determined(equations: list[dict], unknowns: list) -> set:
    """Unknowns fixed by the homogeneous system (0 in every null-space vector; Gauss–Jordan over Q)."""
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
    basis = []
    for free in (c for c in range(len(unknowns)) if c not in pivots):
        vector = [Fraction(0)] * len(unknowns)
        vector[free] = Fraction(1)
        for r, p in enumerate(pivots):
            vector[p] = -matrix[r][free]
        basis.append(vector)
    return {k for k in unknowns if all(v[index[k]] == 0 for v in basis)}


@st.composite
def panels(draw):
    """Companies of one subsector: each in one 5-digit group, with product lines whose values add up to
    its production value; often one firm far larger than the rest."""
    n = draw(st.integers(min_value=1, max_value=9))
    dominant = draw(st.sampled_from([None, *range(n)]))
    companies, products, materials = [], [], []
    for c in range(n):
        scale = 1000 if c == dominant else 1
        lines = draw(st.lists(st.tuples(st.sampled_from(PRODUCTS), st.integers(min_value=0, max_value=50)), max_size=3))
        for key, value in lines:
            products.append(Line(key, key.split(":")[1], key[3:] if key.startswith("hs:") else "", c, Decimal(value * scale)))
        for key, value in draw(st.lists(st.tuples(st.sampled_from(PRODUCTS), st.integers(min_value=1, max_value=50)), max_size=2)):
            materials.append(Line(key, key, "", c, Decimal(value * scale)))
        production = sum((Decimal(v * scale) for _k, v in lines), Decimal(0)) if lines else None
        values = {
            "workforce": Decimal(draw(st.integers(min_value=1, max_value=40)) * scale),
            "investment": draw(st.one_of(st.none(), st.integers(min_value=0, max_value=90).map(lambda v, s=scale: Decimal(v * s)))),
            "production": production,
            "export": draw(st.one_of(st.none(), st.integers(min_value=0, max_value=30).map(lambda v, s=scale: Decimal(v * s)))),
            "utilisation": draw(st.one_of(st.none(), st.integers(min_value=0, max_value=100).map(Decimal))),
        }
        companies.append(CompanyFigures(company=c, group=draw(st.sampled_from(GROUPS)), values=values))
    return companies, products, materials


def headline_of(companies, *, forced_hidden: bool) -> StatRow:
    """The subsector's row as the national table publishes it: primary rules, or hidden by that table's
    secondary step (``forced_hidden``)."""
    row = StatRow(key="10", label="10 Industri makanan", cells=cells_of(companies))
    for measure, cell in row.cells.items():
        magnitude = measure in MAGNITUDES
        value = cell.total * cell.n if measure == "utilisation" else cell.total
        entry = disclosure.Entry(key=measure, n=cell.n, value=value, top=(cell.top1, cell.top2) if magnitude else ())
        cell.hidden = not cell.empty and (forced_hidden or disclosure.sensitive(entry, magnitude=magnitude))
    return row


def contributions(companies, measure: str) -> dict[str, dict[int, Decimal]]:
    """Per 5-digit group: company → its value of ``measure`` (establishments: 1 each)."""
    out: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for c in companies:
        value = Decimal(1) if measure == "establishments" else c.values[measure]
        if value is not None:
            out[c.group][c.company] = value
    return out


def _assert_nothing_derivable(cells: dict, shown: set, equations: list[tuple[tuple, object]], *, magnitude: bool) -> None:
    """``cells``: key → company contributions; ``equations``: (members, total) meaning Σ members = total.
    Every shown cell passes the rules; every hidden cell the equations determine passes them; and where
    a total is known, the hidden members of its equation together pass them."""

    def ok(part):
        return safe(part) if magnitude else (not part or len(part) >= 3)

    for key in shown:
        assert ok(cells[key]), f"shown cell {key} discloses {cells[key]}"
    hidden = sorted((k for k in cells if k not in shown and cells[k]), key=str)
    system = []
    for members, total in equations:
        eq: dict = {}
        for m in members:
            if m in hidden:
                eq[m] = eq.get(m, 0) + 1
        if total in hidden:
            eq[total] = eq.get(total, 0) - 1
        if eq:
            system.append(eq)
    fixed = determined(system, hidden)
    for key in fixed:
        assert ok(cells[key]), f"hidden cell {key} is derivable and discloses {cells[key]}"
    known = shown | fixed
    for members, total in equations:
        if total in known or not cells[total]:
            rest = union(*(cells[m] for m in members if m not in known))
            assert ok(rest), f"{total} minus the shown cells of {members} discloses {rest}"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels(), st.booleans())
def test_no_company_is_derivable_from_the_groups_products_and_the_subsector_total(panel, forced_hidden):
    companies, products, materials = panel
    headline = headline_of(companies, forced_hidden=forced_hidden)
    rows, total, top_products, top_materials = protect_subsector(companies, headline, products, materials, labels={}, limit=3)

    # The groups' total is the headline, shown or hidden exactly as the national table shows it.
    for measure in MEASURES:
        assert total.cells[measure].hidden == headline.cells[measure].hidden

    for measure in MEASURES:
        per_group = contributions(companies, measure)
        cells = {("group", r.key): per_group.get(r.key, {}) for r in rows}
        cells[TOTAL] = union(*per_group.values())
        shown = {("group", r.key) for r in rows if r.cells[measure].shown is not None}
        if total.cells[measure].shown is not None:
            shown.add(TOTAL)
        equations = [(tuple(("group", r.key) for r in rows), TOTAL)]
        if measure == "production":  # the products add up to the same total: both equations at once
            per_product: dict[str, dict[int, Decimal]] = defaultdict(dict)
            for line in products:
                per_product[line.key][line.company] = per_product[line.key].get(line.company, Decimal(0)) + line.value
            listed = [c.key for c in top_products.listed]
            for key in listed:
                cells[("line", key)] = per_product[key]
                shown.add(("line", key))
                assert top_products.listed[listed.index(key)].value == sum(per_product[key].values())
            cells["lainnya"] = union(*(v for k, v in per_product.items() if k not in listed))
            if top_products.other.shown is not None:
                shown.add("lainnya")
            assert union(*per_product.values()) == cells[TOTAL], "the products add up to the production total"
            equations.append(((*(("line", k) for k in listed), "lainnya"), TOTAL))
            # The list's own total line shows the headline's figure or nothing.
            assert top_products.total.shown in (None, total.cells["production"].shown)
        if measure == "utilisation":  # a mean: published with n, so its sum is what must not leak
            continue
        _assert_nothing_derivable(cells, shown, equations, magnitude=measure in MAGNITUDES)

    # Materials: the listed ones, "lainnya" and their total.
    per_material: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for line in materials:
        per_material[line.key][line.company] = per_material[line.key].get(line.company, Decimal(0)) + line.value
    listed = [c.key for c in top_materials.listed]
    cells = {("line", k): per_material[k] for k in listed}
    cells["lainnya"] = union(*(v for k, v in per_material.items() if k not in listed))
    cells[TOTAL] = union(*per_material.values())
    shown = {("line", k) for k in listed}
    shown |= {"lainnya"} if top_materials.other.shown is not None else set()
    shown |= {TOTAL} if top_materials.total.shown is not None else set()
    _assert_nothing_derivable(cells, shown, [((*(("line", k) for k in listed), "lainnya"), TOTAL)], magnitude=True)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_the_utilisation_of_a_hidden_group_cannot_be_worked_back_from_the_means(panel):
    companies, products, materials = panel
    headline = headline_of(companies, forced_hidden=False)
    rows, total, _p, _m = protect_subsector(companies, headline, products, materials, labels={})
    per_group = contributions(companies, "utilisation")
    # mean × n is a sum the groups add up to: treat it as a count table of those sums
    cells = {("group", r.key): per_group.get(r.key, {}) for r in rows}
    cells[TOTAL] = union(*per_group.values())
    shown = {("group", r.key) for r in rows if r.cells["utilisation"].shown is not None}
    if total.cells["utilisation"].shown is not None:
        shown.add(TOTAL)
    _assert_nothing_derivable(cells, shown, [(tuple(("group", r.key) for r in rows), TOTAL)], magnitude=False)


def test_a_dominant_firm_among_many_hides_its_product_and_keeps_it_out_of_the_list():
    lines = [Line("hs:1001", "Tepung terigu", "1001", c, Decimal(10)) for c in range(5)]
    lines += [Line("hs:1905", "Roti", "1905", 0, Decimal(10_000))] + [Line("hs:1905", "Roti", "1905", c, Decimal(5)) for c in (1, 2, 3)]
    lines += [Line("hs:1101", "Mi", "1101", c, Decimal(20)) for c in (1, 2, 3, 4)]
    top, _side = top_list(lines, limit=5)
    assert [c.key for c in top.listed] == ["hs:1101", "hs:1001"]
    assert top.other.hidden, "roti alone is one firm's value"
    assert top.total.hidden, "the total minus the listed products would give it back"


def test_a_product_of_two_companies_is_never_listed_and_cannot_be_subtracted_out():
    lines = [Line("hs:1001", "Tepung", "1001", c, Decimal(100)) for c in range(4)] + [
        Line("hs:2009", "Jus", "2009", c, Decimal(1)) for c in (0, 1)
    ]
    top, _side = top_list(lines, limit=5)  # a total published only here: it is hidden with "lainnya"
    assert [c.key for c in top.listed] == ["hs:1001"]
    assert top.other.hidden and top.total.hidden
    top, _side = top_list(lines, limit=5, total_hidden=False)  # a total shown elsewhere: tepung must go
    assert top.listed == [] and top.other.shown == top.total.shown == Decimal(402)
