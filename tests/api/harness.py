"""The API's authorization harness: every endpoint × every kind of caller (issue 15).

Each endpoint is an ``ApiRoute`` in tests/authz/routes_api.py. ``setup(cast)`` creates what it needs,
owned by company_a / factory_a (Kabupaten Bekasi, Jawa Barat; KBLI 10110), and returns URL kwargs.
The callers:

- ``anonymous`` — no token: public endpoints 200, partner endpoints 401;
- ``in_scope`` — datasets all, Jawa Barat, KBLI 10: 200 and factory_a's data;
- ``no_scope`` — every dataset but the route's, national: 404 (a dataset the token lacks is hidden);
- ``other_territory`` — every dataset, Jawa Timur: a detail is 404; a list is 200 without factory_a;
- ``other_division`` — every dataset, national, KBLI 24/25: as other_territory;
- ``revoked`` and ``expired`` — 401 with the matching ``error.code``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CALLERS = ("anonymous", "in_scope", "no_scope", "other_territory", "other_division", "revoked", "expired")


@dataclass(frozen=True)
class ApiRoute:
    name: str
    dataset: str | None = None  # None: public, no token needed
    setup: Callable[[Any], dict] | None = None
    is_list: bool = False
    marker: Callable[[Any], str] | None = None  # text that shows factory_a's data is in the body
    query: dict | None = None
    note: str = ""

    @property
    def public(self) -> bool:
        return self.dataset is None

    def session_route(self):
        """The same route in the portal's role table: sessions never authenticate the API."""
        from tests.authz.table import ROLES, Route

        if self.public:
            return Route(self.name, public=True, setup=self.setup, note=self.note or "public API")
        return Route(self.name, setup=self.setup, expect=dict.fromkeys(ROLES, 401), note="token only; a session is not a token")
