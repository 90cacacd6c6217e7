"""The two review queues (reads): the verifier's (every submitted report) and the validator's (reports
verified by Pusdatin whose factory KBLI is in the validator's divisions), oldest waiting first."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User
from reporting.access import reports_visible_to
from reporting.models import Report, ReportStatus


def _queue(user: User, status: str) -> QuerySet[Report]:
    return (
        reports_visible_to(user)
        .filter(status=status)
        .select_related("factory__company", "factory__province", "factory__region", "period", "claim__user")
        .order_by("last_submitted_at", "pk")
    )


def verifier_queue(user: User) -> QuerySet[Report]:
    """Submitted reports waiting for the completeness check (verifier, admin)."""
    if user.role not in (Role.VERIFIER, Role.ADMIN):
        return Report.objects.none()
    return _queue(user, ReportStatus.SUBMITTED)


def validator_queue(user: User) -> QuerySet[Report]:
    """Verified reports waiting for the accuracy check, scoped to the validator's KBLI divisions."""
    if user.role not in (Role.VALIDATOR, Role.ADMIN):
        return Report.objects.none()
    return _queue(user, ReportStatus.VERIFIED)
