"""Partner organisations and tokens for API tests (the secret string is returned, as issued)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from api.models import ApiToken, Dataset, PartnerOrganisation
from api.services import token_issue, token_revoke
from siinas.core.models import Kbli, Region


def organisation(name: str = "Badan Koordinasi Penanaman Modal", acronym: str = "BKPM", members=()) -> PartnerOrganisation:
    org, _ = PartnerOrganisation.objects.get_or_create(name=name, defaults={"acronym": acronym, "mou_number": "PKS-01/2026"})
    if members:
        org.members.add(*members)
    return org


def token(
    admin,
    *,
    datasets=tuple(Dataset.values),
    region: str | None = None,
    divisions: tuple[str, ...] = (),
    org: PartnerOrganisation | None = None,
    rate_per_minute: int = 60,
    days: int = 365,
    name: str = "Integrasi uji",
) -> tuple[ApiToken, str]:
    return token_issue(
        actor=admin,
        organisation=org or organisation(),
        name=name,
        datasets=datasets,
        expires_on=timezone.localdate() + dt.timedelta(days=days),
        region=Region.objects.get(pk=region) if region else None,
        kbli_divisions=list(Kbli.objects.filter(pk__in=divisions)),
        rate_per_minute=rate_per_minute,
    )


def revoked(admin, **kwargs) -> tuple[ApiToken, str]:
    issued, secret = token(admin, **kwargs)
    token_revoke(actor=admin, token=issued, reason="Uji pencabutan")
    return issued, secret


def expired(admin, **kwargs) -> tuple[ApiToken, str]:
    issued, secret = token(admin, **kwargs)
    ApiToken.objects.filter(pk=issued.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    return issued, secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
