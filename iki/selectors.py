"""Reads for IKI: the questionnaire window, response records for the engine, GDP shares, stored
results and the aggregates the dashboard and the public release show."""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import Factory
from iki.engine import IKI_DIVISIONS, MIN_RESPONDENTS, SUPPRESSED, GdpGroup, ResponseRecord
from iki.models import DEFAULT_CLOSE_DAY, DEFAULT_OPEN_DAY, IkiPeriod, IkiResponse, IkiResult, month_label
from iki.questions import FACTOR_QUESTIONS
from reporting.selectors import workforce_from_latest_accepted_reports
from siinas.core.models import GdpShare, Kbli, Region


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


_RECORD_FIELDS = (
    "period",
    "factory_id",
    "kbli2_id",
    "factory__workforce",
    "general",
    "orders",
    "production",
    "stock",
    "outlook",
    *(factors for _a, factors, _o, _l, _n in FACTOR_QUESTIONS),
)
_FACTOR_VARIABLES = tuple(answer for answer, _f, _o, _l, _n in FACTOR_QUESTIONS)


def _factor_list(value) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):  # backends that hand JSON back as text
        value = json.loads(value)
    return tuple(value)


def response_records(months: list[date]) -> list[ResponseRecord]:
    """Every response of ``months`` as engine records. The weight is the workforce of the factory's
    latest accepted semester report, else its profile (SIINAS.md §5). Two queries plus the report lookup."""
    rows = list(IkiResponse.objects.filter(period__in=months).values_list(*_RECORD_FIELDS))
    reported = workforce_from_latest_accepted_reports({row[1] for row in rows})
    records = []
    for period, factory_id, kbli2, profile_workforce, general, orders, production, stock, outlook, *factors in rows:
        records.append(
            ResponseRecord(
                period=month_label(period),
                respondent=str(factory_id),
                kbli2=kbli2,
                workforce=reported.get(factory_id, profile_workforce),
                general=general,
                orders=orders,
                production=production,
                stock=stock,
                outlook=outlook,
                factors={var: _factor_list(value) for var, value in zip(_FACTOR_VARIABLES, factors, strict=True) if value},
            )
        )
    return records


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
    return Factory.kbli.through.objects.filter(
        kbli__division_id__in=IKI_DIVISIONS,
        factory__status=Factory.Status.ACTIVE,
        factory__stage=Factory.Stage.PRODUCTION,
    )


def response_rate_by_subsector(month: date) -> list[RateRow]:
    """Per IKI division: active production-stage factories with that line, and responses received."""
    eligible = dict(
        _eligible_factories().values("kbli__division_id").annotate(n=Count("factory_id", distinct=True)).values_list("kbli__division_id", "n")
    )
    responded = dict(
        IkiResponse.objects.filter(period=month).values("kbli2_id").annotate(n=Count("id")).values_list("kbli2_id", "n")
    )
    titles = division_titles()
    return [RateRow(d, titles.get(d, d), eligible.get(d, 0), responded.get(d, 0)) for d in IKI_DIVISIONS]


def response_rate_by_province(month: date) -> list[RateRow]:
    """Per province: factories expected to answer (any IKI line) and factories that answered."""
    eligible = dict(
        _eligible_factories()
        .values("factory__province_id")
        .annotate(n=Count("factory_id", distinct=True))
        .values_list("factory__province_id", "n")
    )
    responded = dict(
        IkiResponse.objects.filter(period=month)
        .values("factory__province_id")
        .annotate(n=Count("factory_id", distinct=True))
        .values_list("factory__province_id", "n")
    )
    codes = sorted(set(eligible) | set(responded))
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [RateRow(c, names.get(c, c), eligible.get(c, 0), responded.get(c, 0)) for c in codes]


def subsector_rows(result: IkiResult) -> list[dict]:
    """The stored subsector aggregates with their KBLI titles; suppressed cells carry no numbers."""
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
