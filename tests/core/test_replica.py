"""Reads from a replica only inside ``replica_reads`` (siinas/lib/replica.py, docs/scaling.md).

A second alias, ``replica``, points at the test database itself (``TEST: MIRROR`` semantics, but as its
own connection, so queries can be counted per connection). The tests are transactional: a replica never
sees the primary's uncommitted rows, and neither does a second connection.
"""

from __future__ import annotations

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from accounts.models import Factory, User
from siinas.core.models import AuditEvent
from siinas.lib.replica import REPLICA, ReplicaRouter, replica_reads
from tests.helpers import login

REPLICA_ROUTES = {
    "pemda:dashboard",
    "pemda:dashboard-kbli-rates",
    "pemda:company-list",
    "pemda:company-export",
    "pemda:report-monitor",
    "pemda:indicators",
    "pemda:indicator-export",
    "pemda:ministry-overview",
    "verification:reporting-rate",
    "iki:officer-dashboard",
    "informasi:statistics",
    "informasi:statistics-download",
    "analisis:pohon",
    "analisis:sector-list",
    "analisis:sector-list-download",
    "analisis:sector-detail",
    "analisis:sector-detail-download",
    "analisis:pohon-download",
}


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup):
    """``DATABASES["replica"]`` = the default test database through a second connection. Module-wide and
    set up before each test's database fixture, which checks the aliases a test may use."""
    connections.settings[REPLICA] = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    if hasattr(connections._connections, REPLICA):
        delattr(connections._connections, REPLICA)
    del connections.settings[REPLICA]


# Transactional: the second connection sees only committed rows, like a real replica.
with_replica = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture
def replica(settings):
    settings.DATABASE_ROUTERS = ["siinas.lib.replica.ReplicaRouter"]
    return connections[REPLICA]


def _tables(queries) -> str:
    return "\n".join(query["sql"] for query in queries)


def _get(client, url):
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections[REPLICA]) as copy:
        response = client.get(url)
    return response, primary.captured_queries, copy.captured_queries


def _wrapped_route_names() -> set[str]:
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif getattr(pattern.callback, "replica_reads", False):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_exactly_the_read_only_aggregate_pages_may_read_from_the_replica():
    assert _wrapped_route_names() == REPLICA_ROUTES


@with_replica
def test_the_pemda_dashboard_reads_the_replica_and_the_session_and_user_from_the_primary(replica, cast, client):
    login(client, cast.pemda_jabar)
    response, primary, copy = _get(client, reverse("pemda:dashboard"))
    assert response.status_code == 200
    assert copy, "no query went to the replica"
    assert "accounts_factory" in _tables(copy)
    assert "django_session" not in _tables(copy) and '"accounts_user"' not in _tables(copy)
    assert "accounts_factory" not in _tables(primary)


@with_replica
@pytest.mark.parametrize(
    ("name", "who"),
    [("verification:reporting-rate", "verifier"), ("iki:officer-dashboard", "verifier"), ("pemda:company-list", "pemda_jabar")],
)
def test_the_other_aggregate_pages_read_the_replica(replica, cast, client, name, who):
    login(client, getattr(cast, who))
    response, _primary, copy = _get(client, reverse(name))
    assert response.status_code == 200
    assert copy


@with_replica
def test_the_public_statistics_read_the_measures_from_the_replica(replica, cast, client):
    from tests.reporting.factories import PeriodFactory

    PeriodFactory(year=2025, number=1)
    response, primary, copy = _get(client, reverse("informasi:statistics"))
    assert response.status_code == 200
    assert "reporting_reportmeasures" in _tables(copy)  # the grouped query, on the replica's connection
    assert "reporting_reportmeasures" not in _tables(primary)


@with_replica
def test_the_export_reads_the_replica_and_audits_on_the_primary(replica, cast, client):
    login(client, cast.pemda_jabar)
    before = AuditEvent.objects.count()
    response, primary, copy = _get(client, reverse("pemda:company-export", args=["csv"]))
    assert response.status_code == 200
    assert copy
    assert AuditEvent.objects.count() >= before  # written (if at all) on the primary, visible there
    assert "INSERT" not in _tables(copy)


@with_replica
@pytest.mark.parametrize(
    ("name", "who"),
    [("reporting:dashboard", "company_a"), ("verification:verifier-queue", "verifier"), ("pemda:submission-list", "pemda_jabar")],
)
def test_other_pages_never_touch_the_replica(replica, cast, client, name, who):
    login(client, getattr(cast, who))
    response, primary, copy = _get(client, reverse(name))
    assert response.status_code == 200
    assert primary and not copy


@with_replica
def test_nothing_reads_the_replica_outside_a_scope_or_inside_a_transaction(replica, cast):
    with CaptureQueriesContext(replica) as copy:
        list(Factory.objects.all())
        with replica_reads(), transaction.atomic():
            list(Factory.objects.all())
    assert not copy.captured_queries
    with CaptureQueriesContext(replica) as copy, replica_reads():
        list(Factory.objects.all())
    assert len(copy.captured_queries) == 1


@with_replica
def test_after_a_write_the_scope_reads_the_primary_but_machinery_writes_do_not_count(replica, cast):
    router = ReplicaRouter()
    with replica_reads():
        AuditEvent.objects.create(action="test.replica", extra={})
        assert router.db_for_read(Factory) == REPLICA
        assert router.db_for_read(User) == "default"
        cast.factory_a.name = "Pabrik Bekasi Baru"
        cast.factory_a.save(update_fields=["name"])
        assert router.db_for_read(Factory) == "default"
    assert router.db_for_read(Factory) == "default"


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate(REPLICA, "accounts") is False
    assert ReplicaRouter().allow_migrate("default", "accounts") is None
