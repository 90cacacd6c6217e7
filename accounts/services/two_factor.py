"""Two-factor enrolment (TOTP) and recovery codes (static tokens) with django-otp."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from siinas.lib.audit import audit

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "kode-cadangan"


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The user themself: an unconfirmed TOTP device to scan (reused while enrolment is open)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def recovery_codes_generate(*, actor: User, user: User, request=None) -> list[str]:
    """The user themself: a fresh set of single-use recovery codes; the previous set stops working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit("accounts.2fa.recovery_codes_generated", actor=actor, target=user, request=request)
    return codes


@transaction.atomic
def totp_device_confirm(*, actor: User, device: TOTPDevice, token: str, request=None) -> list[str] | None:
    """The user themself, with the first code shown by the app. On success the device is confirmed,
    older TOTP devices are removed and a set of recovery codes is returned; ``None`` if the code is
    wrong (the device stays unconfirmed)."""
    if not device.verify_token(token):
        audit("accounts.2fa.enrolment_failed", actor=actor, target=device.user, request=request)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    audit("accounts.2fa.enrolled", actor=actor, target=device.user, request=request, device_id=device.pk)
    return recovery_codes_generate(actor=actor, user=device.user, request=request)
