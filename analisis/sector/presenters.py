"""Formatters of the sector analysis' published data: the pages' rows and small charts, and the CSV/XLSX
downloads (exactly the tables the pages show). They read only what ``analisis.sector.selectors`` publishes:
a hidden figure never reaches a format."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from informasi.selectors import MEASURES

DETAIL_TABLES = ("tren", "kelompok", "produk", "bahan", "iki", "faktor")


def hidden_label() -> str:
    return _("tidak ditampilkan")


def measures() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in MEASURES.items()]


def cells(row: dict[str, Any]) -> list[dict[str, Any]]:
    """A published row's cells as ``informasi/_cell.html`` shows them."""
    return [{"measure": m, "value": row["values"][m], "hidden": m in row["hidden"]} for m in MEASURES]


def _value(row: dict[str, Any], measure: str) -> Any:
    if measure in row["hidden"]:
        return hidden_label()
    value = row["values"][measure]
    return "" if value is None else value


def _svg(value: float) -> str:
    return f"{value:.1f}"


def sparkline(points: list[tuple[str, Decimal | None]], *, width: int = 120, height: int = 32, pad: int = 4) -> dict[str, Any] | None:
    """A small line of the shown values (server-built inline SVG); a hidden or missing semester breaks the
    line rather than being drawn as zero. None when fewer than two values are shown."""
    shown = [float(v) for _label, v in points if v is not None]
    if len(shown) < 2:
        return None
    low, high = min(shown), max(shown)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    segments: list[list[str]] = [[]]
    dots = []
    for i, (label, value) in enumerate(points):
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        x = pad + i * step
        y = height - pad - (float(value) - low) / span * (height - 2 * pad)
        segments[-1].append(f"{_svg(x)},{_svg(y)}")
        dots.append({"x": _svg(x), "y": _svg(y), "label": label, "value": value})
    return {"width": width, "height": height, "lines": [" ".join(s) for s in segments if len(s) > 1], "dots": dots}


def list_rows(overview) -> list[dict[str, Any]]:
    """The subsector list: headline cells and the production value's trend."""
    out = []
    for row in overview.rows:
        points = [(str(t["period"]), t["values"]["production"]) for t in row["trend"]]
        out.append({"key": row["key"], "label": row["label"], "cells": cells(row), "chart": sparkline(points)})
    return out


def trend_charts(trend: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One small chart per measure over the trend's semesters (hidden semesters left out)."""
    charts = []
    for measure, label in measures():
        points = [(str(t["period"]), t["values"][measure]) for t in trend]
        chart = sparkline(points, width=260, height=70, pad=8)
        if chart:
            charts.append({"measure": measure, "label": label, "chart": chart})
    return charts


# --- Downloads ---------------------------------------------------------------------------------------------


def export_list(overview) -> tuple[list[str], list[list[Any]]]:
    header = [_("Kode"), _("Subsektor (KBLI 2 digit)"), *(label for _k, label in measures())]
    rows = [[row["key"], row["label"], *(_value(row, m) for m in MEASURES)] for row in overview.rows]
    if overview.total:
        rows.append(["", _("Jumlah"), *(_value(overview.total, m) for m in MEASURES)])
    return header, rows


def _lines(top: dict[str, Any] | None, total_label: str, other_label: str) -> tuple[list[str], list[list[Any]]]:
    header = [_("Peringkat"), _("Nama"), _("Kode HS"), _("Nilai (Rp)")]
    if not top:
        return header, []
    rows: list[list[Any]] = [[i, line["name"], line["hs_code"], line["value"]] for i, line in enumerate(top["listed"], start=1)]
    for label, cell in ((other_label, top["other"]), (total_label, top["total"])):
        if cell["value"] is not None or cell["hidden"]:
            rows.append(["", label, "", hidden_label() if cell["hidden"] else cell["value"]])
    return header, rows


def export_detail(detail: dict[str, Any], table: str) -> tuple[list[str], list[list[Any]]]:
    """One of the subsector page's tables (``DETAIL_TABLES``), row for row."""
    figures = [label for _k, label in measures()]
    if table == "tren":
        return [_("Periode"), *figures], [[str(t["period"]), *(_value(t, m) for m in MEASURES)] for t in detail["trend"]]
    if table == "kelompok":
        rows = [[r["key"], r["label"], *(_value(r, m) for m in MEASURES)] for r in detail["groups"]]
        if detail["groups"] and detail["groups_total"]:
            rows.append(["", detail["groups_total"]["label"], *(_value(detail["groups_total"], m) for m in MEASURES)])
        return [_("Kode"), _("KBLI 5 digit"), *figures], rows
    if table == "produk":
        return _lines(detail["products"], _("Jumlah nilai produksi"), _("Produk lainnya"))
    if table == "bahan":
        return _lines(detail["materials"], _("Jumlah nilai bahan baku/penolong"), _("Bahan lainnya"))
    if table == "iki":
        return [_("Bulan"), _("IKI"), _("Status")], [
            [m["label"], hidden_label() if m["iki"] is None else m["iki"], m["status_label"]] for m in detail["iki"]
        ]
    rows = []
    for variable in (detail["factors"] or {}).get("variables", []):
        for factor in variable["factors"]:
            rows.append([variable["label"], factor["label"], factor["pct"]])
    return [_("Variabel"), _("Faktor"), _("Persen responden")], rows
