"""GET /api/v1/sectors/ and /api/v1/sectors/{kbli2}: the sector analysis (issue 18 §1) as public data —
the same published figures as /analisis/sektor/ (``analisis.sector.selectors``; a hidden cell is null and
named in ``hidden``). Rupiah, counts and percentages are decimal strings (rupiah exceed a double's
exact range)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router, Schema

from analisis.sector.selectors import divisions, sector_detail, sector_overview
from api.main import PUBLIC
from informasi.selectors import MEASURES

router = Router(tags=["analisis sektor"])


class Figures(Schema):
    kbli: str
    label: str
    values: dict[str, str | None]
    hidden: list[str]


class SectorList(Schema):
    period: str | None
    measures: dict[str, str]
    sectors: list[Figures]
    total: Figures | None


class TrendRow(Schema):
    period: str
    values: dict[str, str | None]
    hidden: list[str]


class LineValue(Schema):
    name: str
    hs_code: str
    value: str


class Remainder(Schema):
    value: str | None
    hidden: bool


class TopLines(Schema):
    listed: list[LineValue]
    other: Remainder
    total: Remainder


class IkiMonth(Schema):
    month: str
    iki: float | None
    status: str


class Factor(Schema):
    code: str
    label: str
    pct: str


class FactorVariable(Schema):
    variable: str
    label: str
    factors: list[Factor]


class Factors(Schema):
    month: str
    variables: list[FactorVariable]


class SectorDetail(Schema):
    kbli2: str
    label: str
    period: str | None
    headline: Figures | None
    trend: list[TrendRow]
    groups: list[Figures]
    groups_total: Figures | None
    products: TopLines | None
    materials: TopLines | None
    iki: list[IkiMonth]
    factors: Factors | None


def _s(value) -> str | None:
    return None if value is None else str(value)


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "kbli": row["key"],
        "label": row["label"],
        "values": {m: _s(row["values"][m]) for m in MEASURES},
        "hidden": list(row["hidden"]),
    }


def _top(top: dict[str, Any] | None) -> dict[str, Any] | None:
    if top is None:
        return None
    return {
        "listed": [{"name": line["name"], "hs_code": line["hs_code"], "value": str(line["value"])} for line in top["listed"]],
        "other": {"value": _s(top["other"]["value"]), "hidden": top["other"]["hidden"]},
        "total": {"value": _s(top["total"]["value"]), "hidden": top["total"]["hidden"]},
    }


@router.get("/", response=SectorList, url_name="sectors", summary="Angka per subsektor (KBLI 2 digit)", **PUBLIC)
def sector_list(request):
    overview = sector_overview()
    return {
        "period": str(overview.period) if overview.period else None,
        "measures": {key: str(label) for key, label in MEASURES.items()},
        "sectors": [_figures(row) for row in overview.rows],
        "total": _figures({**overview.total, "key": ""}) if overview.total else None,
    }


@router.get("/{kbli2}", response=SectorDetail, url_name="sector", summary="Analisis satu subsektor", **PUBLIC)
def sector(request, kbli2: str):
    label = divisions().get(kbli2)
    if label is None:
        raise Http404
    detail = sector_detail(kbli2)
    factors = detail["factors"]
    return {
        "kbli2": kbli2,
        "label": label,
        "period": str(detail["period"]) if detail["period"] else None,
        "headline": _figures(detail["headline"]) if detail["headline"] else None,
        "trend": [
            {"period": str(t["period"]), "values": {m: _s(t["values"][m]) for m in MEASURES}, "hidden": list(t["hidden"])}
            for t in detail["trend"]
        ],
        "groups": [_figures(row) for row in detail["groups"]],
        "groups_total": _figures({**detail["groups_total"], "key": ""}) if detail["groups"] else None,
        "products": _top(detail["products"]),
        "materials": _top(detail["materials"]),
        "iki": [{"month": m["month"].strftime("%Y-%m"), "iki": m["iki"], "status": m["status"]} for m in detail["iki"]],
        "factors": None
        if factors is None
        else {
            "month": factors["month"].strftime("%Y-%m"),
            "variables": [
                {"variable": v["variable"], "label": v["label"], "factors": [{**f, "pct": str(f["pct"])} for f in v["factors"]]}
                for v in factors["variables"]
            ],
        },
    }
