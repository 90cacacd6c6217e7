"""The gate after sign-in: what stays reachable before two-factor and a forced password change."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.middleware import EXEMPT_URL_NAMES
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_the_gate_runs_after_authentication_and_otp_and_before_axes():
    order = settings.MIDDLEWARE
    gate = order.index("accounts.middleware.AccountGateMiddleware")
    assert order.index("django_otp.middleware.OTPMiddleware") < gate < order.index("axes.middleware.AxesMiddleware")


def test_public_pages_and_logout_stay_reachable_with_a_one_time_password(cast, client):
    cast.company_a.must_change_password = True
    cast.company_a.save()
    login(client, cast.company_a)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("core:health")).status_code in (200, 503)
    assert client.get(reverse("accounts:password-change")).status_code == 200
    assert client.get(reverse("accounts:profile"))["Location"].startswith(reverse("accounts:password-change"))
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_is_told_to_redirect_instead_of_swapping_the_gate_page_in(cast, client):
    cast.company_a.must_change_password = True
    cast.company_a.save()
    login(client, cast.company_a)
    response = client.get(reverse("accounts:profile"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("accounts:password-change"))


def test_the_redirect_keeps_where_the_user_was_going(cast, client):
    client.force_login(cast.upp)
    response = client.get(reverse("accounts:registration-queue"))
    assert response["Location"] == reverse("accounts:otp-verify") + "?next=%2Fakun%2Fvalidasi%2F"


def test_every_exempt_name_is_a_real_route():
    for name in EXEMPT_URL_NAMES:
        reverse(name, kwargs={"token": "x"} if name == "accounts:certificate-check" else (
            {"uidb64": "x", "token": "y"} if name == "accounts:password-reset-confirm" else None))
