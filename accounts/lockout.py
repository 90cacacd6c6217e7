"""Login lockout (django-axes, issue 13): what is locked, and the page that says so.

Axes counts failures per **username and address together** (``AXES_LOCKOUT_PARAMETERS``): five failures
lock that username from that address only, so nobody can lock someone else's account from elsewhere,
and one person's typos do not lock their colleagues behind the same office address. To stop one address
from working through many usernames (five guesses each), this handler adds a second, higher limit per
address alone (``LOGIN_ADDRESS_FAILURE_LIMIT``, summed over every username in the same cool-off window),
on top of the captcha the login form asks for after any failure from that address (accounts.security).
Both limits live in axes' database tables, so they hold across workers and while Redis is down.
"""

from __future__ import annotations

import datetime as dt

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


class SiinasLockoutHandler(AxesDatabaseHandler):
    def address_failures(self, request: HttpRequest) -> int:
        """Failures from this address in the cool-off window, whatever the username."""
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def address_locked(self, request: HttpRequest) -> bool:
        return self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            username = get_client_username(request, credentials)
            user_locked_out.send("axes", request=request, username=username, ip_address=request.axes_ip_address)


def cool_off_words(delta: dt.timedelta) -> str:
    """A cool-off as people say it, in the active language: "30 menit", "1 jam, 30 menit"."""
    now = timezone.now()
    return timeuntil(now + delta, now)


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the Indonesian lockout page (axes' own context carries "PT30M")."""
    cool_off = get_cool_off(request)
    context = {"cool_off": cool_off_words(cool_off) if cool_off else ""}
    return render(request, "accounts/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
