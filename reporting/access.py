"""Who may see and do what with semester reports — the one access module other apps use.

Scope (outside it → 404, exactly like a missing report):
- company: the reports of its own factory account, drafts included;
- verifier, admin: every report that has been submitted at least once (never a draft);
- validator: submitted reports of factories with a KBLI in the validator's divisions;
- Pemda: submitted reports of factories under its authority (UU 23/2014);
- UPP, K/L, anonymous: none.
Capabilities inside the scope (without them → 403) are the ``can_*`` functions.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access import factory_ids_in_divisions, pemda_authority_q
from accounts.models import Role, User
from reporting.models import EDITABLE_STATUSES, OtherData, Report, ReportStatus
from siinas.lib.access import get_scoped_or_404


def reports_visible_to(user: User) -> QuerySet[Report]:
    """Reports whose content ``user`` may read."""
    qs = Report.objects.select_related("factory__company", "period")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.COMPANY:
        return qs.filter(factory_id=user.factory_id)
    submitted = qs.exclude(status=ReportStatus.DRAFT)
    if user.role in (Role.VERIFIER, Role.ADMIN):
        return submitted
    if user.role == Role.VALIDATOR:
        return submitted.filter(factory_id__in=factory_ids_in_divisions(user))
    if user.is_pemda:
        return submitted.filter(pemda_authority_q(user, prefix="factory__"))
    return qs.none()


def get_report_for_user_or_404(user: User, pk: int) -> Report:
    return get_scoped_or_404(reports_visible_to(user), pk=pk)


def can_edit(user: User, report: Report) -> bool:
    """Only the factory's own company users, and only while the report is a draft or returned."""
    return user.role == Role.COMPANY and user.factory_id == report.factory_id and report.status in EDITABLE_STATUSES


def is_owner(user: User, report: Report) -> bool:
    return user.role == Role.COMPANY and user.factory_id == report.factory_id


def can_verify(user: User, report: Report) -> bool:
    """Completeness check (Pusdatin): a verifier or admin, on a submitted report."""
    return user.role in (Role.VERIFIER, Role.ADMIN) and report.status == ReportStatus.SUBMITTED


def can_validate(user: User, report: Report) -> bool:
    """Accuracy check: a validator of the factory's KBLI division (or admin), on a verified report."""
    if report.status != ReportStatus.VERIFIED:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.VALIDATOR and reports_visible_to(user).filter(pk=report.pk).exists()


def can_return(user: User, report: Report) -> bool:
    """The verifier sends back a submitted report; the validator a verified one (admin either)."""
    return can_verify(user, report) or can_validate(user, report)


def other_data_visible_to(user: User) -> QuerySet[OtherData]:
    """Data Lainnya: the same scope as reports (it is filed, never a draft)."""
    qs = OtherData.objects.select_related("factory__company", "report__period", "period")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.COMPANY:
        return qs.filter(factory_id=user.factory_id)
    if user.role in (Role.VERIFIER, Role.ADMIN):
        return qs
    if user.role == Role.VALIDATOR:
        return qs.filter(factory_id__in=factory_ids_in_divisions(user))
    if user.is_pemda:
        return qs.filter(pemda_authority_q(user, prefix="factory__"))
    return qs.none()


def get_other_data_for_user_or_404(user: User, pk: int) -> OtherData:
    return get_scoped_or_404(other_data_visible_to(user), pk=pk)
