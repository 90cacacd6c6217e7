"""The declared expected-access table: every route of the project, and who gets through.

Each app lists its routes in ``tests/authz/routes_<app>.py`` as ``ROUTES = [Route(...), ...]``.
``test_route_table.py`` fails when a URL pattern is missing here (or listed but gone), and
requests every route as every role of the cast (tests/conftest.py ``Cast.by_role``):

- ``public``: everyone, anonymous included, gets through;
- ``allow``: roles that get through (status below 400, and not a redirect to the login page);
- ``hide``: roles for which the object is out of scope: 404, exactly like a missing object;
- every other signed-in role gets 403; anonymous is sent to the login page (302);
- ``expect`` overrides single roles with an exact status when a route needs it.

``setup(cast)`` creates what the route needs (owned by company_a / factory_a) and returns the URL
kwargs; it runs afresh for every role so one role's POST cannot spoil the next role's request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = (
    "anonymous",
    "company",
    "other_company",
    "upp",
    "verifier",
    "validator",
    "validator_other",
    "pemda_prov",
    "pemda_kab",
    "kl",
    "admin",
)
OFFICERS = frozenset({"upp", "verifier", "validator", "validator_other", "pemda_prov", "pemda_kab", "kl", "admin"})
SIGNED_IN = frozenset(ROLES) - {"anonymous"}


@dataclass(frozen=True)
class Route:
    name: str
    allow: frozenset[str] = frozenset()
    hide: frozenset[str] = frozenset()
    public: bool = False
    method: str = "GET"
    setup: Callable[[Any], dict] | None = None
    data: Callable[[Any], dict] | None = None
    expect: dict[str, int] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self):
        unknown = (self.allow | self.hide | set(self.expect)) - set(ROLES)
        if unknown:
            raise ValueError(f"{self.name}: unknown roles {sorted(unknown)}")

    def expected(self, role: str) -> int | str:
        """An exact status, or "ok" for any status below 400 that is not a bounce to login."""
        if role in self.expect:
            return self.expect[role]
        if self.public or role in self.allow:
            return "ok"
        if role in self.hide:
            return 404
        if role == "anonymous":
            return 302
        return 403
