"""The obligation rule (kewajiban lapor): which factory account owes which periodic report for which period.

One rule, two faces that say the same thing (tests/verification/test_obligation.py checks them equal
over a matrix of facts):

- ``owes(factory, period)`` — the report types one account owes for one period (pure Python, no query
  when the account's licences are prefetched or ``first_licence_on`` is annotated);
- ``owing_q(period, codes)`` / ``accounts_owing(period)`` — the same as one plain SQL filter on
  ``Factory`` (no per-row Python: the national rate tables run it over 50,000 accounts).

Every consumer reads it from here: the reporting rate (verification/rates.py) and through it the Pemda
dashboards, the Pemda report monitor (pemda/selectors/reports.py), the warning-letter planner
(verification/services/compliance.py) and the company's own list of reports due
(reporting.selectors.due_reports). docs/statistics.md, "Obligation rule", states it in plain language.

An account owes period P the report type its account type, stage and scale give it
(``reporting.registry.report_types_owed``) when all of these hold:

1. **registered before the window opened** — the account was created (UPP approval) on a day before
   ``P.window_opens`` (Asia/Jakarta): an account registered during or after the window does not owe P;
2. **open for the whole window** — its status is active, or it was deactivated on a day after
   ``P.window_closes`` (``Factory.closed_on``); a deactivated account without a closure date (closed
   before the date was kept) owes nothing;
3. **operating by the end of the period** — its start date is on or before ``P.end``. The start date is
   ``Factory.operating_since`` for an account in production, else the earliest issue date of its
   licences (Perizinan: IUI, IUKI, …); when neither is known, rule 1 alone decides.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case as SqlCase
from django.db.models import CharField, Min, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import AccountType, Factory, Licence, Scale
from reporting.models import Period
from reporting.registry import REPORT_TYPES, ReportTypeSpec, report_types_owed

PERIODIC_TYPES = tuple(code for code, spec in REPORT_TYPES.items() if spec.periodic)


@dataclass(frozen=True)
class ObligationRule:
    """The rule's parameters: which date of the period each fact is compared with (all inclusive of the
    period's own day as written below)."""

    registered_before: str = "window_opens"  # created on a day strictly before this date
    open_after: str = "window_closes"  # a closure date strictly after this date keeps the obligation
    started_by: str = "end"  # a start date on or before this date


RULE = ObligationRule()


def _day(period: Period, name: str) -> dt.date:
    return getattr(period, name)


def _registration_cutoff(period: Period) -> dt.datetime:
    """The first instant (Asia/Jakarta) of the day registration must precede."""
    return timezone.make_aware(dt.datetime.combine(_day(period, RULE.registered_before), dt.time.min))


# --- The type rule (account type, stage, scale) as data and as SQL ------------------------------------------


@cache
def owed_rules() -> dict[str, tuple[tuple[str, str, tuple[str, ...] | None], ...]]:
    """``report_types_owed`` for periodic types as data: per type, the (account type, stage, scales) it is
    owed for (``None``: every scale). Read off the registry's own rules over every value of the three
    fields they look at, so the SQL cannot drift from them (a rule reading another field fails here)."""
    scales = tuple(Scale.values)
    owed: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for account_type in AccountType.values:
        for stage in Factory.Stage.values:
            for scale in scales:
                specs = report_types_owed(SimpleNamespace(account_type=account_type, stage=stage, scale=scale))
                if len(specs) > 1:  # the SQL below gives one owed type per account
                    raise ImproperlyConfigured(f"{account_type}/{stage}/{scale} owes {len(specs)} periodic report types")
                for spec in specs:
                    owed[spec.code][(account_type, stage)].append(scale)
    return {
        code: tuple((a, s, None if tuple(sc) == scales else tuple(sc)) for (a, s), sc in pairs.items())
        for code, pairs in owed.items()
    }


def owes_q(codes: Iterable[str] = PERIODIC_TYPES, prefix: str = "") -> Q:
    """Accounts (``prefix`` for rows pointing at one) whose type, stage and scale owe one of ``codes``,
    whatever the period (the type rule alone)."""
    codes = tuple(codes)
    owed = {
        (account_type, stage, scale)
        for code in codes
        for account_type, stage, scales in owed_rules().get(code, ())
        for scale in scales or Scale.values
    }
    every = {(stage, scale) for stage in Factory.Stage.values for scale in Scale.values}
    # An account type owing something in every stage and scale needs no stage or scale test (the whole
    # set of periodic types: "type A or B"): a shorter filter for every row of the national tables.
    whole = sorted(a for a in AccountType.values if {(s, sc) for t, s, sc in owed if t == a} == every)
    q = Q(**{f"{prefix}account_type__in": whole}) if whole else Q(pk__in=[])
    for code in codes:
        for account_type, stage, scales in owed_rules().get(code, ()):
            if account_type in whole:
                continue
            cond = Q(**{f"{prefix}account_type": account_type, f"{prefix}stage": stage})
            if scales is not None:
                cond &= Q(**{f"{prefix}scale__in": scales})
            q |= cond
    return q


def owed_type_case(prefix: str = "") -> SqlCase:
    """The periodic report type the account owes by the type rule (at most one), NULL when none."""
    whens = [When(owes_q([code], prefix), then=Value(code)) for code in PERIODIC_TYPES if code in owed_rules()]
    return SqlCase(*whens, default=Value(None), output_field=CharField())


# --- The period facts ----------------------------------------------------------------------------------------


def _licensed_after(day: dt.date) -> QuerySet:
    """Ids of accounts whose earliest licence was issued after ``day`` (one grouped, uncorrelated subquery)."""
    return (
        Licence.objects.order_by()
        .values("factory_id")
        .annotate(first=Min("issued_on"))
        .filter(first__gt=day)
        .values("factory_id")
    )


def period_q(period: Period) -> Q:
    """Accounts whose registration, closure and start dates make them owe ``period`` (facts 1–3 above)."""
    registered = Q(created_at__lt=_registration_cutoff(period))
    still_open = Q(status=Factory.Status.ACTIVE) | Q(
        status=Factory.Status.SUSPENDED, closed_on__gt=_day(period, RULE.open_after)
    )
    end = _day(period, RULE.started_by)
    operating = Q(stage=Factory.Stage.PRODUCTION, operating_since__lte=end)
    by_licence = (Q(stage=Factory.Stage.CONSTRUCTION) | Q(operating_since__isnull=True)) & ~Q(pk__in=_licensed_after(end))
    return registered & still_open & (operating | by_licence)


def owing_q(period: Period, codes: Iterable[str] = PERIODIC_TYPES) -> Q:
    """Accounts that owe ``period`` one of the periodic report types ``codes``: the SQL face of ``owes``."""
    return period_q(period) & owes_q(codes)


def accounts_owing(period: Period, codes: Iterable[str] = PERIODIC_TYPES) -> QuerySet[Factory]:
    """Every account that owes ``period`` a periodic report (of one of ``codes``)."""
    return Factory.objects.filter(owing_q(period, codes))


# --- The Python face -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the rule reads off one account, read once (``facts_of``) and then asked about any period."""

    registered_on: dt.date  # Asia/Jakarta day of ``created_at``
    active: bool
    closed_on: dt.date | None
    starts_on: dt.date | None  # production start, else first licence, else unknown
    types: tuple[ReportTypeSpec, ...]  # by account type, stage and scale

    def owes_period(self, period: Period) -> bool:
        """Do the account's registration, closure and start dates make it owe ``period`` (facts 1–3)?"""
        if self.registered_on >= _day(period, RULE.registered_before):
            return False
        if not self.active and (self.closed_on is None or self.closed_on <= _day(period, RULE.open_after)):
            return False
        return self.starts_on is None or self.starts_on <= _day(period, RULE.started_by)

    def owes(self, period: Period) -> list[ReportTypeSpec]:
        return list(self.types) if self.owes_period(period) else []


def first_licence_on(factory: Factory) -> dt.date | None:
    """The earliest issue date of the account's licences: the ``first_licence_on`` annotation when present,
    else read from ``factory.licences`` (prefetched, or one query)."""
    if hasattr(factory, "first_licence_on"):
        return factory.first_licence_on
    return min((licence.issued_on for licence in factory.licences.all()), default=None)


def facts_of(factory: Factory) -> Facts:
    """The rule's facts of one account (reads its licences only when the production start is unknown)."""
    if factory.stage == Factory.Stage.PRODUCTION and factory.operating_since is not None:
        start = factory.operating_since
    else:
        start = first_licence_on(factory)
    return Facts(
        registered_on=timezone.localdate(factory.created_at),
        active=factory.status == Factory.Status.ACTIVE,
        closed_on=factory.closed_on,
        starts_on=start,
        types=tuple(report_types_owed(factory)),
    )


def owes(factory: Factory, period: Period) -> list[ReportTypeSpec]:
    """The periodic report types ``factory`` owes for ``period`` (empty: it owes nothing)."""
    return facts_of(factory).owes(period)
