"""Pemda monitors the IOMKI of the factories under its authority (UU 23/2014), and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from eservice import services
from eservice.models import Status
from siinas.core.models import AuditEvent
from tests.eservice import builders as b
from tests.factories import FactoryAccountFactory, company_user
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit(cast):
    permit = b.application_in(
        Status.APPROVED, user=cast.company_a, service="iomki", reviewer=cast.validator_pangan
    )
    services.weekly_report_submit(
        actor=cast.company_a,
        application=permit,
        # The service reads weeks in Jakarta time; the UTC date of decided_at is the previous day from
        # 00:00 to 07:00 WIB (and the previous week on a Monday morning).
        week_start=timezone.localtime(permit.decided_at).date(),
        operating=True,
        workforce_on_site=300,
        utilisation_pct=64,
        positive_cases=2,
    )
    return permit


def test_the_province_sees_the_iomki_of_its_besar_factory_with_the_last_weekly_report(client, cast, permit):
    login(client, cast.pemda_jabar)
    response = client.get(reverse("eservice:pemda-iomki"))
    rows = list(response.context["page"].object_list)
    assert [a.number for a in rows] == [permit.number]
    assert rows[0].n_reports == 1 and rows[0].last_cases == 2
    assert "64" in response.content.decode()
    assert client.get(reverse("eservice:application-detail", args=[permit.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="eservice.pemda_iomki.view", actor=cast.pemda_jabar).exists()


def test_the_kabupaten_does_not_see_a_factory_under_provincial_authority(client, cast, permit):
    login(client, cast.pemda_kab_bekasi)
    assert list(client.get(reverse("eservice:pemda-iomki")).context["page"].object_list) == []
    assert client.get(reverse("eservice:application-detail", args=[permit.pk])).status_code == 404


def test_pemda_sees_no_other_service_and_no_draft(client, cast):
    licence = b.application_in(Status.APPROVED, user=cast.company_a, reviewer=cast.validator_pangan)
    draft = b.application_in(Status.DRAFT, user=cast.company_a, service="iomki")
    login(client, cast.pemda_jabar)
    for application in (licence, draft):
        assert client.get(reverse("eservice:application-detail", args=[application.pk])).status_code == 404
    assert list(client.get(reverse("eservice:pemda-iomki")).context["page"].object_list) == []


def test_pemda_cannot_comment_or_review(client, cast, permit):
    login(client, cast.pemda_jabar)
    assert client.post(reverse("eservice:comment-add", args=[permit.pk]), {"body": "halo"}).status_code == 403
    assert client.post(reverse("eservice:application-start-review", args=[permit.pk])).status_code == 403


def test_the_pemda_list_has_a_flat_query_budget(client, cast, django_assert_max_num_queries):
    for i in range(6):
        user = company_user(FactoryAccountFactory(kbli_codes=["10110"]), f"iomki{i}")
        b.application_in(Status.SUBMITTED, user=user, service="iomki", reviewer=cast.validator_pangan)
    login(client, cast.pemda_jabar)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("eservice:pemda-iomki"))
    assert len(response.context["page"].object_list) == 6
