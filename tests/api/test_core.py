"""The API's common behaviour (api/): tokens, errors, rate limits, ETag, caching and the call log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiCall, ApiToken
from siinas.core.models import AuditEvent
from tests.api import factories
from tests.api.factories import bearer

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/token"


def test_only_the_hash_of_the_secret_is_stored(cast):
    token, secret = factories.token(cast.admin)
    assert secret.startswith(f"siinas_{token.prefix}_")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret.split("_", 2)[2] in str(value) for value in stored.values())


def test_only_an_admin_issues_tokens(cast):
    with pytest.raises(PermissionDenied):
        factories.token(cast.kl)


def test_a_token_cannot_expire_in_the_past_or_beyond_two_years(cast):
    org = factories.organisation()
    for days in (0, 731):
        with pytest.raises(ValidationError) as caught:
            services.token_issue(
                actor=cast.admin, organisation=org, name="x", datasets=["registry"],
                expires_on=timezone.localdate() + dt.timedelta(days=days),
            )
        assert "expires_on" in caught.value.message_dict


def test_a_valid_token_reads_its_own_scope(cast, client):
    token, secret = factories.token(cast.admin, datasets=["registry"], region="32", divisions=("10",))
    response = client.get(TOKEN_URL, **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["datasets"] == ["registry"]
    assert body["region"] == "32"
    assert body["kbli_divisions"] == ["10"]
    assert body["organisation"] == token.organisation.name


@pytest.mark.parametrize(
    "header, code",
    [
        ("", "token_missing"),
        ("Bearer bukan-token", "token_malformed"),
        ("Bearer siinas_000000000000_rahasia", "token_unknown"),
    ],
)
def test_a_bad_token_is_401_with_a_message_in_indonesian(cast, client, header, code):
    response = client.get(TOKEN_URL, **({"HTTP_AUTHORIZATION": header} if header else {}))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"].startswith("Token")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_right_prefix_with_a_wrong_secret_is_unknown(cast, client):
    token, _secret = factories.token(cast.admin)
    response = client.get(TOKEN_URL, **bearer(f"siinas_{token.prefix}_tebakan"))
    assert response.json()["error"]["code"] == "token_unknown"
    assert not ApiCall.objects.exists()  # an unproven token is not charged with the call


def test_a_revoked_token_stops_working_at_once_and_its_attempt_is_logged(cast, client):
    token, secret = factories.token(cast.admin)
    assert client.get(TOKEN_URL, **bearer(secret)).status_code == 200
    services.token_revoke(actor=cast.admin, token=token, reason="Kebocoran")
    response = client.get(TOKEN_URL, **bearer(secret))
    assert response.json()["error"]["code"] == "token_revoked"
    assert list(ApiCall.objects.filter(token=token).values_list("status", flat=True).order_by("id")) == [200, 401]


def test_rotation_gives_a_new_secret_with_the_same_scope_and_revokes_the_old(cast, client):
    old, old_secret = factories.token(cast.admin, datasets=["compliance"], region="32.16", divisions=("10", "11"))
    new, new_secret = services.token_rotate(actor=cast.admin, token=old)
    old.refresh_from_db()
    assert old.is_revoked and new.replaces == old
    assert new.datasets == ["compliance"] and new.region_id == "32.16"
    assert sorted(new.kbli_divisions.values_list("code", flat=True)) == ["10", "11"]
    assert client.get(TOKEN_URL, **bearer(old_secret)).status_code == 401
    assert client.get(TOKEN_URL, **bearer(new_secret)).status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"api.token_issue", "api.token_revoke"} <= actions


def test_each_token_has_its_own_rate_limit_with_retry_after(cast, client):
    _token, slow = factories.token(cast.admin, rate_per_minute=2, name="lambat")
    _other, fast = factories.token(cast.admin, rate_per_minute=100, name="cepat")
    statuses = [client.get(TOKEN_URL, **bearer(slow)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.get(TOKEN_URL, **bearer(slow))
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert client.get(TOKEN_URL, **bearer(fast)).status_code == 200


def test_public_calls_are_limited_per_address(client, settings):
    settings.API_PUBLIC_RATE_PER_MINUTE = 2
    # Find a public list endpoint in the OpenAPI document (no security requirement, no path parameter).
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    public = [p for p, ops in paths.items() if "get" in ops and not ops["get"].get("security") and "{" not in p]
    if not public:
        pytest.skip("no public list endpoint mounted yet")
    responses = [client.get(public[0]) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429], public[0]
    assert 1 <= int(responses[-1]["Retry-After"]) <= 60
    assert responses[-1].json()["error"]["code"] == "rate_limited"


def test_a_cache_outage_does_not_block_the_api(cast, client, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "incr", down)
    _token, secret = factories.token(cast.admin, rate_per_minute=1)
    assert [client.get(TOKEN_URL, **bearer(secret)).status_code for _ in range(3)] == [200, 200, 200]


def test_an_unchanged_answer_is_304_with_its_etag(cast, client):
    _token, secret = factories.token(cast.admin)
    first = client.get(TOKEN_URL, **bearer(secret))
    etag = first["ETag"]
    again = client.get(TOKEN_URL, HTTP_IF_NONE_MATCH=etag, **bearer(secret))
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    other = client.get(TOKEN_URL, HTTP_IF_NONE_MATCH='"lain"', **bearer(secret))
    assert other.status_code == 200


def test_token_answers_are_never_kept_by_a_shared_cache(cast, client):
    _token, secret = factories.token(cast.admin)
    assert client.get(TOKEN_URL, **bearer(secret))["Cache-Control"] == "private, no-store"


def test_every_call_with_a_token_is_logged_with_endpoint_parameters_and_rows(cast, client):
    token, secret = factories.token(cast.admin)
    client.get(TOKEN_URL, {"x": "1"}, **bearer(secret))
    call = ApiCall.objects.get(token=token)
    assert (call.method, call.endpoint, call.path, call.params, call.status, call.rows) == (
        "GET", "token", TOKEN_URL, {"x": "1"}, 200, 1
    )
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_unknown_address_under_the_api_is_a_json_404(client):
    response = client.get("/api/v1/tidak-ada/sama-sekali")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "code": "not_found", "message": "Data tidak ditemukan."}}


def test_the_root_names_the_openapi_document_and_the_docs(client):
    body = client.get("/api/v1/").json()
    assert body["openapi"].endswith("/api/v1/openapi.json")
    assert body["docs"].endswith("/api/v1/docs")


def test_the_interactive_docs_load_their_assets_locally(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "//cdn" not in html and "https://" not in html


def test_call_logs_past_their_retention_are_pruned_nightly(cast, client):
    from api.tasks import prune_calls

    token, secret = factories.token(cast.admin)
    client.get(TOKEN_URL, **bearer(secret))
    client.get(TOKEN_URL, {"n": "2"}, **bearer(secret))
    old = ApiCall.objects.order_by("id").first()
    ApiCall.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=services.CALL_LOG_DAYS + 1))
    assert prune_calls() == 1
    assert list(ApiCall.objects.values_list("params", flat=True)) == [{"n": "2"}]
