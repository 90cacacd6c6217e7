"""Public IKI endpoints (no token): the published months and one month as ``iki_compute --json``.

Figures are each month's newest published release vintage (docs/statistics.md), never a live
computation; a suppressed subsector has no number (``iki`` and ``respondents`` null)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema

from api import public
from api.errors import ApiError
from api.main import PUBLIC
from api.sdmx import csv_response

router = Router(tags=["publik: IKI"])

CSV_HEADER = ["periode", "kbli2", "iki", "v_pesanan", "v_produksi", "v_persediaan", "responden", "status", "rilis", "diterbitkan"]
CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}


class IkiMonthOut(Schema):
    period: str
    iki: float
    change: float | None
    previous_iki: float | None
    status: str
    trend: str | None
    respondents: int
    vintage: int
    published_on: dt.date
    revised: bool


class IkiMonthList(Schema):
    results: list[IkiMonthOut]


class Subsector(Schema):
    kbli2: str
    iki: float | None
    respondents: int | None
    status: str


class Shares3(Schema):
    meningkat: float | None
    tetap: float | None
    menurun: float | None


class Outlook(Schema):
    optimis: float | None
    tidak_berubah: float | None
    pesimis: float | None


class IkiMonthDetail(Schema):
    """Exactly the keys of ``iki_compute --json`` (docs/iki.md)."""

    period: str
    iki: float | None
    v_orders: float | None
    v_production: float | None
    v_stock: float | None
    respondents: int
    subsectors: list[Subsector]
    expanding: int
    contracting: int
    expanding_gdp_share: float | None
    panel_consistency: float | None
    general: Shares3
    outlook: Outlook


@router.get(
    "/",
    response=IkiMonthList,
    url_name="iki-months",
    summary="Bulan IKI yang sudah terbit",
    description=(
        "Bulan yang terbit, terbaru dulu: IKI, perubahan dari bulan sebelumnya, status (ekspansi/stabil/"
        "kontraksi), arah (meningkat/melambat/membaik/turun/tetap), rilis (vintage) yang ditampilkan dan "
        "tanggal terbitnya. `format=csv`: seluruh seri (nasional dan 23 subsektor per bulan)."
    ),
    openapi_extra={"responses": {200: {"description": "OK", "content": CSV_CONTENT}}},
    **PUBLIC,
)
def iki_months(request, format: Literal["json", "csv"] = "json"):
    if format == "csv":
        rows = [CSV_HEADER] + [
            [o.period, "" if o.kbli2 == public.NATIONAL else o.kbli2, o.iki, o.v_orders, o.v_production, o.v_stock,
             o.respondents, o.status, o.vintage, o.published_on.isoformat()]
            for o in public.iki_observations()
        ]  # fmt: skip
        return csv_response(rows, "iki.csv")
    return {"results": [m.__dict__ for m in public.iki_months()]}


@router.get(
    "/{period}",
    response=IkiMonthDetail,
    url_name="iki-month",
    summary="Satu bulan IKI yang sudah terbit (kontrak iki_compute --json)",
    description=(
        "Untuk bulan yang terbit (`YYYY-MM`): tepat kunci keluaran `iki_compute --json`, dari rilis (vintage) "
        "terbaru bulan itu. Subsektor di bawah 3 responden: `iki` dan `respondents` null, status `suppressed`. "
        "Bulan yang belum terbit: 404; bentuk bulan yang salah: 400."
    ),
    **PUBLIC,
)
def iki_month(request, period: str):
    month = public.parse_month(period)
    if month is None:
        raise ApiError.invalid("period", _("Bulan harus berformat YYYY-MM, mis. 2026-11."))
    body = public.iki_month(month)
    if body is None:
        raise ApiError.not_found()
    return body


