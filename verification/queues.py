"""The two review queues (reads): the verifier's (every submitted report) and the validator's (reports
verified by Pusdatin whose factory KBLI is in the validator's divisions), oldest waiting first."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User
from reporting.access import reports_visible_to
from reporting.models import Report, ReportStatus

ROW_JOINS = ("factory__company", "factory__province", "factory__region", "period", "claim__user")


def _queue(user: User, status: str) -> QuerySet[Report]:
    return reports_visible_to(user).filter(status=status).select_related(*ROW_JOINS).order_by("last_submitted_at", "pk")


def queue_rows(keys: list[int]) -> QuerySet[Report]:
    """The reports ``keys`` (a page of a queue, already scoped) with what a queue row shows."""
    return Report.objects.filter(pk__in=keys).select_related(*ROW_JOINS)


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
