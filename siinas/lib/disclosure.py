"""Disclosure control (pengamanan data): which cells of a published table are hidden.

One module for every output that aggregates companies (Pemda dashboard and recaps, the ministry
overview, public pages and the API): individual company data is confidential by law (UU 3/2014 Pasal
69–70), so no published table may let a reader work out one company's figure. The rules, in plain
language, are in docs/statistics.md ("Disclosure control"):

- **Count rule** (primary): a cell of 1 or 2 contributing companies is hidden (``MIN_CONTRIBUTORS``).
  An empty cell (0) is not an aggregate of anybody and is shown.
- **Dominance rule** (primary, magnitudes only): a cell whose ``DOMINANCE_N`` largest contributors make
  more than ``DOMINANCE_K`` of its value is hidden — the (n, k) = (2, 85 %) rule: one dominant company
  among five would otherwise be disclosed by the cell itself (its value is close to the cell's).
- **Secondary suppression**: where a group of cells adds up to a published total, a hidden cell must not
  be recoverable by subtraction. In each such group the hidden cells must be at least two and together
  pass the primary rules (their union is itself "safe"); else the next-smallest shown cell of the group
  is hidden too, or — when none is left — the total. Finally every hidden cell is checked against all
  the table's equations at once (exact linear algebra over the rationals): a cell still determined, as a
  2-D table can make it, takes one more cell with it.
- **Viewer rule**: a viewer who may see some contributors row by row (a kab/kota officer and the Kecil
  and Menengah factories under its authority) can subtract them from any figure, so the rules apply to
  the contributors it *cannot* see: callers pass those as ``Entry.n``, ``value`` and ``top``. A cell
  whose every contributor the viewer sees (nothing left after subtraction, or ``Entry.seen``) is never
  hidden for that viewer — hiding it protects nobody — nor used as a complementary cell.
  ``viewer_can_see_rows=True`` says so of the whole table.

Values are assumed non-negative (counts, rupiah, persons). A company contributing to two cells of one
group (a factory registered in two KBLI divisions) makes the group's equation an over-count; treating
it as exact is the cautious side.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

MIN_CONTRIBUTORS = 3  # a cell of fewer companies is never published (1–2 are hidden; 0 is empty, shown)
DOMINANCE_N = 2  # the (n, k) dominance rule: the n largest contributors ...
DOMINANCE_K = Decimal("0.85")  # ... may not make more than k of the cell's value

Number = int | Decimal | float | Fraction


@dataclass(frozen=True)
class Entry:
    """One cell as the rules see it: ``n`` contributing companies, the published ``value`` (a count or a
    sum), the ``top`` contributions in decreasing order (at least ``DOMINANCE_N`` of them when known;
    magnitudes only) — each of the contributors the viewer cannot see row by row (viewer rule) — and
    ``seen``: the viewer may see every contributor row by row."""

    key: Hashable
    n: int
    value: Number = 0
    top: tuple[Number, ...] = ()
    seen: bool = False


@dataclass(frozen=True)
class Group:
    """Cells that add up to a total: ``members`` (keys) and ``total``, the key of the total's own Entry
    (it may be hidden too); ``total=None``: a total that is published as a fixed figure elsewhere."""

    members: tuple[Hashable, ...]
    total: Hashable | None = None


@dataclass
class Table:
    """A table to publish: its cells, the groups that add up, and whether the values are magnitudes
    (sums of company values: the dominance rule applies) or counts."""

    cells: Sequence[Entry]
    groups: Sequence[Group] = field(default_factory=list)
    magnitude: bool = False


def top_values(values: Iterable[Number], n: int = DOMINANCE_N) -> tuple[Number, ...]:
    """The ``n`` largest contributions, largest first (what ``Entry.top`` holds)."""
    return tuple(sorted(values, reverse=True)[:n])


def dominated(value: Number, top: Sequence[Number]) -> bool:
    """Whether the ``DOMINANCE_N`` largest contributions make more than ``DOMINANCE_K`` of ``value``."""
    total = Fraction(value)
    if total <= 0:
        return False
    return sum((Fraction(v) for v in top[:DOMINANCE_N]), Fraction(0)) > Fraction(DOMINANCE_K) * total


def sensitive(entry: Entry, *, magnitude: bool) -> bool:
    """The primary rules: would publishing this cell on its own disclose a company?"""
    if entry.seen or entry.n == 0:
        return False
    if entry.n < MIN_CONTRIBUTORS:
        return True
    return magnitude and dominated(entry.value, entry.top)


def _union(entries: Sequence[Entry]) -> Entry:
    """The hidden cells of a group taken together (what subtracting the shown ones from the total gives)."""
    tops = [v for e in entries for v in e.top]
    value = sum((Fraction(e.value) for e in entries), Fraction(0))
    return Entry(key=None, n=sum(e.n for e in entries), value=value, top=top_values(tops))


def protect(table: Table, *, viewer_can_see_rows: bool = False, hidden: Iterable[Hashable] = ()) -> frozenset[Hashable]:
    """The keys of the cells to hide (primary, then secondary suppression; module docstring).

    ``hidden``: cells hidden already by another rule over the same cells (the counts of a table whose
    magnitudes are protected next): they stay hidden and count as hidden."""
    if viewer_can_see_rows:
        return frozenset()
    cells = {c.key: c for c in table.cells}
    hidden = {k for k in hidden if k in cells} | {k for k, c in cells.items() if sensitive(c, magnitude=table.magnitude)}
    groups = [g for g in table.groups if any(m in cells for m in g.members)]
    if not groups:
        # No cell adds up to anything published: each cell stands alone and the primary rules decide. The
        # secondary step and the exact check below have no equation to work with (``exposed`` would sort
        # every hidden key to find none), so they are skipped — same result, tested.
        return frozenset(hidden)

    def candidate(group: Group) -> Hashable | None:
        """The next cell to hide in ``group``: its smallest shown, non-empty cell the viewer cannot see."""
        shown = [cells[m] for m in group.members if m in cells and m not in hidden and cells[m].n and not cells[m].seen]
        if shown:
            return min(shown, key=lambda c: (Fraction(c.value), c.n, str(c.key))).key
        if group.total is not None and group.total not in hidden:
            return group.total
        return None

    def smallest_shown() -> Hashable | None:
        """When a cell's own groups have nothing left to hide (empty cells around it): the smallest shown
        cell of the whole table that takes part in an equation."""
        in_equations = {k for g in groups for k in (*g.members, g.total) if k in cells}
        shown = [cells[k] for k in in_equations if k not in hidden and cells[k].n and not cells[k].seen]
        return min(shown, key=lambda c: (Fraction(c.value), c.n, str(c.key))).key if shown else None

    changed = True
    while changed:
        changed = False
        for group in groups:
            if group.total is not None and group.total in hidden:
                continue  # nothing to subtract from; the exact check below covers what other groups give away
            inside = [cells[m] for m in group.members if m in hidden]
            if not inside or (len(inside) >= 2 and not sensitive(_union(inside), magnitude=table.magnitude)):
                continue
            extra = candidate(group)
            if extra is not None:
                hidden.add(extra)
                changed = True
        if not changed:
            # A hidden cell the table's equations still determine (a two-way table can): one more cell of a
            # group it is in. Empty cells and cells the viewer sees need no cover.
            for key in exposed(Table(cells=table.cells, groups=groups, magnitude=table.magnitude), hidden):
                if key in cells and (cells[key].n == 0 or cells[key].seen):
                    continue
                around = (candidate(g) for g in groups if key in g.members or key == g.total)
                extra = next((c for c in around if c is not None), None) or smallest_shown()
                if extra is not None:
                    hidden.add(extra)
                    changed = True
                    break
    return frozenset(hidden)


def protect_table(
    cells: Sequence[Entry],
    groups: Sequence[Group] | None = None,
    *,
    magnitude: bool = False,
    viewer_can_see_rows: bool = False,
    hidden: Iterable[Hashable] = (),
) -> frozenset[Hashable]:
    """The entry point for any output (dashboard, recap, public statistics page, API): the keys to hide.

    ``groups=None``: the cells add up to one total that is published elsewhere (the usual 1-D table with
    a "Jumlah" line); pass ``[]`` for cells that add up to nothing published."""
    if groups is None:
        groups = [Group(members=tuple(c.key for c in cells))]
    table = Table(cells=cells, groups=groups, magnitude=magnitude)
    return protect(table, viewer_can_see_rows=viewer_can_see_rows, hidden=hidden)


def exposed(table: Table, hidden: Iterable[Hashable]) -> list[Hashable]:
    """Hidden cells whose exact value follows from the shown cells and the groups' equations.

    Each group gives ``sum(members) − total = 0`` (a published fixed total: ``sum(members) = known``);
    the unknowns are the hidden cells. A hidden cell is determined exactly when its unit vector lies in
    the row space of the equations over the unknowns: after reduction to row echelon form, when some row
    has that cell as its only non-zero entry."""
    hidden_keys = sorted(set(hidden), key=str)
    index = {k: i for i, k in enumerate(hidden_keys)}
    rows: list[list[Fraction]] = []
    for group in table.groups:
        coefficients = [Fraction(0)] * len(hidden_keys)
        for member in group.members:
            if member in index:
                coefficients[index[member]] += 1
        if group.total is not None and group.total in index:
            coefficients[index[group.total]] -= 1
        if any(coefficients):
            rows.append(coefficients)
    return [hidden_keys[i] for i in _determined(rows, len(hidden_keys))]


def _determined(rows: list[list[Fraction]], width: int) -> list[int]:
    """Columns fixed by the homogeneous system ``rows``: reduced row echelon form, then rows with one entry."""
    matrix = [list(r) for r in rows]
    pivot_row = 0
    for column in range(width):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [v / lead for v in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)]
        pivot_row += 1
    out = []
    for row in matrix[:pivot_row]:
        nonzero = [i for i, v in enumerate(row) if v != 0]
        if len(nonzero) == 1:
            out.append(nonzero[0])
    return sorted(out)

