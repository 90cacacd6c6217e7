"""No route escapes the authorization table, and every route answers every role as declared."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz import table
from tests.helpers import login

# The Django admin has its own gate (is_staff) and its own test (test_admin_requires_staff).
EXCLUDED_NAMESPACES = ("admin",)


def _declared_routes() -> list[table.Route]:
    routes: list[table.Route] = []
    package = importlib.import_module("tests.authz")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("routes_"):
            routes.extend(importlib.import_module(f"tests.authz.{info.name}").ROUTES)
    return routes


ROUTES = _declared_routes()


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            if inner in EXCLUDED_NAMESPACES:
                continue
            names |= _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(f"URL pattern {pattern.pattern} has no name: every route must be named")
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_pattern_is_in_the_table():
    declared = [r.name for r in ROUTES]
    duplicates = {n for n in declared if declared.count(n) > 1}
    assert not duplicates, f"listed twice: {sorted(duplicates)}"
    patterns = _url_names(get_resolver())
    missing = patterns - set(declared)
    stale = set(declared) - patterns
    assert not missing, f"routes not in the authorization table: {sorted(missing)}"
    assert not stale, f"table lists routes that no longer exist: {sorted(stale)}"


def _is_login_bounce(response) -> bool:
    return response.status_code == 302 and reverse("accounts:login") in response.get("Location", "")


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_route_answers_each_role_as_declared(route: table.Route, cast, client_factory):
    failures = []
    for role, user in cast.by_role().items():
        client = client_factory()
        if user is not None:
            login(client, user)
        kwargs = route.setup(cast) if route.setup else {}
        url = reverse(route.name, kwargs=kwargs)
        data = route.data(cast) if route.data else {}
        response = client.post(url, data) if route.method == "POST" else client.get(url, data)
        expected = route.expected(role)
        if expected == "ok":
            ok = response.status_code < 400 and not _is_login_bounce(response)
        elif expected == 302 and role == "anonymous":
            ok = _is_login_bounce(response)
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{role}: expected {expected}, got {response.status_code} {response.get('Location', '')}")
    assert not failures, f"{route.name}:\n  " + "\n  ".join(failures)


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


@pytest.mark.django_db
def test_admin_requires_staff(cast, client):
    login(client, cast.verifier)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    login(client, cast.admin)
    assert client.get("/admin/").status_code == 200
