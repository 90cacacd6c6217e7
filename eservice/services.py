"""Writes of the application engine (style.md §2–6). Every function audits what it changed.

Status moves only through ``_move`` along ``Application.TRANSITIONS``; an illegal move raises
``ValidationError``. E-mail notices are queued with ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from eservice.catalog import ServiceType, get_service
from eservice.models import (
    Application,
    ApplicationComment,
    ApplicationDocument,
    Status,
    StatusChange,
    WeeklyReminder,
    WeeklyReport,
)
from siinas.lib.audit import audit
from siinas.lib.emails import queue_email
from siinas.lib.uploads import validate_upload

ILLEGAL_MOVE = _("Permohonan berstatus %(status)s tidak dapat diubah menjadi %(target)s.")
NOT_EDITABLE = _("Permohonan hanya dapat diubah saat berstatus Konsep atau Perlu Perbaikan.")
MISSING_DOCUMENTS = _("Dokumen wajib belum diunggah: %(docs)s.")
UNKNOWN_DOCUMENT = _("Jenis dokumen tidak dikenal untuk layanan ini.")
NOTE_REQUIRED = _("Tuliskan alasan atau hal yang harus diperbaiki.")
WEEKLY_NOT_APPROVED = _("Laporan mingguan hanya untuk IOMKI yang sudah disetujui.")
WEEKLY_EXPIRED = _("IOMKI sudah tidak berlaku; laporan mingguan tidak dapat dikirim.")
WEEKLY_DUPLICATE = _("Laporan untuk pekan ini sudah dikirim.")
WEEKLY_FUTURE = _("Laporan hanya untuk pekan berjalan atau pekan yang sudah lewat.")
WEEKLY_BEFORE_PERMIT = _("Pekan ini sebelum IOMKI disetujui.")
ONLY_DRAFTS = _("Hanya konsep yang dapat dihapus.")
NOT_IN_REVIEW = _("Hanya permohonan yang sedang diperiksa yang dapat diambil alih.")
VALID_UNTIL_PAST = _("Tanggal berlaku harus sesudah hari ini.")


def _notify(application: Application, change: StatusChange) -> None:
    """E-mail the company account (and the applicant) about a status change (through the outbox)."""
    recipients = sorted({application.factory.email, application.created_by.email} - {""})
    context = {
        "application": application,
        "service_name": str(application.service_type.name),
        "status": change.get_to_status_display(),
        "to_status": change.to_status,
        "note": change.note,
        "number": application.number,
        "has_letter": application.service_type.has_letter and change.to_status == Status.APPROVED,
    }
    queue_email("eservice-status", to=recipients, context=context, dedupe_key=f"eservice-status-{change.pk}")


def _notify_reviewers(application: Application) -> None:
    """Tell the officers who may decide that an application is waiting in their queue (through the outbox)."""
    from eservice.access import reviewers_of

    recipients = sorted(set(reviewers_of(application).exclude(email="").values_list("email", flat=True)))
    context = {
        "application": application,
        "service_name": str(application.service_type.name),
        "number": application.number,
        "company": application.factory.company.name,
        "resubmitted": application.history.filter(to_status=Status.SUBMITTED).count() > 1,
    }
    queue_email("eservice-submitted", to=recipients, context=context)


def _snapshot(application: Application) -> dict:
    documents = {}
    for doc in application.documents.order_by("kind", "-uploaded_at"):
        documents.setdefault(doc.kind, {"id": doc.pk, "name": doc.original_name})
    return {"data": application.data, "documents": documents}


def _move(
    application: Application, target: str, *, actor: User, note: str = "", snapshot: bool = False
) -> StatusChange:
    if not application.can_move_to(target):
        raise ValidationError(
            ILLEGAL_MOVE % {"status": application.get_status_display(), "target": Status(target).label},
            code="illegal",
        )
    previous = application.status
    application.status = target
    application.updated_at = timezone.now()
    application.save()
    change = StatusChange.objects.create(
        application=application,
        from_status=previous,
        to_status=target,
        actor=actor,
        note=note,
        snapshot=_snapshot(application) if snapshot else {},
    )
    audit(
        f"eservice.application.{target}",
        actor=actor,
        target=application,
        service=application.service,
        note=note[:500],
    )
    _notify(application, change)
    return change


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update().select_related("factory", "created_by").get(pk=application.pk)
    )


def _refuse_if_ineligible(service: ServiceType, actor: User) -> None:
    refusal = service.refusal(actor.factory)
    if refusal:
        raise ValidationError(refusal, code="ineligible")


@transaction.atomic
def application_create(*, actor: User, service_code: str, data: dict) -> Application:
    """A company user starts a draft for its own factory account. Raises ValidationError if ineligible."""
    if actor.role != Role.COMPANY:
        raise PermissionDenied
    service = get_service(service_code)
    _refuse_if_ineligible(service, actor)
    application = Application.objects.create(
        factory=actor.factory, service=service.code, data=data, created_by=actor
    )
    StatusChange.objects.create(application=application, from_status="", to_status=Status.DRAFT, actor=actor)
    audit("eservice.application.create", actor=actor, target=application, service=service.code)
    return application


@transaction.atomic
def application_update(*, actor: User, application: Application, data: dict) -> Application:
    """The owner changes the answers while the application is a draft or returned for revision."""
    application = _locked(application)
    if not application.is_editable:
        raise ValidationError(NOT_EDITABLE, code="not_editable")
    application.data = data
    application.updated_at = timezone.now()
    application.save(update_fields=["data", "updated_at"])
    audit("eservice.application.update", actor=actor, target=application, service=application.service)
    return application


@transaction.atomic
def application_discard(*, actor: User, application: Application) -> None:
    """The owner deletes a draft it no longer wants (never a submitted application: those are records).

    Its uploaded files are removed from private storage after commit. Raises ValidationError otherwise.
    """
    application = _locked(application)
    if application.status != Status.DRAFT:
        raise ValidationError(ONLY_DRAFTS, code="not_draft")
    files = [doc.file.name for doc in application.documents.all()]
    audit("eservice.application.discard", actor=actor, target=application, service=application.service)
    application.delete()
    transaction.on_commit(lambda: [ApplicationDocument.file.field.storage.delete(name) for name in files])


@transaction.atomic
def document_add(*, actor: User, application: Application, kind: str, upload) -> ApplicationDocument:
    """Store a document checked by content and size; earlier uploads of the same kind are kept."""
    application = _locked(application)
    if not application.is_editable:
        raise ValidationError({"file": NOT_EDITABLE})
    spec = application.service_type.document(kind)
    if spec is None:
        raise ValidationError({"kind": UNKNOWN_DOCUMENT})
    try:
        detected = validate_upload(upload, kinds=spec.kinds)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document = ApplicationDocument.objects.create(
        application=application,
        kind=kind,
        file=upload,
        original_name=(upload.name or "dokumen")[:255],
        content_kind=detected,
        size=upload.size,
        uploaded_by=actor,
    )
    audit("eservice.document.upload", actor=actor, target=application, kind=kind, document=document.pk)
    return document


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Konsep or Perlu Perbaikan → Diajukan. Needs every required document; stores an immutable copy."""
    application = _locked(application)
    service = application.service_type
    _refuse_if_ineligible(service, actor)
    present = set(application.documents.values_list("kind", flat=True))
    missing = [str(d.label) for d in service.required_documents() if d.code not in present]
    if missing:
        raise ValidationError(MISSING_DOCUMENTS % {"docs": ", ".join(missing)}, code="missing_documents")
    now = timezone.now()
    if not application.number:
        application.number = f"{service.prefix}-{timezone.localdate():%Y}-{application.pk:06d}"
        application.submitted_at = now
    application.last_submitted_at = now
    _move(application, Status.SUBMITTED, actor=actor, snapshot=True)
    _notify_reviewers(application)
    return application


@transaction.atomic
def application_start_review(*, actor: User, application: Application) -> Application:
    """The reviewing officer takes the application up: Diajukan → Diperiksa."""
    application = _locked(application)
    application.reviewer = actor
    _move(application, Status.IN_REVIEW, actor=actor)
    return application


@transaction.atomic
def application_take_over(*, actor: User, application: Application) -> Application:
    """Another reviewer in scope takes over an application under review (e.g. its examiner is away).

    The status stays Diperiksa; who took over from whom is audited. Raises ValidationError otherwise.
    """
    application = _locked(application)
    if application.status != Status.IN_REVIEW:
        raise ValidationError(NOT_IN_REVIEW, code="not_in_review")
    previous = application.reviewer
    application.reviewer = actor
    application.updated_at = timezone.now()
    application.save(update_fields=["reviewer", "updated_at"])
    audit(
        "eservice.application.take_over",
        actor=actor,
        target=application,
        previous=previous.get_username() if previous else "",
    )
    return application


@transaction.atomic
def application_return(*, actor: User, application: Application, note: str) -> Application:
    """Diperiksa → Perlu Perbaikan, with what the company must fix (required)."""
    if not note.strip():
        raise ValidationError({"note": NOTE_REQUIRED})
    application = _locked(application)
    _move(application, Status.NEEDS_REVISION, actor=actor, note=note.strip())
    return application


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application: Application,
    approve: bool,
    note: str,
    decision_data: dict[str, Any] | None = None,
) -> Application:
    """Diperiksa → Disetujui (letter number, validity, decision data) or Ditolak (a reason is required)."""
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": NOTE_REQUIRED})
    application = _locked(application)
    service = application.service_type
    target = Status.APPROVED if approve else Status.REJECTED
    if not application.can_move_to(target):
        _move(application, target, actor=actor)  # raises the illegal-move error
    decision_data = decision_data or {}
    if approve and decision_data.get("valid_until"):
        valid_until = datetime.date.fromisoformat(decision_data["valid_until"])
        if valid_until <= timezone.localdate():
            raise ValidationError({"valid_until": VALID_UNTIL_PAST})
        application.valid_until = valid_until
    application.decision_data = decision_data if approve else {}
    application.decision_note = note
    application.decided_at = timezone.now()
    if approve and service.has_letter:
        application.letter_number = f"{service.prefix}/SK/{timezone.localdate():%Y}/{application.pk:06d}"
    _move(application, target, actor=actor, note=note)
    return application


@transaction.atomic
def comment_add(*, actor: User, application: Application, body: str) -> ApplicationComment:
    comment = ApplicationComment.objects.create(application=application, author=actor, body=body.strip())
    audit("eservice.comment.add", actor=actor, target=application, comment=comment.pk)
    return comment


def week_start_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@transaction.atomic
def weekly_report_submit(
    *, actor: User, application: Application, week_start: datetime.date, **fields
) -> WeeklyReport:
    """IOMKI condition report for one week (Monday), while the permit is valid; one per week."""
    application = _locked(application)
    today = timezone.localdate()
    if not application.service_type.weekly_reports or application.status != Status.APPROVED:
        raise ValidationError(WEEKLY_NOT_APPROVED, code="not_approved")
    if application.valid_until and application.valid_until < today:
        raise ValidationError(WEEKLY_EXPIRED, code="expired")
    week_start = week_start_of(week_start)
    if week_start > today:
        raise ValidationError({"week_start": WEEKLY_FUTURE})
    if week_start < week_start_of(timezone.localtime(application.decided_at).date()):
        raise ValidationError({"week_start": WEEKLY_BEFORE_PERMIT})
    if application.weekly_reports.filter(week_start=week_start).exists():
        raise ValidationError({"week_start": WEEKLY_DUPLICATE})
    report = WeeklyReport(application=application, week_start=week_start, submitted_by=actor, **fields)
    report.full_clean()
    report.save()
    audit("eservice.weekly_report.submit", actor=actor, target=application, week=week_start.isoformat())
    return report


# --- IOMKI weekly reminders (Celery: eservice/tasks.py) ---------------------------------------------


@transaction.atomic
def weekly_reminder_plan(*, today: datetime.date) -> list[WeeklyReminder]:
    """Plan a reminder for each valid IOMKI without this week's report; returns every unsent one.

    Idempotent: one row per permit per week (unique constraint); rows already sent are left alone.
    """
    week = week_start_of(today)
    missing = (
        Application.objects.filter(service="iomki", status=Status.APPROVED, valid_until__gte=today)
        .exclude(weekly_reports__week_start=week)
        .values_list("pk", flat=True)
    )
    existing = set(WeeklyReminder.objects.filter(week_start=week).values_list("application_id", flat=True))
    WeeklyReminder.objects.bulk_create(
        [WeeklyReminder(application_id=pk, week_start=week) for pk in missing if pk not in existing],
        ignore_conflicts=True,
    )
    return list(WeeklyReminder.objects.filter(week_start=week, sent_at__isnull=True))


@transaction.atomic
def weekly_reminder_send(*, reminder_id: int) -> bool:
    """E-mail one planned reminder; a no-op when already sent or when the report arrived meanwhile."""
    reminder = (
        WeeklyReminder.objects.select_for_update()
        .select_related("application__factory", "application__created_by")
        .get(pk=reminder_id)
    )
    if reminder.sent_at is not None:
        return False
    application = reminder.application
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["sent_at"])
    if application.weekly_reports.filter(week_start=reminder.week_start).exists():
        return False
    recipients = sorted({application.factory.email, application.created_by.email} - {""})
    queue_email(
        "eservice-weekly-reminder",
        to=recipients,
        context={"application": application, "number": application.number, "week": reminder.week_start},
        dedupe_key=f"iomki-weekly-reminder-{reminder.pk}",
    )
    audit("eservice.weekly_report.remind", target=application, week=reminder.week_start.isoformat())
    return True
