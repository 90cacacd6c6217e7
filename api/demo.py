"""Demo partner organisation and API token for the embedded default (refused in production by load_demo).

The ``mitra_kl`` demo user is a member of a partner organisation holding one national token with every
dataset, valid one year from the day ``load_demo`` runs. Only a token's hash is ever stored, so for
``make run`` to print a token that works, the demo token's secret is derived from a fixed, published
string here and nowhere else: it is a **demo-only** credential (docs/api.md "Jam pertama mitra"). Its
prefix is refused under production settings (api/auth.py), should a demo database ever reach one."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

from django.utils import timezone

from accounts.demo import DemoCast
from api import tokens
from api.models import ApiToken, Dataset, PartnerOrganisation

DEMO_TOKEN_SEED = b"siinas-demo-api-token"
DEMO_TOKEN_SECRET = base64.urlsafe_b64encode(hashlib.sha256(DEMO_TOKEN_SEED + b":secret").digest()).decode().rstrip("=")
DEMO_TOKEN = f"{tokens.SCHEME}_{tokens.DEMO_PREFIX}_{DEMO_TOKEN_SECRET}"
DEMO_VALIDITY = dt.timedelta(days=365)

ORGANISATION = {
    "name": "Kementerian Investasi dan Hilirisasi/BKPM",
    "acronym": "BKPM",
    "mou_number": "PKS-014/SJ-IND/2025",
}


def seed(cast: DemoCast) -> None:
    admin, member = cast.users["admin"], cast.users["mitra_kl"]
    today = timezone.localdate()
    organisation, _ = PartnerOrganisation.objects.update_or_create(
        name=ORGANISATION["name"],
        defaults={**ORGANISATION, "mou_valid_until": dt.date(today.year + 3, 12, 31)},
    )
    organisation.members.add(member)
    # Reset on every run, like the officers' recovery codes: active, national, every dataset, a year ahead.
    token, _ = ApiToken.objects.update_or_create(
        prefix=tokens.DEMO_PREFIX,
        defaults={
            "organisation": organisation,
            "name": "Integrasi OSS/LKPM",
            "secret_sha256": tokens.digest(DEMO_TOKEN_SECRET),
            "datasets": sorted(Dataset.values),
            "region": None,
            "rate_per_minute": 120,
            "expires_on": today + DEMO_VALIDITY,
            "created_by": admin,
            "revoked_at": None,
            "revoked_by": None,
            "revoke_reason": "",
        },
    )
    token.kbli_divisions.clear()
    cast.logins.append(
        (
            "token API",
            f"Mitra K/L — {organisation.acronym}",
            f"Authorization: Bearer {DEMO_TOKEN} (nasional, semua dataset, berlaku s.d. {token.expires_on:%d-%m-%Y};"
            " hanya untuk data demo)",
        )
    )
