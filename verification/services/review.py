"""Review writes: claim a report, pass it on, send it back (Pengembalian Data), validate it.

Status changes go through the reporting services (``report_verify``, ``report_validate``,
``report_return``), which check the pipeline, write the timeline and audit; this module adds the
claim that keeps two reviewers off the same report and the e-mails to the company.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from reporting import services as reporting_services
from reporting.models import Report
from reporting.selectors import returned_comments
from siinas.lib.audit import audit
from siinas.lib.emails import queue_email
from verification.models import ReviewClaim
from verification.services.compliance import recipients_for

# A claim older than a working day is abandoned (the officer went home with the tab open).
CLAIM_TTL = dt.timedelta(hours=8)
CLAIMED_BY_OTHER = gettext_noop("Laporan ini sedang diperiksa oleh %(user)s sejak %(since)s.")
REVIEWER_ROLES = (Role.VERIFIER, Role.VALIDATOR, Role.ADMIN)


def active_claim(report: Report, *, now: dt.datetime | None = None) -> ReviewClaim | None:
    """The claim on ``report`` if it is still fresh (younger than ``CLAIM_TTL``)."""
    claim = ReviewClaim.objects.select_related("user").filter(report=report).first()
    if claim is None or claim.claimed_at < (now or timezone.now()) - CLAIM_TTL:
        return None
    return claim


def _refuse_if_claimed_by_other(actor: User, report: Report) -> None:
    claim = active_claim(report)
    if claim is not None and claim.user_id != actor.pk:
        since = timezone.localtime(claim.claimed_at).strftime("%d-%m-%Y %H:%M")
        raise ValidationError(_(CLAIMED_BY_OTHER) % {"user": claim.user.get_username(), "since": since}, code="claimed")


@transaction.atomic
def review_claim(*, actor: User, report: Report) -> ReviewClaim:
    """Take ``report`` for review so other officers see it taken.

    Caller: a verifier, validator or admin who can see the report. Raises ValidationError when another
    officer holds a fresh claim; a stale claim is taken over. Two officers clicking at once: the unique
    constraint lets one win and the other gets the same ValidationError.
    """
    if actor.role not in REVIEWER_ROLES:
        raise PermissionDenied
    _refuse_if_claimed_by_other(actor, report)
    now = timezone.now()
    try:
        with transaction.atomic():
            claim, _created = ReviewClaim.objects.update_or_create(report=report, defaults={"user": actor, "claimed_at": now})
    except IntegrityError:
        _refuse_if_claimed_by_other(actor, report)
        raise
    audit("verification.report_claimed", actor=actor, target=report)
    return claim


@transaction.atomic
def review_release(*, actor: User, report: Report) -> None:
    """Give a claimed report back to the queue: the holder, or an admin for anyone's claim."""
    claims = ReviewClaim.objects.filter(report=report)
    if actor.role != Role.ADMIN:
        claims = claims.filter(user=actor)
    if claims.delete()[0]:
        audit("verification.report_released", actor=actor, target=report)


def _drop_claim(report: Report) -> None:
    ReviewClaim.objects.filter(report=report).delete()


def _report_url(report: Report) -> str:
    """The company's report page (reporting), where it sees the comments per section and edits."""
    return reverse("reporting:report-detail", kwargs={"pk": report.pk})


def _queue_returned_email(report_id: int) -> None:
    report = Report.objects.select_related("factory__company", "period").get(pk=report_id)
    comments = returned_comments(report)
    queue_email(
        "verification-returned",
        to=recipients_for(report.factory),
        context={
            "report": report,
            "factory": report.factory,
            "comments": [(report.spec.section_title(code), text) for code, text in comments.items()],
            "url": _report_url(report),
        },
    )


def _queue_validated_email(report_id: int) -> None:
    report = Report.objects.select_related("factory__company", "period").get(pk=report_id)
    queue_email(
        "verification-validated",
        to=recipients_for(report.factory),
        context={"report": report, "factory": report.factory, "url": _report_url(report)},
    )


@transaction.atomic
def review_verify(*, actor: User, report: Report, comment: str = "") -> Report:
    """The completeness check passed: pass the report to the sector validator (Terverifikasi).

    Caller: a verifier or admin. Raises ValidationError when another officer holds the claim or the
    pipeline refuses the move; PermissionDenied for other roles (from ``report_verify``).
    """
    _refuse_if_claimed_by_other(actor, report)
    moved = reporting_services.report_verify(actor=actor, report=report, comment=comment)
    _drop_claim(report)
    return moved


@transaction.atomic
def review_return(*, actor: User, report: Report, comments: dict[str, str]) -> Report:
    """Pengembalian Data with a comment per returned section; the company is e-mailed after commit.

    Caller: the verifier (Terkirim) or the sector validator (Terverifikasi), or an admin. Raises
    ValidationError keyed by section code for a missing comment, or when another officer holds the claim.
    """
    _refuse_if_claimed_by_other(actor, report)
    moved = reporting_services.report_return(actor=actor, report=report, comments=comments)
    _drop_claim(report)
    _queue_returned_email(moved.pk)
    return moved


@transaction.atomic
def review_validate(*, actor: User, report: Report, comment: str = "") -> Report:
    """The sector validator accepts the data (Tervalidasi, locked); the company is e-mailed after commit.

    Caller: a validator of the factory's KBLI division, or an admin; PermissionDenied otherwise.
    """
    _refuse_if_claimed_by_other(actor, report)
    moved = reporting_services.report_validate(actor=actor, report=report, comment=comment)
    _drop_claim(report)
    _queue_validated_email(moved.pk)
    return moved
