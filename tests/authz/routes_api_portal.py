"""The partner pages of the portal (/mitra/, issue 15 §4): admins manage partner organisations and their
API tokens; a Mitra K/L user reads its own organisation's tokens and their use. Every other role is 403;
a Mitra K/L user of another organisation gets 404 (tests/api/test_portal_views.py), so here the
organisation has the cast's ``kl`` user as a member."""

from __future__ import annotations

from tests.api import factories
from tests.authz.table import Route

ADMIN = frozenset({"admin"})
READERS = frozenset({"admin", "kl"})


def _organisation(cast) -> dict:
    return {"pk": factories.organisation(members=[cast.kl]).pk}


def _token(cast) -> dict:
    token, _secret = factories.token(cast.admin, org=factories.organisation(members=[cast.kl]))
    return {"pk": token.pk}


ROUTES = [
    Route("mitra:organisation-list", allow=READERS, note="admin: every organisation; kl: its own"),
    Route("mitra:organisation-create", allow=ADMIN),
    Route("mitra:organisation-detail", allow=READERS, setup=_organisation),
    Route("mitra:organisation-edit", allow=ADMIN, setup=_organisation),
    Route("mitra:token-issue", allow=ADMIN, setup=_organisation),
    Route("mitra:token-detail", allow=READERS, setup=_token, note="the token's use: calls and calls per day"),
    Route("mitra:token-secret", allow=ADMIN, setup=_token, note="the secret once, right after issuing"),
    Route("mitra:token-rotate", allow=ADMIN, method="POST", setup=_token),
    Route(
        "mitra:token-revoke",
        allow=ADMIN,
        method="POST",
        setup=_token,
        data=lambda cast: {"revoke_reason": "MoU berakhir"},
    ),
]
