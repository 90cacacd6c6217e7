"""Officer review queues per service: scope, filters, CSV export and a flat query budget."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from eservice.models import Application, Status
from siinas.core.models import AuditEvent
from tests.eservice import builders as b
from tests.factories import FactoryAccountFactory, company_user
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def queue(cast):
    """An e-Licensing (validator) and a TKDN (verifier) application of company_a, a licence of company_b."""
    return {
        "licence_a": b.application_in(Status.SUBMITTED, user=cast.company_a, reviewer=cast.validator_pangan),
        "tkdn_a": b.application_in(
            Status.SUBMITTED, user=cast.company_a, service="tkdn", reviewer=cast.verifier
        ),
        "licence_b": b.application_in(Status.SUBMITTED, user=cast.company_b, reviewer=cast.validator_logam),
    }


def test_each_reviewing_role_sees_only_its_services_and_its_sectors(client, cast, queue):
    login(client, cast.validator_pangan)
    numbers = [a.number for a in client.get(reverse("eservice:review-queue")).context["page"].object_list]
    assert numbers == [queue["licence_a"].number]
    login(client, cast.verifier)
    numbers = [a.number for a in client.get(reverse("eservice:review-queue")).context["page"].object_list]
    assert numbers == [queue["tkdn_a"].number]
    login(client, cast.admin)
    assert client.get(reverse("eservice:review-queue")).context["page"].paginator.count == 3


def test_filters_by_service_status_province_and_name(client, cast, queue):
    login(client, cast.admin)
    url = reverse("eservice:review-queue")

    def numbers(**params):
        return sorted(a.number for a in client.get(url, params).context["page"].object_list)

    assert numbers(layanan="tkdn") == [queue["tkdn_a"].number]
    assert numbers(provinsi="35") == [queue["licence_b"].number]
    assert numbers(q="logam") == [queue["licence_b"].number]
    assert numbers(status="disetujui") == []
    assert numbers(kbli="25") == [queue["licence_b"].number]
    assert numbers(lama="3") == []  # all three were submitted just now
    tabs = {t["service"].code: t["count"] for t in client.get(url).context["tabs"]}
    assert tabs["e-licensing"] == 2 and tabs["tkdn"] == 1 and tabs["vki"] == 0


def test_decided_applications_leave_the_waiting_queue_but_stay_findable(client, cast, queue):
    approved = b.application_in(Status.APPROVED, user=cast.company_a, reviewer=cast.validator_pangan)
    login(client, cast.validator_pangan)
    url = reverse("eservice:review-queue")
    assert approved.number not in [a.number for a in client.get(url).context["page"].object_list]
    assert [a.number for a in client.get(url, {"status": "disetujui"}).context["page"].object_list] == [
        approved.number
    ]


def test_the_csv_export_has_the_same_rows_as_the_page_and_is_audited(client, cast, queue):
    login(client, cast.admin)
    response = client.get(reverse("eservice:review-queue-export"), {"layanan": "e-licensing"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][:3] == ["Nomor", "Layanan", "Perusahaan"]
    assert sorted(r[0] for r in rows[1:]) == sorted([queue["licence_a"].number, queue["licence_b"].number])
    assert {r[2] for r in rows[1:]} == {"PT Indo Pangan", "CV Logam Surabaya"}
    assert AuditEvent.objects.filter(action="eservice.queue.export", actor=cast.admin).exists()


def test_a_validator_cannot_export_another_sectors_applications(client, cast, queue):
    login(client, cast.validator_logam)
    rows = _rows(client.get(reverse("eservice:review-queue-export")))
    assert [r[0] for r in rows[1:]] == [queue["licence_b"].number]


def test_the_queue_has_a_flat_query_budget(client, cast, django_assert_max_num_queries):
    now = timezone.now()
    factories = [FactoryAccountFactory(kbli_codes=["10110"]) for _ in range(8)]
    users = [company_user(f, f"pabrik_q{i}") for i, f in enumerate(factories)]
    Application.objects.bulk_create(
        Application(
            factory=factories[i % 8],
            service="e-licensing" if i % 2 else "iomki",
            status=Status.SUBMITTED,
            number=f"LIC-2026-9{i:05d}",
            data=b.payload("e-licensing"),
            created_by=users[i % 8],
            last_submitted_at=now,
            submitted_at=now,
        )
        for i in range(60)
    )
    login(client, cast.validator_pangan)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("eservice:review-queue"))
    assert len(response.context["page"].object_list) == 50
    with django_assert_max_num_queries(10):
        response = client.get(reverse("eservice:review-queue-export"))
    assert len(_rows(response)) == 61


def test_the_cached_total_and_tabs_follow_a_new_submission_and_a_decision(client, cast, queue):
    from eservice import services

    login(client, cast.validator_pangan)
    url = reverse("eservice:review-queue")

    def seen():
        response = client.get(url)
        return response.context["page"].paginator.count, {t["service"].code: t["count"] for t in response.context["tabs"]}["e-licensing"]

    assert seen() == (1, 1)
    b.application_in(Status.SUBMITTED, user=cast.company_a, reviewer=cast.validator_pangan)
    assert seen() == (2, 2)
    application = services.application_start_review(actor=cast.validator_pangan, application=queue["licence_a"])
    services.application_return(actor=cast.validator_pangan, application=application, note="Lengkapi data.")
    assert seen() == (1, 1)
