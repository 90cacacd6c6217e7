"""The partner pages (/mitra/, issue 15 §4 and §7): organisations, token issue/rotate/revoke with the
secret shown once, a token's use for admins and for the Mitra K/L members of its organisation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from api import services
from api.models import ApiCall, ApiToken, PartnerOrganisation
from api.views import SECRET_SESSION_KEY
from siinas.core.models import AuditEvent
from tests.api import factories
from tests.factories import officer
from tests.helpers import login

pytestmark = pytest.mark.django_db

TODAY = "2026-07-15 10:00 +0700"


def _issue_data(**overrides) -> dict:
    data = {
        "name": "Integrasi LKPM",
        "datasets": ["registry", "compliance"],
        "region": "32",
        "kbli_divisions": ["10"],
        "rate_per_minute": "30",
        "expires_on": (timezone.localdate() + dt.timedelta(days=200)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, cast):
    return login(client, cast.admin)


# --- Organisations ---------------------------------------------------------------------------------


def test_an_admin_registers_an_organisation_with_its_kl_members(admin_client, cast):
    response = admin_client.post(
        reverse("mitra:organisation-create"),
        {"name": "Kementerian Investasi", "acronym": "BKPM", "mou_number": "PKS-7/2026", "mou_valid_until": "2028-12-31", "members": [cast.kl.pk]},
    )
    organisation = PartnerOrganisation.objects.get(name="Kementerian Investasi")
    assert response.status_code == 302 and response["Location"] == reverse("mitra:organisation-detail", args=[organisation.pk])
    assert list(organisation.members.all()) == [cast.kl]
    assert AuditEvent.objects.filter(action="api.organisation_create", actor=cast.admin).exists()


def test_only_mitra_kl_users_can_be_members(admin_client, cast):
    response = admin_client.post(reverse("mitra:organisation-create"), {"name": "BPS", "members": [cast.verifier.pk]})
    assert response.status_code == 400
    assert response.context["form"].errors["members"]
    with pytest.raises(services.ValidationError) as caught:
        services.organisation_create(actor=cast.admin, name="BPS", members=[cast.verifier])
    assert caught.value.message_dict["members"] == [str(services.MEMBER_NOT_KL)]


def test_an_admin_edits_an_organisation_and_the_change_is_audited(admin_client, cast):
    organisation = factories.organisation()
    response = admin_client.post(
        reverse("mitra:organisation-edit", args=[organisation.pk]),
        {"name": organisation.name, "acronym": "BKPM", "mou_number": "PKS-02/2026", "members": [cast.kl.pk]},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.mou_number == "PKS-02/2026" and list(organisation.members.all()) == [cast.kl]
    event = AuditEvent.objects.get(action="api.organisation_update")
    assert event.extra["changed"]["mou_number"] == ["PKS-01/2026", "PKS-02/2026"]


def test_the_organisation_page_lists_its_tokens_with_their_status(admin_client, cast):
    organisation = factories.organisation()
    factories.token(cast.admin, org=organisation, name="Aktif", region="32", divisions=("10",))
    factories.revoked(cast.admin, org=organisation, name="Dicabut")
    factories.expired(cast.admin, org=organisation, name="Lama")
    body = admin_client.get(reverse("mitra:organisation-detail", args=[organisation.pk])).content.decode()
    assert 'class="token-aktif"' in body and 'class="token-dicabut"' in body and 'class="token-kedaluwarsa"' in body
    assert "Jawa Barat" in body and "siinas_" in body


# --- Issuing: the secret once -------------------------------------------------------------------------


def test_an_issued_secret_is_shown_once_and_then_never_again(admin_client, cast):
    organisation = factories.organisation()
    response = admin_client.post(reverse("mitra:token-issue", args=[organisation.pk]), _issue_data())
    token = ApiToken.objects.get(name="Integrasi LKPM")
    assert response.status_code == 302
    assert response["Location"] == reverse("mitra:token-secret", args=[token.pk])
    assert token.region_id == "32" and token.rate_per_minute == 30 and token.datasets == ["compliance", "registry"]

    shown = admin_client.get(response["Location"])
    secret = shown.context["secret"]
    assert secret.startswith(f"siinas_{token.prefix}_") and secret in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert SECRET_SESSION_KEY not in admin_client.session
    assert secret.split("_", 2)[2] not in token.secret_sha256

    again = admin_client.get(response["Location"])
    assert again.context["secret"] is None and secret not in again.content.decode()
    # The secret works on the API.
    api = admin_client.get(reverse("api:token"), **factories.bearer(secret))
    assert api.status_code == 200 and api.json()["name"] == "Integrasi LKPM"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"datasets": []}, "datasets", "Pilih sedikitnya satu dataset."),
        ({"expires_on": "2026-07-15"}, "expires_on", str(services.EXPIRY_IN_PAST)),
        ({"expires_on": "2029-01-01"}, "expires_on", str(services.EXPIRY_TOO_FAR)),
        ({"rate_per_minute": "0"}, "rate_per_minute", "Batas permintaan paling sedikit 1 per menit."),
        ({"name": ""}, "name", None),
    ],
)
def test_the_issue_form_says_what_is_wrong_at_the_field(admin_client, overrides, field, message):
    organisation = factories.organisation()
    with time_machine.travel(TODAY, tick=False):
        response = admin_client.post(reverse("mitra:token-issue", args=[organisation.pk]), _issue_data(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert not ApiToken.objects.exists()
    assert SECRET_SESSION_KEY not in admin_client.session


def test_rotation_shows_the_new_secret_once_and_revokes_the_old(admin_client, cast):
    old, old_secret = factories.token(cast.admin)
    response = admin_client.post(reverse("mitra:token-rotate", args=[old.pk]))
    new = ApiToken.objects.get(replaces=old)
    assert response["Location"] == reverse("mitra:token-secret", args=[new.pk])
    secret = admin_client.get(response["Location"]).context["secret"]
    old.refresh_from_db()
    assert old.is_revoked and new.datasets == old.datasets
    assert admin_client.get(reverse("api:token"), **factories.bearer(secret)).status_code == 200
    assert admin_client.get(reverse("api:token"), **factories.bearer(old_secret)).json()["error"]["code"] == "token_revoked"


def test_revoking_needs_a_reason_at_the_field(admin_client, cast):
    token, secret = factories.token(cast.admin)
    url = reverse("mitra:token-revoke", args=[token.pk])
    refused = admin_client.post(url, {"revoke_reason": "  "})
    assert refused.status_code == 400
    assert refused.context["revoke_form"].errors["revoke_reason"] == ["Tuliskan alasan pencabutan."]
    token.refresh_from_db()
    assert not token.is_revoked
    assert admin_client.post(url, {"revoke_reason": "MoU berakhir"}).status_code == 302
    token.refresh_from_db()
    assert token.revoke_reason == "MoU berakhir" and token.revoked_by == cast.admin
    assert AuditEvent.objects.filter(action="api.token_revoke").exists()
    assert admin_client.get(reverse("api:token"), **factories.bearer(secret)).status_code == 401


# --- Who sees what --------------------------------------------------------------------------------------


def test_a_member_sees_its_organisations_tokens_and_their_use(client, cast):
    organisation = factories.organisation(members=[cast.kl])
    token, secret = factories.token(cast.admin, org=organisation)
    client.get(reverse("api:token"), **factories.bearer(secret))
    login(client, cast.kl)
    listing = client.get(reverse("mitra:organisation-list")).content.decode()
    assert organisation.name in listing
    use = client.get(reverse("mitra:token-detail", args=[token.pk]))
    assert use.status_code == 200 and "/api/v1/token" in use.content.decode()
    assert "Cabut token" not in use.content.decode()  # members read, admins manage


def test_a_kl_user_of_another_organisation_gets_404(client, cast):
    organisation = factories.organisation(members=[cast.kl])
    token, _ = factories.token(cast.admin, org=organisation)
    stranger = officer("mitra_bps", Role.KL)
    factories.organisation(name="Badan Pusat Statistik", acronym="BPS", members=[stranger])
    login(client, stranger)
    assert client.get(reverse("mitra:organisation-detail", args=[organisation.pk])).status_code == 404
    assert client.get(reverse("mitra:token-detail", args=[token.pk])).status_code == 404
    assert organisation.name not in client.get(reverse("mitra:organisation-list")).content.decode()
    # Managing is the admin's, whatever the organisation.
    assert client.post(reverse("mitra:token-revoke", args=[token.pk]), {"revoke_reason": "x"}).status_code == 403


def test_the_kl_home_page_links_to_its_organisations_tokens(client, cast):
    login(client, cast.kl)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Token API organisasi saya" in body and reverse("mitra:organisation-list") in body


# --- A token's use ----------------------------------------------------------------------------------------


def _calls(token: ApiToken, per_day: dict[int, int], now: dt.datetime) -> None:
    ApiCall.objects.bulk_create(
        ApiCall(
            token=token,
            at=now - dt.timedelta(days=days_ago, minutes=n),
            method="GET",
            endpoint="token",
            path="/api/v1/token",
            params={"page": str(n)},
            status=200 if n % 5 else 404,
            rows=1 if n % 5 else 0,
        )
        for days_ago, count in per_day.items()
        for n in range(count)
    )


def test_the_use_page_counts_calls_per_jakarta_day_for_30_days(admin_client, cast):
    with time_machine.travel(TODAY, tick=False):
        token, _ = factories.token(cast.admin)
        _calls(token, {0: 3, 1: 10, 29: 2, 30: 7}, timezone.now())
        response = admin_client.get(reverse("mitra:token-detail", args=[token.pk]))
    daily = response.context["daily"]
    assert len(daily) == 30 and daily[0].day == dt.date(2026, 7, 15) and daily[-1].day == dt.date(2026, 6, 16)
    assert [d.calls for d in daily if d.calls] == [3, 10, 2]  # 30 days ago is out of the window
    assert daily[1].errors == 2 and daily[1].rows == 8
    assert response.context["calls"].paginator.count == 22


def test_the_lists_stay_within_a_flat_query_budget(admin_client, cast, django_assert_max_num_queries):
    organisation = factories.organisation(members=[cast.kl])
    tokens = [factories.token(cast.admin, org=organisation, name=f"T{i}", divisions=("10", "11"), region="32")[0] for i in range(25)]
    for i in range(30):
        factories.organisation(name=f"Mitra {i:02d}", acronym=f"M{i}", members=[cast.kl])
    _calls(tokens[0], dict.fromkeys(range(40), 12), timezone.now())
    with django_assert_max_num_queries(6):  # 4 measured: session, user, OTP device, the annotated list
        assert admin_client.get(reverse("mitra:organisation-list")).status_code == 200
    with django_assert_max_num_queries(9):  # 7 measured
        assert admin_client.get(reverse("mitra:organisation-detail", args=[organisation.pk])).status_code == 200
    with django_assert_max_num_queries(10):  # 8 measured
        page = admin_client.get(reverse("mitra:token-detail", args=[tokens[0].pk]), {"page": 2})
    assert page.status_code == 200 and len(page.context["calls"].object_list) == 50
