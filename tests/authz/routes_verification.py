"""Verification routes: who gets through (tests/authz/table.py)."""

from tests.authz.table import Route

ADMIN = frozenset({"admin"})

ROUTES = [
    Route("verification:team-list", allow=ADMIN),
    Route("verification:team-member-edit", allow=ADMIN, setup=lambda cast: {"pk": cast.validator_logam.pk}),
]
