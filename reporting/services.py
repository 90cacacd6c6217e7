"""Writes on semester reports (style.md §2–5): periods, the status pipeline, drafts and submission.

Every service is keyword-only with the actor first, owns its transaction, writes a ``ReportEvent``
for the report's timeline and an ``AuditEvent``, and raises ``ValidationError`` (Indonesian message)
for a move the pipeline does not allow or ``PermissionDenied`` for an actor without the capability.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Factory, User
from reporting import access, measures
from reporting.models import (
    ACCEPTED_STATUSES,
    EDITABLE_STATUSES,
    OtherData,
    OtherDataAttachment,
    Period,
    Report,
    ReportEvent,
    ReportSection,
    ReportStatus,
    ReportVersion,
)
from reporting.registry import REPORT_TYPES
from reporting.sections.base import CheckContext, SectionForms, raw_for_storage
from reporting.sections.definitions import SECTION_HANDLERS
from siinas.lib.audit import audit
from siinas.lib.emails import queue_email

ILLEGAL_MOVE = gettext_noop("Status laporan tidak dapat diubah dari %(from)s ke %(to)s.")
RETURN_NEEDS_SECTION = gettext_noop("Pilih sedikitnya satu bagian yang dikembalikan.")
RETURN_NEEDS_COMMENT = gettext_noop("Komentar wajib diisi untuk setiap bagian yang dikembalikan.")
RETURN_UNKNOWN_SECTION = gettext_noop("Bagian %(code)s tidak ada pada jenis laporan ini.")


# --- Periods -----------------------------------------------------------------------------------


def semester_defaults(year: int, number: int) -> dict[str, dt.date]:
    """Permenperin 2/2019: S1 (Jan–Jun) is reported July–August, S2 (Jul–Dec) January–February next year."""
    if number == 1:
        return {
            "start": dt.date(year, 1, 1),
            "end": dt.date(year, 6, 30),
            "window_opens": dt.date(year, 7, 1),
            "window_closes": dt.date(year, 8, 31),
        }
    next_year = year + 1
    feb_end = 29 if next_year % 4 == 0 and (next_year % 100 != 0 or next_year % 400 == 0) else 28
    return {
        "start": dt.date(year, 7, 1),
        "end": dt.date(year, 12, 31),
        "window_opens": dt.date(next_year, 1, 1),
        "window_closes": dt.date(next_year, 2, feb_end),
    }


@transaction.atomic
def period_create_semesters(*, actor: User | None, year: int) -> list[Period]:
    """Create the two standard semester periods of ``year`` with their default windows.

    Idempotent: a period that exists (perhaps with a window an admin changed) is left as it is.
    """
    periods = []
    for number in (1, 2):
        period, created = Period.objects.get_or_create(
            period_type=Period.Type.SEMESTER, year=year, number=number, defaults=semester_defaults(year, number)
        )
        if created:
            audit("reporting.period_created", actor=actor, target=period)
        periods.append(period)
    return periods


# --- The status pipeline -----------------------------------------------------------------------


def _move(*, actor: User, report: Report, to: str, action: str, comment: str = "") -> Report:
    """Lock the row, check the pipeline, move the status; the caller adds its own fields."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if not locked.can_move_to(to):
        raise ValidationError(
            _(ILLEGAL_MOVE) % {"from": ReportStatus(locked.status).label, "to": ReportStatus(to).label},
            code="illegal_move",
        )
    now = timezone.now()
    from_status = locked.status
    locked.status = to
    locked.lock_version = F("lock_version") + 1
    locked.updated_at = now
    if to == ReportStatus.VERIFIED:
        locked.verified_at = now
    elif to == ReportStatus.VALIDATED:
        locked.validated_at = now
    elif to == ReportStatus.RETURNED:
        locked.returned_at = now
    locked.save(update_fields=["status", "lock_version", "updated_at", "verified_at", "validated_at", "returned_at"])
    locked.refresh_from_db(fields=["lock_version"])
    ReportEvent.objects.create(
        report=locked, actor=actor, action=action, from_status=from_status, to_status=to, comment=comment, created_at=now
    )
    if (from_status in ACCEPTED_STATUSES) != (to in ACCEPTED_STATUSES):
        from iki import weights

        # The factory's IKI weight is its latest accepted report's workforce: kept in this transaction.
        weights.refresh(locked.factory_id)
    if ReportStatus.VALIDATED in (from_status, to):
        # A validated report is locked: its measures are stored once, in this transaction.
        measures.refresh(locked.pk, to)
    return locked


@transaction.atomic
def report_verify(*, actor: User, report: Report, comment: str = "") -> Report:
    """Pusdatin's completeness check passed: Terkirim → Terverifikasi.

    Caller: a verifier or admin (else PermissionDenied). Raises ValidationError when the report is
    not in Terkirim (already verified, returned, …).
    """
    if actor.role not in ("verifier", "admin"):
        raise PermissionDenied
    moved = _move(actor=actor, report=report, to=ReportStatus.VERIFIED, action=ReportEvent.Action.VERIFIED, comment=comment)
    audit("reporting.report_verified", actor=actor, target=moved, status=moved.status)
    return moved


@transaction.atomic
def report_validate(*, actor: User, report: Report, comment: str = "") -> Report:
    """The sector validator accepts the data: Terverifikasi → Tervalidasi (the report is then locked).

    Caller: a validator whose divisions include the factory's KBLI, or an admin (else
    PermissionDenied). Raises ValidationError when the report is not Terverifikasi.
    """
    if actor.role not in ("validator", "admin"):
        raise PermissionDenied
    if actor.role == "validator" and not access.reports_visible_to(actor).filter(pk=report.pk).exists():
        raise PermissionDenied
    moved = _move(actor=actor, report=report, to=ReportStatus.VALIDATED, action=ReportEvent.Action.VALIDATED, comment=comment)
    audit("reporting.report_validated", actor=actor, target=moved, status=moved.status)
    return moved


@transaction.atomic
def report_return(*, actor: User, report: Report, comments: dict[str, str]) -> Report:
    """Pengembalian Data: send the report back to the company with a mandatory comment per section.

    Caller: the verifier (from Terkirim) or the sector validator (from Terverifikasi), or an admin.
    ``comments`` maps section codes of the report type to their comment. Raises ValidationError keyed
    by section code for a missing comment, or on an illegal move; PermissionDenied for other actors.
    """
    if actor.role not in ("verifier", "validator", "admin"):
        raise PermissionDenied
    if actor.role == "validator" and not access.reports_visible_to(actor).filter(pk=report.pk).exists():
        raise PermissionDenied
    if actor.role == "verifier" and report.status == ReportStatus.VERIFIED:
        raise PermissionDenied  # once verified, only the sector validator (or admin) sends it back
    if actor.role == "validator" and report.status == ReportStatus.SUBMITTED:
        raise PermissionDenied  # the validator sees it after Pusdatin's completeness check
    sections = report.spec.sections
    errors: dict[str, str] = {}
    for code, text in comments.items():
        if code not in sections:
            errors[code] = _(RETURN_UNKNOWN_SECTION) % {"code": code}
        elif not (text or "").strip():
            errors[code] = _(RETURN_NEEDS_COMMENT)
    if not comments:
        errors["__all__"] = _(RETURN_NEEDS_SECTION)
    if errors:
        raise ValidationError(errors)
    moved = _move(actor=actor, report=report, to=ReportStatus.RETURNED, action=ReportEvent.Action.RETURNED)
    now = moved.returned_at
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report=moved,
            actor=actor,
            action=ReportEvent.Action.RETURNED,
            section=code,
            comment=comments[code].strip(),
            created_at=now,
        )
        for code in sections
        if code in comments
    )
    audit("reporting.report_returned", actor=actor, target=moved, sections=sorted(comments))
    # The company is e-mailed the comments by verification (review_return), which owns that notice.
    return moved


def _factory_recipients(report: Report) -> list[str]:
    addresses = [report.factory.email, *report.factory.users.filter(is_active=True).values_list("email", flat=True)]
    return sorted({a for a in addresses if a})


# --- Drafts ------------------------------------------------------------------------------------

STALE_DRAFT = gettext_noop(
    "Laporan ini telah diubah di tab atau oleh pengguna lain sejak Anda membukanya. Isian Anda belum disimpan: "
    "salin perubahan Anda, muat ulang halaman, lalu simpan kembali."
)
NOT_EDITABLE = gettext_noop("Laporan berstatus %(status)s dan tidak dapat diubah.")
NOT_OWED = gettext_noop("Akun ini tidak wajib menyampaikan %(type)s.")
SECTIONS_INCOMPLETE = gettext_noop("Laporan belum dapat dikirim: periksa bagian %(sections)s.")
SECTIONS_TO_CONFIRM = gettext_noop(
    "Laporan belum dapat dikirim: bagian %(sections)s diisi dari laporan sebelumnya dan belum dikonfirmasi. "
    "Buka setiap bagian itu, lalu konfirmasi bahwa datanya masih sama atau perbarui isinya."
)
PERIOD_NOT_OPEN = gettext_noop("Pelaporan periode %(period)s belum dibuka.")


NOT_INPUT = frozenset({"csrfmiddlewaretoken", "lock_version", "simpan", "lanjut"})


@dataclass
class SectionSaveResult:
    state: str
    forms: SectionForms
    lock_version: int


def _claim_draft(*, report: Report, lock_version: int) -> int:
    """Optimistic lock: bump lock_version only if nobody saved since ``lock_version`` was read."""
    updated = Report.objects.filter(pk=report.pk, lock_version=lock_version, status__in=EDITABLE_STATUSES).update(
        lock_version=F("lock_version") + 1, updated_at=timezone.now()
    )
    if not updated:
        current = Report.objects.only("status").get(pk=report.pk)
        if current.status not in EDITABLE_STATUSES:
            raise ValidationError(_(NOT_EDITABLE) % {"status": current.get_status_display()}, code="not_editable")
        raise ValidationError(_(STALE_DRAFT), code="stale")
    return lock_version + 1


@transaction.atomic
def report_start(*, actor: User, factory: Factory, period: Period, report_type: str) -> Report:
    """Open (or return the existing) report of ``factory`` for ``period``, pre-filled from the last accepted one.

    Caller: a company user of the factory. Raises ValidationError when the factory does not owe the
    type or the period's window has not opened yet. Idempotent: a second call returns the same report
    (a draft opened before any earlier report was accepted is pre-filled then, in its untouched sections).
    """
    spec = REPORT_TYPES.get(report_type)
    if spec is None or not spec.periodic or not spec.owed_by(factory):
        raise ValidationError(_(NOT_OWED) % {"type": spec.title if spec else report_type}, code="not_owed")
    if timezone.localdate() < period.window_opens:
        raise ValidationError(_(PERIOD_NOT_OPEN) % {"period": period}, code="not_open")
    report, created = Report.objects.get_or_create(factory=factory, period=period, report_type=report_type)
    if created:
        ReportEvent.objects.create(report=report, actor=actor, action=ReportEvent.Action.CREATED, to_status=report.status)
    elif report.prefilled_from_id is not None or report.status != ReportStatus.DRAFT:
        return report
    else:
        # A draft opened before any report was accepted: a section save waits for this lock (its
        # lock_version update), so the sections read as untouched below stay untouched while copying.
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.prefilled_from_id is not None or report.status != ReportStatus.DRAFT:
            return report
    source = _prefill_source(report)
    if source is not None:
        _prefill(actor=actor, report=report, source=source)
    if created:
        audit("reporting.report_started", actor=actor, target=report, prefilled_from=source.pk if source else None)
    return report


def _prefill_source(report: Report) -> Report | None:
    """The last accepted report of an earlier period; of the same type when there is one, else of any type
    (a factory that grew from Kecil to Menengah or went into production keeps the sections both share)."""
    earlier = Report.objects.filter(
        factory_id=report.factory_id, status__in=ACCEPTED_STATUSES, period__start__lt=report.period.start
    )
    return (
        earlier.filter(report_type=report.report_type).order_by("-period__start").first()
        or earlier.order_by("-period__start", "-id").first()
    )


def _prefill(*, actor: User, report: Report, source: Report) -> None:
    """Copy ``source``'s stock and structural sections into ``report``, each waiting for confirmation.

    Flow sections (production, sales, materials used, energy used: ``SectionSpec.flow``) are not
    copied: they arrive empty and the section page shows last semester beside each field. A section
    the company has already saved (it has a ``ReportSection`` row) is never overwritten.
    """
    spec = report.spec
    touched = set(ReportSection.objects.filter(report=report).values_list("code", flat=True))
    carried = [
        code for code in spec.sections if code in source.spec.sections and not spec.is_flow(code) and code not in touched
    ]
    copied = [code for code in carried if SECTION_HANDLERS[code].copy(source, report)]
    ReportSection.objects.bulk_create(
        ReportSection(report=report, code=code, state=ReportSection.State.TO_CONFIRM, prefilled=True, updated_by=actor)
        for code in copied
    )
    report.prefilled_from = source
    report.save(update_fields=["prefilled_from"])
    ReportEvent.objects.create(
        report=report, actor=actor, action=ReportEvent.Action.PREFILLED, comment=str(source.period), to_status=report.status
    )
    audit("reporting.report_prefilled", actor=actor, target=report, source=source.pk, sections=copied)


NOT_TO_CONFIRM = gettext_noop("Bagian ini tidak sedang menunggu konfirmasi.")


@transaction.atomic
def section_confirm(*, actor: User, report: Report, code: str, lock_version: int) -> str:
    """"Data masih sama": the company confirms a section pre-filled from the last accepted report, unchanged.

    Caller: the factory's company user (the view checks it). The section's rules run on the stored
    data, as at submission: the section becomes Lengkap, or Perlu perbaikan with the messages shown at
    its fields. Returns the new state. Raises ValidationError when the section is not waiting for
    confirmation (code ``not_to_confirm``), the report is not editable or someone saved since
    ``lock_version`` was read (``stale``) — then nothing is written.
    """
    row = ReportSection.objects.filter(report=report, code=code, state=ReportSection.State.TO_CONFIRM).first()
    if row is None:
        raise ValidationError(_(NOT_TO_CONFIRM), code="not_to_confirm")
    new_lock = _claim_draft(report=report, lock_version=lock_version)
    handler, ctx = SECTION_HANDLERS[code], CheckContext(report)
    values = ctx.values(code)
    if values.is_empty or (handler.model is not None and values.header is None):
        messages = [_(SECTION_NOT_FILLED)]  # nothing was copied after all: there is nothing to confirm
    else:
        messages = [i.message for i in handler.check(values, ctx)]
    row.state = ReportSection.State.INVALID if messages else ReportSection.State.VALID
    row.errors = {"__check__": messages} if messages else {}
    row.updated_at, row.updated_by = timezone.now(), actor
    row.save(update_fields=["state", "errors", "updated_at", "updated_by"])
    report.lock_version = new_lock
    audit("reporting.section_confirmed", actor=actor, target=report, section=code, state=row.state)
    return row.state


def section_save(*, actor: User, report: Report, code: str, data: QueryDict, lock_version: int) -> SectionSaveResult:
    """Save one section of a draft: valid or not, the input is kept (``ReportSection.raw``).

    Input that passes the form and the section's rules replaces the typed section data; input that
    does not is kept raw with its messages, and the typed data keeps the last valid version.
    Caller: the factory's company user (the view checks it). Raises ValidationError (code
    ``stale``) when someone saved since ``lock_version`` was read — then nothing is written.
    """
    handler = SECTION_HANDLERS[code]
    spec = report.spec
    forms = handler.build_forms(spec, data=data, lists=handler.choice_lists(report))
    with transaction.atomic():
        new_lock = _claim_draft(report=report, lock_version=lock_version)
        valid = forms.shape_valid()
        if valid:
            values = forms.values()
            forms.apply(handler.check(values, CheckContext(report, overrides={code: values})))
            valid = forms.is_valid()
        state = ReportSection.State.VALID if valid else ReportSection.State.INVALID
        ReportSection.objects.update_or_create(
            report=report,
            code=code,
            defaults={
                "state": state,
                "raw": {} if valid else raw_for_storage(handler, spec, {k: data.getlist(k) for k in data if k not in NOT_INPUT}),
                "errors": {} if valid else forms.errors_json(),
                "prefilled": False,
                "updated_at": timezone.now(),
                "updated_by": actor,
            },
        )
        if valid:
            handler.store(report, values)
        audit("reporting.section_saved", actor=actor, target=report, section=code, state=state, rows=forms.row_count())
    report.lock_version = new_lock
    return SectionSaveResult(state=state, forms=forms, lock_version=new_lock)


# --- Submission --------------------------------------------------------------------------------


@dataclass
class SubmitResult:
    report: Report
    version: ReportVersion
    created: bool  # False when this was a repeated click on a submission already made


class SubmitRefused(ValidationError):
    def __init__(self, message: str, sections: dict[str, list[str]]):
        super().__init__(message, code="incomplete")
        self.sections = sections


def _check_all(report: Report) -> dict[str, list[str]]:
    """Every section of the type must be saved and pass its rules on the stored data."""
    spec = report.spec
    states = {s.code: s for s in ReportSection.objects.filter(report=report)}
    ctx = CheckContext(report)
    problems: dict[str, list[str]] = {}
    for code in spec.sections:
        handler = SECTION_HANDLERS[code]
        row = states.get(code)
        if row is None or row.state == ReportSection.State.EMPTY:
            if not handler.optional:
                problems[code] = [_(SECTION_NOT_FILLED)]
            continue
        if row.state == ReportSection.State.INVALID:
            problems[code] = [_(SECTION_HAS_ERRORS)]
            continue
        if row.state == ReportSection.State.TO_CONFIRM:
            problems[code] = [_(SECTION_NOT_CONFIRMED)]
            continue
        issues = handler.check(ctx.values(code), ctx)
        if issues:
            problems[code] = [i.message for i in issues]
    return problems


SECTION_NOT_FILLED = gettext_noop("Bagian ini belum diisi.")
SECTION_HAS_ERRORS = gettext_noop("Bagian ini masih perlu perbaikan.")
SECTION_NOT_CONFIRMED = gettext_noop(
    "Bagian ini diisi dari laporan sebelumnya: konfirmasi bahwa datanya masih sama, atau perbarui isinya."
)


def report_submit(*, actor: User, report: Report, lock_version: int) -> SubmitResult:
    """Submit a draft (or a returned report): one immutable version per submission.

    Caller: the factory's company user. Every section must be saved and pass its rules, checked
    again here on the stored data; the sections that fail are marked so the progress view shows
    them, and SubmitRefused is raised. A repeated click (the same ``lock_version`` after the first
    submission went through) returns the version already made instead of making another one. The
    whole submission is one transaction: a failure part-way leaves the draft exactly as it was.
    """
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("period", "factory__company").get(pk=report.pk)
        if locked.lock_version == lock_version + 1 and locked.status == ReportStatus.SUBMITTED:
            latest = locked.versions.order_by("-number").first()
            if latest is not None:
                return SubmitResult(report=locked, version=latest, created=False)
        if locked.status not in EDITABLE_STATUSES:
            raise ValidationError(_(NOT_EDITABLE) % {"status": locked.get_status_display()}, code="not_editable")
        if locked.lock_version != lock_version:
            raise ValidationError(_(STALE_DRAFT), code="stale")
        problems = _check_all(locked)
        if not problems:
            return _submit(actor=actor, report=locked)
        to_confirm = [code for code, messages in problems.items() if messages == [_(SECTION_NOT_CONFIRMED)]]
        ReportSection.objects.filter(report=locked, code__in=list(problems), state=ReportSection.State.VALID).update(
            state=ReportSection.State.INVALID
        )
        for code, messages in problems.items():
            ReportSection.objects.filter(report=locked, code=code, raw={}).update(errors={"__check__": messages})
    raise SubmitRefused(_refusal(locked, problems, to_confirm), problems)


def _refusal(report: Report, problems: dict[str, list[str]], to_confirm: list[str]) -> str:
    """The submit refusal: the sections still to confirm are named apart from those to fill or fix."""
    spec = report.spec
    parts = []
    if to_confirm:
        parts.append(_(SECTIONS_TO_CONFIRM) % {"sections": ", ".join(spec.section_title(c) for c in to_confirm)})
    others = [code for code in problems if code not in to_confirm]
    if others:
        parts.append(_(SECTIONS_INCOMPLETE) % {"sections": ", ".join(spec.section_title(c) for c in others)})
    return " ".join(parts)


def _submit(*, actor: User, report: Report) -> SubmitResult:
    from reporting.selectors import report_snapshot_in_one_query, snapshot_hash

    now = timezone.now()
    snapshot = report_snapshot_in_one_query(report)  # one query on PostgreSQL (issue 14: the deadline surge)
    first = report.first_submitted_at is None
    on_time = report.period.is_on_time(now)
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        data=snapshot,
        content_hash=snapshot_hash(snapshot),
        created_by=actor,
        created_at=now,
        on_time=on_time,
    )
    from_status = report.status
    report.status = ReportStatus.SUBMITTED
    report.last_submitted_at = now
    report.updated_at = now
    if first:
        # On time is decided once, at the first submission: a later review or return never makes it late.
        report.first_submitted_at = now
        report.submitted_on_time = on_time
    report.lock_version = F("lock_version") + 1
    report.save(
        update_fields=["status", "last_submitted_at", "updated_at", "first_submitted_at", "submitted_on_time", "lock_version"]
    )
    report.refresh_from_db(fields=["lock_version"])
    ReportEvent.objects.create(
        report=report,
        actor=actor,
        action=ReportEvent.Action.SUBMITTED if first else ReportEvent.Action.RESUBMITTED,
        from_status=from_status,
        to_status=ReportStatus.SUBMITTED,
        version=version,
        created_at=now,
    )
    audit("reporting.report_submitted", actor=actor, target=report, version=number, on_time=on_time, hash=version.content_hash)
    queue_email(
        "reporting-submitted",
        to=_factory_recipients(report),
        context={"report": report, "version": version, "title": report.get_report_type_display()},
        dedupe_key=f"report-receipt-{version.pk}",
    )
    return SubmitResult(report=report, version=version, created=True)


# --- Data Lainnya ------------------------------------------------------------------------------


@transaction.atomic
def other_data_submit(*, actor: User, factory: Factory, cleaned: dict, files: list) -> OtherData:
    """File Data Lainnya for ``factory``; a kejadian luar biasa notifies its validators and Pemda at once.

    Caller: the factory's company user. ``files`` were checked by content in the form.
    """
    item = OtherData.objects.create(
        factory=factory,
        kind=cleaned["kind"],
        title=cleaned["title"],
        description=cleaned["description"],
        event_date=cleaned.get("event_date"),
        report=cleaned.get("report"),
        period=cleaned.get("period"),
        created_by=actor,
    )
    for upload in files:
        OtherDataAttachment.objects.create(other_data=item, file=upload, original_name=upload.name[:200])
    audit("reporting.other_data_submitted", actor=actor, target=item, kind=item.kind, attachments=len(files))
    if item.kind == OtherData.Kind.INCIDENT:
        _notify_incident(item)
    return item


def incident_recipients(factory: Factory) -> list[User]:
    """The validators of the factory's KBLI divisions and the Pemda officers with authority over it."""
    from accounts.models import Role

    divisions = factory.kbli.values("division_id")
    validators = User.objects.filter(role=Role.VALIDATOR, is_active=True, kbli_divisions__in=divisions)
    if factory.under_province_authority:
        pemda = User.objects.filter(role=Role.PEMDA_PROV, is_active=True, region_id=factory.province_id)
    else:
        pemda = User.objects.filter(role=Role.PEMDA_KAB, is_active=True, region_id=factory.region_id)
    return list((validators | pemda).distinct().order_by("username"))


def _notify_incident(item: OtherData) -> None:
    """Queue the kejadian luar biasa notice in the filing's own transaction (outbox): it goes out after
    the commit even when the broker or the mail server is down at that moment. ``notified_at`` records
    when the notice was queued."""
    recipients = incident_recipients(item.factory)
    queue_email(
        "reporting-incident",
        to=[u.email for u in recipients],
        context={"item": item, "factory": item.factory},
        dedupe_key=f"incident-{item.pk}",
    )
    item.notified_at = timezone.now()
    item.save(update_fields=["notified_at"])
    audit("reporting.incident_notified", target=item, recipients=[u.username for u in recipients])
