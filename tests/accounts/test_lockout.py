"""Issue 13 §1–2: the lockout locks a username from one address (plus a higher limit per address), sees
the real client behind the trusted proxy, cannot be escaped by a forged X-Forwarded-For entry, covers the
Django admin (which signs in through the SIINas login) and says its cool-off in words."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from siinas.core.models import AuditEvent
from tests.factories import TEST_PASSWORD
from tests.helpers import login

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PROXY = "10.0.0.254"  # the TLS proxy: REMOTE_ADDR of every request that comes through it
PASSED = {"captcha_0": "x", "captcha_1": "PASSED"}


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def _via_proxy(client, username, password, address, *, spoof=None, captcha=True):
    """A login POST through the proxy: it appends ``address`` to whatever the client sent."""
    forwarded = f"{spoof}, {address}" if spoof else address
    data = {"username": username, "password": password, **(PASSED if captcha else {})}
    return client.post(LOGIN, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _direct(client, username, password, address, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **PASSED}, REMOTE_ADDR=address, **extra)


def _text(response) -> str:
    return " ".join(response.content.decode().replace("\xa0", " ").split())


# --- §1 The client behind the proxy ---------------------------------------------------------------


def test_behind_the_proxy_one_clients_failures_lock_neither_another_client_nor_another_user(cast, client, behind_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "indopangan", "salah", "203.0.113.7")
    assert _via_proxy(client, "indopangan", TEST_PASSWORD, "203.0.113.7").status_code == 429
    # Everybody shares the proxy's REMOTE_ADDR, yet another client signs in, as another user or as the same one.
    assert _via_proxy(client.__class__(), "logamsby", TEST_PASSWORD, "198.51.100.20").status_code == 302
    assert _via_proxy(client.__class__(), "indopangan", TEST_PASSWORD, "198.51.100.21").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_a_forged_leftmost_forwarded_entry_does_not_escape_the_lockout(cast, client, behind_proxy):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "indopangan", "salah", "203.0.113.7", spoof=f"192.0.2.{n}")
    response = _via_proxy(client, "indopangan", TEST_PASSWORD, "203.0.113.7", spoof="192.0.2.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.login.locked_out", extra__ip="203.0.113.7").exists()


def test_a_forged_forwarded_header_is_ignored_when_no_proxy_is_trusted(cast, client):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        _direct(client, "indopangan", "salah", "10.20.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert _direct(client, "indopangan", TEST_PASSWORD, "10.20.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.20.0.1"}


def test_behind_the_proxy_the_captcha_follows_the_client_not_the_proxy(cast, client, behind_proxy):
    _via_proxy(client, "indopangan", "salah", "203.0.113.7", captcha=False)
    # Another client, another username: no captcha, straight in.
    assert _via_proxy(client.__class__(), "logamsby", TEST_PASSWORD, "198.51.100.20", captcha=False).status_code == 302
    # The failing client, with a new forged entry and another username: still asked for the captcha.
    response = _via_proxy(client.__class__(), "logamsby", TEST_PASSWORD, "203.0.113.7", spoof="192.0.2.1", captcha=False)
    assert response.status_code == 200 and "captcha" in response.context["form"].errors


def test_behind_the_proxy_the_forgot_password_limit_counts_per_client(cast, client, behind_proxy, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "siinas_password_forgot": "2/h/ip"}
    url = reverse("accounts:password-forgot")

    def ask(address: str, username: str):
        data = {"username": username, "nib": "1234567890123", **PASSED}
        return client.__class__().post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {address}")

    assert [ask("203.0.113.7", f"user{n}").status_code for n in range(3)] == [302, 302, 429]
    assert ask("198.51.100.20", "user9").status_code == 302


# --- §2 Lockout by username and address together -------------------------------------------------


def test_a_user_at_the_same_address_is_not_locked_out_by_anothers_failures(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _direct(client, "indopangan", "salah", "10.30.0.1")
    assert _direct(client, "indopangan", TEST_PASSWORD, "10.30.0.1").status_code == 429
    # A colleague behind the same office address signs in.
    assert _direct(client.__class__(), "logamsby", TEST_PASSWORD, "10.30.0.1").status_code == 302


def test_nobody_can_lock_an_account_from_another_address(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _direct(client, "indopangan", "salah", "10.40.0.1")
    assert _direct(client.__class__(), "indopangan", TEST_PASSWORD, "10.40.0.2").status_code == 302


def test_an_address_trying_many_usernames_is_locked_at_the_higher_address_limit(cast, client):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        _direct(client, f"tebakan{n}", "salah", "10.50.0.1")
    # One below the limit: the address may still sign in (its own account, with the captcha).
    assert _direct(client.__class__(), "logamsby", TEST_PASSWORD, "10.50.0.1").status_code == 302
    _direct(client, "tebakan-terakhir", "salah", "10.50.0.1")
    response = _direct(client.__class__(), "indopangan", TEST_PASSWORD, "10.50.0.1")
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="accounts.login.locked_out", extra__ip="10.50.0.1").exists()
    # The same account from elsewhere is not affected.
    assert _direct(client.__class__(), "indopangan", TEST_PASSWORD, "10.50.0.2").status_code == 302


def test_the_lockout_page_says_the_cool_off_in_words(cast, client):
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _direct(client, "indopangan", "salah", "10.60.0.1")
    response = _direct(client, "indopangan", TEST_PASSWORD, "10.60.0.1")
    assert response.status_code == 429
    text = _text(response)
    assert "Terlalu banyak percobaan login" in text
    assert "Masa tunggu: 30 menit" in text
    assert "PT30M" not in text


# --- §2 The Django admin signs in through the SIINas login ------------------------------------------


def test_the_admin_login_page_sends_to_the_siinas_login_and_takes_no_password(cast, client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote('/admin/accounts/user/', safe='')}"
    # Posting a password to it does nothing: no sign-in, no failure counted against anybody.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "admin", "password": "salah"}, REMOTE_ADDR="10.70.0.1")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not AccessAttempt.objects.exists()
    assert "_auth_user_id" not in client.session


def test_an_admin_reaches_the_django_admin_through_captcha_lockout_and_totp(cast, client):
    start = client.get("/admin/", follow=True)
    assert start.redirect_chain[-1][0] == f"{LOGIN}?next={quote('/admin/', safe='')}"
    wrong = client.post(LOGIN, {"username": "admin", "password": "salah", "next": "/admin/"})
    assert wrong.status_code == 200 and "captcha" in wrong.context["form"].fields
    no_captcha = client.post(LOGIN, {"username": "admin", "password": TEST_PASSWORD, "next": "/admin/"})
    assert no_captcha.status_code == 200 and "captcha" in no_captcha.context["form"].errors
    signed_in = client.post(LOGIN, {"username": "admin", "password": TEST_PASSWORD, "next": "/admin/", **PASSED})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    # The password alone does not open the admin: the TOTP step comes first.
    gate = client.get("/admin/")
    assert gate.status_code == 302 and gate["Location"].startswith(reverse("accounts:otp-verify"))
    device = TOTPDevice.objects.get(user=cast.admin)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    verified = client.post(reverse("accounts:otp-verify"), {"token": f"{totp.token():06d}", "next": "/admin/"})
    assert verified.status_code == 302 and verified["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_page_refuses_a_signed_in_user_without_admin_access(cast, client):
    login(client, cast.verifier)
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    login(client, cast.admin)
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302 and response["Location"] == "/admin/accounts/user/"
    response = client.get("/admin/login/?next=https://contoh.example/")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
