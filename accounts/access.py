"""Who may see which factory accounts and companies (the one place for accounts/ views)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Factory, Licence, Registration, Role, User
from siinas.core.models import Kbli
from siinas.lib.access import get_scoped_or_404


def pemda_authority_q(user: User, prefix: str = "") -> Q:
    """Factories whose individual data a Pemda officer may see (UU 23/2014).

    Province: Besar-scale industry and cross-border estates located in its province.
    Kabupaten/kota: Kecil and Menengah industry and estates inside it.
    ``prefix`` lets other apps reuse this for rows that point at a factory ("factory__").
    """
    p = prefix
    if user.role == Role.PEMDA_PROV:
        in_area = Q(**{f"{p}province_id": user.region_id})
        provincial = (Q(**{f"{p}account_type": "B", f"{p}crosses_regency_border": True})) | (
            ~Q(**{f"{p}account_type": "B"}) & Q(**{f"{p}scale": "besar"})
        )
        return in_area & provincial
    if user.role == Role.PEMDA_KAB:
        in_area = Q(**{f"{p}region_id": user.region_id})
        regency = (Q(**{f"{p}account_type": "B", f"{p}crosses_regency_border": False})) | (
            ~Q(**{f"{p}account_type": "B"}) & ~Q(**{f"{p}scale": "besar"})
        )
        return in_area & regency
    return Q(pk__in=[])


def pemda_territory_q(user: User, prefix: str = "") -> Q:
    """Every factory inside the officer's territory — for aggregates only, never individual rows."""
    if user.role == Role.PEMDA_PROV:
        return Q(**{f"{prefix}province_id": user.region_id})
    if user.role == Role.PEMDA_KAB:
        return Q(**{f"{prefix}region_id": user.region_id})
    return Q(pk__in=[])


def factory_ids_in_divisions(user: User) -> QuerySet:
    """Ids of the factories with a KBLI line in one of the validator's divisions (a subquery).

    The division's KBLI codes are read first (one small query) and the lines are then filtered by those
    codes alone: PostgreSQL estimates the ≈ 20,000 lines of a food validator at national scale correctly
    and hashes them once, instead of joining back to the factories and probing them per factory (issue 14,
    docs/verification.md).
    """
    codes = list(Kbli.objects.filter(division__in=user.kbli_divisions.all()).order_by("code").values_list("code", flat=True))
    return Factory.kbli.through.objects.filter(kbli_id__in=codes).values("factory_id")


def factories_visible_to(user: User) -> QuerySet[Factory]:
    """Factory accounts whose individual data ``user`` may see."""
    qs = Factory.objects.select_related("company", "region", "province")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.COMPANY:
        return qs.filter(pk=user.factory_id)
    if user.role in (Role.ADMIN, Role.VERIFIER, Role.UPP):
        return qs
    if user.role == Role.VALIDATOR:
        return qs.filter(kbli__division__in=user.kbli_divisions.all()).distinct()
    if user.is_pemda:
        return qs.filter(pemda_authority_q(user))
    return qs.none()


def get_factory_for_user_or_404(user: User, pk: int) -> Factory:
    return get_scoped_or_404(factories_visible_to(user), pk=pk)


# --- Registrations, profile, certificates (issue 3) -------------------------------------------

REGISTRATION_OFFICERS = (Role.UPP, Role.ADMIN)


def registrations_visible_to(user: User) -> QuerySet[Registration]:
    """Registrations (with their NIB PDFs) are for UPP officers and the admin only."""
    if user.is_authenticated and user.role in REGISTRATION_OFFICERS:
        return Registration.objects.select_related("region", "decided_by", "factory")
    return Registration.objects.none()


def get_registration_for_user_or_404(user: User, pk: int) -> Registration:
    return get_scoped_or_404(registrations_visible_to(user), pk=pk)


def own_factory_or_404(user: User) -> Factory:
    """The company user's own factory account (Data Perusahaan is only ever one's own)."""
    return get_scoped_or_404(factories_visible_to(user), pk=user.factory_id)


def licences_of(user: User) -> QuerySet[Licence]:
    return Licence.objects.filter(factory_id=user.factory_id) if user.role == Role.COMPANY else Licence.objects.none()
