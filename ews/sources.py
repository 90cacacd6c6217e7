"""The series the detectors read, built from stored aggregates, and the signals they raise.

Three sources (docs/statistics.md, "Early-warning system (EWS)"):

- **IKI** (``IkiResult``): the national index and each KBLI 2-digit subsector, monthly. A month where a
  subsector had fewer than 3 respondents (suppressed) is left out of its series. IKI exists per
  subsector only, so its signals are national (no region).
- **Validated reports** (``ReportMeasures``): production value, workforce and export of the newest
  semester against the same semester a year earlier, on the panel of factories with a value in both,
  per subsector × province and subsector × kabupaten/kota.
- **IOMKI weekly reports** (``WeeklyReport``): the weekly share of reports with the factory not
  operating or below 50 % utilisation, per subsector (national), per province and per kabupaten/kota.

A factory with lines in several KBLI divisions counts in each of them (as the Pemda tables do).
Every candidate has at least ``MIN_COMPANIES`` companies behind it. Reads only; no factory id leaves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from accounts.models import Factory
from eservice.models import WeeklyReport
from ews import detect
from ews.models import Signal
from iki.engine import MIN_RESPONDENTS, SUPPRESSED
from iki.models import IkiResult, month_label
from reporting.models import Period, ReportMeasures
from siinas.lib import disclosure

IKI_MONTHS = detect.SEASONAL_MIN_POINTS  # the IKI history read: three years of months
IOMKI_WEEKS = 17  # the latest week and 16 before it
YOY_MEASURES = ("production", "workforce", "export")


@dataclass
class Candidate:
    kind: str
    source: str
    measure: str
    subsector: str
    region: str
    period: date
    period_label: str
    score: float
    threshold: float
    companies: int
    evidence: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return (self.kind, self.measure, self.subsector, self.region, self.period)


def all_candidates() -> list[Candidate]:
    return [*iki_candidates(), *yoy_candidates(), *iomki_candidates()]


# --- IKI -------------------------------------------------------------------------------------------


def iki_series() -> dict[str, list[tuple[date, float, int]]]:
    """``{subsector: [(month, iki, respondents), ...]}`` oldest first; "" is the national index. One query."""
    rows = IkiResult.objects.order_by("-period").values_list("period", "iki", "respondents", "payload")[:IKI_MONTHS]
    series: dict[str, list[tuple[date, float, int]]] = defaultdict(list)
    for period, iki, respondents, payload in reversed(rows):
        if iki is not None and respondents >= MIN_RESPONDENTS:
            series[""].append((period, float(iki), respondents))
        for s in payload.get("subsectors", []):
            if s.get("iki") is not None and s["status"] != SUPPRESSED and s["respondents"] >= MIN_RESPONDENTS:
                series[s["kbli2"]].append((period, float(s["iki"]), s["respondents"]))
    return series


def iki_candidates() -> list[Candidate]:
    latest = IkiResult.objects.order_by("-period").values_list("period", flat=True).first()
    out = []
    for subsector, points in iki_series().items():
        if not points or points[-1][0] != latest:
            continue  # suppressed (or absent) in the newest month: nothing to say about it now
        values = [v for _m, v, _n in points]
        # STL needs calendar-consecutive months: a suppressed month in between would shift the cycle
        seasonal = _calendar_consecutive(points)
        adjusted = detect.deseasonalise(values) if seasonal else None
        evidence = {
            "labels": [month_label(m) for m, _v, _n in points],
            "values": values,
            "respondents": points[-1][2],
            "seasonally_adjusted": adjusted is not None,
        }
        if adjusted is not None:
            evidence["adjusted_values"] = list(adjusted)
        common = {
            "source": Signal.Source.IKI,
            "measure": "iki",
            "subsector": subsector,
            "region": "",
            "period": latest,
            "period_label": month_label(latest),
            "companies": points[-1][2],
        }
        streak = _consecutive_streak(points)
        if streak >= detect.STREAK_MONTHS:
            out.append(
                Candidate(
                    kind=Signal.Kind.IKI_STREAK,
                    score=streak,
                    threshold=detect.STREAK_MONTHS,
                    evidence={**evidence, "streak": streak, "contraction_below": detect.IKI_CONTRACTION},
                    **common,
                )
            )
        drop = detect.iki_drop(values, seasonal=seasonal)
        if drop is not None:
            out.append(
                Candidate(
                    kind=Signal.Kind.IKI_DROP,
                    score=round(drop.z, 2),
                    threshold=-detect.Z_THRESHOLD,
                    evidence={**evidence, "median": round(drop.median, 2), "scale": round(drop.scale, 2), "history": drop.history},
                    **common,
                )
            )
    return out


def _calendar_consecutive(points: list[tuple[date, float, int]]) -> bool:
    """Whether the points are one month apart each, with no month missing."""
    return all(_previous_month(later) == earlier for (earlier, _v, _n), (later, _w, _m) in zip(points, points[1:], strict=False))


def _consecutive_streak(points: list[tuple[date, float, int]]) -> int:
    """The contraction streak over calendar-consecutive months: a missing (suppressed) month ends it."""
    run: list[float] = []
    expected: date | None = None
    for month, value, _n in reversed(points):
        if expected is not None and month != expected:
            break
        run.append(value)
        expected = _previous_month(month)
    return detect.contraction_streak(run[::-1])


def _previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


# --- Validated reports: year-on-year ---------------------------------------------------------------


def semester_pair() -> tuple[Period, Period] | None:
    """The newest semester with validated reports and the same semester a year earlier (three queries)."""
    newest_id = (
        ReportMeasures.objects.filter(period__period_type=Period.Type.SEMESTER)
        .order_by("-period__start")
        .values_list("period_id", flat=True)
        .first()
    )
    if newest_id is None:
        return None
    current = Period.objects.get(pk=newest_id)
    previous = Period.objects.filter(period_type=Period.Type.SEMESTER, year=current.year - 1, number=current.number).first()
    return None if previous is None else (previous, current)


def _factory_places(factory_ids) -> dict[int, tuple[str, str, set[str]]]:
    """``{factory: (province, kab/kota, {divisions})}`` for the factories of a subquery (two queries)."""
    places = {pk: (prov, reg, set()) for pk, prov, reg in Factory.objects.filter(pk__in=factory_ids).values_list("pk", "province_id", "region_id")}
    lines = Factory.kbli.through.objects.filter(factory_id__in=factory_ids).values_list("factory_id", "kbli__division_id")
    for factory_id, division in lines:
        if factory_id in places and division:
            places[factory_id][2].add(division)
    return places


def _cells(place: tuple[str, str, set[str]]) -> Iterable[tuple[str, str]]:
    province, region, divisions = place
    for division in divisions:
        yield division, province
        yield division, region


def yoy_candidates() -> list[Candidate]:
    pair = semester_pair()
    if pair is None:
        return []
    previous, current = pair
    rows = ReportMeasures.objects.filter(period__in=[previous.pk, current.pk]).values_list("period_id", "factory_id", *YOY_MEASURES)
    totals: dict[tuple[int, int], list[float | None]] = {}
    for period_id, factory_id, *values in rows:
        acc = totals.setdefault((period_id, factory_id), [None] * len(YOY_MEASURES))
        for i, v in enumerate(values):
            if v is not None:
                acc[i] = (acc[i] or 0) + float(v)
    places = _factory_places(ReportMeasures.objects.filter(period=current.pk).values("factory_id"))
    sums: dict[tuple[str, str, str], list] = defaultdict(lambda: [0.0, 0.0, 0, [], []])
    for factory_id, place in places.items():
        before, now = totals.get((previous.pk, factory_id)), totals.get((current.pk, factory_id))
        if before is None or now is None:
            continue
        for i, measure in enumerate(YOY_MEASURES):
            if before[i] is None or now[i] is None:
                continue  # the panel: a value in both semesters
            for division, region in _cells(place):
                cell = sums[(measure, division, region)]
                cell[0] += before[i]
                cell[1] += now[i]
                cell[2] += 1
                cell[3].append(before[i])
                cell[4].append(now[i])
    out = []
    for (measure, division, region), (before, now, n, befores, nows) in sorted(sums.items()):
        fall = detect.yoy_fall_pct(before, now)
        if n < detect.MIN_COMPANIES or fall is None or fall <= detect.YOY_FALL_PCT:
            continue
        # The evidence shows the cell's values: a cell one or two companies dominate is not published
        # (siinas.lib.disclosure's dominance rule, as every magnitude table).
        if disclosure.dominated(before, disclosure.top_values(befores)) or disclosure.dominated(now, disclosure.top_values(nows)):
            continue
        out.append(
            Candidate(
                kind=Signal.Kind.YOY_FALL,
                source=Signal.Source.REPORTS,
                measure=measure,
                subsector=division,
                region=region,
                period=current.start,
                period_label=f"{current.year}-S{current.number}",
                score=fall,
                threshold=detect.YOY_FALL_PCT,
                companies=n,
                evidence={
                    "labels": [f"{previous.year}-S{previous.number}", f"{current.year}-S{current.number}"],
                    "values": [round(before), round(now)],
                    "fall_pct": fall,
                },
            )
        )
    return out


# --- IOMKI weekly reports --------------------------------------------------------------------------


def iomki_candidates() -> list[Candidate]:
    latest = WeeklyReport.objects.order_by("-week_start").values_list("week_start", flat=True).first()
    if latest is None:
        return []
    weeks = [latest - timedelta(weeks=k) for k in range(IOMKI_WEEKS - 1, -1, -1)]
    reports = WeeklyReport.objects.filter(week_start__gte=weeks[0]).values_list(
        "week_start", "application__factory_id", "operating", "utilisation_pct"
    )
    places = _factory_places(WeeklyReport.objects.filter(week_start__gte=weeks[0]).values("application__factory_id"))
    counts: dict[tuple[str, str], dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for week, factory_id, operating, utilisation in reports:
        province, region, divisions = places.get(factory_id, ("", "", set()))
        reduced = (not operating) or float(utilisation) < detect.IOMKI_REDUCED_UTILISATION
        scopes = [(d, "") for d in divisions] + [("", ""), ("", province), ("", region)]
        for scope in scopes:
            cell = counts[scope][week]
            cell[0] += int(reduced)
            cell[1] += 1
    out = []
    for (subsector, region), by_week in sorted(counts.items()):
        if by_week.get(latest, [0, 0])[1] < detect.MIN_COMPANIES:
            continue
        present = [w for w in weeks if by_week.get(w, [0, 0])[1] > 0]
        shares = [by_week[w][0] / by_week[w][1] for w in present]
        rise = detect.iomki_rise(shares)
        if rise is None:
            continue
        out.append(
            Candidate(
                kind=Signal.Kind.IOMKI_RISE,
                source=Signal.Source.IOMKI,
                measure="reduced",
                subsector=subsector,
                region=region,
                period=latest,
                period_label=f"{latest:%G-W%V}",
                score=round(rise.z, 2),
                threshold=detect.Z_THRESHOLD,
                companies=by_week[latest][1],
                evidence={
                    "labels": [f"{w:%G-W%V}" for w in present],
                    "values": [round(100 * s, 1) for s in shares],
                    "median": round(100 * rise.median, 1),
                    "scale": round(100 * rise.scale, 1),
                    "history": rise.history,
                },
            )
        )
    return out
