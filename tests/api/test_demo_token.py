"""Issue 15 §7: the demo partner organisation and token (api/demo.py) that `make run` prints."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DemoCast
from api import demo
from api.models import ApiToken
from api.services import token_revoke
from tests.api import factories
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _seed(cast) -> DemoCast:
    demo_cast = DemoCast(users={"admin": cast.admin, "mitra_kl": cast.kl})
    demo.seed(demo_cast)
    return demo_cast


def test_the_printed_demo_token_reads_the_api_nationally_with_every_dataset(client, cast):
    demo_cast = _seed(cast)
    assert any(demo.DEMO_TOKEN in note for _, _, note in demo_cast.logins)
    body = client.get(reverse("api:token"), **factories.bearer(demo.DEMO_TOKEN)).json()
    assert body["organisation"] == demo.ORGANISATION["name"]
    assert body["region"] is None and body["kbli_divisions"] == [] and body["datasets"] == ["compliance", "registry", "reports"]
    assert body["expires_on"] == (timezone.localdate() + demo.DEMO_VALIDITY).isoformat()


def test_the_mitra_kl_demo_user_sees_the_demo_token_and_its_use(client, cast):
    _seed(cast)
    client.get(reverse("api:token"), **factories.bearer(demo.DEMO_TOKEN))
    token = ApiToken.objects.get(prefix=demo.tokens.DEMO_PREFIX)
    login(client, cast.kl)
    page = client.get(reverse("mitra:token-detail", args=[token.pk]))
    assert page.status_code == 200 and "/api/v1/token" in page.content.decode()


def test_loading_the_demo_again_keeps_one_demo_token_and_makes_it_usable_again(client, cast):
    _seed(cast)
    token_revoke(actor=cast.admin, token=ApiToken.objects.get(prefix=demo.tokens.DEMO_PREFIX), reason="uji")
    _seed(cast)
    assert ApiToken.objects.filter(prefix=demo.tokens.DEMO_PREFIX).count() == 1
    assert client.get(reverse("api:token"), **factories.bearer(demo.DEMO_TOKEN)).status_code == 200


def test_the_demo_token_is_refused_under_production_settings(client, cast, settings):
    _seed(cast)
    settings.PRODUCTION = True
    response = client.get(reverse("api:token"), **factories.bearer(demo.DEMO_TOKEN))
    assert response.status_code == 401 and response.json()["error"]["code"] == "token_unknown"
