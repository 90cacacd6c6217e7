"""Writes of pemda/ (style.md §2–6): each service is keyword-only with the actor first, owns its
transaction, checks its rule and writes an audit event. E-mails go out on commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.access import factories_visible_to
from accounts.models import Factory, User
from pemda.models import (
    GENERATED_CATEGORIES,
    Attachment,
    MonitoringNote,
    RegionalDocument,
    Submission,
)
from pemda.selectors import recap_figures
from siinas.lib.audit import audit
from siinas.lib.emails import queue_email
from siinas.lib.uploads import validate_upload

SUBMISSION_EXISTS = gettext_noop("Informasi kategori ini untuk periode tersebut sudah ada.")
SUBMISSION_NOT_DRAFT = gettext_noop("Informasi yang sudah dikirim tidak dapat diubah.")
SUBMISSION_EMPTY = gettext_noop("Isi uraian atau minimal satu angka sebelum mengirim.")
SUBMISSION_YEAR_INVALID = gettext_noop("Tahun harus antara 2015 dan tahun berjalan.")
SUBMISSION_PERIOD_FUTURE = gettext_noop("Semester ini belum berakhir; informasinya belum dapat disusun.")
RECAP_NOT_GENERATED = gettext_noop("Rekapitulasi hanya dapat dihasilkan untuk Rekapitulasi Data Industri dan Kawasan Industri.")
NOTE_NO_EMAIL = gettext_noop("Akun ini tidak memiliki alamat e-mail.")
NOTE_MESSAGE_REQUIRED = gettext_noop("Isi pesan wajib diisi.")
DOCUMENT_RETRY = gettext_noop("Nomor dokumen bentrok dengan dokumen lain; silakan ulangi.")

FIRST_YEAR = 2015  # SIINas reporting started under PP 41/2015


@dataclass(frozen=True)
class FigureInput:
    label: str
    value: Decimal
    unit: str = ""
    note: str = ""


def _require_own_region(actor: User, submission: Submission) -> None:
    if not (actor.is_pemda and submission.region_id == actor.region_id):
        raise PermissionDenied


def _check_period(year: int, semester: int) -> None:
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError({"year": _(SUBMISSION_YEAR_INVALID)})
    # A semester can be described once it has started (the office reports on the running semester too).
    if year == today.year and semester == 2 and today.month <= 6:
        raise ValidationError({"semester": _(SUBMISSION_PERIOD_FUTURE)})


@transaction.atomic
def submission_create(*, actor: User, category: str, year: int, semester: int) -> Submission:
    """A Pemda officer opens a draft for its own region. Raises ValidationError on a duplicate or a
    future period; a Rekapitulasi starts pre-filled from the system's data."""
    if not actor.is_pemda:
        raise PermissionDenied
    _check_period(year, semester)
    if Submission.objects.filter(region_id=actor.region_id, category=category, year=year, semester=semester).exists():
        raise ValidationError({"category": _(SUBMISSION_EXISTS)})
    submission = Submission(
        region_id=actor.region_id, category=category, year=year, semester=semester, created_by=actor
    )
    submission.full_clean()
    submission.save()
    audit("pemda.submission_create", actor=actor, target=submission, category=category, year=year, semester=semester)
    if category in GENERATED_CATEGORIES:
        _fill_recap(actor=actor, submission=submission)
    return submission


def _replace_figures(submission: Submission, figures: Sequence[FigureInput]) -> None:
    submission.figures.all().delete()
    submission.figures.bulk_create(
        [
            submission.figures.model(
                submission=submission, position=i, label=f.label, value=f.value, unit=f.unit, note=f.note
            )
            for i, f in enumerate(figures)
        ]
    )


def _fill_recap(*, actor: User, submission: Submission) -> int:
    figures, hidden = recap_figures(submission.region, submission.category, submission.year, submission.semester)
    _replace_figures(submission, [FigureInput(f.label, f.value, f.unit, f.note) for f in figures])
    submission.generated_at = timezone.now()
    submission.updated_at = submission.generated_at
    submission.save(update_fields=["generated_at", "updated_at"])
    audit("pemda.recap_generate", actor=actor, target=submission, figures=len(figures), suppressed=hidden)
    return hidden


@transaction.atomic
def submission_generate_recap(*, actor: User, submission: Submission) -> int:
    """Regenerate a draft Rekapitulasi from the system's data (aggregates, n ≥ 3), replacing its
    figures. Returns how many cells were left out for covering fewer than 3 companies."""
    _require_own_region(actor, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_draft:
        raise ValidationError(_(SUBMISSION_NOT_DRAFT))
    if submission.category not in GENERATED_CATEGORIES:
        raise ValidationError(_(RECAP_NOT_GENERATED))
    return _fill_recap(actor=actor, submission=submission)


@transaction.atomic
def submission_update(*, actor: User, submission: Submission, text: str, figures: Sequence[FigureInput]) -> Submission:
    """Save a draft's text and its figures (all rows replaced in the order given)."""
    _require_own_region(actor, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_draft:
        raise ValidationError(_(SUBMISSION_NOT_DRAFT))
    submission.text = text
    submission.updated_at = timezone.now()
    submission.full_clean()
    submission.save(update_fields=["text", "updated_at"])
    _replace_figures(submission, figures)
    audit("pemda.submission_update", actor=actor, target=submission, figures=len(figures))
    return submission


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission) -> Submission:
    """Send a draft to the ministry. It is then read-only and counts for indicator .01."""
    _require_own_region(actor, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if Submission.Status.SUBMITTED not in Submission.TRANSITIONS[submission.status]:
        raise ValidationError(_(SUBMISSION_NOT_DRAFT))
    if not submission.text.strip() and not submission.figures.exists():
        raise ValidationError({"text": _(SUBMISSION_EMPTY)})
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = actor
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_by", "submitted_at"])
    audit("pemda.submission_submit", actor=actor, target=submission)
    return submission


@transaction.atomic
def attachment_add(*, actor: User, submission: Submission, upload, title: str) -> Attachment:
    """Attach a document (checked by content and size) to a draft."""
    _require_own_region(actor, submission)
    if not submission.is_draft:
        raise ValidationError(_(SUBMISSION_NOT_DRAFT))
    try:
        kind = validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    attachment = Attachment(
        submission=submission, title=title.strip() or _("Lampiran"), kind=kind, size=upload.size, uploaded_by=actor
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    audit("pemda.attachment_add", actor=actor, target=submission, attachment=attachment.pk, kind=kind, size=upload.size)
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    submission = attachment.submission
    _require_own_region(actor, submission)
    if not submission.is_draft:
        raise ValidationError(_(SUBMISSION_NOT_DRAFT))
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    audit("pemda.attachment_remove", actor=actor, target=submission, attachment_title=attachment.title)
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def note_send(
    *,
    actor: User,
    factory: Factory,
    kind: str,
    message: str,
    period_label: str = "",
    report_ref: str = "",
) -> MonitoringNote:
    """Send a reminder or an assistance note to a factory under the officer's authority; it is
    recorded (indicator .03) and e-mailed to the account's address after commit."""
    if not actor.is_pemda or not factories_visible_to(actor).filter(pk=factory.pk).exists():
        raise PermissionDenied
    if not message.strip():
        raise ValidationError({"message": _(NOTE_MESSAGE_REQUIRED)})
    if not factory.email:
        raise ValidationError({"message": _(NOTE_NO_EMAIL)})
    note = MonitoringNote(
        region_id=actor.region_id,
        factory=factory,
        kind=kind,
        message=message.strip(),
        period_label=period_label,
        report_ref=report_ref,
        sent_to=factory.email,
        sent_by=actor,
    )
    note.full_clean()
    note.save()
    audit("pemda.note_send", actor=actor, target=factory, note=note.pk, kind=kind, report=report_ref)
    context = {
        "kind": note.get_kind_display(),
        "message": note.message,
        "company": factory.company.name,
        "factory": factory.name,
        "office": str(actor.region),
        "officer": actor.get_full_name() or actor.get_username(),
        "period": period_label,
    }
    queue_email("pemda-note", to=[note.sent_to], context=context, dedupe_key=f"pemda-note-{note.pk}")
    return note


KIND_PREFIX = {RegionalDocument.Kind.PUBLICATION: "PUB", RegionalDocument.Kind.COMPLIANCE: "KPT"}


def document_issue(*, actor: User, kind: str, title: str, content: dict) -> RegionalDocument:
    """Freeze an aggregate-only document for the officer's territory with a running number per
    region, kind and year (e.g. ``PUB/32/2026/0003``). Counts for indicator .02 or .03."""
    if not actor.is_pemda:
        raise PermissionDenied
    now = timezone.now()
    year = timezone.localtime(now).year
    try:
        with transaction.atomic():
            seq = RegionalDocument.objects.filter(region_id=actor.region_id, kind=kind, number__contains=f"/{year}/").count() + 1
            document = RegionalDocument.objects.create(
                region_id=actor.region_id,
                kind=kind,
                number=f"{KIND_PREFIX[kind]}/{actor.region_id}/{year}/{seq:04d}",
                title=title,
                content=content,
                created_by=actor,
                created_at=now,
            )
            audit("pemda.document_issue", actor=actor, target=document, kind=kind)
    except IntegrityError as exc:
        raise ValidationError(_(DOCUMENT_RETRY)) from exc
    return document


