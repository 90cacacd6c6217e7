"""Who sees which early-warning signals (style.md §7).

Ministry (admin, Pusdatin verifier): every signal. Validator: the signals of its KBLI divisions.
Pemda: the signals of its own region only — a province office its province's, a kabupaten/kota office
its own — and never one computed on fewer than 3 companies (pemda.selectors.territory.MIN_COMPANIES).
A province office does not see its kab/kota cells: with the province cell beside them, a hidden kab/kota
could be recovered by subtraction. National and IKI signals carry no region and are not shown to Pemda.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User
from ews.models import Signal
from pemda.selectors.territory import MIN_COMPANIES

VIEWERS = (Role.ADMIN, Role.VERIFIER, Role.VALIDATOR, Role.PEMDA_PROV, Role.PEMDA_KAB)
DIGEST_ROLES = (Role.VALIDATOR, Role.PEMDA_PROV, Role.PEMDA_KAB)


def signals_visible_to(user: User) -> QuerySet[Signal]:
    qs = Signal.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.role in (Role.ADMIN, Role.VERIFIER):
        return qs
    if user.role == Role.VALIDATOR:
        return qs.filter(subsector__in=user.kbli_divisions.values("code"))
    if user.is_pemda and user.region_id:
        return qs.filter(region=user.region_id, companies__gte=MIN_COMPANIES)
    return qs.none()
