"""Per-token rate limit (issue 15 §1, §4): the admin-set limit per minute, then 429 with Retry-After."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from api.models import ApiCall
from tests.api import factories

pytestmark = pytest.mark.django_db


def test_a_token_past_its_limit_gets_429_with_retry_after_and_the_refusal_is_logged(client, cast):
    token, secret = factories.token(cast.admin, rate_per_minute=2)
    other, other_secret = factories.token(cast.admin, name="Lain", rate_per_minute=2)
    with time_machine.travel("2026-07-15 10:00:10 +0700", tick=False):
        statuses = [client.get(reverse("api:token"), **factories.bearer(secret)).status_code for _ in range(2)]
        refused = client.get(reverse("api:token"), **factories.bearer(secret))
        assert client.get(reverse("api:token"), **factories.bearer(other_secret)).status_code == 200  # its own count
    assert statuses == [200, 200]
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert refused["Retry-After"] == "50" and "no-store" in refused["Cache-Control"]
    assert list(ApiCall.objects.filter(token=token).order_by("at", "id").values_list("status", flat=True)) == [200, 200, 429]
    with time_machine.travel("2026-07-15 10:01:01 +0700", tick=False):
        assert client.get(reverse("api:token"), **factories.bearer(secret)).status_code == 200  # the next minute
