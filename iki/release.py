"""The public release: one data builder (aggregates only), formatted as HTML, PDF and CSV.

A month is published only when its national figure has at least 3 respondents; a subsector cell
under 3 respondents is listed without any number (not even its respondent count).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from iki import selectors
from iki.engine import EKSPANSI, KONTRAKSI, MIN_RESPONDENTS, STABIL
from iki.models import IkiResult
from iki.questions import FACTOR_LABELS, VARIABLE_LABELS, Change, Outlook

STATUS_LABELS = {EKSPANSI: "Ekspansi", KONTRAKSI: "Kontraksi", STABIL: "Stabil", "suppressed": "Tidak ditampilkan"}
# The same labels for pages (translated); STATUS_LABELS stays fixed for the published CSV.
STATUS_DISPLAY = {key: gettext_lazy(label) for key, label in (
    (EKSPANSI, gettext_noop("Ekspansi")),
    (KONTRAKSI, gettext_noop("Kontraksi")),
    (STABIL, gettext_noop("Stabil")),
    ("suppressed", gettext_noop("Tidak ditampilkan")),
)}


def is_publishable(result: IkiResult | None) -> bool:
    return bool(result and result.iki is not None and result.respondents >= MIN_RESPONDENTS)


def published_result(month: date | None = None) -> IkiResult | None:
    """The month asked for (or the latest publishable one) if it may be shown to the public."""
    if month is not None:
        result = selectors.result_for(month)
        return result if is_publishable(result) else None
    for result in IkiResult.objects.filter(iki__isnull=False, respondents__gte=MIN_RESPONDENTS).order_by("-period")[:1]:
        return result
    return None


@dataclass(frozen=True)
class Release:
    result: IkiResult
    headline: dict
    subsectors: list[dict]
    general: list[dict]
    outlook: list[dict]
    factors: list[dict]
    series: list[dict]
    commentary: list[str]

    @property
    def period(self) -> str:
        return self.result.period_label

    @property
    def chart(self) -> dict | None:
        return svg_chart(self.series)


def _n(value: float) -> str:
    """Two decimals in the active locale (64,21 in Indonesian)."""
    return number_format(value, 2)


def _commentary(p: dict) -> list[str]:
    lines = []
    iki = p["iki"]
    text = _("IKI periode %(period)s tercatat %(iki)s (%(status)s).") % {
        "period": p["period"],
        "iki": _n(iki),
        "status": STATUS_LABELS[p["status"]].lower(),
    }
    if p.get("change") is not None:
        change = p["change"]
        if change > 0:
            text += " " + _("Naik %(d)s poin dari bulan sebelumnya (%(prev)s).") % {"d": _n(change), "prev": _n(p["previous_iki"])}
        elif change < 0:
            text += " " + _("Turun %(d)s poin dari bulan sebelumnya (%(prev)s).") % {"d": _n(-change), "prev": _n(p["previous_iki"])}
        else:
            text += " " + _("Sama dengan bulan sebelumnya.")
    lines.append(text)
    line = _("%(e)d subsektor mengalami ekspansi dan %(c)d subsektor kontraksi.") % {"e": p["expanding"], "c": p["contracting"]}
    if p.get("expanding_gdp_share") is not None:
        line += " " + _(
            "Subsektor yang ekspansi memiliki pangsa %(s)s%% terhadap PDB industri pengolahan nonmigas."
        ) % {"s": _n(p["expanding_gdp_share"])}
    lines.append(line)
    variables = {
        _("pesanan baru"): p["v_orders"],
        _("produksi"): p["v_production"],
        _("persediaan produk"): p["v_stock"],
    }
    strongest = max(variables, key=lambda k: variables[k])
    lines.append(_("Variabel tertinggi bulan ini adalah %(v)s (%(x)s).") % {"v": strongest, "x": _n(variables[strongest])})
    return lines


def build_release(result: IkiResult) -> Release:
    """Everything the public page, the PDF and the CSV show for one published month."""
    p = result.payload
    headline = {
        "period": result.period_label,
        "iki": p["iki"],
        "status": p["status"],
        "status_label": STATUS_DISPLAY[p["status"]],
        "change": p.get("change"),
        "previous_iki": p.get("previous_iki"),
        "v_orders": p["v_orders"],
        "v_production": p["v_production"],
        "v_stock": p["v_stock"],
        "respondents": p["respondents"],
        "expanding": p["expanding"],
        "contracting": p["contracting"],
        "expanding_gdp_share": p.get("expanding_gdp_share"),
        "gdp_period": result.gdp_period,
        "panel_consistency": p.get("panel_consistency"),
    }
    subsectors = selectors.subsector_rows(result)
    for row in subsectors:
        row["status_label"] = STATUS_DISPLAY[row["status"]]
    general = [{"label": str(label), "pct": p["general"][code]} for code, label in Change.choices]
    outlook = [{"label": str(label), "pct": p["outlook"][code]} for code, label in Outlook.choices]
    factors = []
    for variable, shares in p.get("dominant_factors", {}).items():
        labels = FACTOR_LABELS.get(variable, {})
        factors.append(
            {
                "variable": str(VARIABLE_LABELS[variable]),
                "factors": [{"label": str(labels.get(s["factor"], s["factor"])), "pct": s["pct"]} for s in shares],
            }
        )
    series = [s for s in selectors.series() if s["iki"] is not None and s["respondents"] >= MIN_RESPONDENTS]
    series = [s for s in series if s["period"] <= result.period_label]
    return Release(result, headline, subsectors, general, outlook, factors, series, _commentary(p))


CSV_HEADER = ["periode", "tingkat", "kbli2", "uraian", "responden", "iki", "v_pesanan", "v_produksi", "v_persediaan", "status"]


def csv_rows(release: Release) -> list[list]:
    """The published aggregates: the national line, then each subsector (suppressed ones without numbers)."""
    h = release.headline
    rows = [
        [h["period"], "nasional", "", "Industri pengolahan nonmigas", h["respondents"], h["iki"], h["v_orders"],
         h["v_production"], h["v_stock"], STATUS_LABELS.get(h["status"], h["status"])],
    ]
    for s in release.subsectors:  # the status in Indonesian words, as the header ("Tidak ditampilkan", not "suppressed")
        rows.append(
            [h["period"], "subsektor", s["kbli2"], s["title"], s["respondents"], s["iki"], s["v_orders"],
             s["v_production"], s["v_stock"], STATUS_LABELS.get(s["status"], s["status"])]
        )
    return rows


def svg_chart(series: list[dict], *, width: int = 480, height: int = 150, pad: int = 24) -> dict | None:
    """Coordinates of the national series for the PDF's static SVG chart (WeasyPrint runs no JS)."""
    values = [s["iki"] for s in series if s["iki"] is not None]
    if not values:
        return None
    low = min(min(values), 50) - 2
    high = max(max(values), 50) + 2
    step = (width - 2 * pad) / max(len(series) - 1, 1)

    def y(v: float) -> float:
        return round(height - pad - (v - low) / (high - low) * (height - 2 * pad), 1)

    points = [(round(pad + i * step, 1), y(s["iki"]), s) for i, s in enumerate(series) if s["iki"] is not None]
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{x},{yy}" for x, yy, _s in points),
        "dots": [{"x": x, "y": yy, "label": s["period"], "value": s["iki"]} for x, yy, s in points],
        "threshold_y": y(50),
        "left": pad,
        "right": width - pad,
        "low": round(low, 1),
        "high": round(high, 1),
    }
