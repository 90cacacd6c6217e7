"""Early-warning reads: the active signals a user may see, with the labels and chart of each."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from accounts.models import User
from ews.access import signals_visible_to
from ews.models import Signal
from siinas.core.models import Kbli, Region

PAGE_SIZE = 25


def measure_labels() -> dict[str, str]:
    return {
        "iki": _("IKI"),
        "production": _("Nilai produksi"),
        "workforce": _("Tenaga kerja"),
        "export": _("Nilai ekspor"),
        "reduced": _("Pangsa izin beroperasi terbatas (%)"),
    }


def active_signals_page(user: User, *, source: str = "", page: str | int = 1) -> Page:
    """One page of the active signals in ``user``'s scope (newest period first), each with its labels,
    ``chart`` and ``series_rows``: four queries whatever the number of signals (count, page, regions,
    KBLI titles)."""
    qs = signals_visible_to(user).filter(active=True)
    if source in Signal.Source.values:
        qs = qs.filter(source=source)
    signals = Paginator(qs.order_by("-period", "kind", "subsector", "region", "measure"), PAGE_SIZE).get_page(page)
    rows = label(list(signals.object_list))
    for s in rows:
        s.chart = chart_of(s, s.measure_label)
        s.series_rows = list(zip(s.evidence.get("labels", []), s.evidence.get("values", []), strict=False))
    signals.object_list = rows
    return signals


def label(rows: list[Signal]) -> list[Signal]:
    """``rows`` with ``subsector_label``, ``region_label`` and ``measure_label`` (two queries)."""
    regions = dict(Region.objects.filter(code__in={s.region for s in rows if s.region}).values_list("code", "name"))
    titles = dict(Kbli.objects.filter(code__in={s.subsector for s in rows if s.subsector}).values_list("code", "title"))
    labels = measure_labels()
    for s in rows:
        s.subsector_label = f"{s.subsector} {titles.get(s.subsector, '')}".strip() if s.subsector else _("Semua subsektor")
        s.region_label = regions.get(s.region, s.region) if s.region else _("Nasional")
        s.measure_label = labels.get(s.measure, s.measure)
    return rows


def chart_of(signal: Signal, measure_label: str) -> dict:
    """The chart spec static/js/ews.js draws: the series behind the signal (bars for a year-on-year pair)."""
    evidence = signal.evidence
    chart = {"title": f"{measure_label} — {signal.period_label}", "labels": evidence.get("labels", [])}
    if signal.kind == Signal.Kind.YOY_FALL:
        return chart | {"type": "bar", "series": [{"label": measure_label, "values": evidence.get("values", [])}]}
    series = [{"label": measure_label, "values": evidence.get("values", [])}]
    if "median" in evidence:
        series.append({"label": _("Median riwayat"), "values": [evidence["median"]] * len(chart["labels"])})
    if signal.kind == Signal.Kind.IKI_STREAK:
        series.append({"label": _("Batas ekspansi (50)"), "values": [50] * len(chart["labels"])})
    return chart | {"type": "line", "series": series}
