"""The accounts demo: deterministic, officers can pass two-factor with the documented secret or a
printed recovery code, and UPP finds registrations waiting."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from accounts.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_KEY,
    DEMO_TOTP_SECRET_B32,
    DemoCast,
    demo_recovery_codes,
    seed,
)
from accounts.models import AccountCertificate, Registration, User

pytestmark = pytest.mark.django_db


def test_the_demo_is_deterministic_and_lists_two_factor_for_officers(reference_data):
    first, second = DemoCast(), DemoCast()
    seed(first)
    seed(second)
    assert first.logins == second.logins
    notes = {username: note for username, _, note in second.logins}
    assert DEMO_TOTP_SECRET_B32 in notes["upp"] and demo_recovery_codes("upp")[0] in notes["upp"]
    assert Registration.objects.filter(status=Registration.Status.PENDING).count() == 2
    assert AccountCertificate.objects.filter(status=AccountCertificate.Status.CURRENT).count() == 1


def test_a_demo_officer_logs_in_with_the_documented_totp_secret(reference_data, client):
    seed(DemoCast())
    client.post(reverse("accounts:login"), {"username": "upp", "password": DEMO_PASSWORD})
    code = TOTP(DEMO_TOTP_KEY, 30, 0, 6, 0)
    code.time = time.time()
    response = client.post(reverse("accounts:otp-verify"), {"token": f"{code.token():06d}"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:registration-queue")).status_code == 200


def test_a_demo_officer_logs_in_with_a_printed_recovery_code(reference_data, client):
    seed(DemoCast())
    client.post(reverse("accounts:login"), {"username": "admin", "password": DEMO_PASSWORD})
    client.post(reverse("accounts:otp-verify"), {"token": demo_recovery_codes("admin")[0]})
    assert client.get(reverse("accounts:certificate-admin")).status_code == 200
    assert User.objects.get(username="indopangan").check_password(DEMO_PASSWORD)


def test_demo_totp_prints_the_code_that_signs_a_demo_officer_in(reference_data, client):
    """Issue 19: a newcomer needs no authenticator app; the login table names the command."""
    from io import StringIO

    from django.core.management import call_command

    cast = DemoCast()
    seed(cast)
    assert "manage.py demo_totp upp" in {u: n for u, _, n in cast.logins}["upp"]
    out = StringIO()
    call_command("demo_totp", "upp", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    client.post(reverse("accounts:login"), {"username": "upp", "password": DEMO_PASSWORD})
    assert client.post(reverse("accounts:otp-verify"), {"token": code}).status_code == 302
    assert client.get(reverse("accounts:registration-queue")).status_code == 200


def test_demo_totp_refuses_a_user_without_a_demo_authenticator_and_production(reference_data, settings):
    from django.core.management import CommandError, call_command

    seed(DemoCast())
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_totp", "indopangan")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refused"):
        call_command("demo_totp", "upp")
