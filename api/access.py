"""What a token may read: its datasets × territory × KBLI divisions (the one place, style.md §7).

A dataset the token does not hold, and any object outside its territory or divisions, is 404 —
exactly like a missing object, as in the portal's pages."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Factory, Role
from api.errors import ApiError
from api.models import ApiToken, PartnerOrganisation
from siinas.core.models import Kbli, Region
from siinas.lib.access import get_scoped_or_404


def require_dataset(token: ApiToken, dataset: str) -> None:
    if not token.allows(dataset):
        raise ApiError.not_found()


def factories_in_scope(token: ApiToken) -> QuerySet[Factory]:
    """Factory accounts the token's territory and divisions cover (a token reads nothing else)."""
    qs = Factory.objects.all()
    region = token.region
    if region is not None:
        qs = qs.filter(province_id=region.code) if region.level == Region.Level.PROVINSI else qs.filter(region_id=region.code)
    divisions = list(token.kbli_divisions.values_list("code", flat=True))
    if divisions:
        codes = list(Kbli.objects.filter(division__in=divisions).values_list("code", flat=True))
        qs = qs.filter(pk__in=Factory.kbli.through.objects.filter(kbli_id__in=codes).values("factory_id"))
    return qs


def scoped_factories(token: ApiToken, dataset: str) -> QuerySet[Factory]:
    require_dataset(token, dataset)
    return factories_in_scope(token)


def organisations_visible_to(user) -> QuerySet[PartnerOrganisation]:
    """Admins see every partner organisation; a Mitra K/L user sees its own; nobody else any."""
    if not user.is_authenticated:
        return PartnerOrganisation.objects.none()
    if user.role == Role.ADMIN:
        return PartnerOrganisation.objects.all()
    if user.role == Role.KL:
        return PartnerOrganisation.objects.filter(members=user)
    return PartnerOrganisation.objects.none()


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation__in=organisations_visible_to(user))


# --- The portal's partner pages (/mitra/): admins manage, Mitra K/L members read ---------------------

PORTAL_ROLES = frozenset({Role.ADMIN, Role.KL})


def get_organisation_for_user_or_404(user, pk: int) -> PartnerOrganisation:
    """An organisation the user may see; another organisation is 404, as if it did not exist."""
    return get_scoped_or_404(organisations_visible_to(user), pk=pk)


def get_token_for_user_or_404(user, pk: int) -> ApiToken:
    """A token of an organisation the user may see (admins: all; Mitra K/L: their organisations')."""
    return get_scoped_or_404(tokens_visible_to(user).select_related("organisation", "region"), pk=pk)


def can_manage_tokens(user) -> bool:
    """Only admins issue, rotate and revoke tokens and edit organisations; members only read."""
    return user.is_authenticated and user.role == Role.ADMIN
