"""After sign-in, two gates before any other page (issue 3):

1. two-factor: officers and staff must have a confirmed TOTP device (else → enrolment) and a
   verified session (else → the code step); a company user who enrolled is asked for the code too;
2. password: an expired password (older than PASSWORD_MAX_AGE_DAYS) or a one-time password
   (``must_change_password``) → the change-password page.

Public pages, static files, the health check, captcha and the gate pages themselves are exempt.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# URL names reachable before both gates are passed.
EXEMPT_URL_NAMES = frozenset(
    {
        "core:home",
        "core:health",
        "accounts:login",
        "accounts:logout",
        "accounts:otp-verify",
        "accounts:otp-setup",
        "accounts:register",
        "accounts:register-receipt",
        "accounts:password-forgot",
        "accounts:password-forgot-sent",
        "accounts:password-reset-confirm",
        "accounts:certificate-check",
        "set_language",
        "javascript-catalog",
    }
)
EXEMPT_PREFIXES = ("/captcha/",)
# Reachable once two-factor is done but before a forced password change (only the 2FA gate applies).
PASSWORD_GATE_EXEMPT = frozenset({"accounts:password-change", "accounts:otp-recovery-codes"})


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists() or StaticDevice.objects.filter(
        user=user, confirmed=True, token_set__isnull=False
    ).exists()


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in EXEMPT_URL_NAMES or request.path.startswith(EXEMPT_PREFIXES) or request.path.startswith(settings.STATIC_URL):
            return None
        target = self._gate(request, user, name)
        if target is None:
            return None
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            # An htmx fragment request: make the browser go to the gate page instead of swapping it in.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    def _gate(self, request, user, name: str) -> str | None:
        if not user.is_verified():
            if user.needs_two_factor and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                return "accounts:otp-setup"
            if user.needs_two_factor or has_confirmed_device(user):
                return "accounts:otp-verify"
        if name in PASSWORD_GATE_EXEMPT:
            return None
        if user.must_change_password or user.password_expired():
            return "accounts:password-change"
        return None
