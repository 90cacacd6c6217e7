"""Formatters of ``industry_statistics``' protected table: the page's rows, chart and map data, and the
download. They read only ``StatisticsTable.published()``: a hidden cell's figures never reach a format."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from informasi.selectors import DIVISION, MEASURES, StatisticsTable
from siinas.lib.maps import HIDDEN, province_map

BILLION = Decimal(1_000_000_000)


def hidden_label() -> str:
    return _("tidak ditampilkan")


def page(table: StatisticsTable, national: StatisticsTable, measure: str, province: str | None) -> dict[str, Any]:
    """The page's table, chart and map. The map always shows provinces (``national``, the same KBLI
    filter); with a province chosen the table and chart are per KBLI division of that province."""
    published = table.published()
    body, total = published[:-1], published[-1]
    return {
        "table": table,
        "rows": [_html_row(row) for row in body],
        "total": _html_row(total),
        "measures": [(key, str(label)) for key, label in MEASURES.items()],
        "measure_label": str(MEASURES[measure]),
        "by_division": table.dimension == DIVISION,
        "charts": [_chart(body, measure)] if any(row["values"][measure] is not None for row in body) else [],
        "map_data": map_data(national, measure, highlight=province),
    }


def _html_row(row: dict[str, Any]) -> dict[str, Any]:
    cells = []
    for measure in MEASURES:
        cells.append({"measure": measure, "value": row["values"][measure], "hidden": measure in row["hidden"]})
    return {"key": row["key"], "label": row["label"], "cells": cells}


def _chart(rows: list[dict[str, Any]], measure: str) -> dict[str, Any]:
    """A bar chart of the shown cells (rupiah in billions); hidden rows are left out, not drawn as zero."""
    shown = [row for row in rows if row["values"][measure] is not None]
    rupiah = measure in ("investment", "production", "export")
    scale = BILLION if rupiah else Decimal(1)
    title = str(MEASURES[measure]).replace("(Rp)", "(Rp miliar)") if rupiah else str(MEASURES[measure])
    return {"title": title, "labels": [row["label"] for row in shown], "values": [float(row["values"][measure] / scale) for row in shown]}


def map_data(table: StatisticsTable, measure: str, *, highlight: str | None = None) -> dict[str, Any]:
    """What ``static/js/map.js`` draws (``siinas.lib.maps``): per province its shown value, or ``hidden``
    without any figure; a province without data is not listed."""
    values = []
    for row in table.published()[:-1]:
        hidden = measure in row["hidden"]
        values.append((row["key"], row["label"], HIDDEN if hidden else row["values"][measure]))
    return province_map(str(MEASURES[measure]), values, highlight=highlight)


def export_table(table: StatisticsTable) -> tuple[list[str], list[list[Any]]]:
    """The shown table, row for row and column for column (hidden cells as on the page)."""
    first = _("KBLI 2 digit") if table.dimension == DIVISION else _("Provinsi")
    header = [_("Kode"), first, *(str(label) for label in MEASURES.values())]
    rows = []
    for row in table.published():
        values = [hidden_label() if m in row["hidden"] else ("" if row["values"][m] is None else row["values"][m]) for m in MEASURES]
        rows.append([row["key"] if row["key"] != "total" else "", row["label"], *values])
    return header, rows


def filename(period, table: StatisticsTable, fmt: str) -> str:
    parts = ["informasi-industri", f"{period.year}-{period.period_type[:1]}{period.number}"]
    if table.province:
        parts.append(f"prov{table.province}")
    if table.division:
        parts.append(f"kbli{table.division}")
    return "-".join(parts) + f".{fmt}"
