"""Posisi Anda (issue 18 §2): where a factory stands in its KBLI subsector, as bands, never as others' values.

One builder (``factory_position``) for the page and its CSV/XLSX downloads. For the factory's newest
validated periodic report it compares five measures (``MEASURES``) with the other companies of the same
KBLI 2-digit division — and of each of its KBLI 5-digit groups — that have a validated report of the same
period, and says in which band the factory's own value lies:

- the cut points are the quartiles of the group's values (the factory's own included) by linear
  interpolation between order statistics (``quartiles``; numpy.percentile's default, "type 7");
- bands (``band_of``): at most Q1 → kuartil bawah; between Q1 and the median → di bawah median; equal to
  the median → median; between the median and Q3 → di atas median; at least Q3 → kuartil atas. Ties are
  symmetric: a group whose values are all equal puts everybody on the median.

Disclosure (docs/analisis.md "Posisi Anda"): only the factory's own values and its band leave this
module, with the number of companies compared. A band is computed only when the group holds at least
``MIN_GROUP`` companies (distinct NIBs) with a value for that measure; below it the page says the group is
too small and does not give its size. The cut points are never shown: an interpolated quantile is a
function of at most two companies' values, a magnitude of fewer than ``disclosure.MIN_CONTRIBUTORS``
contributors, which the count rule of ``siinas.lib.disclosure`` always hides.

Figures come from the stored measures of validated reports (``reporting.ReportMeasures``: production
value, workforce, capacity utilisation) and from two report sections (Pemasaran: sales and export values;
Energi: electricity in kWh) of the same reports. A company with two periodic reports of one period counts
once, its reports summed (utilisation: their mean), as on Informasi Industri. A group's cut points are
computed once per period and KBLI division (six queries, whatever its size) and cached
(``division_cuts``: counts and cut points only); a view reads the factory's own values (five queries).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Factory
from reporting.models import Period, Report, ReportMeasures, ReportStatus
from reporting.registry import REPORT_TYPES
from reporting.sections.models import Energy, SalesRow
from reporting.selectors import DueReport, due_reports, reports_data_version
from siinas.core.models import Kbli

log = logging.getLogger("siinas.analisis")

PERIODIC_TYPES = tuple(sorted(code for code, spec in REPORT_TYPES.items() if spec.periodic))
# A band needs this many companies (distinct NIBs) with a value in the group (docs/analisis.md): with linear
# interpolation, 14 is the least size from which on each of the four quartile bands (below Q1, Q1 to the
# median, the median to Q3, above Q3) holds at least ``disclosure.MIN_CONTRIBUTORS`` (3) companies' values
# (tests/analisis/test_position.py checks it for every size up to 300).
MIN_GROUP = 14
# The groups' cut points (``division_cuts``) of the current data version are used this long: it bounds what
# the version cannot see (an account's KBLI lines edited).
CACHE_SECONDS = 600
# Older cut points stay in the cache this long, to be shown while a worker recomputes them.
KEPT_SECONDS = 6 * 3600
# A refresh asked for less than this long ago is not asked for again.
REFRESH_EVERY_SECONDS = 60
# Cut points computed less than this long ago are used even if the reports moved meanwhile (as Informasi
# Industri's figures: at a deadline the version moves every few seconds).
FRESH_ENOUGH_SECONDS = 120

BOTTOM, BELOW, MEDIAN, ABOVE, TOP = (
    "kuartil_bawah",
    "di_bawah_median",
    "median",
    "di_atas_median",
    "kuartil_atas",
)
BANDS: dict[str, Any] = {
    BOTTOM: _("kuartil bawah"),
    BELOW: _("di bawah median"),
    MEDIAN: _("median"),
    ABOVE: _("di atas median"),
    TOP: _("kuartil atas"),
}
ONE_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    label: Any
    unit: Any
    places: int  # decimals shown of the factory's own value
    note: Any = ""

    @property
    def fmt(self) -> str:
        """The ``floatformat`` argument of the own value (grouped thousands)."""
        return f"{self.places}g"


MEASURES: dict[str, MeasureSpec] = {
    m.code: m
    for m in [
        MeasureSpec("utilisation", _("Utilisasi kapasitas"), _("%"), 2),
        MeasureSpec("productivity", _("Produktivitas tenaga kerja"), _("Rp nilai produksi per pekerja"), 0),
        MeasureSpec("export_share", _("Pangsa ekspor"), _("% dari nilai penjualan"), 2),
        MeasureSpec(
            "energy",
            _("Intensitas energi listrik"),
            _("kWh per Rp 1 juta nilai produksi"),
            2,
            _("Makin rendah makin hemat energi."),
        ),
        MeasureSpec(
            "growth", _("Pertumbuhan nilai produksi"), _("% terhadap semester yang sama tahun lalu"), 2
        ),
    ]
}


# --- Bands ------------------------------------------------------------------------------------------------


def quartiles(values: Sequence[Any]) -> tuple[Fraction, Fraction, Fraction]:
    """Q1, median and Q3 of ``values`` (at least one): linear interpolation at rank (n − 1)·p of the sorted
    values, exactly (numpy.percentile's default method)."""
    return sorted_quartiles(sorted(values))


def sorted_quartiles(ordered: Sequence[Any]) -> tuple[Fraction, Fraction, Fraction]:
    """``quartiles`` of values already sorted: only the (at most six) order statistics the cut points use
    become fractions (Decimal, int and float compare exactly with each other, so the order is the same)."""
    last = len(ordered) - 1

    def at(p: Fraction) -> Fraction:
        h = last * p
        low = int(h)
        high = min(low + 1, last)
        return Fraction(ordered[low]) + (h - low) * (Fraction(ordered[high]) - Fraction(ordered[low]))

    return at(Fraction(1, 4)), at(Fraction(1, 2)), at(Fraction(3, 4))


def band_of(value: Any, values: Sequence[Any]) -> str:
    """The band of ``value`` among ``values`` (which include it)."""
    return band_against(value, quartiles(values))


def band_against(value: Any, cuts: tuple[Fraction, Fraction, Fraction]) -> str:
    """The band of ``value`` given its group's cut points (Q1, median, Q3 of values that include it)."""
    q1, median, q3 = cuts
    own = Fraction(value)
    if own == median:
        return MEDIAN
    if own < median:
        return BOTTOM if own <= q1 else BELOW
    return TOP if own >= q3 else ABOVE


# --- Values per company -----------------------------------------------------------------------------------


@dataclass
class _Sums:
    company_id: int = 0
    production: Decimal | None = None
    workforce: int | None = None
    utilisations: list[Decimal] = field(default_factory=list)
    domestic: Decimal = Decimal(0)
    export: Decimal = Decimal(0)
    kwh: Decimal | None = None
    previous: Decimal | None = None


def _add(a, b):
    return b if a is None else (a if b is None else a + b)


def measure_values(sums: _Sums) -> dict[str, Decimal | None]:
    """One factory's five measures from its period's sums (None where not computable)."""
    production, workforce = sums.production, sums.workforce
    sales = sums.domestic + sums.export
    values: dict[str, Decimal | None] = {
        "utilisation": sum(sums.utilisations, Decimal(0)) / len(sums.utilisations)
        if sums.utilisations
        else None,
        "productivity": production / workforce if production is not None and workforce else None,
        "export_share": sums.export * 100 / sales if sales > 0 else None,
        "energy": sums.kwh * ONE_MILLION / production if sums.kwh is not None and production else None,
        "growth": (production / sums.previous - 1) * 100
        if production is not None and sums.previous
        else None,
    }
    return values


def _previous_period(period: Period) -> Period | None:
    """The same semester (or quarter) a year earlier."""
    return Period.objects.filter(
        period_type=period.period_type, year=period.year - 1, number=period.number
    ).first()


def _values_of(period: Period, members: Any) -> tuple[dict[int, dict[str, Decimal | None]], dict[int, int]]:
    """The measures and company of every factory of ``members`` (factory ids, or a query of them) with a
    validated periodic report of ``period``. Five queries (four without a period a year earlier)."""
    rows = ReportMeasures.objects.filter(
        period=period, report_type__in=PERIODIC_TYPES, factory_id__in=members
    )
    sums: dict[int, _Sums] = defaultdict(_Sums)
    report_factory: dict[int, int] = {}
    for report_id, factory_id, company_id, production, workforce, utilisation in rows.values_list(
        "report_id", "factory_id", "factory__company_id", "production", "workforce", "utilisation"
    ):
        s = sums[factory_id]
        s.company_id = company_id
        s.production = _add(s.production, production)
        s.workforce = _add(s.workforce, workforce)
        if utilisation is not None:
            s.utilisations.append(utilisation)
        report_factory[report_id] = factory_id
    reports = rows.values("report_id")
    for report_id, domestic, export in (
        SalesRow.objects.filter(report_id__in=reports)
        .order_by()
        .values("report_id")
        .annotate(d=Sum("domestic_value"), e=Sum("export_value"))
        .values_list("report_id", "d", "e")
    ):
        if report_id in report_factory:
            s = sums[report_factory[report_id]]
            s.domestic += Decimal(domestic or 0)
            s.export += Decimal(export or 0)
    for report_id, kwh in Energy.objects.filter(report_id__in=reports).values_list(
        "report_id", F("pln_kwh") + F("own_kwh") - F("sold_kwh")
    ):
        if report_id in report_factory:
            s = sums[report_factory[report_id]]
            s.kwh = _add(s.kwh, max(Decimal(kwh or 0), Decimal(0)))
    previous = _previous_period(period)
    if previous is not None:
        for factory_id, production in ReportMeasures.objects.filter(
            period=previous, report_type__in=PERIODIC_TYPES, factory_id__in=members
        ).values_list("factory_id", "production"):
            if factory_id in sums:
                sums[factory_id].previous = _add(sums[factory_id].previous, production)
    values = {factory_id: measure_values(s) for factory_id, s in sums.items()}
    return values, {factory_id: s.company_id for factory_id, s in sums.items()}


def group_values(
    period: Period, divisions: Iterable[str]
) -> tuple[dict[int, dict[str, Decimal | None]], dict[int, int], dict[int, set[str]]]:
    """Every factory of ``divisions`` with a validated periodic report of ``period``: its measures, its
    company and its KBLI 5-digit codes. Five queries (six with the year-earlier period)."""
    lines = Factory.kbli.through.objects.filter(kbli__division_id__in=list(divisions))
    members = lines.values("factory_id")
    values, companies = _values_of(period, members)
    codes: dict[int, set[str]] = defaultdict(set)
    for factory_id, code in lines.filter(
        factory_id__in=ReportMeasures.objects.filter(
            period=period, report_type__in=PERIODIC_TYPES, factory_id__in=members
        ).values("factory_id")
    ).values_list("factory_id", "kbli_id"):
        codes[factory_id].add(code)
    return values, companies, codes


# --- The groups' cut points, cached -----------------------------------------------------------------------


def _group_cuts(values: dict, companies: dict, members: Iterable[int]) -> dict[str, list]:
    """Per measure: [companies with a value, cut points] of one group (cut points as exact fractions in
    text, None below ``MIN_GROUP``)."""
    out: dict[str, list] = {}
    members = list(members)
    for code in MEASURES:
        with_value = [f for f in members if values[f][code] is not None]
        n = len({companies[f] for f in with_value})
        cuts = None
        if n >= MIN_GROUP:
            cuts = [str(q) for q in sorted_quartiles(sorted(values[f][code] for f in with_value))]
        out[code] = [n, cuts]
    return out


def _cuts_key(period_id: int, division: str) -> str:
    return f"analisis:position:cuts:v1:{period_id}:{division}"


def background() -> bool:
    """Whether a worker recomputes stale cut points (tasks not run in-process), unless settings say
    otherwise (``POSITION_CUTS_IN_BACKGROUND``), as the Pemda dashboards' figures."""
    explicit = getattr(settings, "POSITION_CUTS_IN_BACKGROUND", None)
    return (not settings.CELERY_TASK_ALWAYS_EAGER) if explicit is None else bool(explicit)


def division_cuts(period: Period, division: str, version: str | None = None) -> dict[str, dict[str, list]]:
    """The cut points of a KBLI division and of each of its 5-digit groups for ``period``, keyed by KBLI
    code, then measure: ``[companies with a value, [Q1, median, Q3] or None]``.

    Computed from every factory of the division (``compute_division_cuts``) and kept in the cache per period
    and division. Used as kept while they are of the reports' current data version and younger than
    ``CACHE_SECONDS``, or younger than ``FRESH_ENOUGH_SECONDS`` whatever the version (at a deadline it moves
    every few seconds). Older: with a worker (``background()``) the kept cut points are used once more and a
    refresh is asked for (``request_refresh``); without one, or with nothing kept, they are computed here.
    Only cut points and counts are kept, never a company's value; they never leave this module. ``version``:
    the reports' data version when the caller has it already."""
    version = version if version is not None else reports_data_version()
    cached = cache.get(_cuts_key(period.pk, division))
    if cached is not None:
        age = time.time() - cached["at"]
        if (cached["version"] == version and age < CACHE_SECONDS) or age < FRESH_ENOUGH_SECONDS:
            return cached["groups"]
        if background():
            request_refresh(period.pk, division)
            return cached["groups"]
    return compute_division_cuts(period, division, version)


def compute_division_cuts(period: Period, division: str, version: str) -> dict[str, dict[str, list]]:
    """Compute and keep ``division_cuts`` (six queries, ≈ 1 s for KBLI 10 at 50,000 accounts)."""
    now = time.time()
    values, companies, codes = group_values(period, [division])
    members: dict[str, list[int]] = defaultdict(list)
    for factory_id, fcodes in codes.items():
        if any(c[:2] == division for c in fcodes):
            members[division].append(factory_id)
        for code in fcodes:
            if len(code) == 5:
                members[code].append(factory_id)
    groups = {code: _group_cuts(values, companies, ids) for code, ids in members.items()}
    cache.set(_cuts_key(period.pk, division), {"version": version, "at": now, "groups": groups}, KEPT_SECONDS)
    return groups


def request_refresh(period_id: int, division: str) -> bool:
    """Ask a worker to recompute a division's cut points (at most once per ``REFRESH_EVERY_SECONDS``).
    Never raises: the page goes on with the cut points it has."""
    from siinas.core import outbox

    try:
        if not cache.add(f"analisis:position:refresh:{period_id}:{division}", 1, REFRESH_EVERY_SECONDS):
            return False
        with transaction.atomic():
            outbox.task_enqueue(
                "analisis.refresh_position_cuts", kwargs={"period_id": period_id, "division": division}
            )
    except Exception:  # noqa: BLE001 — the page goes on with the cut points it has
        log.warning("position cut points: refresh not requested", exc_info=True)
        return False
    return True


def refresh_division_cuts(*, period_id: int, division: str) -> bool:
    """The worker's side of ``request_refresh``."""
    period = Period.objects.filter(pk=period_id).first()
    if period is None or not Kbli.objects.filter(code=division).exists():
        return False
    compute_division_cuts(period, division, reports_data_version())
    return True


# --- The page's data --------------------------------------------------------------------------------------


@dataclass
class PositionRow:
    """One measure of the factory against one comparison group."""

    group: str  # "10 Industri makanan"
    level: str  # "2" or "5"
    measure: MeasureSpec
    own: Decimal | None
    companies: int | None  # companies compared; None below MIN_GROUP (not shown)
    band: str | None

    @property
    def band_label(self) -> Any:
        return BANDS[self.band] if self.band else None

    @property
    def reason(self) -> Any:
        """Why there is no band."""
        if self.band:
            return ""
        if self.own is None:
            return _("Nilai Anda tidak dapat dihitung dari laporan Anda.")
        return _("Kelompok pembanding kurang dari %(n)s perusahaan.") % {"n": MIN_GROUP}

    @property
    def own_shown(self) -> Decimal | None:
        if self.own is None:
            return None
        return self.own.quantize(Decimal(1).scaleb(-self.measure.places))


UNFILED, WAITING, SHOWN, NOTHING = "unfiled", "waiting", "shown", "nothing"


@dataclass
class Position:
    factory: Factory
    state: (
        str  # UNFILED: the newest period owed is not filed; WAITING: filed, not validated yet; SHOWN; NOTHING
    )
    due: DueReport | None  # the newest period's report owed (UNFILED, WAITING)
    period: Period | None  # the period of the bands (the factory's newest validated report)
    rows: list[PositionRow]

    @property
    def shows_bands(self) -> bool:
        return self.period is not None and self.state != UNFILED


def _newest_due(factory: Factory) -> DueReport | None:
    """The factory's report owed for the newest period it owes (a filed one first, when it owes two)."""
    due = due_reports(factory, limit=1)
    return min(due, key=lambda d: not d.is_submitted) if due else None


def factory_position(factory: Factory) -> Position:
    """The factory's position (the company's own account only: the caller checks access). Shown only after
    the factory has filed its report for the newest period it owes; while that report waits for
    validation, the bands are those of its previous validated report, if any."""
    due = _newest_due(factory)
    if due is not None and not due.is_submitted:
        return Position(factory=factory, state=UNFILED, due=due, period=None, rows=[])
    validated = (
        Report.objects.filter(factory=factory, status=ReportStatus.VALIDATED, report_type__in=PERIODIC_TYPES)
        .select_related("period")
        .order_by("-period__start")
        .first()
    )
    period = validated.period if validated else None
    waiting = due is not None and (period is None or period.pk != due.period.pk)
    state = WAITING if waiting else (SHOWN if period else NOTHING)
    rows = position_rows(factory, period) if period is not None else []
    return Position(factory=factory, state=state, due=due if waiting else None, period=period, rows=rows)


def position_rows(factory: Factory, period: Period) -> list[PositionRow]:
    """Per comparison group (the factory's KBLI divisions, then its 5-digit groups) and measure: its own
    value and, with at least ``MIN_GROUP`` companies with a value, its band against the group's cached cut
    points (``division_cuts``)."""
    own_lines = list(Kbli.objects.filter(factories=factory).select_related("division").order_by("code"))
    divisions = {k.division_id: k.division for k in own_lines if k.division_id}
    if not divisions:
        return []
    own = _values_of(period, [factory.pk])[0].get(factory.pk)
    if own is None:  # the validated report has no stored measures (should not happen through the pipeline)
        own = dict.fromkeys(MEASURES)
    version = reports_data_version()
    cuts = {code: division_cuts(period, code, version) for code in sorted(divisions)}
    groups: list[tuple[str, str, dict[str, list] | None]] = []
    for code, division in sorted(divisions.items()):
        groups.append((f"{code} {division.title}", "2", cuts[code].get(code)))
    for line in own_lines:
        if len(line.code) == 5:
            in_division = cuts.get(line.division_id) or {}
            groups.append((f"{line.code} {line.title}", "5", in_division.get(line.code)))
    rows = []
    for label, level, group in groups:
        for code, spec in MEASURES.items():
            mine = own[code]
            # A group the cached figures do not hold (the factory's line is newer than them): itself only.
            n, cut_points = group[code] if group else (int(mine is not None), None)
            large = n >= MIN_GROUP and cut_points is not None
            band = (
                band_against(mine, tuple(Fraction(q) for q in cut_points))
                if large and mine is not None
                else None
            )
            rows.append(
                PositionRow(
                    group=label,
                    level=level,
                    measure=spec,
                    own=mine,
                    companies=n if large else None,
                    band=band,
                )
            )
    return rows


def export_table(position: Position) -> tuple[list[str], list[list[Any]]]:
    """The page's table (the factory's own values and bands only) for CSV/XLSX."""
    header = [
        str(_("Periode")),
        str(_("Kelompok pembanding (KBLI)")),
        str(_("Ukuran")),
        str(_("Satuan")),
        str(_("Nilai Anda")),
        str(_("Jumlah perusahaan dibandingkan")),
        str(_("Posisi")),
    ]
    rows = [
        [
            str(position.period),
            row.group,
            str(row.measure.label),
            str(row.measure.unit),
            row.own_shown,
            row.companies if row.companies is not None else f"< {MIN_GROUP}",
            str(row.band_label) if row.band else str(row.reason),
        ]
        for row in position.rows
    ]
    return header, rows
