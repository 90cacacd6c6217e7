"""Writes on semester reports (style.md §2–5): periods, the status pipeline, drafts and submission.

Every service is keyword-only with the actor first, owns its transaction, writes a ``ReportEvent``
for the report's timeline and an ``AuditEvent``, and raises ``ValidationError`` (Indonesian message)
for a move the pipeline does not allow or ``PermissionDenied`` for an actor without the capability.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from reporting import access
from reporting.models import Period, Report, ReportEvent, ReportStatus
from siinas.lib.audit import audit

ILLEGAL_MOVE = "Status laporan tidak dapat diubah dari %(from)s ke %(to)s."
RETURN_NEEDS_SECTION = "Pilih sedikitnya satu bagian yang dikembalikan."
RETURN_NEEDS_COMMENT = "Komentar wajib diisi untuk setiap bagian yang dikembalikan."
RETURN_UNKNOWN_SECTION = "Bagian %(code)s tidak ada pada jenis laporan ini."


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
    return moved
