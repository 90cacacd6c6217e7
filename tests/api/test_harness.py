"""Every API endpoint answers every kind of caller as declared (tests/api/harness.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.factories import bearer
from tests.api.harness import CALLERS
from tests.authz.routes_api import API_ROUTES, ROUTES

pytestmark = pytest.mark.django_db


def _operation_names() -> set[str]:
    from api.urls import urlpatterns

    names = set()

    for pattern in urlpatterns:
        names.add(f"api:{pattern.name}")
    return names


def test_every_api_endpoint_is_in_the_token_harness():
    infrastructure = {r.name for r in ROUTES} - {r.name for r in API_ROUTES}
    missing = _operation_names() - {r.name for r in API_ROUTES} - infrastructure
    assert not missing, f"API endpoints not in tests/authz/routes_api.py API_ROUTES: {sorted(missing)}"


def _expected(route, caller: str) -> tuple[int, bool | None]:
    """(status, whether factory_a's data must be in the body: True/False/None = not checked)."""
    if route.public:
        return 200, None
    if caller == "anonymous" or caller in ("revoked", "expired"):
        return 401, None
    if route.dataset == "":
        return 200, None
    if caller == "no_scope":
        return 404, None
    if caller in ("other_territory", "other_division"):
        return (200, False) if route.is_list else (404, None)
    return 200, True


@pytest.mark.parametrize("route", API_ROUTES, ids=[r.name for r in API_ROUTES])
def test_endpoint_answers_each_caller_as_declared(route, cast, callers, token_without, client):
    tokens = {**callers, "no_scope": token_without(route.dataset) if route.dataset else callers["in_scope"]}
    failures = []
    for caller in CALLERS:
        kwargs = route.setup(cast) if route.setup else {}
        url = reverse(route.name, kwargs=kwargs)
        secret = tokens[caller]
        response = client.get(url, route.query or {}, **(bearer(secret) if secret else {}))
        status, shows = _expected(route, caller)
        body = response.content.decode()
        ok = response.status_code == status
        if ok and status >= 400:
            ok = response.json()["error"]["status"] == status
            if caller in ("revoked", "expired"):
                ok = ok and response.json()["error"]["code"] == f"token_{caller}"
        if ok and shows is not None and route.marker is not None:
            ok = (route.marker(cast) in body) == shows
        if ok and not route.public:
            ok = "no-store" in response["Cache-Control"]
        if not ok:
            failures.append(f"{caller}: expected {status} (shows={shows}), got {response.status_code}: {body[:200]}")
    assert not failures, f"{route.name}:\n" + "\n".join(failures)
