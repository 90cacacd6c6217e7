"""The public release: one data builder (aggregates only), formatted as HTML, PDF and CSV.

What is shown is a month's newest release vintage (``IkiRelease``), never a live computation: a
published figure stays as published until a revision (the next vintage, with its reason) replaces
it (docs/statistics.md). A month is published only when its national figure has at least 3
respondents; a subsector cell under 3 respondents is listed without any number (not even its
respondent count).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from iki import selectors
from iki.engine import EKSPANSI, KONTRAKSI, MIN_RESPONDENTS, STABIL, status_of
from iki.models import IkiRelease, IkiResult, month_label
from iki.questions import FACTOR_LABELS, VARIABLE_LABELS, Change, Outlook
from siinas.lib.pdf import render_pdf_html

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


def month_name(month: date | str) -> str:
    """"November 2026" in the active language (Indonesian for the release and the PDF)."""
    if isinstance(month, str):
        month = selectors.parse_period(month)
    return formats.date_format(month, "F Y")


def _month_short(month: date) -> str:
    """"Nov 2026" ("Agu 2026", "Okt 2026" in Indonesian): the PDF chart's axis labels."""
    return formats.date_format(month, "M Y")


def latest_vintage() -> IkiRelease | None:
    """The newest vintage of the latest published month (what the public page opens on)."""
    return IkiRelease.objects.defer("inputs").order_by("-period", "-vintage").first()


def published_vintages(month: date) -> list[IkiRelease]:
    """Every vintage of the month, newest first, without their (large) frozen inputs."""
    return list(IkiRelease.objects.filter(period=month).defer("inputs").select_related("published_by").order_by("-vintage"))


def published_release(month: date | None = None, *, series: list[dict] | None = None) -> Release | None:
    """The newest vintage of the month asked for (or of the latest published month), as the public
    page, the PDF and the CSV show it; None when the month has no release."""
    if month is None:
        month = IkiRelease.objects.order_by("-period").values_list("period", flat=True).first()
        if month is None:
            return None
    found = published_vintages(month)
    return build_release(found[0], earlier=found[1:], series=series) if found else None


def published_series(limit: int = 36) -> list[dict]:
    """The national series of published figures (each month's newest vintage), oldest first, in one
    query that reads no frozen inputs."""
    rows = IkiRelease.objects.order_by("-period", "-vintage").values_list(
        "period", "iki", "status", "respondents", "payload__v_orders", "payload__v_production", "payload__v_stock", "payload__change"
    )
    newest: dict[date, tuple] = {}
    for row in rows:
        newest.setdefault(row[0], row)
        if len(newest) > limit:
            newest.pop(row[0])
            break
    return [
        {
            "period": month_label(period),
            "label": month_name(period),
            "short": _month_short(period),
            "iki": float(iki),
            "status": status,
            "respondents": respondents,
            "v_orders": v1,
            "v_production": v2,
            "v_stock": v3,
            "change": change,
        }
        for period, iki, status, respondents, v1, v2, v3, change in sorted(newest.values())
    ]


@dataclass(frozen=True)
class Release:
    vintage: IkiRelease
    earlier: list[IkiRelease]
    headline: dict
    lead: str
    variables: list[dict]
    subsectors: list[dict]
    general: list[dict]
    outlook: list[dict]
    factors: list[dict]
    series: list[dict]
    commentary: list[str]

    @property
    def period(self) -> str:
        return self.vintage.period_label

    @property
    def month_name(self) -> str:
        return month_name(self.vintage.period)

    @property
    def chart(self) -> dict | None:
        return svg_chart(self.series)


def _n(value: float) -> str:
    """Two decimals in the active locale (64,21 in Indonesian)."""
    return number_format(value, 2)


def lead_sentence(month: date, *, iki: float, status: str, change: float | None, previous_iki: float | None) -> str:
    """The release's first sentence, as the ministry writes it: "IKI November 2026 sebesar 54,37,
    ekspansi, melambat 0,23 poin dari Oktober 2026 (54,60)." """
    text = _("IKI %(month)s sebesar %(iki)s, %(status)s") % {
        "month": month_name(month),
        "iki": _n(iki),
        "status": str(STATUS_DISPLAY[status]).lower(),
    }
    if change is None or previous_iki is None:
        return text + "."
    values = {"d": _n(abs(change)), "before": month_name(selectors.previous_month(month)), "prev": _n(previous_iki)}
    if change > 0:
        verb = _("membaik") if status == KONTRAKSI else _("meningkat")
    elif change < 0:
        verb = _("melambat") if status == EKSPANSI else _("turun")
    else:
        return text + ", " + _("sama dengan %(before)s (%(prev)s).") % values
    return text + ", " + _("%(verb)s %(d)s poin dari %(before)s (%(prev)s).") % {**values, "verb": verb}


def _commentary(p: dict) -> list[str]:
    lines = []
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


def factor_groups(payload: dict) -> list[dict]:
    """The dominant factors per variable, labelled (the release and the officers' drill-down)."""
    groups = []
    for variable, shares in payload.get("dominant_factors", {}).items():
        labels = FACTOR_LABELS.get(variable, {})
        groups.append(
            {
                "variable": str(VARIABLE_LABELS[variable]),
                "factors": [{"label": str(labels.get(s["factor"], s["factor"])), "pct": s["pct"]} for s in shares],
            }
        )
    return groups


def build_release(vintage: IkiRelease, *, earlier: list[IkiRelease] = (), series: list[dict] | None = None) -> Release:
    """Everything the public page, the PDF and the CSV show for one published vintage."""
    p = vintage.payload
    headline = {
        "period": vintage.period_label,
        "month_name": month_name(vintage.period),
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
        "gdp_period": vintage.gdp_period,
        "panel_consistency": p.get("panel_consistency"),
    }
    lead = lead_sentence(vintage.period, iki=p["iki"], status=p["status"], change=p.get("change"), previous_iki=p.get("previous_iki"))
    variables = [
        {"label": _("Pesanan baru"), "code": "V1", "value": p["v_orders"]},
        {"label": _("Produksi"), "code": "V2", "value": p["v_production"]},
        {"label": _("Persediaan produk"), "code": "V3", "value": p["v_stock"]},
    ]
    for v in variables:
        v["status_label"] = STATUS_DISPLAY[status_of(Decimal(str(v["value"])))]
    subsectors = selectors.subsector_rows(vintage)
    for row in subsectors:
        row["status_label"] = STATUS_DISPLAY[row["status"]]
    general = [{"label": str(label), "pct": p["general"][code]} for code, label in Change.choices]
    outlook = [{"label": str(label), "pct": p["outlook"][code]} for code, label in Outlook.choices]
    series = published_series() if series is None else series
    series = [s for s in series if s["period"] <= vintage.period_label]
    return Release(
        vintage, list(earlier), headline, lead, variables, subsectors, general, outlook, factor_groups(p), series, _commentary(p)
    )


def release_html(release: Release) -> str:
    """The PDF's HTML (always Indonesian, as the ministry's release); its digest names the stored PDF."""
    return render_pdf_html("pdf/iki-release.html", {"release": release})


CSV_HEADER = [
    "periode", "tingkat", "kbli2", "uraian", "responden", "iki", "v_pesanan", "v_produksi", "v_persediaan", "status",
    "rilis", "diterbitkan",
]


def csv_rows(release: Release) -> list[list]:
    """The published aggregates: the national line, then each subsector (suppressed ones without numbers)."""
    h = release.headline
    vintage = [release.vintage.vintage, timezone.localtime(release.vintage.published_at).date().isoformat()]
    rows = [
        [h["period"], "nasional", "", "Industri pengolahan nonmigas", h["respondents"], h["iki"], h["v_orders"],
         h["v_production"], h["v_stock"], STATUS_LABELS.get(h["status"], h["status"]), *vintage],
    ]
    for s in release.subsectors:  # the status in Indonesian words, as the header ("Tidak ditampilkan", not "suppressed")
        rows.append(
            [h["period"], "subsektor", s["kbli2"], s["title"], s["respondents"], s["iki"], s["v_orders"],
             s["v_production"], s["v_stock"], STATUS_LABELS.get(s["status"], s["status"]), *vintage]
        )
    return rows


def _svg(value: float) -> str:
    """A number for an SVG attribute: always a point, whatever the language ("75.4", never "75,4")."""
    return f"{value:.1f}"


def svg_chart(series: list[dict], *, width: int = 480, height: int = 150, pad: int = 24, labels: int = 8) -> dict | None:
    """The national series as the PDF's static SVG chart (WeasyPrint runs no JS). Every number is a
    string formatted here, so the template's localisation cannot turn it into "75,4"; at most
    ``labels`` months are labelled (always the latest), so the labels never overlap."""
    values = [s["iki"] for s in series if s["iki"] is not None]
    if not values:
        return None
    low = min(min(values), 50) - 2
    high = max(max(values), 50) + 2
    step = (width - 2 * pad) / max(len(series) - 1, 1)
    every = max(1, -(-len(series) // labels))
    labelled = set(range(len(series) - 1, -1, -every))

    def y(v: float) -> float:
        return height - pad - (v - low) / (high - low) * (height - 2 * pad)

    points = [(pad + i * step, y(s["iki"]), i, s) for i, s in enumerate(series) if s["iki"] is not None]
    threshold = y(50)
    return {
        "width": width,
        "height": height,
        "top": _svg(pad),
        "bottom": _svg(height - pad),
        "left": _svg(pad),
        "right": _svg(width - pad),
        "points": " ".join(f"{_svg(x)},{_svg(yy)}" for x, yy, _i, _s in points),
        "dots": [
            {
                "x": _svg(x),
                "y": _svg(yy),
                "value_y": _svg(yy - 4),
                "label": s.get("short") or s["period"],
                "value": s["iki"],
                "labelled": i in labelled,
            }
            for x, yy, i, s in points
        ],
        "label_y": _svg(height - 8),
        "threshold_y": _svg(threshold),
        "threshold_label_y": _svg(threshold + 2.5),
        "low": round(low, 1),
        "high": round(high, 1),
    }
