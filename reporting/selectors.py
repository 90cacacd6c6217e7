"""Reads on semester reports. Other apps (IKI, Pemda, verification) use these, never raw queries.

``report_snapshot`` is the one data builder (style.md §12): the submitted version stores it, and the
HTML view, the PDF, the XLSX export, the Tanda Terima and the version diff are formatters of it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import Factory
from reporting import obligation
from reporting.models import (
    ACCEPTED_STATUSES,
    Period,
    Report,
    ReportEvent,
    ReportSection,
    ReportStatus,
    ReportVersion,
)
from reporting.registry import REPORT_TYPES, ReportTypeSpec
from reporting.sections import models as section_models
from reporting.sections.base import count_messages
from reporting.sections.definitions import SECTION_HANDLERS
from siinas.lib.versions import newest_pk, newest_pks

PERIODIC_TYPES = tuple(code for code, spec in REPORT_TYPES.items() if spec.periodic)


def workforce_from_latest_accepted_reports(factory_ids: Iterable[int]) -> dict[int, int]:
    """Total workforce per factory from its latest accepted (verified/validated) semester report.

    Factories without an accepted report are absent from the result; callers fall back to the
    profile's ``Factory.workforce``. Two queries whatever the number of factories.
    """
    latest: dict[int, int] = {}
    candidates = (
        Report.objects.filter(factory_id__in=list(factory_ids), status__in=ACCEPTED_STATUSES)
        .order_by("factory_id", "-period__end", "-id")
        .values_list("factory_id", "pk")
    )
    for factory_id, report_id in candidates:
        latest.setdefault(factory_id, report_id)
    totals = dict(section_models.Workforce.objects.filter(report_id__in=latest.values()).values_list("report_id", "total"))
    return {factory_id: totals[report_id] for factory_id, report_id in latest.items() if report_id in totals}


def reports_data_version() -> str:
    """A stamp that changes whenever a report is created or changes status (every move, submission and
    return writes a ``ReportEvent``; a draft save writes none, so companies filing do not move it) and
    whenever a factory account is created: the newest event, report and account — three primary-key
    look-ups in one statement, whatever the number of rows.

    Caches of aggregate pages (reporting rate, Pemda dashboards) put it in their keys, so a status change
    shows at the next view. What it cannot see (an account's stage, scale, kab/kota or KBLI edited; a draft
    deleted) is bounded by those caches' lifetime. Being global, it also moves for changes outside a
    territory: at a deadline, with submissions every few seconds, cached pages are recomputed often.
    """
    return "|".join(str(v) for v in newest_pks(ReportEvent, Report, Factory))


def newest_period_pk() -> int | None:
    """The newest period's key: a new period changes the choices the queue and company-list filters offer."""
    return newest_pk(Period)


# --- The data builder --------------------------------------------------------------------------


def report_snapshot(report: Report) -> dict[str, Any]:
    """Every section of ``report`` as JSON-ready data, with the header a receipt needs."""
    spec = report.spec
    return {
        **_snapshot_header(report),
        "sections": {code: SECTION_HANDLERS[code].snapshot(SECTION_HANDLERS[code].load(report), spec) for code in spec.sections},
    }


def _snapshot_header(report: Report) -> dict[str, Any]:
    """The report type, period and factory a snapshot (and so a receipt) carries."""
    factory = report.factory
    return {
        "report_type": report.report_type,
        "period": str(report.period),
        "factory": {
            "id": factory.pk,
            "company": factory.company.name,
            "nib": factory.company.nib,
            "name": factory.name,
            "address": factory.address,
        },
    }


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def previous_accepted_snapshot(report: Report) -> dict[str, Any] | None:
    """The latest version of the factory's last accepted report of an earlier period (cross-period checks)."""
    version = (
        ReportVersion.objects.filter(
            report__factory_id=report.factory_id,
            report__report_type=report.report_type,
            report__status__in=ACCEPTED_STATUSES,
            report__period__start__lt=report.period.start,
        )
        .order_by("-report__period__start", "-number")
        .only("data")
        .first()
    )
    return version.data if version else None


@dataclass
class DocTable:
    title: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class DocSection:
    code: str
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    tables: list[DocTable] = field(default_factory=list)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _display(model, name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if model_field.get_internal_type() == "DecimalField":
        return _thousands(str(value))
    return str(value)


def _thousands(number: str) -> str:
    """Indonesian grouping: 1.234.567,5"""
    sign = "-" if number.startswith("-") else ""
    whole, _, frac = number.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".") if whole.isdigit() else whole
    return sign + grouped + ("," + frac if frac else "")


def build_document(spec: ReportTypeSpec, snapshot: dict[str, Any]) -> list[DocSection]:
    """Labels and display values for each section of a snapshot (for HTML, PDF and XLSX)."""
    out = []
    for code in spec.sections:
        handler = SECTION_HANDLERS[code]
        data = snapshot.get("sections", {}).get(code) or {}
        section = DocSection(code=code, title=spec.section_title(code))
        if handler.model is not None:
            values = data.get("fields") or {}
            section.fields = [
                (_label(handler.model, n), _display(handler.model, n, values.get(n))) for n in handler.header_fields(spec)
            ]
        for r in handler.rows:
            rows = (data.get("rows") or {}).get(r.prefix, [])
            section.tables.append(
                DocTable(
                    title=str(r.title),
                    headers=[_label(r.model, n) for n in r.fields],
                    rows=[[_display(r.model, n, row.get(n)) for n in r.fields] for row in rows],
                )
            )
        out.append(section)
    return out


@dataclass
class Change:
    section: str
    where: str
    before: str
    after: str


def version_diff(spec: ReportTypeSpec, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Field-level differences between two snapshots (rows compared by their position)."""
    changes: list[Change] = []
    for code in spec.sections:
        handler = SECTION_HANDLERS[code]
        title = spec.section_title(code)
        a = old.get("sections", {}).get(code) or {}
        b = new.get("sections", {}).get(code) or {}
        if handler.model is not None:
            fa, fb = a.get("fields") or {}, b.get("fields") or {}
            for n in handler.header_fields(spec):
                if fa.get(n) != fb.get(n):
                    changes.append(
                        Change(title, _label(handler.model, n), _display(handler.model, n, fa.get(n)), _display(handler.model, n, fb.get(n)))
                    )
        for r in handler.rows:
            ra = (a.get("rows") or {}).get(r.prefix, [])
            rb = (b.get("rows") or {}).get(r.prefix, [])
            for i in range(max(len(ra), len(rb))):
                row_a = ra[i] if i < len(ra) else None
                row_b = rb[i] if i < len(rb) else None
                where = f"{r.title} #{i + 1}"
                if row_a is None or row_b is None:
                    present = row_a or row_b
                    summary = ", ".join(_display(r.model, n, present.get(n)) for n in r.fields[:3])
                    changes.append(Change(title, where, summary if row_a else "—", summary if row_b else "—"))
                    continue
                for n in r.fields:
                    if row_a.get(n) != row_b.get(n):
                        changes.append(
                            Change(
                                title,
                                f"{where} — {_label(r.model, n)}",
                                _display(r.model, n, row_a.get(n)),
                                _display(r.model, n, row_b.get(n)),
                            )
                        )
    return changes


@dataclass(frozen=True)
class HeaderChange:
    """A header number against the last accepted report: that value, the difference and the difference
    in per cent of it (``None`` when it was 0), all as Indonesian display text."""

    previous: str
    delta: str
    percent: str | None


# Numbers that are not measures (as in verification.outliers): a coordinate or a year has no "change".
_NOT_CHANGES = frozenset({"latitude", "longitude", "assessment_year", "year_made"})


def _measure(model_field, value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool) or model_field.choices or model_field.name in _NOT_CHANGES:
        return None
    if model_field.get_internal_type() not in {
        "DecimalField", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
        "PositiveBigIntegerField", "BigIntegerField", "SmallIntegerField", "FloatField",
    }:  # fmt: skip
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _signed(number: Decimal, *, grouped: bool = True) -> str:
    """``+1.234,5`` — grouped as ``_display`` groups a decimal field; a whole-number count stays ``+1234``."""
    text = format(number.normalize(), "f") if number else "0"
    return ("+" if number > 0 else "") + (_thousands(text) if grouped else text)


def header_changes(spec: ReportTypeSpec, previous: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, list[HeaderChange | None]]:
    """Per section, one entry per header field in :func:`build_document`'s order: the change of a number
    against ``previous`` (the last accepted report's snapshot), ``None`` for text, choices, a value missing on
    either side, or no previous report at all. Percent is of the previous value's size, one decimal."""
    out: dict[str, list[HeaderChange | None]] = {}
    for code in spec.sections:
        handler = SECTION_HANDLERS[code]
        if handler.model is None:
            continue
        now = (current.get("sections", {}).get(code) or {}).get("fields") or {}
        before = (((previous or {}).get("sections") or {}).get(code) or {}).get("fields") or {}
        changes: list[HeaderChange | None] = []
        for name in handler.header_fields(spec):
            model_field = handler.model._meta.get_field(name)
            new, old = _measure(model_field, now.get(name)), _measure(model_field, before.get(name))
            if new is None or old is None:
                changes.append(None)
                continue
            delta = new - old
            percent = None if not old else _signed((delta * 100 / abs(old)).quantize(Decimal("0.1"), ROUND_HALF_UP)) + "%"
            grouped = model_field.get_internal_type() == "DecimalField"
            changes.append(
                HeaderChange(
                    previous=_display(handler.model, name, before.get(name)),
                    delta=_signed(delta, grouped=grouped),
                    percent=percent,
                )
            )
        out[code] = changes
    return out


# --- Company dashboard and progress -----------------------------------------------------------


@dataclass
class DueReport:
    """One expected report of the factory for one period: the unit the officers' reporting rate counts."""

    period: Period
    spec: ReportTypeSpec
    report: Report | None
    is_open: bool
    is_overdue: bool

    @property
    def deadline(self):
        return self.period.window_closes

    @property
    def is_submitted(self) -> bool:
        return self.report is not None and self.report.first_submitted_at is not None

    @property
    def is_returned(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.RETURNED

    @property
    def is_todo(self) -> bool:
        """Something for the company to do: not sent yet (draft or not started), or sent back."""
        return not self.is_submitted or self.is_returned


def filing_periods(today=None) -> QuerySet[Period]:
    """Periods whose window has opened (most recent first): the ones a company can file for."""
    today = today or timezone.localdate()
    return Period.objects.filter(window_opens__lte=today).order_by("-window_opens")


def due_reports(factory: Factory, *, limit: int = 4) -> list[DueReport]:
    """The factory's reports due: for each recent period whose window has opened and for which the account
    is expected, each periodic report type it owes, with its report if started (and any periodic report it
    filed of a type it no longer owes). Two queries, three when the rule needs the account's licences.

    The one selector of the company's list of reports due (the report dashboard and the home page). Which
    account owes which report for which period is the obligation rule (``reporting.obligation.owes``), the
    same rule as the officers' reporting rate, the Pemda monitor and the warning letters, so a new account
    is never told it is late for a period it did not owe (docs/statistics.md). A report not sent by the
    end of its window is overdue whatever its status (a draft included).
    """
    today = timezone.localdate()
    # Periods whose window opened after the registration day first (rule 1 in SQL, so that the ``limit``
    # is not spent on periods the account never owed), then the whole rule for each.
    periods = list(filing_periods(today).filter(window_opens__gt=timezone.localdate(factory.created_at))[:limit])
    facts = obligation.facts_of(factory)
    owed_by_period = {p.pk: facts.owes(p) for p in periods}
    periods = [p for p in periods if owed_by_period[p.pk]]
    existing = {
        (r.period_id, r.report_type): r
        for r in Report.objects.filter(
            factory=factory, period__in=periods, report_type__in=PERIODIC_TYPES
        ).order_by()
    }
    rows = []
    for period in periods:
        owed = owed_by_period[period.pk]
        specs = list(owed) + [
            REPORT_TYPES[code]
            for (period_id, code), report in sorted(existing.items(), key=lambda item: item[0])
            if period_id == period.pk
            and report.first_submitted_at is not None
            and REPORT_TYPES[code] not in owed
        ]
        for spec in specs:
            report = existing.get((period.pk, spec.code))
            if report is not None:
                report.period = period
            submitted = report is not None and report.first_submitted_at is not None
            rows.append(
                DueReport(
                    period=period,
                    spec=spec,
                    report=report,
                    is_open=period.is_open(today),
                    is_overdue=not submitted and today > period.window_closes,
                )
            )
    return rows


@dataclass
class SectionProgress:
    code: str
    title: str
    state: str
    state_label: str
    messages: int
    prefilled: bool
    returned_comment: str
    optional: bool


def report_progress(report: Report) -> list[SectionProgress]:
    states = {s.code: s for s in ReportSection.objects.filter(report=report).only("code", "state", "errors", "prefilled")}
    comments = returned_comments(report)
    out = []
    for code in report.spec.sections:
        row = states.get(code)
        state = row.state if row else ReportSection.State.EMPTY
        out.append(
            SectionProgress(
                code=code,
                title=report.spec.section_title(code),
                state=state,
                state_label=str(ReportSection.State(state).label),
                messages=count_messages(row.errors) if row else 0,
                prefilled=bool(row and row.prefilled),
                returned_comment=comments.get(code, ""),
                optional=SECTION_HANDLERS[code].optional,
            )
        )
    return out


@dataclass
class SectionReference:
    """Last semester's values of a flow section, shown read-only beside the empty fields of this one."""

    period: str
    fields: dict[str, str]  # header field name → display value
    tables: dict[str, DocTable]  # row prefix → last semester's rows


def last_semester_reference(report: Report, code: str) -> SectionReference | None:
    """Section ``code`` as last submitted for an earlier period (in its latest version), for a flow section.

    Flow sections (``SectionSpec.flow``) arrive empty in a new period; this is what the company
    sent last time, accepted or not yet: the newest version of the factory's latest earlier report of a
    type that has this section. One query, only this section's part of the stored snapshot.
    """
    spec = report.spec
    if not spec.is_flow(code):
        return None
    types = [t.code for t in REPORT_TYPES.values() if code in t.sections]
    found = (
        ReportVersion.objects.filter(
            report__factory_id=report.factory_id, report__report_type__in=types, report__period__start__lt=report.period.start
        )
        .order_by("-report__period__start", "-number")
        .values_list("data__period", f"data__sections__{code}")
        .first()
    )
    if found is None or not found[1]:
        return None
    period, data = found
    handler = SECTION_HANDLERS[code]
    header = data.get("fields") or {}
    fields = {}
    if handler.model is not None and header:
        fields = {n: _display(handler.model, n, header.get(n)) for n in handler.header_fields(spec)}
    tables = {
        r.prefix: DocTable(
            title=str(r.title),
            headers=[_label(r.model, n) for n in r.fields],
            rows=[[_display(r.model, n, row.get(n)) for n in r.fields] for row in (data.get("rows") or {}).get(r.prefix, [])],
        )
        for r in handler.rows
    }
    return SectionReference(period=str(period), fields=fields, tables=tables)


def sections_to_confirm(reports: Iterable[Report]) -> dict[int, list[str]]:
    """The titles of each report's sections pre-filled from the last accepted report and not yet confirmed
    or edited, in the report type's order (reports with none are absent). One query for all reports."""
    by_pk = {r.pk: r for r in reports}
    if not by_pk:
        return {}
    found: dict[int, set[str]] = defaultdict(set)
    waiting = ReportSection.objects.filter(report_id__in=list(by_pk), state=ReportSection.State.TO_CONFIRM)
    for report_id, code in waiting.values_list("report_id", "code"):
        found[report_id].add(code)
    return {
        pk: [by_pk[pk].spec.section_title(c) for c in by_pk[pk].spec.sections if c in codes] for pk, codes in found.items()
    }


def returned_comments(report: Report) -> dict[str, str]:
    """The per-section comments of the latest Pengembalian Data (while the report is returned)."""
    if report.status != "pengembalian" or report.returned_at is None:
        return {}
    return dict(
        ReportEvent.objects.filter(report=report, action=ReportEvent.Action.RETURNED, created_at=report.returned_at)
        .exclude(section="")
        .values_list("section", "comment")
    )


@dataclass
class ReturnedReport:
    report: Report
    comments: list[tuple[str, str]]  # (section title, the officer's comment), in the report type's order


def returned_reports(factory_id: int) -> list[ReturnedReport]:
    """The factory's reports sent back (Pengembalian Data) with the comment per section of the latest
    return, oldest return first. Two queries whatever the number of reports and events."""
    reports = list(
        Report.objects.filter(factory_id=factory_id, status=ReportStatus.RETURNED)
        .select_related("period")
        .order_by("returned_at", "pk")
    )
    if not reports:
        return []
    found: dict[int, dict[str, str]] = defaultdict(dict)
    events = ReportEvent.objects.filter(
        report__in=[r.pk for r in reports],
        action=ReportEvent.Action.RETURNED,
        created_at=F("report__returned_at"),
    ).exclude(section="")
    for report_id, section, comment in events.values_list("report_id", "section", "comment"):
        found[report_id][section] = comment
    out = []
    for report in reports:
        comments = found.get(report.pk, {})
        order = [code for code in report.spec.sections if code in comments] + sorted(
            set(comments) - set(report.spec.sections)
        )
        out.append(
            ReturnedReport(
                report,
                [
                    (
                        report.spec.section_title(code) if code in report.spec.sections else code,
                        comments[code],
                    )
                    for code in order
                ],
            )
        )
    return out


def report_timeline(report: Report) -> QuerySet[ReportEvent]:
    return ReportEvent.objects.filter(report=report).select_related("actor", "version").order_by("created_at", "id")


def report_types() -> dict[str, ReportTypeSpec]:
    return REPORT_TYPES





def section_forms_for(report: Report, code: str):
    """The forms of one section as the company last left it.

    A section saved with problems comes back bound to exactly what was typed (messages at the
    fields); a section whose stored data failed the checks at submission is bound to the stored data
    so the same messages appear; so is a section naming a product no longer in Kapasitas produksi
    (renamed or removed there: the old name is shown with its message, not silently changed);
    otherwise the forms show the stored data.
    """
    from reporting.sections.base import CheckContext, raw_to_data, values_to_data

    handler = SECTION_HANDLERS[code]
    spec = report.spec
    state = ReportSection.objects.filter(report=report, code=code).only("state", "raw").first()
    values = handler.load(report)
    lists = handler.choice_lists(report)
    if state is None or state.state != ReportSection.State.INVALID:
        forms = handler.build_forms(spec, values=None if values.is_empty else values, lists=lists)
        if not forms.unlisted(values):
            forms.style()
            return forms
    data = raw_to_data(handler, spec, state.raw) if state is not None and state.raw else values_to_data(handler, spec, values)
    forms = handler.build_forms(spec, data=data, lists=lists)
    if forms.shape_valid():
        checked = forms.values()
        forms.apply(handler.check(checked, CheckContext(report, overrides={code: checked})))
    forms.style()
    return forms


# --- The report page's snapshot in one query (issue 14) ---------------------------------------------------


def report_snapshot_in_one_query(report: Report) -> dict[str, Any]:
    """What :func:`report_snapshot` gives, read on PostgreSQL in one query instead of one per section table
    (21 for a production report: ≈ 10 ms of the report page at national scale). Each table's rows come back as
    JSON text (numbers kept exact), turned into the field's Python value and then into the snapshot's JSON value
    as :meth:`Section.snapshot` does. Other databases: :func:`report_snapshot`."""
    from django.db import connection

    from reporting.sections.base import to_json

    if connection.vendor != "postgresql":
        return report_snapshot(report)
    spec = report.spec
    tables = []  # (code, row prefix or None for the header, model, field names)
    for code in spec.sections:
        handler = SECTION_HANDLERS[code]
        if handler.model is not None:
            tables.append((code, None, handler.model, handler.header_fields(spec)))
        tables.extend((code, r.prefix, r.model, r.fields) for r in handler.rows)
    parts = []
    for _code, prefix, model, _names in tables:
        table = connection.ops.quote_name(model._meta.db_table)
        if prefix is None:  # as ``.filter(report=report).first()``: the lowest id
            parts.append(f"(SELECT row_to_json(t)::text FROM {table} t WHERE t.report_id = %s ORDER BY t.id LIMIT 1)")  # noqa: S608 - a model's quoted table name
        else:  # as ``.filter(report=report).order_by("position")``
            parts.append(f"(SELECT json_agg(t ORDER BY t.position, t.id)::text FROM {table} t WHERE t.report_id = %s)")  # noqa: S608 - as above
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), [report.pk] * len(parts))
        texts = cursor.fetchone()
    sections: dict[str, dict[str, Any]] = {}
    for (code, prefix, model, names), text in zip(tables, texts, strict=True):
        section = sections.setdefault(code, {"fields": None, "rows": {}})
        fields = [(name, model._meta.get_field(name)) for name in names]
        loaded = json.loads(text, parse_float=Decimal) if text else None
        if prefix is None:
            if loaded is not None:
                section["fields"] = {name: _exact(f, loaded.get(f.column), to_json) for name, f in fields}
        else:
            section["rows"][prefix] = [{name: _exact(f, row.get(f.column), to_json) for name, f in fields} for row in loaded or []]
    return {
        **_snapshot_header(report),
        "sections": {code: sections.get(code, {"fields": None, "rows": {}}) for code in spec.sections},
    }


def _exact(model_field, raw: Any, to_json) -> Any:
    return None if raw is None else to_json(model_field.to_python(raw))


def excel_template(report: Report, codes: list[str]) -> bytes:
    """The Excel template of ``codes``' repeating tables, filled with the draft's current (last valid) rows.

    The rows are the typed data a web save left; the KBLI column gets a drop-down of KBLI 2020 kelompok
    codes (one that warns, the section's rule decides); a product column a drop-down of the capacity
    products (the Kapasitas sheet of the same file when it has one, else the stored list).
    """
    from django.utils.translation import gettext as _

    from reporting import spreadsheet
    from siinas.core.models import Kbli

    tables = spreadsheet.tables_for(report.spec, codes)
    rows: dict[str, list[list[Any]]] = {}
    names: dict = {}
    for code in codes:
        names.update(SECTION_HANDLERS[code].choice_lists(report))
        values = SECTION_HANDLERS[code].load(report)
        for table in tables:
            if table.code == code:
                rows[table.prefix] = spreadsheet.table_rows(values, table)
    kbli: list[tuple[str, str]] = []
    if any(c.name == "kbli_code" for t in tables for c in t.columns):
        kbli = list(Kbli.objects.filter(level=Kbli.Level.KELOMPOK).order_by("code").values_list("code", "title"))
    heading = [
        _("Templat Excel SIINas — %(type)s, periode %(period)s") % {"type": report.get_report_type_display(), "period": report.period},
        _("Pabrik: %(factory)s") % {"factory": report.factory},
        _("Dibuat: %(when)s WIB") % {"when": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
    ]
    return spreadsheet.workbook_bytes(tables, rows, heading=heading, extra_lists={"kbli_code": kbli}, names=names)
