"""The database connection drops in the middle of a request (issue 12 §7): the user gets the Indonesian
error page, nothing is half-written, and the next request works on a fresh connection."""

from __future__ import annotations

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from reporting import services as reporting_services
from reporting.models import OtherData
from siinas.core.models import OutboxMessage
from tests.helpers import login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="terminates a PostgreSQL backend (.ci/run)"),
]


def _terminate_this_connection() -> None:
    db = settings.DATABASES["default"]
    pid = connection.connection.info.backend_pid
    killer = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db.get("PASSWORD") or None, host=db["HOST"], port=db["PORT"]
    )
    try:
        killer.autocommit = True
        killer.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        killer.close()


def _incident(client, title):
    return client.post(
        reverse("reporting:other-list"),
        {"kind": "kejadian_luar_biasa", "title": title, "description": "Gudang terbakar.", "event_date": "2026-07-14"},
    )


def test_a_connection_dropped_mid_filing_writes_nothing_and_the_retry_succeeds(cast, client, monkeypatch):
    real = reporting_services.incident_recipients

    def drops_the_connection(factory):
        _terminate_this_connection()
        return real(factory)

    login(client, cast.company_a)
    client.raise_request_exception = False
    monkeypatch.setattr(reporting_services, "incident_recipients", drops_the_connection)
    response = _incident(client, "Kebakaran pertama")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Terjadi kesalahan pada server" in page and "Traceback" not in page
    assert not OtherData.objects.exists() and not OutboxMessage.objects.exists(), "nothing half-written"

    monkeypatch.undo()
    login(client, cast.company_a)
    assert _incident(client, "Kebakaran kedua").status_code == 302
    assert list(OtherData.objects.values_list("title", flat=True)) == ["Kebakaran kedua"]
    assert OutboxMessage.objects.filter(name="reporting-incident").count() == 1
