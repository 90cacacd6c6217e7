"""Login: username + password, captcha after a failure, lockout of a username from an address with a
cool-off (django-axes), audit, session rotation. The lockout's design, the client address behind the
proxy and the Django admin's sign-in: test_lockout.py."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import forms as account_forms
from siinas.core.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _post(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=extra.pop("ip", "10.0.0.1"))


def test_a_company_user_logs_in_with_username_and_password(cast, client):
    response = _post(client, "indopangan", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.login.succeeded", actor=cast.company_a).exists()


def test_a_failed_login_is_audited_and_then_the_form_asks_for_a_captcha(cast, client):
    assert "captcha" not in client.get(LOGIN).context["form"].fields
    response = _post(client, "indopangan", "salah")
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == ["Username atau password salah."]
    assert "captcha" in response.context["form"].fields, "the re-rendered form carries a captcha"
    assert AuditEvent.objects.filter(action="accounts.login.failed", extra__username="indopangan").exists()
    # Next attempt without the captcha is refused even with the right password.
    response = _post(client, "indopangan", TEST_PASSWORD)
    assert response.status_code == 200 and response.context["form"].errors["captcha"]
    # With the captcha answered it goes through.
    response = _post(client, "indopangan", TEST_PASSWORD, captcha_0="x", captcha_1="PASSED")
    assert response.status_code == 302


def test_a_wrong_captcha_does_not_even_try_the_password(cast, client):
    _post(client, "indopangan", "salah")
    failures = AuditEvent.objects.filter(action="accounts.login.failed").count()
    response = _post(client, "indopangan", TEST_PASSWORD, captcha_0="x", captcha_1="bukan")
    assert response.context["form"].errors["captcha"] == [account_forms.CAPTCHA_INVALID]
    assert AuditEvent.objects.filter(action="accounts.login.failed").count() == failures
    assert "_auth_user_id" not in client.session


def test_the_captcha_is_asked_from_the_same_address_for_another_username(cast, client):
    _post(client, "indopangan", "salah", ip="10.9.9.9")
    response = client.post(LOGIN, {"username": "logamsby", "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200 and "captcha" in response.context["form"].errors


def _fail(client, username, times, ip):
    for _ in range(times):
        client.post(
            LOGIN, {"username": username, "password": "salah", "captcha_0": "x", "captcha_1": "PASSED"}, REMOTE_ADDR=ip
        )


def test_an_account_is_locked_after_five_failures_with_a_cool_off(cast, client):
    assert settings.AXES_FAILURE_LIMIT == 5
    _fail(client, "indopangan", 5, "10.1.1.1")
    # The right password from that address is now refused.
    response = client.post(
        LOGIN, {"username": "indopangan", "password": TEST_PASSWORD, "captcha_0": "x", "captcha_1": "PASSED"}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429
    assert "Terlalu banyak percobaan login" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.login.locked_out", extra__username="indopangan").exists()
    # After the cool-off the account can sign in again.
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1), tick=False):
        response = client.post(
            LOGIN, {"username": "indopangan", "password": TEST_PASSWORD, "captcha_0": "x", "captcha_1": "PASSED"}, REMOTE_ADDR="10.1.1.1"
        )
    assert response.status_code == 302


def test_the_session_rotates_at_login_and_dies_at_logout(cast, client):
    client.get(LOGIN)
    client.session["marker"] = 1
    before = client.cookies[settings.SESSION_COOKIE_NAME].value if settings.SESSION_COOKIE_NAME in client.cookies else None
    _post(client, "indopangan", TEST_PASSWORD)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="accounts.logout", actor=cast.company_a).exists()


def test_an_inactive_account_cannot_log_in(cast, client):
    cast.company_b.is_active = False
    cast.company_b.save()
    response = _post(client, "logamsby", TEST_PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
