"""Release vintages: the frozen inputs of a published IKI month and the computation from them
(docs/statistics.md, "Release vintages (IKI)").

The inputs are one JSON object, small enough to keep beside the figures (about 100 bytes a response)
and self-describing:

    {"format": 1, "period": "2026-11",
     "columns": ["response", "factory", "kbli2", "weight", "general", "orders", "production", "stock",
                 "outlook", "factors", "panel"],
     "responses": [[812, 40, "10", 317, "tetap", "meningkat", …, {"orders": ["nilai_tukar"]}, 1], …],
     "has_previous_month": true, "previous_iki": "54.60" | null,
     "gdp_period": "2024-Q1", "gdp_groups": [{"share_pct": "21.78", "divisions": ["10", "11"]}, …]}

``weight`` is the weight the response counted with (the factory's workforce then, floored at 1),
``panel`` whether the same factory + line answered the month before. ``digest`` is the SHA-256 of the
canonical JSON (sorted keys, no spaces), stored beside the inputs so an audit first checks they were
not altered. ``compute`` is the engine over these inputs only: no database read.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

from iki.engine import GdpGroup, MonthResult, ResponseRecord, compute_from_tally, tally, weight_of
from iki.questions import FACTOR_QUESTIONS

FORMAT = 1
COLUMNS = ["response", "factory", "kbli2", "weight", "general", "orders", "production", "stock", "outlook", "factors", "panel"]
_ANSWERS = ("general", "orders", "production", "stock", "outlook")


def freeze(month: date, *, previous_iki: Decimal | None) -> dict:
    """The month's inputs as they are now (the responses, today's weights, the GDP shares in force)."""
    from iki import selectors
    from iki.models import IkiResponse, month_label

    factor_fields = [(answer, field) for answer, field, _o, _l, _n in FACTOR_QUESTIONS]
    rows = list(
        IkiResponse.objects.filter(period=month)
        .order_by("pk")
        .values_list("pk", "factory_id", "kbli2_id", "factory__workforce", *_ANSWERS, *(f for _a, f in factor_fields), "answered_previous_month")
    )
    responding = IkiResponse.objects.filter(period=month).order_by().values_list("factory_id", flat=True).distinct()
    reported = selectors.workforce_from_latest_accepted_reports(responding)
    responses = []
    for pk, factory_id, kbli2, profile, *rest in rows:
        answers, chosen, panel = rest[:5], rest[5:-1], rest[-1]
        factors = {answer: list(codes) for (answer, _f), codes in zip(factor_fields, chosen, strict=True) if codes}
        weight = weight_of(reported.get(factory_id, profile) or 0)
        responses.append([pk, factory_id, kbli2, weight, *answers, factors, int(panel)])
    gdp_period, groups = selectors.gdp_groups()
    return {
        "format": FORMAT,
        "period": month_label(month),
        "columns": COLUMNS,
        "responses": responses,
        "has_previous_month": IkiResponse.objects.filter(period=selectors.previous_month(month)).exists(),
        "previous_iki": None if previous_iki is None else str(previous_iki),
        "gdp_period": gdp_period,
        "gdp_groups": [
            {"share_pct": str(g.share_pct), "divisions": sorted(g.divisions)}
            for g in sorted(groups, key=lambda g: (sorted(g.divisions), g.share_pct))
        ],
    }


def digest(inputs: dict) -> str:
    """SHA-256 of the canonical JSON of the inputs (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compute(inputs: dict) -> MonthResult:
    """The month's result from frozen inputs alone: the same engine as the live computation."""
    period = inputs["period"]
    records = [
        ResponseRecord(period, str(factory), kbli2, weight, general, orders, production, stock, outlook,
                       {answer: tuple(codes) for answer, codes in factors.items()})
        for _pk, factory, kbli2, weight, general, orders, production, stock, outlook, factors, _panel in inputs["responses"]
    ]
    month_tally = tally(period, records)
    month_tally.panel_repeated = sum(row[10] for row in inputs["responses"]) if inputs["has_previous_month"] else None
    groups = [GdpGroup(share_pct=Decimal(g["share_pct"]), divisions=frozenset(g["divisions"])) for g in inputs["gdp_groups"]]
    previous = inputs["previous_iki"]
    return compute_from_tally(month_tally, gdp_groups=groups or None, previous_iki=None if previous is None else Decimal(previous))
