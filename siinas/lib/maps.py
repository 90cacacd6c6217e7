"""Data for the province choropleth (``templates/_partials/province_map.html`` + ``static/js/map.js``).

The map draws what it is given and nothing else: per province its code (Kemendagri, the key of
``static/data/provinces.topo.json``), its name and either a value or ``hidden`` (drawn hatched, "tidak
ditampilkan"); a province not listed is drawn grey ("tidak ada data"). Callers pass only what their page
may show (the public statistics pass their protected cells)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

HIDDEN = object()  # a province's value withheld by disclosure control


def province_map(title: str, values: Iterable[tuple[str, str, Any]], *, highlight: str | None = None) -> dict[str, Any]:
    """``values``: (province code, name, number | None | HIDDEN); None = no data (left out)."""
    regions = []
    for code, label, value in values:
        if value is None:
            continue
        entry: dict[str, Any] = {"code": code, "label": label, "hidden": value is HIDDEN}
        if value is not HIDDEN:
            entry["value"] = float(value)
        regions.append(entry)
    return {
        "title": title,
        "highlight": highlight,
        "regions": regions,
        "labels": {"hidden": _("tidak ditampilkan"), "none": _("tidak ada data"), "map": _("Peta provinsi")},
    }
