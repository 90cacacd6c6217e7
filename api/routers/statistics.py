"""Public industry statistics (no token): the "Informasi Industri" page's disclosure-controlled table,
as JSON or CSV (issue 15 §2). The API serves exactly what the page shows for the same filters: a hidden
cell is ``value: null`` with ``suppressed`` saying why (``primary``/``secondary``), never its figure."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema

from api import public
from api.errors import ApiError
from api.main import PUBLIC
from api.sdmx import INDUSTRY_UNITS, csv_response
from informasi.selectors import DIVISION, MEASURES, statistics_version

router = Router(tags=["publik: statistik industri"])
CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}


class PeriodOut(Schema):
    id: str
    label: str
    start: dt.date
    end: dt.date


class Code(Schema):
    code: str
    label: str


class Dimension(Schema):
    id: str
    label: str
    filter: str
    values: list[Code]


class Measure(Schema):
    id: str
    label: str
    unit: str


class StatisticsIndex(Schema):
    periods: list[PeriodOut]
    dimensions: list[Dimension]
    measures: list[Measure]


class Cell(Schema):
    value: int | float | None
    suppressed: Literal["primary", "secondary"] | None


class Line(Schema):
    key: str
    label: str
    cells: dict[str, Cell]


class StatisticsOut(Schema):
    period: str
    period_label: str
    dimension: Literal["province", "kbli"]
    province: str | None
    kbli: str | None
    measures: list[Measure]
    results: list[Line]
    total: Line


def _measures() -> list[dict]:
    return [{"id": m, "label": str(label), "unit": INDUSTRY_UNITS[m]} for m, label in MEASURES.items()]


@router.get(
    "/",
    response=StatisticsIndex,
    url_name="statistics-index",
    summary="Periode, dimensi dan ukuran statistik industri",
    **PUBLIC,
)
def statistics_index(request):
    return {
        "periods": [{"id": public.period_code(p), "label": str(p), "start": p.start, "end": p.end} for p in public.statistics_periods()],
        "dimensions": [
            {"id": "province", "label": _("Provinsi"), "filter": "province",
             "values": [{"code": c, "label": n} for c, n in public.provinces()]},
            {"id": "kbli", "label": _("KBLI 2 digit"), "filter": "kbli",
             "values": [{"code": c, "label": t} for c, t in public.divisions()]},
        ],  # fmt: skip
        "measures": _measures(),
    }


@router.get(
    "/{period}",
    response=StatisticsOut,
    url_name="statistics-table",
    summary="Tabel statistik industri satu periode (sama dengan halaman Informasi Industri)",
    description=(
        "Periode `2026-S1` (semester) atau `2026-Q1` (triwulan), dari `GET /api/v1/statistics/`. Tanpa `province` "
        "baris = provinsi; dengan `province` baris = golongan pokok KBLI provinsi itu. `kbli` (2 digit) hanya "
        "menghitung perusahaan yang terdaftar pada golongan pokok itu. Sel yang disembunyikan: `value` null dan "
        "`suppressed` = `primary` (kurang dari 3 perusahaan, atau 2 perusahaan terbesar > 85 %) atau `secondary` "
        "(agar sel primer tidak dapat dihitung dari total). `format=csv`: tabel yang sama dalam CSV."
    ),
    openapi_extra={"responses": {200: {"description": "OK", "content": CSV_CONTENT}}},
    **PUBLIC,
)
def statistics_table(request, period: str, province: str | None = None, kbli: str | None = None, format: Literal["json", "csv"] = "json"):
    found = public.find_period(period)
    if found is None:
        raise ApiError.not_found()
    province, kbli = public.statistics_filters(province, kbli)
    table = public.statistics_table(found, province, kbli, version=statistics_version())
    lines = public.statistics_lines(table)
    body, total = lines[:-1], lines[-1]
    if format == "csv":
        header = ["periode", "dimensi", "kode", "uraian"]
        for m in MEASURES:
            header += [m, f"{m}_disembunyikan"]
        rows = [header]
        for line in lines:
            row = [public.period_code(found), "total" if line.key == "total" else ("kbli" if table.dimension == DIVISION else "province"), "" if line.key == "total" else line.key, line.label]
            for m in MEASURES:
                row += [line.cells[m].value, line.cells[m].suppressed]
            rows.append(row)
        return csv_response(rows, f"statistik-{public.period_code(found)}.csv")
    return {
        "period": public.period_code(found),
        "period_label": str(found),
        "dimension": "kbli" if table.dimension == DIVISION else "province",
        "province": province,
        "kbli": kbli,
        "measures": _measures(),
        "results": [_line(line) for line in body],
        "total": _line(total),
    }


def _line(line: public.StatisticsLine) -> dict:
    return {"key": line.key, "label": line.label, "cells": {m: c.__dict__ for m, c in line.cells.items()}}
