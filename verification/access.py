"""Who may see and do what in verification (the one place for verification/ views, style.md §7).

Reports themselves are scoped by ``reporting.access.reports_visible_to``; this module narrows that
to each queue and scopes letters, team members and the reporting-rate population.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User
from siinas.lib.access import get_scoped_or_404
from verification.services.team import TEAM_ROLES


def team_members_visible_to(user: User) -> QuerySet[User]:
    """Verifiers and validators an admin may assign; nobody else sees the team page."""
    if user.is_authenticated and user.role == Role.ADMIN:
        return User.objects.filter(role__in=TEAM_ROLES, is_active=True).prefetch_related("kbli_divisions")
    return User.objects.none()


def get_team_member_or_404(user: User, pk: int) -> User:
    return get_scoped_or_404(team_members_visible_to(user), pk=pk)
