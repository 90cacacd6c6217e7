"""TOTP two-factor: mandatory for officers and admin, optional for companies, recovery codes."""

from __future__ import annotations

import base64
import io
import time

import pytest
import zxingcpp
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from accounts import forms as account_forms
from accounts.models import Role
from siinas.core.models import AuditEvent
from tests.factories import TEST_PASSWORD, officer

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def _password_step(client, username: str):
    response = client.post(reverse("accounts:login"), {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("role", [Role.UPP, Role.VERIFIER, Role.VALIDATOR, Role.KL, Role.ADMIN])
def test_an_officer_without_a_device_is_sent_to_enrolment(reference_data, client, role):
    officer(f"baru_{role}", role)
    _password_step(client, f"baru_{role}")
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp-setup"))


def test_an_officer_with_a_device_must_enter_the_code(cast, client):
    device = TOTPDevice.objects.get(user=cast.verifier)
    _password_step(client, "verifikator")
    response = client.get(reverse("core:dashboard"))
    assert response["Location"].startswith(reverse("accounts:otp-verify"))
    # Every other page too, the Django admin included.
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:otp-verify"))
    wrong = client.post(reverse("accounts:otp-verify"), {"token": "000000"})
    assert wrong.context["form"].errors["token"] == [account_forms.OTP_INVALID]
    assert AuditEvent.objects.filter(action="accounts.2fa.failed", actor=cast.verifier).exists()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("accounts:otp-verify"), {"token": _code(device), "next": reverse("core:dashboard")})
    assert response.status_code == 302 and response["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_enrolment_page_cannot_be_used_to_skip_the_code_step(cast, client):
    _password_step(client, "verifikator")
    response = client.get(reverse("accounts:otp-setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp-verify"))
    assert TOTPDevice.objects.filter(user=cast.verifier).count() == 1


def test_enrolment_shows_a_local_qr_confirms_with_a_code_and_gives_recovery_codes(reference_data, client):
    user = officer("petugas_baru", Role.UPP)
    _password_step(client, "petugas_baru")
    page = client.get(reverse("accounts:otp-setup"))
    assert page.context["qr"].startswith("data:image/png;base64,")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(page.context["qr"].split(",", 1)[1]))).convert("L"))
    assert decoded.text == device.config_url and decoded.text.startswith("otpauth://totp/") and "petugas_baru" in decoded.text
    bad = client.post(reverse("accounts:otp-setup"), {"token": "123456"})
    assert bad.context["form"].errors["token"] == [account_forms.OTP_INVALID]
    device.refresh_from_db()
    device.throttle_reset()  # django-otp backs off after a wrong code; the next try is a second later
    response = client.post(reverse("accounts:otp-setup"), {"token": _code(device)})
    assert response["Location"].startswith(reverse("accounts:otp-recovery-codes"))
    device.refresh_from_db()
    assert device.confirmed
    codes = client.get(response["Location"]).context["codes"]
    assert len(codes) == 10
    assert AuditEvent.objects.filter(action="accounts.2fa.enrolled", actor=user).exists()
    # Shown once only.
    assert client.get(reverse("accounts:otp-recovery-codes")).context["codes"] is None
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_recovery_code_signs_in_once(reference_data, client):
    from accounts.services import recovery_codes_generate

    user = officer("petugas_hilang_hp", Role.VERIFIER)
    TOTPDevice.objects.create(user=user, name="hp", confirmed=True)
    codes = recovery_codes_generate(actor=user, user=user)
    _password_step(client, "petugas_hilang_hp")
    response = client.post(reverse("accounts:otp-verify"), {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200
    again = client.__class__()
    _password_step(again, "petugas_hilang_hp")
    reused = again.post(reverse("accounts:otp-verify"), {"token": codes[0]})
    assert reused.status_code == 200 and reused.context["form"].errors["token"]
    assert StaticDevice.objects.get(user=user).token_set.count() == 9


def test_two_factor_is_optional_for_a_company_until_it_enrols(cast, client):
    _password_step(client, "indopangan")
    assert client.get(reverse("core:dashboard")).status_code == 200
    page = client.get(reverse("accounts:otp-setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=cast.company_a)
    client.post(reverse("accounts:otp-setup"), {"token": _code(device)})
    # Once enrolled, the next sign-in asks for the code.
    fresh = client.__class__()
    _password_step(fresh, "indopangan")
    assert fresh.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:otp-verify"))


def test_new_recovery_codes_replace_the_old_ones(cast, client):
    from tests.helpers import login

    login(client, cast.admin)
    client.post(reverse("accounts:otp-recovery-codes"))
    first = client.get(reverse("accounts:otp-recovery-codes")).context["codes"]
    client.post(reverse("accounts:otp-recovery-codes"))
    second = client.get(reverse("accounts:otp-recovery-codes")).context["codes"]
    tokens = set(StaticDevice.objects.get(user=cast.admin).token_set.values_list("token", flat=True))
    assert tokens == set(second) and not tokens & set(first)


def test_recovery_codes_without_two_factor_lead_to_enrolment(cast, client):
    from tests.helpers import login

    login(client, cast.company_b)
    response = client.get(reverse("accounts:otp-recovery-codes"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp-setup")
