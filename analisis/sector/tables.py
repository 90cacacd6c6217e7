"""The sector analysis' tables from per-company figures, protected before anything leaves (pure: no
database, so the property tests in tests/analisis/test_sector_disclosure.py run it on generated panels).

Three tables of one subsector (KBLI 2-digit) and one period share a published figure, the subsector's
total production value (its headline, a row of ``informasi.selectors.division_statistics``):

- the 5-digit groups: each company counts in exactly one group (its lowest 5-digit code in the
  subsector), so the groups add up to the subsector's total, measure by measure, and are protected as
  such (``informasi.selectors._protect``, with the headline as ``parent``: a hidden headline stays hidden
  and the rows may not add up to it);
- the top products by production value and "Produk lainnya" (every other product together): the
  products partition the production rows of the same reports, so they too add up to the subsector's
  production total. They are protected in **one** table with the groups' production column (both
  equations at once: the module's exact check sees what combining them gives). Only products that pass
  the primary rules on their own are candidates for the list (ranking a hidden product would tell its
  size); a listed product the secondary step hides leaves the list and joins "lainnya";
- the top raw materials by value, with "Bahan lainnya" and their total (published only here).

Each company's contribution to a product is the sum of its lines of that product, so the dominance rule
sees companies, not lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from informasi.selectors import MAGNITUDES, MEANS, MEASURES, PERCENT, StatCell, StatRow, _protect
from siinas.lib import disclosure

TOP_LINES = 10  # products and materials listed by value
TOTAL = "total"
OTHER = "lainnya"


@dataclass(frozen=True)
class CompanyFigures:
    """One company's figures for the period (its validated periodic reports summed; utilisation their
    mean), and the 5-digit group it counts in. ``None``: the company has no such section."""

    company: int
    group: str
    values: dict[str, Decimal | None]


@dataclass(frozen=True)
class Line:
    """One company's value of one product (or material) in the period; ``key`` groups the lines: the HS
    code when given, else the name (case and outer spaces aside)."""

    key: str
    name: str
    hs_code: str
    company: int
    value: Decimal


def cells_of(companies: Sequence[CompanyFigures]) -> dict[str, StatCell]:
    """What ``informasi.selectors._cells`` makes of a grouped SQL row, from the companies themselves."""
    cells = {"establishments": StatCell(n=len(companies), total=Decimal(len(companies)))}
    for measure in MAGNITUDES:
        values = [c.values[measure] for c in companies if c.values.get(measure) is not None]
        top = disclosure.top_values(values)
        cells[measure] = StatCell(
            n=len(values),
            total=sum(values, Decimal(0)),
            top1=top[0] if top else Decimal(0),
            top2=top[1] if len(top) > 1 else Decimal(0),
        )
    for measure in MEANS:
        values = [c.values[measure] for c in companies if c.values.get(measure) is not None]
        mean = (sum(values, Decimal(0)) / len(values)).quantize(PERCENT) if values else Decimal(0)
        cells[measure] = StatCell(n=len(values), total=mean)
    return cells


def group_rows(companies: Sequence[CompanyFigures], labels: dict[str, str]) -> list[StatRow]:
    by_group: dict[str, list[CompanyFigures]] = defaultdict(list)
    for company in companies:
        by_group[company.group].append(company)
    return [StatRow(key=g, label=labels.get(g, g), cells=cells_of(by_group[g])) for g in sorted(by_group)]


@dataclass
class LineCell:
    """A product (or material), or "lainnya", or the total: ``companies`` → their summed value."""

    key: str
    name: str = ""
    hs_code: str = ""
    companies: dict[int, Decimal] = field(default_factory=dict)
    hidden: bool = False

    @property
    def value(self) -> Decimal:
        return sum(self.companies.values(), Decimal(0))

    def entry(self, key: Hashable) -> disclosure.Entry:
        values = list(self.companies.values())
        return disclosure.Entry(key=key, n=len(values), value=self.value, top=disclosure.top_values(values))

    @property
    def empty(self) -> bool:
        return not self.companies

    @property
    def shown(self) -> Decimal | None:
        return None if self.hidden or self.empty else self.value


@dataclass
class TopList:
    """The listed lines (largest first, all shown), "lainnya" and the total as published."""

    listed: list[LineCell]
    other: LineCell
    total: LineCell


def line_cells(lines: Iterable[Line]) -> dict[str, LineCell]:
    """The lines grouped by key: per company its summed value; the name shown is the one most companies
    use (ties: the first alphabetically)."""
    cells: dict[str, LineCell] = {}
    names: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for line in lines:
        cell = cells.get(line.key)
        if cell is None:  # (not setdefault: a LineCell per line was a third of a large subsector's cost)
            cell = cells[line.key] = LineCell(key=line.key, hs_code=line.hs_code)
        cell.companies[line.company] = cell.companies.get(line.company, Decimal(0)) + line.value
        names[line.key][line.name.strip()].add(line.company)
    for key, cell in cells.items():
        cell.name = min(names[key].items(), key=lambda item: (-len(item[1]), item[0].lower()))[0]
    return cells


def _union(key: str, cells: Iterable[LineCell]) -> LineCell:
    out = LineCell(key=key)
    for cell in cells:
        for company, value in cell.companies.items():
            out.companies[company] = out.companies.get(company, Decimal(0)) + value
    return out


def top_list(
    lines: Iterable[Line],
    *,
    limit: int = TOP_LINES,
    total_hidden: bool | None = None,
    side: Sequence[disclosure.Entry] = (),
    side_hidden: Iterable[Hashable] = (),
) -> tuple[TopList, frozenset[Hashable]]:
    """The ``limit`` largest lines that may be published, "lainnya" and the total, protected.

    ``total_hidden``: the total is published elsewhere (the subsector's production headline) and is
    hidden there (True) or shown (False); None: it is published only here and the rules decide.
    ``side``: cells of another table adding up to the same total (the 5-digit groups' production), already
    hiding ``side_hidden``; both equations are protected together and the side's hidden keys returned.

    When the rules would hide a total that is shown elsewhere (a degenerate table: only possible when
    everything else is hidden already), nothing of the list is published with a value."""
    cells = line_cells(lines)
    total = _union(TOTAL, cells.values())
    candidates = sorted(
        # (a line of fewer companies than the count rule allows is sensitive: not worth its entry)
        (
            c
            for c in cells.values()
            if len(c.companies) >= disclosure.MIN_CONTRIBUTORS and not disclosure.sensitive(c.entry(c.key), magnitude=True)
        ),
        key=lambda c: (-c.value, c.name.lower(), c.key),
    )
    listed = candidates[:limit]
    base = set(side_hidden) | ({TOTAL} if total_hidden else set())
    side_keys = tuple(e.key for e in side)
    while True:
        chosen = {c.key for c in listed}
        other = _union(OTHER, (c for c in cells.values() if c.key not in chosen))
        entries = [*side, *(c.entry(("line", c.key)) for c in listed), total.entry(TOTAL)]
        members = tuple(("line", c.key) for c in listed)
        if not other.empty:
            entries.append(other.entry(OTHER))
            members += (OTHER,)
        groups = [disclosure.Group(members=members, total=TOTAL)]
        if side:
            groups.append(disclosure.Group(members=side_keys, total=TOTAL))
        already = set(base)
        if total_hidden is None and not other.empty and disclosure.sensitive(other.entry(OTHER), magnitude=True):
            # A total published only here: hiding it with "lainnya" keeps the list (rather than taking the
            # smallest listed line out to cover "lainnya").
            already.add(TOTAL)
        hidden = disclosure.protect_table(entries, groups, magnitude=True, hidden=already)
        dropped = [c for c in listed if ("line", c.key) in hidden]
        if not dropped:
            break
        listed = [c for c in listed if c not in dropped]
    if total_hidden is False and TOTAL in hidden and not total.empty:
        # The total is shown elsewhere: publish no value of the list rather than contradict it.
        other = _union(OTHER, cells.values())
        other.hidden = True
        return TopList(listed=[], other=other, total=total), frozenset(side_keys)
    other.hidden = OTHER in hidden
    total.hidden = TOTAL in hidden
    return TopList(listed=listed, other=other, total=total), frozenset(k for k in side_keys if k in hidden)


def protect_subsector(
    companies: Sequence[CompanyFigures],
    headline: StatRow,
    products: Iterable[Line],
    materials: Iterable[Line],
    *,
    labels: dict[str, str],
    limit: int = TOP_LINES,
) -> tuple[list[StatRow], StatRow, TopList, TopList]:
    """The 5-digit groups (rows and their total), the top products and the top materials of one subsector
    and period, protected together as the module docstring says. ``headline``: the subsector's row of the
    national table (``division_statistics``), with its cells hidden as published there."""
    rows = group_rows(companies, labels)
    total = StatRow(key=TOTAL, label=headline.label, cells=cells_of(companies))
    _protect(rows, total, parent=headline)
    for measure in MEASURES:  # the groups' total is the headline: shown or hidden as there
        total.cells[measure].hidden = headline.cells[measure].hidden and not total.cells[measure].empty
    side = [_stat_entry(("group", i), row.cells["production"]) for i, row in enumerate(rows)]
    side_hidden = {("group", i) for i, row in enumerate(rows) if row.cells["production"].hidden}
    top_products, hidden = top_list(
        products,
        limit=limit,
        total_hidden=total.cells["production"].hidden,
        side=side,
        side_hidden=side_hidden,
    )
    for i, row in enumerate(rows):
        row.cells["production"].hidden = ("group", i) in hidden and not row.cells["production"].empty
    top_materials, _none = top_list(materials, limit=limit)
    return rows, total, top_products, top_materials


def _stat_entry(key: Hashable, cell: StatCell) -> disclosure.Entry:
    return disclosure.Entry(key=key, n=cell.n, value=cell.total, top=(cell.top1, cell.top2))
