"""The month's running tally (``IkiTally``, ``IkiTallyWeight``): kept up to date on every write of a
response, so computing a month reads 23 rows instead of scanning its responses.

Each response contributes, to the row of its month and KBLI division: one respondent, its weight w,
Σw·2x of V1–V3 (as ``engine.Sums``), one count for its answer to questions 1 and 5, one count per
factor it named (and one per variable it named any factor for), and one panel line when it also
answered last month. A save subtracts the row's old contribution and adds the new one, inside the
save's transaction, with the tally row locked (``select_for_update``).

The weight a factory's lines were tallied with is stored once per month (``IkiTallyWeight``): when
the factory's weight changes afterwards (a new accepted semester report, a profile edit),
``iki.selectors.month_tally`` corrects its lines at computation time — see docs/decisions.md,
"IKI tallies".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from iki.engine import DOUBLED_SCORE, weight_of
from iki.questions import FACTOR_BITS

# What a response's contribution is read from (in this order).
TALLIED_FIELDS = (
    "period",
    "kbli2_id",
    "factory_id",
    "general",
    "orders",
    "production",
    "stock",
    "outlook",
    *(f"{answer}_factor_bits" for answer in FACTOR_BITS),
    "answered_previous_month",
)


def contribution(
    weight: int, general: str, orders: str, production: str, stock: str, outlook: str, bits: Iterable[int], panel: bool
) -> tuple[tuple[int, int, int, int, int], dict[str, int]]:
    """One response's share of its tally row: (respondents, Σw, Σw·2x ×3) and the counts keyed
    ``general:<answer>``, ``outlook:<answer>``, ``<variable>`` (named any factor), ``<variable>:<factor>``
    and ``panel``. Plain values only, so the data migration uses it as well."""
    w = weight_of(weight)
    sums = (1, w, w * DOUBLED_SCORE[orders], w * DOUBLED_SCORE[production], w * DOUBLED_SCORE[stock])
    counts = {f"general:{general}": 1, f"outlook:{outlook}": 1}
    for (variable, codes), value in zip(FACTOR_BITS.items(), bits, strict=True):
        if value:
            counts[variable] = 1
            for code, bit in codes.items():
                if value & bit:
                    counts[f"{variable}:{code}"] = 1
    if panel:
        counts["panel"] = 1
    return sums, counts


def add_to_row(row, sums: tuple[int, ...], counts: dict[str, int], sign: int) -> None:
    """Add (sign 1) or subtract (sign -1) a contribution to an ``IkiTally`` instance (not saved)."""
    row.respondents += sign * sums[0]
    row.weight += sign * sums[1]
    row.orders += sign * sums[2]
    row.production += sign * sums[3]
    row.stock += sign * sums[4]
    merged = dict(row.counts)
    for key, n in counts.items():
        value = merged.get(key, 0) + sign * n
        if value:
            merged[key] = value
        else:
            merged.pop(key, None)
    row.counts = merged


def _factory_weight(period: date, factory_id: int) -> int:
    """The weight this factory's lines of ``period`` are tallied with: the stored one, else its
    current weight (latest accepted report, else profile), stored now. The row is locked."""
    from accounts.models import Factory
    from iki.models import IkiTallyWeight
    from reporting.selectors import workforce_from_latest_accepted_reports

    stored = IkiTallyWeight.objects.select_for_update().filter(period=period, factory_id=factory_id).first()
    if stored is not None:
        return stored.weight
    current = workforce_from_latest_accepted_reports([factory_id]).get(factory_id)
    if current is None:
        current = Factory.objects.filter(pk=factory_id).values_list("workforce", flat=True).get()
    # get_or_create: two first lines of one factory saved at once agree on one row
    row, _created = IkiTallyWeight.objects.get_or_create(period=period, factory_id=factory_id, defaults={"weight": weight_of(current)})
    return row.weight


def _apply(values: tuple, sign: int) -> None:
    from iki.models import IkiTally

    period, kbli2, factory_id, general, orders, production, stock, outlook, *bits, panel = values
    sums, counts = contribution(_factory_weight(period, factory_id), general, orders, production, stock, outlook, bits, panel)
    row, _created = IkiTally.objects.select_for_update().get_or_create(period=period, kbli2=kbli2)
    add_to_row(row, sums, counts, sign)
    row.save()


@transaction.atomic
def response_changed(*, old: tuple | None, new: tuple | None) -> None:
    """Move a response's contribution: ``old``/``new`` are its ``TALLIED_FIELDS`` values as stored
    before and after the write (None for an insert / a delete). Called by ``IkiResponse.save`` and
    ``IkiResponse.delete`` inside their transaction."""
    if old == new:
        return
    if old is not None:
        _apply(old, -1)
    if new is not None:
        _apply(new, 1)


def stored_values(pk: int, *, lock: bool = False) -> tuple | None:
    from iki.models import IkiResponse

    qs = IkiResponse.objects.filter(pk=pk)
    if lock:
        qs = qs.select_for_update()
    return qs.values_list(*TALLIED_FIELDS).first()


@transaction.atomic
def rebuild(month: date) -> None:
    """Recompute ``month``'s tally from its responses (after bulk writes that skip ``save``, such as
    ``bench_iki``'s insert). Weights: each factory's current one (latest accepted report, else profile)."""
    from iki.models import IkiResponse, IkiTally, IkiTallyWeight
    from reporting.selectors import workforce_from_latest_accepted_reports

    IkiTally.objects.filter(period=month).delete()
    IkiTallyWeight.objects.filter(period=month).delete()
    rows: dict[str, IkiTally] = {}
    factory_ids = set(IkiResponse.objects.filter(period=month).order_by().values_list("factory_id", flat=True).distinct())
    weights = {f: weight_of(w) for f, w in workforce_from_latest_accepted_reports(factory_ids).items()}
    fields = ("factory__workforce", *TALLIED_FIELDS)
    for profile, _period, kbli2, factory_id, general, orders, production, stock, outlook, *bits, panel in (
        IkiResponse.objects.filter(period=month).values_list(*fields).iterator(chunk_size=5000)
    ):
        weight = weights.setdefault(factory_id, weight_of(profile))
        sums, counts = contribution(weight, general, orders, production, stock, outlook, bits, panel)
        row = rows.setdefault(kbli2, IkiTally(period=month, kbli2=kbli2))
        add_to_row(row, sums, counts, 1)
    IkiTally.objects.bulk_create(rows.values())
    IkiTallyWeight.objects.bulk_create(IkiTallyWeight(period=month, factory_id=f, weight=w) for f, w in weights.items())
