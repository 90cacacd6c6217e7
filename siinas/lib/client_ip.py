"""The client's address: the one answer the lockout (axes), the rate limits (allauth), the login captcha
counters and the audit trail all use (issue 13; docs/decisions.md, "Client address and lockout").

``TRUSTED_PROXY_COUNT`` says how many proxies under our control stand in front of gunicorn. Each of them
appends the address it was talking to on the right of ``X-Forwarded-For``, so the client is the entry
``count`` places from the right; everything further left was written by the client and may be anything.
With a count of 0 (the default) the header is never read: the address is ``REMOTE_ADDR``.

A request with fewer entries than ``count`` reached us past some of the proxies (e.g. straight to the
inner one): the leftmost entry is then the one our first proxy wrote. Nothing here can tell a trusted
hop from a forged one when gunicorn itself is reachable without the proxy, so it must not be published.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as written by the last trusted proxy, normalised; ``None`` without one."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded.strip():
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    written_by_our_proxy = hops[-count] if len(hops) >= count else hops[0]
    # A trusted proxy writes a bare address; anything else means the header is not what we were told.
    return _address(written_by_our_proxy) or remote
