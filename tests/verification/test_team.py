"""Team set-up (Kepmenperin 184/2020): the admin assigns verifiers and validators with their divisions."""

import pytest
from django.urls import reverse

from accounts.models import Role
from siinas.core.models import AuditEvent, Kbli
from tests.helpers import login
from verification.services.team import VALIDATOR_NEEDS_DIVISION, VERIFIER_HAS_NO_DIVISION

pytestmark = pytest.mark.django_db


def test_admin_sees_every_verifier_and_validator_with_divisions(client, cast):
    login(client, cast.admin)
    response = client.get(reverse("verification:team-list"))
    assert response.status_code == 200
    members = list(response.context["members"])
    assert {cast.verifier, cast.validator_pangan, cast.validator_logam} <= set(members)
    assert cast.company_a not in members and cast.upp not in members
    assert "25" in response.content.decode()


def test_admin_changes_a_validators_divisions_and_it_is_audited(client, cast):
    login(client, cast.admin)
    url = reverse("verification:team-member-edit", args=[cast.validator_logam.pk])
    response = client.post(url, {"role": Role.VALIDATOR, "divisions": ["10", "24"]})
    assert response.status_code == 302
    assert set(cast.validator_logam.kbli_divisions.values_list("code", flat=True)) == {"10", "24"}
    event = AuditEvent.objects.get(action="verification.team_update", target_id=str(cast.validator_logam.pk))
    assert event.actor == cast.admin
    assert event.extra["before"]["divisions"] == ["24", "25"]
    assert event.extra["after"]["divisions"] == ["10", "24"]


def test_a_validator_without_a_division_is_refused_at_the_field(client, cast):
    login(client, cast.admin)
    url = reverse("verification:team-member-edit", args=[cast.validator_logam.pk])
    response = client.post(url, {"role": Role.VALIDATOR, "divisions": []})
    assert response.status_code == 200
    assert VALIDATOR_NEEDS_DIVISION in response.context["form"].errors["divisions"]
    assert cast.validator_logam.kbli_divisions.count() == 2


def test_a_verifier_carries_no_division(client, cast):
    login(client, cast.admin)
    url = reverse("verification:team-member-edit", args=[cast.verifier.pk])
    response = client.post(url, {"role": Role.VERIFIER, "divisions": ["10"]})
    assert VERIFIER_HAS_NO_DIVISION in response.context["form"].errors["divisions"]


def test_admin_turns_a_verifier_into_a_validator(client, cast):
    login(client, cast.admin)
    client.post(reverse("verification:team-member-edit", args=[cast.verifier.pk]), {"role": Role.VALIDATOR, "divisions": ["13"]})
    cast.verifier.refresh_from_db()
    assert cast.verifier.role == Role.VALIDATOR
    assert list(cast.verifier.kbli_divisions.all()) == [Kbli.objects.get(code="13")]


def test_users_outside_the_team_are_not_found(client, cast):
    login(client, cast.admin)
    assert client.get(reverse("verification:team-member-edit", args=[cast.company_a.pk])).status_code == 404
    assert client.get(reverse("verification:team-member-edit", args=[cast.upp.pk])).status_code == 404
