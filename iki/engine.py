"""The IKI computation (SIINAS.md §5): pure functions over response records, no database inside.

    V_i = Σ_j w_j·x_ij / Σ_j w_j        IKI = 0.5·V1 + 0.3·V2 + 0.2·V3      (×100, 2 decimals)

x is 1 (meningkat), 0.5 (tetap), 0 (menurun); w is the respondent's workforce. The sums are kept as
exact integers (x doubled: 2, 1, 0) and turned into a decimal only once, rounded half up, so the
published figure never depends on float noise and never falls when one answer moves up.

The job (``services.iki_result_compute``), the pages and ``manage.py iki_compute`` all call
``compute_month``; the command's JSON is ``MonthResult.as_contract()``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import chain
from operator import attrgetter
from types import MappingProxyType
from typing import NamedTuple

from siinas.lib.disclosure import MIN_CONTRIBUTORS

MENINGKAT, TETAP, MENURUN = "meningkat", "tetap", "menurun"
OPTIMIS, TIDAK_BERUBAH, PESIMIS = "optimis", "tidak_berubah", "pesimis"
CHANGE_ANSWERS = (MENINGKAT, TETAP, MENURUN)
OUTLOOK_ANSWERS = (OPTIMIS, TIDAK_BERUBAH, PESIMIS)

# x doubled, so every weighted sum stays an integer.
DOUBLED_SCORE = {MENINGKAT: 2, TETAP: 1, MENURUN: 0}
VARIABLE_WEIGHTS = (Fraction(5, 10), Fraction(3, 10), Fraction(2, 10))  # pesanan, produksi, persediaan

KONTRAKSI, STABIL, EKSPANSI, SUPPRESSED = "kontraksi", "stabil", "ekspansi", "suppressed"
MIN_RESPONDENTS = MIN_CONTRIBUTORS  # 3: a cell with fewer respondents is never shown on its own (siinas.lib.disclosure)

# The 23 non-oil-and-gas manufacturing divisions (KBLI 10–33 except 19).
IKI_DIVISIONS: tuple[str, ...] = tuple(f"{n:02d}" for n in range(10, 34) if n != 19)
FACTOR_VARIABLES = ("orders", "production", "stock", "outlook")
TOP_FACTORS = 3
TWO_PLACES = Decimal("0.01")


class ResponseRecord(NamedTuple):
    """One answered questionnaire: a respondent (factory) for one KBLI 2-digit line in one month.

    A NamedTuple rather than a dataclass: tens of thousands are built per month, and a tuple is the
    cheapest immutable record Python has (see ``manage.py bench_iki``)."""

    period: str  # "YYYY-MM"
    respondent: str
    kbli2: str
    workforce: int
    general: str
    orders: str
    production: str
    stock: str
    outlook: str
    factors: Mapping[str, tuple[str, ...]] = MappingProxyType({})  # "orders" → ("nilai_tukar", …)


@dataclass(frozen=True, slots=True)
class GdpGroup:
    """A BPS GDP subsector: its share of non-oil-and-gas manufacturing GDP and the KBLI divisions it covers."""

    share_pct: Decimal
    divisions: frozenset[str]


@dataclass(frozen=True, slots=True)
class Index:
    """V1, V2, V3 and IKI of one group of responses, ×100 and rounded to 2 decimals."""

    v_orders: Decimal
    v_production: Decimal
    v_stock: Decimal
    iki: Decimal

    @property
    def status(self) -> str:
        return status_of(self.iki)


@dataclass(frozen=True, slots=True)
class SubsectorResult:
    kbli2: str
    respondents: int
    index: Index | None  # None when suppressed (fewer than MIN_RESPONDENTS)
    workforce: int

    @property
    def status(self) -> str:
        return self.index.status if self.index else SUPPRESSED

    @property
    def iki(self) -> Decimal | None:
        return self.index.iki if self.index else None


@dataclass(frozen=True, slots=True)
class FactorShare:
    factor: str
    count: int
    pct: Decimal  # of the responses that named at least one factor for this variable


@dataclass(frozen=True)
class MonthResult:
    period: str
    respondents: int
    national: Index | None
    subsectors: tuple[SubsectorResult, ...]
    expanding: int
    contracting: int
    stable: int
    expanding_gdp_share: Decimal | None
    panel_consistency: Decimal | None
    general: dict[str, Decimal]
    outlook: dict[str, Decimal]
    dominant_factors: dict[str, tuple[FactorShare, ...]]
    previous_iki: Decimal | None
    change: Decimal | None

    @property
    def iki(self) -> Decimal | None:
        return self.national.iki if self.national else None

    @property
    def status(self) -> str:
        return self.national.status if self.national else SUPPRESSED

    def as_contract(self) -> dict:
        """The JSON object of ``iki_compute --json``: exactly the keys the command contract lists."""
        n = self.national
        return {
            "period": self.period,
            "iki": _num(n.iki if n else None),
            "v_orders": _num(n.v_orders if n else None),
            "v_production": _num(n.v_production if n else None),
            "v_stock": _num(n.v_stock if n else None),
            "respondents": self.respondents,
            "subsectors": [
                {"kbli2": s.kbli2, "iki": _num(s.iki), "respondents": s.respondents, "status": s.status}
                for s in self.subsectors
            ],
            "expanding": self.expanding,
            "contracting": self.contracting,
            "expanding_gdp_share": _num(self.expanding_gdp_share),
            "panel_consistency": _num(self.panel_consistency),
            "general": {k: _num(v) for k, v in self.general.items()},
            "outlook": {k: _num(v) for k, v in self.outlook.items()},
        }

    def as_stored(self) -> dict:
        """Everything the pages need, JSON-serialisable (numbers as strings keep their 2 decimals)."""
        n = self.national
        return {
            **self.as_contract(),
            "status": self.status,
            "stable": self.stable,
            "previous_iki": _num(self.previous_iki),
            "change": _num(self.change),
            "subsectors": [
                {
                    "kbli2": s.kbli2,
                    "respondents": s.respondents,
                    "status": s.status,
                    "iki": _num(s.iki),
                    "v_orders": _num(s.index.v_orders if s.index else None),
                    "v_production": _num(s.index.v_production if s.index else None),
                    "v_stock": _num(s.index.v_stock if s.index else None),
                }
                for s in self.subsectors
            ],
            "dominant_factors": {
                var: [{"factor": f.factor, "count": f.count, "pct": _num(f.pct)} for f in shares]
                for var, shares in self.dominant_factors.items()
            },
            "national_status": n.status if n else SUPPRESSED,
        }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def round2(value: Fraction | Decimal) -> Decimal:
    """Half up to 2 decimals, as the published figures are rounded (51.375 → 51.38)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def status_of(iki: Decimal) -> str:
    """On the published (rounded) value: < 50 kontraksi, = 50 stabil, > 50 ekspansi."""
    if iki < 50:
        return KONTRAKSI
    if iki > 50:
        return EKSPANSI
    return STABIL


def weight_of(workforce: int) -> int:
    """Every response counts with at least weight 1 (a profile may still say 0 workers)."""
    return workforce if workforce > 0 else 1


def iki_from_variables(v_orders: Decimal, v_production: Decimal, v_stock: Decimal) -> Decimal:
    """IKI from already-published variables (how the April 2023 release is checked)."""
    w1, w2, w3 = (Decimal(w.numerator) / Decimal(w.denominator) for w in VARIABLE_WEIGHTS)
    return round2(w1 * Decimal(v_orders) + w2 * Decimal(v_production) + w3 * Decimal(v_stock))


@dataclass(slots=True)
class Sums:
    """Exact running sums of one group: Σw and Σw·2x per variable."""

    weight: int = 0
    orders: int = 0
    production: int = 0
    stock: int = 0
    count: int = 0

    def add(self, weight: int, orders: str, production: str, stock: str) -> None:
        self.weight += weight
        self.orders += weight * DOUBLED_SCORE[orders]
        self.production += weight * DOUBLED_SCORE[production]
        self.stock += weight * DOUBLED_SCORE[stock]
        self.count += 1

    def index(self) -> Index:
        denominator = 2 * self.weight
        v1 = Fraction(100 * self.orders, denominator)
        v2 = Fraction(100 * self.production, denominator)
        v3 = Fraction(100 * self.stock, denominator)
        a, b, c = VARIABLE_WEIGHTS
        return Index(v_orders=round2(v1), v_production=round2(v2), v_stock=round2(v3), iki=round2(a * v1 + b * v2 + c * v3))


def compute_index(records: Iterable[ResponseRecord]) -> Index | None:
    """V1, V2, V3 and IKI of any set of responses (None when it is empty)."""
    sums = Sums()
    for r in records:
        sums.add(weight_of(r.workforce), r.orders, r.production, r.stock)
    return sums.index() if sums.count else None


def _distribution(counter: Counter, answers: Sequence[str], total: int) -> dict[str, Decimal]:
    if not total:
        return {a: Decimal("0.00") for a in answers}
    return {a: round2(Fraction(100 * counter[a], total)) for a in answers}


@dataclass
class MonthTally:
    """The exact integer counts a month's result is computed from.

    Built from records by ``tally`` (the CSV and the tests) or straight from the database by
    ``iki.selectors.month_tally`` with the same arithmetic in SQL (the job and the pages): both give
    equal tallies for the same responses (tests/iki/test_tally.py).
    """

    period: str
    divisions: dict[str, Sums]
    general: Counter
    outlook: Counter
    factor_answered: dict[str, int]  # responses that named at least one factor, per variable
    factor_counts: dict[str, Counter]  # factor → responses naming it, per variable
    panel_repeated: int | None  # this month's lines that also answered last month; None: no last month

    @property
    def respondents(self) -> int:
        return sum(s.count for s in self.divisions.values())

    def national(self) -> Sums:
        total = Sums()
        for acc in self.divisions.values():
            total.count += acc.count
            total.weight += acc.weight
            total.orders += acc.orders
            total.production += acc.production
            total.stock += acc.stock
        return total


def tally(period: str, records: Iterable[ResponseRecord], previous: Iterable[ResponseRecord] = ()) -> MonthTally:
    """Count ``period``'s records (others are ignored); ``previous`` gives last month's lines for panel consistency."""
    current = [r for r in records if r.period == period]
    by_division: dict[str, Sums] = defaultdict(Sums)
    score = DOUBLED_SCORE
    for r in current:
        w = r.workforce if r.workforce > 0 else 1
        acc = by_division[r.kbli2]
        acc.count += 1
        acc.weight += w
        acc.orders += w * score[r.orders]
        acc.production += w * score[r.production]
        acc.stock += w * score[r.stock]
    answered: dict[str, int] = {}
    counts: dict[str, Counter] = {}
    for variable in FACTOR_VARIABLES:
        chosen = [c for c in (r.factors.get(variable) for r in current) if c]
        answered[variable] = len(chosen)
        counts[variable] = Counter(chain.from_iterable(set(c) for c in chosen))
    before = previous_period(period)
    previous_keys = {(r.respondent, r.kbli2) for r in previous if r.period == before}
    repeated = sum(1 for r in current if (r.respondent, r.kbli2) in previous_keys) if previous_keys else None
    return MonthTally(
        period=period,
        divisions=dict(by_division),
        general=Counter(map(attrgetter("general"), current)),
        outlook=Counter(map(attrgetter("outlook"), current)),
        factor_answered=answered,
        factor_counts=counts,
        panel_repeated=repeated,
    )


def _dominant(t: MonthTally) -> dict[str, tuple[FactorShare, ...]]:
    result: dict[str, tuple[FactorShare, ...]] = {}
    for variable in FACTOR_VARIABLES:
        counter = t.factor_counts.get(variable) or Counter()
        answered = t.factor_answered.get(variable, 0)
        ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:TOP_FACTORS]
        result[variable] = tuple(FactorShare(f, n, round2(Fraction(100 * n, answered))) for f, n in ranked if answered)
    return result


def _expanding_gdp_share(
    subsectors: Sequence[SubsectorResult], gdp_groups: Sequence[GdpGroup] | None
) -> Decimal | None:
    """Share of GDP held by expanding subsectors (docs/decisions.md, "IKI (issue 6)").

    A BPS group covering several divisions is split over them in proportion to this month's
    respondents' workforce in each division; a division counts only when it is published and
    expanding. A group with one division therefore counts whole or not at all.
    """
    if gdp_groups is None:
        return None
    by_division = {s.kbli2: s for s in subsectors}
    total = Fraction(0)
    for group in gdp_groups:
        members = [by_division[d] for d in sorted(group.divisions) if d in by_division]
        group_weight = sum(s.workforce for s in members)
        if not group_weight:
            continue
        expanding_weight = sum(s.workforce for s in members if s.status == EKSPANSI)
        total += Fraction(group.share_pct) * Fraction(expanding_weight, group_weight)
    return round2(total)


def compute_month(
    period: str,
    records: Iterable[ResponseRecord],
    *,
    previous: Iterable[ResponseRecord] = (),
    gdp_groups: Sequence[GdpGroup] | None = None,
    previous_iki: Decimal | None = None,
) -> MonthResult:
    """Everything the monthly release reports, for ``period`` ("YYYY-MM"), from response records.

    ``records`` are this month's responses (others are ignored), ``previous`` last month's (panel
    consistency and, unless ``previous_iki`` is given, the change).
    """
    previous = list(previous)
    if previous_iki is None:
        before = previous_period(period)
        prev_index = compute_index([r for r in previous if r.period == before])
        if prev_index is not None and sum(1 for r in previous if r.period == before) >= MIN_RESPONDENTS:
            previous_iki = prev_index.iki
    return compute_from_tally(tally(period, records, previous), gdp_groups=gdp_groups, previous_iki=previous_iki)


def compute_from_tally(
    t: MonthTally, *, gdp_groups: Sequence[GdpGroup] | None = None, previous_iki: Decimal | None = None
) -> MonthResult:
    """The month's result from its tally. Subsectors are the 23 IKI divisions, each listed; one with
    fewer than 3 respondents has no index (status "suppressed") and counts neither as expanding nor
    contracting. The national figure pools every response and is suppressed the same way."""
    empty = Sums()
    subsectors = tuple(
        SubsectorResult(
            kbli2=d,
            respondents=t.divisions.get(d, empty).count,
            index=t.divisions[d].index() if t.divisions.get(d, empty).count >= MIN_RESPONDENTS else None,
            workforce=t.divisions.get(d, empty).weight,
        )
        for d in IKI_DIVISIONS
    )
    statuses = Counter(s.status for s in subsectors)
    national = t.national()
    national_index = national.index() if national.count >= MIN_RESPONDENTS else None
    respondents = national.count
    panel = None
    if t.panel_repeated is not None and respondents:
        panel = round2(Fraction(100 * t.panel_repeated, respondents))
    change = national_index.iki - previous_iki if national_index and previous_iki is not None else None
    return MonthResult(
        period=t.period,
        respondents=respondents,
        national=national_index,
        subsectors=subsectors,
        expanding=statuses[EKSPANSI],
        contracting=statuses[KONTRAKSI],
        stable=statuses[STABIL],
        expanding_gdp_share=_expanding_gdp_share(subsectors, gdp_groups),
        panel_consistency=panel,
        general=_distribution(t.general, CHANGE_ANSWERS, respondents),
        outlook=_distribution(t.outlook, OUTLOOK_ANSWERS, respondents),
        dominant_factors=_dominant(t),
        previous_iki=previous_iki,
        change=change,
    )


def previous_period(period: str) -> str:
    """"2023-01" → "2022-12"."""
    year, month = (int(p) for p in period.split("-"))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
