"""Password rules: change (which ends the other sessions), forgot-password links, expiry reminders."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import PasswordReminder, Role, User
from siinas.lib.audit import audit
from siinas.lib.emails import queue_email

_SYMBOLS = "#$%&*+-=?@!"


def generate_one_time_password(length: int = 14) -> str:
    """Random password that satisfies the ministry rule (digit, capital, symbol, ≥ 8)."""
    pools = [string.ascii_uppercase, string.ascii_lowercase, string.digits, _SYMBOLS]
    chars = [secrets.choice(pool) for pool in pools]
    everything = "".join(pools)
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@transaction.atomic
def password_change(*, actor: User, user: User, new_password: str, request=None, reason: str = "change") -> User:
    """The user themself (change form, expired-password form, reset link). Validation of the new
    password is the form's job. Sets a new expiry, clears ``must_change_password``; since the
    session auth hash changes, every other session of the user ends (the view keeps the current)."""
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    if reason == "reset":
        # Proving ownership through the e-mailed link also lifts a lockout of this username.
        axes_reset(username=user.get_username())
    audit("accounts.password.changed", actor=actor, target=user, request=request, reason=reason)
    return user


def _reset_candidate(username: str, nib: str) -> User | None:
    user = (
        User.objects.select_related("factory__company")
        .filter(username__iexact=username.strip(), is_active=True, role=Role.COMPANY)
        .first()
    )
    if user is None or user.factory is None or user.factory.company.nib != nib.strip():
        return None
    return user


@transaction.atomic
def password_reset_request(*, username: str, nib: str, request=None) -> bool:
    """Anyone (the forgot-password form). E-mails a reset link when the username and NIB belong to
    the same active company account. The caller answers the same either way (no account probing);
    the boolean is for the audit trail and tests only."""
    user = _reset_candidate(username, nib)
    audit("accounts.password.reset_requested", actor=None, target=user, request=request, username=username[:150], matched=bool(user))
    if user is None:
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SIINAS_BASE_URL + reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    recipients = [user.email or user.factory.email]
    queue_email("accounts-password-reset", to=recipients, context={"user": user, "link": link}, sensitive=True)
    return True


def password_reminders_send(*, now=None) -> int:
    """The daily beat job. For each active user whose password expires within the largest reminder
    threshold (14 days), send the reminder of the smallest threshold already reached (14, then 3),
    once: a ``PasswordReminder`` row per user, expiry date and threshold is the sent-marker, so a
    re-run or a retried task never sends twice, and a missed day is caught up the next day."""
    now = now or timezone.now()
    thresholds = sorted(settings.PASSWORD_REMINDER_DAYS)
    max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    window_start = now - max_age  # changed before this: already expired
    window_end = now + timedelta(days=max(thresholds)) - max_age
    users = User.objects.filter(is_active=True, password_changed_at__gt=window_start, password_changed_at__lte=window_end)
    sent = 0
    for user in users.only("pk", "username", "email", "first_name", "password_changed_at"):
        expires_at = user.password_expires_at
        days_left = (timezone.localdate(expires_at) - timezone.localdate(now)).days
        threshold = next((d for d in thresholds if days_left <= d), None)
        if threshold is None:
            continue
        expires_on = timezone.localdate(expires_at)
        try:
            with transaction.atomic():
                marker = PasswordReminder.objects.create(user=user, expires_on=expires_on, days_before=threshold, sent_at=now)
                queue_email(
                    "accounts-password-expiry",
                    to=[user.email],
                    context={"user": user, "expires_at": expires_at, "days_left": days_left},
                    dedupe_key=f"password-expiry-{marker.pk}",
                )
        except IntegrityError:
            continue  # already sent for this expiry and threshold
        sent += 1
    return sent
