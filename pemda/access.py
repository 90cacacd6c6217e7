"""Who may see and do what in pemda/ (style.md §7).

Individual factory data follows ``accounts.access.pemda_authority_q`` (UU 23/2014); aggregates follow
``pemda_territory_q``. Pemda information belongs to the office's region: the office edits its drafts, a province office
also reads what the kab/kota offices of its province sent, and the ministry (admin, Pusdatin
verifier) reads every region's sent information.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.access import factories_visible_to
from accounts.models import Factory, Role, User
from pemda.models import Attachment, MonitoringNote, RegionalDocument, Submission
from siinas.lib.access import get_scoped_or_404

PEMDA = (Role.PEMDA_PROV, Role.PEMDA_KAB)
MINISTRY = (Role.ADMIN, Role.VERIFIER)


def is_ministry(user: User) -> bool:
    return user.is_authenticated and user.role in MINISTRY


def submissions_visible_to(user: User) -> QuerySet[Submission]:
    qs = Submission.objects.select_related("region", "created_by", "submitted_by")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.PEMDA_PROV:
        # The province coordinates its kab/kota offices: it reads what they sent (never their drafts).
        sent_below = Q(region__province_id=user.region_id, status=Submission.Status.SUBMITTED)
        return qs.filter(Q(region_id=user.region_id) | sent_below)
    if user.is_pemda:
        return qs.filter(region_id=user.region_id)
    if is_ministry(user):
        # A draft is the office's own work in progress; the ministry sees what was sent.
        return qs.filter(status=Submission.Status.SUBMITTED)
    return qs.none()


def get_submission_for_user_or_404(user: User, pk: int) -> Submission:
    return get_scoped_or_404(submissions_visible_to(user), pk=pk)


def can_edit_submission(user: User, submission: Submission) -> bool:
    return user.is_pemda and submission.region_id == user.region_id and submission.is_draft


def get_attachment_for_user_or_404(user: User, pk: int) -> Attachment:
    return get_scoped_or_404(
        Attachment.objects.select_related("submission").filter(submission__in=submissions_visible_to(user)), pk=pk
    )


def get_factory_for_pemda_or_404(user: User, pk: int) -> Factory:
    """A factory under the officer's authority; anything else (even inside its territory) is 404."""
    return get_scoped_or_404(factories_visible_to(user), pk=pk)


def notes_visible_to(user: User) -> QuerySet[MonitoringNote]:
    if user.is_authenticated and user.is_pemda:
        return MonitoringNote.objects.filter(region_id=user.region_id)
    return MonitoringNote.objects.none()


def documents_visible_to(user: User) -> QuerySet[RegionalDocument]:
    qs = RegionalDocument.objects.select_related("region", "created_by")
    if not user.is_authenticated:
        return qs.none()
    if user.is_pemda:
        return qs.filter(region_id=user.region_id)
    if is_ministry(user):
        return qs
    return qs.none()


def get_document_for_user_or_404(user: User, pk: int) -> RegionalDocument:
    return get_scoped_or_404(documents_visible_to(user), pk=pk)
