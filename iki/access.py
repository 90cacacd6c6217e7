"""Who may see which IKI data (the one place for iki/ views).

Individual answers are confidential: a company sees its own factory's responses, an admin every
response (each view audited); every other officer sees aggregates only. Outside scope → 404.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User
from iki.models import IkiResponse
from siinas.lib.access import get_scoped_or_404

RESPONDENT_ROLES = (Role.COMPANY,)
RESPONSE_READER_ROLES = (Role.COMPANY, Role.ADMIN)
DASHBOARD_ROLES = (Role.VERIFIER, Role.VALIDATOR, Role.ADMIN, Role.KL)
RECOMPUTE_ROLES = (Role.VERIFIER, Role.ADMIN)
# Publishing a revision of an official statistic is Pusdatin's: its verifiers and administrators.
RELEASE_ROLES = (Role.VERIFIER, Role.ADMIN)


def responses_visible_to(user: User) -> QuerySet[IkiResponse]:
    qs = IkiResponse.objects.select_related("factory__company", "factory__region", "kbli2")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.COMPANY:
        return qs.filter(factory_id=user.factory_id)
    if user.role == Role.ADMIN:
        return qs
    return qs.none()


def get_response_for_user_or_404(user: User, pk: int) -> IkiResponse:
    return get_scoped_or_404(responses_visible_to(user), pk=pk)


def can_edit_response(user: User, response: IkiResponse) -> bool:
    """Only the factory's own account answers; an admin reads but never changes a company's answers."""
    return user.role == Role.COMPANY and user.factory_id == response.factory_id


def can_publish_release(user: User) -> bool:
    """Who may publish an IKI month's next release vintage ("Terbitkan revisi")."""
    return user.is_authenticated and user.role in RELEASE_ROLES
