"""Reads for IKI: the questionnaire window, response records for the engine, GDP shares, stored
results and the aggregates the dashboard and the public release show."""

from __future__ import annotations

import calendar
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import Factory
from iki.engine import (
    CHANGE_ANSWERS,
    DOUBLED_SCORE,
    IKI_DIVISIONS,
    MIN_RESPONDENTS,
    OUTLOOK_ANSWERS,
    SUPPRESSED,
    GdpGroup,
    MonthTally,
    ResponseRecord,
    Sums,
    weight_of,
)
from iki.models import (
    DEFAULT_CLOSE_DAY,
    DEFAULT_OPEN_DAY,
    IkiPeriod,
    IkiResponse,
    IkiResult,
    IkiTally,
    IkiTallyWeight,
    month_label,
)
from iki.questions import FACTOR_BITS, FACTOR_QUESTIONS
from iki.weights import reported_workforce
from siinas.core.models import GdpShare, Kbli, Region
from siinas.lib.versions import newest_pk


def workforce_from_latest_accepted_reports(factory_ids) -> dict[int, int]:
    """Workforce per factory from its latest accepted semester report (the factories that have one):
    read from the maintained ``AcceptedWorkforce`` rows (iki/weights.py), equal to
    ``reporting.selectors.workforce_from_latest_accepted_reports`` over the reports themselves."""
    return reported_workforce(factory_ids)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    return first_of_month(month - timedelta(days=1))


def parse_period(value: str) -> date | None:
    """"2023-04" → date(2023, 4, 1); None when malformed."""
    try:
        year, month = (int(p) for p in value.split("-"))
        return date(year, month, 1) if len(value) == 7 else None
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class Window:
    """When the questionnaire of ``month`` may be filled in and edited (whole days, Asia/Jakarta)."""

    month: date
    opens_on: date
    closes_on: date

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on

    def has_closed(self, today: date) -> bool:
        return today > self.closes_on

    @property
    def label(self) -> str:
        return month_label(self.month)


def window_for(month: date) -> Window:
    """The admin's row for the month, else the 12th–23rd."""
    row = IkiPeriod.objects.filter(month=month).first()
    if row:
        return Window(month, row.opens_on, row.closes_on)
    last = calendar.monthrange(month.year, month.month)[1]
    return Window(month, month.replace(day=min(DEFAULT_OPEN_DAY, last)), month.replace(day=min(DEFAULT_CLOSE_DAY, last)))


def open_window(today: date | None = None) -> Window | None:
    """The window open today, if any (an admin may stretch last month's into this one)."""
    today = today or timezone.localdate()
    this_month = first_of_month(today)
    for month in (previous_month(this_month), this_month):
        window = window_for(month)
        if window.is_open(today):
            return window
    return None


def next_window(today: date | None = None) -> Window:
    today = today or timezone.localdate()
    this_month = first_of_month(today)
    window = window_for(this_month)
    if today < window.opens_on:
        return window
    return window_for(first_of_month(this_month + timedelta(days=32)))


def factory_iki_divisions(factory: Factory) -> list[Kbli]:
    """The factory's KBLI 2-digit lines that IKI covers (from its 5-digit KBLI in the profile)."""
    codes = set(factory.kbli.values_list("division_id", flat=True)) & set(IKI_DIVISIONS)
    return list(Kbli.objects.filter(code__in=codes).order_by("code"))


def responses_of_factory(factory_id: int) -> QuerySet[IkiResponse]:
    return IkiResponse.objects.filter(factory_id=factory_id).select_related("kbli2").order_by("-period", "kbli2_id")


_ANSWER_FIELDS = ("general", "orders", "production", "stock", "outlook")
_FACTOR_VARIABLES = tuple(answer for answer, _f, _o, _l, _n in FACTOR_QUESTIONS)
_FACTOR_FIELDS = tuple(factors for _a, factors, _o, _l, _n in FACTOR_QUESTIONS)


def _decode_all(texts: list[str | None]) -> list[list[str]]:
    """Decode a whole column of JSON arrays with one parser call (30,000 ``json.loads`` calls cost
    more than the rest of the month's computation; see ``manage.py bench_iki``)."""
    return json.loads("[" + ",".join(t or "[]" for t in texts) + "]") if texts else []


def response_records(months: list[date]) -> list[ResponseRecord]:
    """Every response of ``months`` as engine records. The weight is the workforce of the factory's
    latest accepted semester report, else its profile (SIINAS.md §5). One query per month plus the
    report lookup."""
    records: list[ResponseRecord] = []
    for month in months:
        label = month_label(month)
        # Factor lists come back as their JSON text and are decoded column-wise below.
        text_factors = {f"{f}_text": Cast(f, TextField()) for f in _FACTOR_FIELDS}
        rows = list(
            IkiResponse.objects.filter(period=month)
            .annotate(**text_factors)
            .values_list("factory_id", "kbli2_id", "factory__workforce", *_ANSWER_FIELDS, *text_factors)
        )
        if not rows:
            continue
        reported = workforce_from_latest_accepted_reports({row[0] for row in rows})
        columns = [_decode_all([row[8 + i] for row in rows]) for i in range(len(_FACTOR_FIELDS))]
        variables = _FACTOR_VARIABLES
        for index, row in enumerate(rows):
            factory_id = row[0]
            factors = {}
            for var, column in zip(variables, columns, strict=True):
                chosen = column[index]
                if chosen:
                    factors[var] = tuple(chosen)
            records.append(
                ResponseRecord(
                    label,
                    str(factory_id),
                    row[1],
                    reported.get(factory_id, row[2]),
                    row[3],
                    row[4],
                    row[5],
                    row[6],
                    row[7],
                    factors,
                )
            )
    return records


def tally_sql() -> str:
    """The month's one aggregate scan, as plain SQL that SQLite and PostgreSQL both run.

    Hand-written rather than ORM-built because it is the hot path ``bench_iki`` measures. Per
    division (grouped on the (period, kbli2) index order, so no sort): the count, Σw and Σw·2x of
    V1–V3 (x doubled, as ``engine.DOUBLED_SCORE``; w floored at 1, as ``engine.weight_of``), the
    answers to questions 1 and 5, one SUM per factor bit, and the lines that also answered last month
    (``IkiResponse.answered_previous_month``). Identifiers come from model metadata and constants,
    never from input.
    """
    r = IkiResponse._meta.db_table
    f = Factory._meta.db_table
    weight = "CASE WHEN f.workforce > 0 THEN f.workforce ELSE 1 END"

    def doubled(column: str) -> str:
        return f"CASE r.{column} WHEN 'meningkat' THEN 2 WHEN 'tetap' THEN 1 ELSE 0 END"

    columns = [
        "r.kbli2_id",
        "COUNT(*)",
        f"SUM({weight})",
        *(f"SUM({weight} * {doubled(c)})" for c in ("orders", "production", "stock")),
        *(f"SUM(CASE WHEN r.general = '{a}' THEN 1 ELSE 0 END)" for a in CHANGE_ANSWERS),
        *(f"SUM(CASE WHEN r.outlook = '{a}' THEN 1 ELSE 0 END)" for a in OUTLOOK_ANSWERS),
    ]
    for answer, bits in FACTOR_BITS.items():
        columns.append(f"SUM(CASE WHEN r.{answer}_factor_bits > 0 THEN 1 ELSE 0 END)")
        columns += [f"SUM((r.{answer}_factor_bits / {bit}) %% 2)" for bit in bits.values()]  # %% : a literal % beside params
    columns.append("SUM(CASE WHEN r.answered_previous_month THEN 1 ELSE 0 END)")
    return (
        f"SELECT {', '.join(columns)} FROM {r} r JOIN {f} f ON f.id = r.factory_id"  # noqa: S608 — no user input
        " WHERE r.period = %s GROUP BY r.kbli2_id"
    )


def _apply_reported_workforce(month: date, divisions: dict[str, Sums]) -> None:
    """Replace the profile weight by the latest accepted report's, for the factories that have one.

    Only those factories' rows are read; the correction is exact integer arithmetic."""
    responding = IkiResponse.objects.filter(period=month).order_by().values_list("factory_id", flat=True).distinct()
    factory_ids = set(responding)
    reported = workforce_from_latest_accepted_reports(responding)
    if not reported:
        return
    changed = {fid: w for fid, w in reported.items() if fid in factory_ids}
    ids = list(changed)
    for start in range(0, len(ids), 900):  # stay under every backend's parameter limit
        rows = IkiResponse.objects.filter(period=month, factory_id__in=ids[start : start + 900]).values_list(
            "factory_id", "kbli2_id", "factory__workforce", "orders", "production", "stock"
        )
        for factory_id, kbli2, profile, orders, production, stock in rows:
            old, new = weight_of(profile), weight_of(changed[factory_id])
            if old == new:
                continue
            delta = new - old
            acc = divisions[kbli2]
            acc.weight += delta
            acc.orders += delta * DOUBLED_SCORE[orders]
            acc.production += delta * DOUBLED_SCORE[production]
            acc.stock += delta * DOUBLED_SCORE[stock]


def month_tally_scan(month: date) -> MonthTally | None:
    """The month's tally aggregated from its responses in one SQL scan (the path before the running
    tally; ``bench_iki`` still measures it, and tests hold it equal to ``month_tally``)."""
    before = previous_month(month)
    has_last_month = IkiResponse.objects.filter(period=before).exists()
    adapt = connection.ops.adapt_datefield_value
    params = [adapt(month)]
    with connection.cursor() as cursor:
        cursor.execute(tally_sql(), params)
        grouped = cursor.fetchall()
    divisions: dict[str, Sums] = {}
    general: Counter[str] = Counter()
    outlook: Counter[str] = Counter()
    repeated = 0 if has_last_month else None
    answered: dict[str, int] = dict.fromkeys(FACTOR_BITS, 0)
    counts: dict[str, Counter] = {answer: Counter() for answer in FACTOR_BITS}
    for row in grouped:
        kbli2, n, w, o, p, st, *rest = row
        acc = divisions.setdefault(kbli2, Sums())
        acc.count += n
        acc.weight += w
        acc.orders += o
        acc.production += p
        acc.stock += st
        for answer, count in zip(CHANGE_ANSWERS, rest[0:3], strict=True):
            general[answer] += count
        for answer, count in zip(OUTLOOK_ANSWERS, rest[3:6], strict=True):
            outlook[answer] += count
        position = 6
        for answer, bits in FACTOR_BITS.items():
            answered[answer] += rest[position]
            for offset, code in enumerate(bits, start=1):
                counts[answer][code] += rest[position + offset]
            position += len(bits) + 1
        if has_last_month:
            repeated += rest[position]
    if not divisions:
        return None
    _apply_reported_workforce(month, divisions)
    return MonthTally(
        period=month_label(month),
        divisions=divisions,
        general=general,
        outlook=outlook,
        factor_answered=answered,
        factor_counts={answer: +counter for answer, counter in counts.items()},  # drop zero counts
        panel_repeated=repeated,
    )


def _correct_changed_weights(month: date, divisions: dict[str, Sums]) -> None:
    """Bring lines tallied with an out-of-date weight to the factory's current weight: the latest
    accepted semester report's workforce, else the profile's (docs/decisions.md, "IKI tallies").

    Reads one row per responding factory (its tallied weight beside its profile), the report lookup,
    and then only the responses of factories whose weight changed; exact integer arithmetic."""
    tallied = IkiTallyWeight.objects.filter(period=month)
    stored = list(tallied.values_list("factory_id", "weight", "factory__workforce"))
    # the month's factories as a subquery: the database joins them to the maintained rows
    reported = workforce_from_latest_accepted_reports(tallied.values_list("factory_id", flat=True))
    changed = {}
    for factory_id, tallied, profile in stored:
        current = weight_of(reported.get(factory_id, profile))
        if current != tallied:
            changed[factory_id] = current - tallied
    ids = list(changed)
    for start in range(0, len(ids), 900):  # stay under every backend's parameter limit
        rows = IkiResponse.objects.filter(period=month, factory_id__in=ids[start : start + 900]).values_list(
            "factory_id", "kbli2_id", "orders", "production", "stock"
        )
        for factory_id, kbli2, orders, production, stock in rows:
            delta = changed[factory_id]
            acc = divisions[kbli2]
            acc.weight += delta
            acc.orders += delta * DOUBLED_SCORE[orders]
            acc.production += delta * DOUBLED_SCORE[production]
            acc.stock += delta * DOUBLED_SCORE[stock]


def month_tally(month: date) -> MonthTally | None:
    """The month's tally from its running tally rows (the job's and the pages' path; ``bench_iki``
    measures it): one row per division, kept by every write of a response (iki/tallies.py), plus
    the weight correction above. Equal to ``engine.tally`` over ``response_records`` for the same
    responses (tests/iki/test_tally.py). None when the month has no responses."""
    rows = IkiTally.objects.filter(period=month, respondents__gt=0).values_list(
        "kbli2", "respondents", "weight", "orders", "production", "stock", "counts"
    )
    divisions: dict[str, Sums] = {}
    totals: Counter[str] = Counter()
    for kbli2, n, w, o, p, st, counts in rows:
        divisions[kbli2] = Sums(weight=w, orders=o, production=p, stock=st, count=n)
        totals.update(counts)
    if not divisions:
        return None
    _correct_changed_weights(month, divisions)
    has_last_month = IkiResponse.objects.filter(period=previous_month(month)).exists()
    return MonthTally(
        period=month_label(month),
        divisions=divisions,
        general=Counter({a: totals[f"general:{a}"] for a in CHANGE_ANSWERS if totals[f"general:{a}"]}),
        outlook=Counter({a: totals[f"outlook:{a}"] for a in OUTLOOK_ANSWERS if totals[f"outlook:{a}"]}),
        factor_answered={answer: totals[answer] for answer in FACTOR_BITS},
        factor_counts={
            answer: Counter({code: totals[f"{answer}:{code}"] for code in bits if totals[f"{answer}:{code}"]})
            for answer, bits in FACTOR_BITS.items()
        },
        panel_repeated=totals["panel"] if has_last_month else None,
    )


def gdp_groups() -> tuple[str, list[GdpGroup]]:
    """The admin-editable shares (core.GdpShare) of the latest BPS quarter, else the latest year.
    Returns ("", []) when none are loaded."""
    periods = list(GdpShare.objects.values_list("period", "period_type").distinct())
    if not periods:
        return "", []
    quarters = sorted(p for p, kind in periods if kind == "quarter")
    chosen = quarters[-1] if quarters else sorted(p for p, _k in periods)[-1]
    shares = {s.pk: s for s in GdpShare.objects.filter(period=chosen)}
    divisions: dict[int, set[str]] = {pk: set() for pk in shares}
    for share_id, code in GdpShare.divisions.through.objects.filter(gdpshare_id__in=shares).values_list("gdpshare_id", "kbli_id"):
        divisions[share_id].add(code)
    return chosen, [GdpGroup(share_pct=s.share_pct, divisions=frozenset(divisions[pk])) for pk, s in shares.items()]


def current_iki(month: date) -> Decimal | None:
    """The national IKI from today's answers and weights ("angka terkini"): what a revision would
    publish; None under 3 respondents. A few queries, whatever the number of responses."""
    counted = month_tally(month)
    if counted is None or counted.respondents < MIN_RESPONDENTS:
        return None
    return counted.national().index().iki


def result_for(month: date) -> IkiResult | None:
    return IkiResult.objects.filter(period=month).first()


def latest_result() -> IkiResult | None:
    return IkiResult.objects.order_by("-period").first()


def series(limit: int = 36) -> list[dict]:
    """The national series, oldest first: what the chart and the dashboard draw (one query)."""
    rows = IkiResult.objects.order_by("-period").values("period", "iki", "status", "respondents", "payload")[:limit]
    return [
        {
            "period": month_label(r["period"]),
            "iki": None if r["iki"] is None else float(r["iki"]),
            "status": r["status"],
            "respondents": r["respondents"],
            "v_orders": r["payload"].get("v_orders"),
            "v_production": r["payload"].get("v_production"),
            "v_stock": r["payload"].get("v_stock"),
            "change": r["payload"].get("change"),
        }
        for r in reversed(rows)
    ]


def division_titles() -> dict[str, str]:
    return dict(Kbli.objects.filter(code__in=IKI_DIVISIONS).values_list("code", "title"))


@dataclass(frozen=True)
class RateRow:
    key: str
    label: str
    eligible: int
    responded: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.responded / self.eligible, 2) if self.eligible else None


def _eligible_factories() -> QuerySet:
    """Active production-stage factories with at least one IKI line."""
    lines = Factory.kbli.through.objects.filter(factory_id=OuterRef("pk"), kbli__division_id__in=IKI_DIVISIONS)
    return Factory.objects.filter(Exists(lines), status=Factory.Status.ACTIVE, stage=Factory.Stage.PRODUCTION)


def _eligible_by_division() -> dict[str, int]:
    """Per IKI division, the eligible factories with a line in it: the distinct (factory, division)
    pairs counted by hash (a COUNT(DISTINCT) sorts the 60,000 lines at national scale, on disk)."""
    through = Factory.kbli.through._meta.db_table
    kbli = Kbli._meta.db_table
    factory = Factory._meta.db_table
    marks = ", ".join(["%s"] * len(IKI_DIVISIONS))
    sql = (
        f"SELECT d, COUNT(*) FROM (SELECT DISTINCT fk.factory_id, k.division_id AS d FROM {through} fk"  # noqa: S608 — identifiers from model metadata
        f" JOIN {factory} f ON f.id = fk.factory_id JOIN {kbli} k ON k.code = fk.kbli_id"
        f" WHERE f.status = %s AND f.stage = %s AND k.division_id IN ({marks})) pairs GROUP BY d"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Factory.Status.ACTIVE.value, Factory.Stage.PRODUCTION.value, *IKI_DIVISIONS])
        return dict(cursor.fetchall())


# The dashboard's denominators (eligible factories per IKI division and per province) do not depend on the
# month and change only when an account is registered, suspended or changes stage or KBLI: they are kept in
# the shared cache for this long (Redis with REDIS_URL; a dead Redis only means they are counted again).
# At 50,000 accounts the two counts cost ~200 ms, the rest of the page ~50 ms (docs/iki.md).
ELIGIBLE_CACHE_SECONDS = 600
ELIGIBLE_CACHE_KEY = "iki:eligible:v1"


def eligible_counts() -> dict[str, dict[str, int]]:
    """``{"division": {code: n}, "province": {code: n}}`` of the factories expected to answer IKI,
    at most ``ELIGIBLE_CACHE_SECONDS`` old."""
    counts = cache.get(ELIGIBLE_CACHE_KEY)
    if counts is None:
        by_province = _eligible_factories().order_by().values("province_id").annotate(n=Count("pk"))
        counts = {
            "division": _eligible_by_division(),
            "province": dict(by_province.values_list("province_id", "n")),
        }
        cache.set(ELIGIBLE_CACHE_KEY, counts, ELIGIBLE_CACHE_SECONDS)
    return counts


def responded_counts(month: date) -> dict[str, dict[str, int]]:
    """``{"division": {code: n}, "province": {code: n}}`` of the month's responses (per division) and
    responding factories (per province), cached under the newest response (one index look-up): a new
    response renews them at once; an edited one (same key) within ``ELIGIBLE_CACHE_SECONDS``. At 50,000
    accounts the two groupings over a month's ~10,000 responses cost ≈ 12 ms."""
    key = f"iki:responded:{month.isoformat()}:{newest_pk(IkiResponse)}"
    counts = cache.get(key)
    if counts is None:
        respondents = IkiResponse.objects.filter(period=month).values("factory_id")
        counts = {
            "division": dict(
                IkiResponse.objects.filter(period=month).values("kbli2_id").annotate(n=Count("id")).values_list("kbli2_id", "n")
            ),
            "province": dict(
                Factory.objects.filter(pk__in=respondents).order_by().values("province_id").annotate(n=Count("pk")).values_list("province_id", "n")
            ),
        }
        cache.set(key, counts, ELIGIBLE_CACHE_SECONDS)
    return counts


def response_rate_by_subsector(month: date) -> list[RateRow]:
    """Per IKI division: active production-stage factories with that line, and responses received."""
    eligible = eligible_counts()["division"]
    responded = responded_counts(month)["division"]
    titles = division_titles()
    return [RateRow(d, titles.get(d, d), eligible.get(d, 0), responded.get(d, 0)) for d in IKI_DIVISIONS]


def response_rate_by_province(month: date) -> list[RateRow]:
    """Per province: factories expected to answer (any IKI line) and factories that answered."""
    eligible = eligible_counts()["province"]
    responded = responded_counts(month)["province"]
    codes = sorted(set(eligible) | set(responded))
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [RateRow(c, names.get(c, c), eligible.get(c, 0), responded.get(c, 0)) for c in codes]


def subsector_rows(result) -> list[dict]:
    """The stored subsector aggregates (of an ``IkiResult`` or an ``IkiRelease`` vintage) with their KBLI titles; suppressed cells carry no numbers."""
    titles = division_titles()
    rows = []
    for s in result.payload["subsectors"]:
        suppressed = s["status"] == SUPPRESSED or s["respondents"] < MIN_RESPONDENTS
        rows.append(
            {
                "kbli2": s["kbli2"],
                "title": titles.get(s["kbli2"], ""),
                "suppressed": suppressed,
                "respondents": None if suppressed else s["respondents"],
                "iki": None if suppressed else s["iki"],
                "v_orders": None if suppressed else s.get("v_orders"),
                "v_production": None if suppressed else s.get("v_production"),
                "v_stock": None if suppressed else s.get("v_stock"),
                "status": SUPPRESSED if suppressed else s["status"],
            }
        )
    return rows
