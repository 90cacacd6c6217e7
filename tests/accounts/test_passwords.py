"""Password rules: complexity, 6-month expiry, forced change of one-time passwords, reminders 14 and
3 days ahead (idempotent), change ends other sessions, forgot password with username + NIB."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import validators
from accounts.models import PasswordReminder, Role
from accounts.services import password_reminders_send, password_reset_request
from accounts.tasks import password_expiry_reminders
from accounts.views.auth import RATE_LIMITED, RESET_SENT
from siinas.core.models import AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory, company_user
from tests.helpers import committed, login

pytestmark = pytest.mark.django_db
NEW = "Baru#Sekali2027"


@pytest.fixture
def six_months(settings):
    settings.PASSWORD_MAX_AGE_DAYS = 182


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Tanpaangka#", validators.PASSWORD_NEEDS_DIGIT),
        ("tanpakapital#1", validators.PASSWORD_NEEDS_CAPITAL),
        ("TanpaSimbol12", validators.PASSWORD_NEEDS_SYMBOL),
    ],
)
def test_a_password_needs_a_digit_a_capital_and_a_symbol(password, message):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert message in exc.value.messages


def test_a_password_needs_8_characters_and_is_not_a_common_one():
    with pytest.raises(ValidationError):
        validate_password("Ab#1xyz")
    with pytest.raises(ValidationError):
        validate_password("Password1!")  # in Django's common-password list (case-insensitive)
    validate_password("Kemenperin#2026x")


def test_the_default_expiry_is_six_months():
    from siinas import settings as project_settings

    assert project_settings.PASSWORD_MAX_AGE_DAYS == 182
    assert project_settings.PASSWORD_REMINDER_DAYS == (14, 3)


def test_an_expired_password_must_be_changed_at_the_next_login(cast, client, six_months):
    cast.company_a.password_changed_at = timezone.now() - dt.timedelta(days=183)
    cast.company_a.save()
    login(client, cast.company_a)
    response = client.get(reverse("reporting:dashboard") if _has("reporting:dashboard") else reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:password-change"))
    page = client.get(response["Location"])
    assert page.context["reason"] == "expired"
    client.post(reverse("accounts:password-change"), {"old_password": TEST_PASSWORD, "new_password1": NEW, "new_password2": NEW})
    cast.company_a.refresh_from_db()
    assert not cast.company_a.password_expired()
    assert cast.company_a.password_expires_at.date() == (timezone.now() + dt.timedelta(days=182)).date()
    assert client.get(reverse("core:dashboard")).status_code == 200


def _has(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_a_password_a_day_short_of_six_months_still_works(cast, client, six_months):
    cast.company_a.password_changed_at = timezone.now() - dt.timedelta(days=181)
    cast.company_a.save()
    login(client, cast.company_a)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_an_officer_passes_two_factor_before_the_password_change(cast, client, six_months):
    cast.verifier.password_changed_at = timezone.now() - dt.timedelta(days=200)
    cast.verifier.save()
    client.force_login(cast.verifier)
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:otp-verify"))
    assert client.get(reverse("accounts:password-change"))["Location"].startswith(reverse("accounts:otp-verify"))


def test_the_change_form_refuses_a_weak_or_unchanged_password(cast, client):
    login(client, cast.company_a)
    weak = client.post(reverse("accounts:password-change"), {"old_password": TEST_PASSWORD, "new_password1": "lemah", "new_password2": "lemah"})
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    same = client.post(
        reverse("accounts:password-change"), {"old_password": TEST_PASSWORD, "new_password1": TEST_PASSWORD, "new_password2": TEST_PASSWORD}
    )
    assert same.context["form"].errors["new_password1"]


def test_changing_the_password_ends_the_other_sessions_and_is_audited(cast, client):
    other_device = login(client.__class__(), cast.company_a)
    login(client, cast.company_a)
    response = client.post(reverse("accounts:password-change"), {"old_password": TEST_PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200, "this session stays"
    bounced = other_device.get(reverse("core:dashboard"))
    assert bounced.status_code == 302 and bounced["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(action="accounts.password.changed", actor=cast.company_a).exists()


def _user_expiring_in(days: int, username: str):
    return UserFactory(username=username, role=Role.VERIFIER, password_changed_at=timezone.now() - dt.timedelta(days=182 - days))


def test_reminders_go_out_14_and_3_days_before_expiry_once_each(reference_data, six_months):
    user = _user_expiring_in(14, "akan_kedaluwarsa")
    _user_expiring_in(20, "masih_lama")
    with committed():
        assert password_reminders_send() == 1
    assert mail.outbox[-1].to == [user.email] and "14" in mail.outbox[-1].subject
    assert password_reminders_send() == 0, "a second run the same day sends nothing"
    with time_machine.travel(timezone.now() + dt.timedelta(days=5), tick=False):
        assert password_reminders_send() == 0, "between thresholds nothing is sent"
    with time_machine.travel(timezone.now() + dt.timedelta(days=11), tick=False), committed():
        # the 3-day one for this user, and the 14-day one for the user who had 20 days left
        assert password_expiry_reminders.delay().get() == 2
        assert password_reminders_send() == 0
    last = [m for m in mail.outbox if m.to == [user.email]][-1]
    assert " 3 " in last.subject
    assert sorted(PasswordReminder.objects.filter(user=user).values_list("days_before", flat=True)) == [3, 14]
    assert len([m for m in mail.outbox if m.to == [user.email]]) == 2


def test_a_missed_run_is_caught_up_with_the_nearest_threshold(reference_data, six_months):
    user = _user_expiring_in(2, "telat_diingatkan")
    assert password_reminders_send() == 1
    assert PasswordReminder.objects.get(user=user).days_before == 3


def test_a_new_password_starts_a_new_reminder_cycle(reference_data, six_months):
    user = _user_expiring_in(3, "ganti_lalu_lagi")
    password_reminders_send()
    user.password_changed_at = timezone.now() - dt.timedelta(days=182 - 3) + dt.timedelta(days=1)
    user.save()
    assert password_reminders_send() == 1, "another expiry date is another reminder"


def test_forgot_password_with_username_and_nib_emails_a_link_that_sets_a_new_password(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password-forgot"),
            {"username": "indopangan", "nib": cast.factory_a.company.nib, "captcha_0": "x", "captcha_1": "PASSED"},
            follow=True,
        )
    assert RESET_SENT in response.content.decode()
    link = re.search(r"http://\S+/akun/reset/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("8000", 1)[1]
    page = client.get(path, follow=True)
    assert page.context["validlink"]
    done = client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    cast.company_a.refresh_from_db()
    assert cast.company_a.check_password(NEW) and not cast.company_a.must_change_password
    assert AuditEvent.objects.filter(action="accounts.password.changed", extra__reason="reset").exists()
    # The link works once.
    assert not client.get(path, follow=True).context["validlink"]


@pytest.mark.parametrize(("username", "nib"), [("indopangan", "9999999999999"), ("tidakada", "0233010001824"), ("verifikator", "0233010001824")])
def test_forgot_password_answers_the_same_when_nothing_matches(cast, client, username, nib, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password-forgot"), {"username": username, "nib": nib, "captcha_0": "x", "captcha_1": "PASSED"}, follow=True
        )
    assert RESET_SENT in response.content.decode()
    assert not mail.outbox
    assert AuditEvent.objects.filter(action="accounts.password.reset_requested", extra__matched=False).exists()


def test_forgot_password_needs_the_captcha_and_is_rate_limited(cast, client, settings):
    response = client.post(reverse("accounts:password-forgot"), {"username": "indopangan", "nib": "0233010001824", "captcha_0": "x", "captcha_1": "no"})
    assert response.context["form"].errors["captcha"]
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "siinas_password_forgot": "100/h/ip,2/h/key"}
    data = {"username": "indopangan", "nib": "0233010001824", "captcha_0": "x", "captcha_1": "PASSED"}
    for _ in range(2):
        assert client.post(reverse("accounts:password-forgot"), data).status_code == 302
    limited = client.post(reverse("accounts:password-forgot"), data)
    assert limited.status_code == 429 and RATE_LIMITED in limited.content.decode()


def test_password_reset_request_matches_only_the_company_of_that_nib(cast):
    other = company_user(cast.factory_b, "logam_kedua")
    assert password_reset_request(username="logam_kedua", nib=cast.factory_a.company.nib) is False
    assert password_reset_request(username=other.username, nib=cast.factory_b.company.nib) is True


def test_a_reset_through_the_emailed_link_lifts_the_lockout(cast, client, django_capture_on_commit_callbacks):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "indopangan", "password": "salah", "captcha_0": "x", "captcha_1": "PASSED"})
    locked = client.post(reverse("accounts:login"), {"username": "indopangan", "password": TEST_PASSWORD, "captcha_0": "x", "captcha_1": "PASSED"})
    assert locked.status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(username="indopangan", nib=cast.factory_a.company.nib)
    path = re.search(r"/akun/reset/\S+/", mail.outbox[-1].body).group(0)
    page = client.get(path, follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    fresh = client.__class__()
    signed_in = fresh.post(reverse("accounts:login"), {"username": "indopangan", "password": NEW, "captcha_0": "x", "captcha_1": "PASSED"})
    assert signed_in.status_code == 302
