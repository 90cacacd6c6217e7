"""Reads of the partner datasets (the API's selectors): the factory registry, validated report data and
reporting compliance, each starting from the token's scope (``api.access.scoped_factories``).

What is never read here: people. No user, contact person, e-mail, phone number or NIP leaves through
these functions, and no factory address (a home industry's address is a person's home); docs/api.md says
so to partners. Confidential report data is read only from validated reports (Tervalidasi)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Factory
from api import public
from api.errors import ApiError
from reporting import obligation
from reporting.models import Period, Report, ReportStatus, ReportVersion
from reporting.registry import REPORT_TYPES
from reporting.selectors import report_snapshot_in_one_query
from siinas.core.models import Kbli
from verification.models import WarningLetter

PERIODIC_TYPES = tuple(code for code, spec in REPORT_TYPES.items() if spec.periodic)
PERIOD_CODE = re.compile(r"^(\d{4})-(S[12]|Q[1-4])$")
DEFAULT_PERIODS = 4  # the compliance of a NIB: the last four semesters, unless asked otherwise
MAX_PERIODS = 12


# --- Periods as partners write them: 2026-S1, 2026-Q2 (the SDMX form, as the public datasets) -----------------------------------------------


def period_code(period: Period) -> str:
    """One naming for every dataset: ``api.public.period_code`` (``2026-S1``, ``2026-Q3``)."""
    return public.period_code(period)


def period_from_code(code: str, field_name: str = "period") -> Period:
    """The period a code names; an unknown or malformed code is a 400 on ``field_name``."""
    match = PERIOD_CODE.match(code or "")
    if match is None:
        raise ApiError.invalid(field_name, _("Tulis periode sebagai TAHUN-S1/S2 (semester) atau TAHUN-Q1…Q4 (triwulan), mis. 2026-S1."))
    kind = Period.Type.SEMESTER if match[2][0] == "S" else Period.Type.QUARTER
    period = Period.objects.filter(period_type=kind, year=int(match[1]), number=int(match[2][1])).first()
    if period is None:
        raise ApiError.invalid(field_name, _("Periode ini tidak ada di SIINas."))
    return period


# --- Filters shared by the lists -----------------------------------------------------------------------


def filter_factories(
    qs: QuerySet[Factory],
    *,
    province: str | None = None,
    regency: str | None = None,
    kbli: str | None = None,
    nib: str | None = None,
    status: str | None = None,
) -> QuerySet[Factory]:
    """``qs`` narrowed by the list filters. A KBLI of 2 digits is a division (golongan pokok), of 5 digits
    one code."""
    conditions: dict[str, Any] = {}
    if province:
        conditions["province_id"] = province
    if regency:
        conditions["region_id"] = regency
    if nib:
        conditions["company__nib"] = nib
    if status:
        conditions["status"] = status
    if kbli:
        through = Factory.kbli.through.objects
        matching = through.filter(kbli__division_id=kbli) if len(kbli) == 2 else through.filter(kbli_id=kbli)
        conditions["pk__in"] = matching.values("factory_id")
    return qs.filter(**conditions)


# --- 1. The registry -----------------------------------------------------------------------------------


def registry(scope: QuerySet[Factory]) -> QuerySet[Factory]:
    """The registry rows of ``scope``: what the schema reads in one query, the KBLI codes in a second."""
    return scope.select_related("company", "region", "province").prefetch_related(
        Prefetch("kbli", queryset=Kbli.objects.only("code").order_by("code"))
    )


# --- 2. Validated reports ------------------------------------------------------------------------------


def validated_reports(scope: QuerySet[Factory]) -> QuerySet[Report]:
    """Validated reports of factories in ``scope``, with what the list shows (factory, period, stored
    measures) in one query. Nothing before Tervalidasi is ever served."""
    return Report.objects.filter(status=ReportStatus.VALIDATED, factory__in=scope).select_related(
        "factory__company", "factory__region", "period", "measures"
    )


def report_data(report: Report) -> dict[str, Any]:
    """The sections of a validated report in their stored shape: the version the validator accepted (a
    validated report is locked, so it is the report's content), with the section titles. A report written
    around the pipeline without a version is read from its section tables (the same builder)."""
    version = ReportVersion.objects.filter(report=report).order_by("-number").only("number", "data", "content_hash").first()
    snapshot = version.data if version is not None else report_snapshot_in_one_query(report)
    spec = report.spec
    sections = snapshot.get("sections", {})
    return {
        "version": version.number if version is not None else None,
        "content_hash": version.content_hash if version is not None else None,
        "sections": [
            {
                "code": code,
                "title": spec.section_title(code),
                "fields": (sections.get(code) or {}).get("fields"),
                "tables": (sections.get(code) or {}).get("rows") or {},
            }
            for code in spec.sections
        ],
    }


# --- 3. Compliance -------------------------------------------------------------------------------------


@dataclass
class Filing:
    """One periodic report of the factory for the period (started, filed or accepted)."""

    report_type: str
    status: str
    filed_at: dt.datetime | None
    last_filed_at: dt.datetime | None
    on_time: bool | None
    validated_at: dt.datetime | None


@dataclass
class Letter:
    level: str
    number: str
    issued_on: dt.date
    deadline: dt.date


@dataclass
class PeriodCompliance:
    """What OSS/LKPM and Pemda systems ask of one account for one period: was a report due, filed (when,
    on time), validated (when), is it late, which warning letters went out."""

    period: str
    window_closes: dt.date
    due: bool
    report_types_due: list[str]
    filed: bool
    filed_at: dt.datetime | None
    on_time: bool | None
    validated: bool
    validated_at: dt.datetime | None
    late: bool
    reports: list[Filing] = field(default_factory=list)
    warning_letters: list[Letter] = field(default_factory=list)


def _filing(report: Report) -> Filing:
    return Filing(
        report_type=report.report_type,
        status=report.status,
        filed_at=report.first_submitted_at,
        last_filed_at=report.last_submitted_at,
        on_time=report.submitted_on_time,
        validated_at=report.validated_at if report.status == ReportStatus.VALIDATED else None,
    )


def period_compliance(factory: Factory, period: Period, reports: list[Report], letters: list[WarningLetter], today: dt.date) -> PeriodCompliance:
    """The compliance of ``factory`` for ``period`` by the obligation rule (``reporting.obligation``), from
    its periodic reports and sent warning letters of that period (already read)."""
    owed = [spec.code for spec in obligation.facts_of(factory).owes(period)]
    filings = sorted((_filing(r) for r in reports), key=lambda f: (f.report_type not in owed, f.report_type))
    main = filings[0] if filings else None  # the owed type's report first
    filed = main is not None and main.filed_at is not None
    validated = main is not None and main.status == ReportStatus.VALIDATED
    late = bool(owed) and ((not filed and today > period.window_closes) or (filed and main.on_time is False))
    return PeriodCompliance(
        period=period_code(period),
        window_closes=period.window_closes,
        due=bool(owed),
        report_types_due=owed,
        filed=filed,
        filed_at=main.filed_at if main else None,
        on_time=main.on_time if filed else None,
        validated=validated,
        validated_at=main.validated_at if main else None,
        late=late,
        reports=filings,
        warning_letters=[
            Letter(level=letter.level, number=letter.number, issued_on=letter.issued_on, deadline=letter.deadline)
            for letter in sorted(letters, key=lambda letter: letter.level)
        ],
    )


def compliance_periods(*, since: Period | None, until: Period | None, today: dt.date) -> list[Period]:
    """Semesters whose filing window has opened, newest first: from ``since`` to ``until`` (at most
    ``MAX_PERIODS``), else the last ``DEFAULT_PERIODS``."""
    qs = Period.objects.filter(period_type=Period.Type.SEMESTER, window_opens__lte=today).order_by("-start")
    if until is not None:
        qs = qs.filter(start__lte=until.start)
    if since is not None:
        if until is not None and since.start > until.start:
            raise ApiError.invalid("since", _("Periode awal harus sebelum periode akhir."))
        return list(qs.filter(start__gte=since.start)[:MAX_PERIODS])
    return list(qs[:DEFAULT_PERIODS])


def _letters(factory_ids, periods) -> QuerySet[WarningLetter]:
    """Warning letters that went out (a planned, unsent or cancelled one is no letter)."""
    return WarningLetter.objects.filter(factory_id__in=factory_ids, period__in=periods, sent_at__isnull=False).only(
        "factory_id", "period_id", "level", "number", "issued_on", "deadline"
    )


def _grouped(rows, key) -> dict:
    out: dict = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


@dataclass
class FactoryCompliance:
    factory: Factory
    periods: list[PeriodCompliance]


def compliance_of_nib(scope: QuerySet[Factory], nib: str, periods: list[Period]) -> list[FactoryCompliance]:
    """For each factory account of ``nib`` in ``scope`` and each of ``periods``: its compliance. Five
    queries whatever the number of accounts and periods; an empty list when no account is in scope."""
    factories = list(scope.filter(company__nib=nib).select_related("company", "region", "province").prefetch_related("licences").order_by("id"))
    if not factories:
        return []
    ids = [f.pk for f in factories]
    reports = _grouped(
        Report.objects.filter(factory_id__in=ids, period__in=periods, report_type__in=PERIODIC_TYPES).order_by(),
        lambda r: (r.factory_id, r.period_id),
    )
    letters = _grouped(_letters(ids, periods), lambda letter: (letter.factory_id, letter.period_id))
    today = timezone.localdate()
    return [
        FactoryCompliance(
            factory=f,
            periods=[
                period_compliance(f, p, reports.get((f.pk, p.pk), []), letters.get((f.pk, p.pk), []), today) for p in periods
            ],
        )
        for f in factories
    ]


def compliance_list(scope: QuerySet[Factory], period: Period) -> QuerySet[Factory]:
    """Accounts of ``scope`` that owe ``period`` (the obligation rule in SQL) or filed a periodic report
    for it, with that period's reports, sent letters and licences prefetched for each page."""
    filed = Report.objects.filter(period=period, report_type__in=PERIODIC_TYPES).values("factory_id")
    return (
        scope.filter(obligation.owing_q(period) | Q(pk__in=filed))
        .select_related("company", "region", "province")
        .prefetch_related(
            "licences",
            Prefetch(
                "reports",
                queryset=Report.objects.filter(period=period, report_type__in=PERIODIC_TYPES).order_by(),
                to_attr="period_reports",
            ),
            Prefetch(
                "warning_letters",
                queryset=WarningLetter.objects.filter(period=period, sent_at__isnull=False).order_by(),
                to_attr="period_letters",
            ),
        )
    )
