"""Test helpers shared by every app."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY


def login(client: Client, user) -> Client:
    """Sign ``user`` in as if they had passed the password and (where they have one) the TOTP step."""
    client.force_login(user)
    if getattr(user, "needs_two_factor", False) and not user.totpdevice_set.filter(confirmed=True).exists():
        # Officers must have 2FA (accounts.middleware): give one built outside the cast a device.
        user.totpdevice_set.create(name="default", confirmed=True)
    device = None
    for relation in ("totpdevice_set", "staticdevice_set"):
        manager = getattr(user, relation, None)
        if manager is not None:
            device = manager.filter(confirmed=True).first()
            if device:
                break
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def committed():
    """Run what the code inside queues for after its commit (outbox delivery of e-mails and tasks), as a
    real commit would: a test's own transaction never commits, so on-commit callbacks are captured and
    run when the block ends (callbacks they add run too)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
