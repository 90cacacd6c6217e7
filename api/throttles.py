"""Rate limits: per token (its own ``rate_per_minute``) and per address for anonymous public calls.

A fixed one-minute window counted in the shared cache (Redis in production). When the cache is
down the call goes through: a cache outage must not take the API down (docs/decisions.md)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from siinas.lib.client_ip import client_ip

log = logging.getLogger(__name__)
WINDOW = 60


def _consume(key: str, limit: int) -> tuple[bool, float]:
    window = int(time.time() // WINDOW)
    full_key = f"api:rate:{key}:{window}"
    try:
        cache.add(full_key, 0, timeout=WINDOW + 5)
        count = cache.incr(full_key)
    except Exception:  # noqa: BLE001 — the cache is down: let the call through
        log.warning("api rate limit: cache unavailable, not counting %s", key)
        return True, 0.0
    wait = WINDOW - (time.time() % WINDOW)
    return count <= limit, wait


class _Throttle(BaseThrottle):
    def __init__(self):
        self._wait = None

    def wait(self):
        return self._wait

    def _check(self, key: str, limit: int) -> bool:
        allowed, wait = _consume(key, limit)
        self._wait = None if allowed else max(1.0, wait)
        return allowed


class TokenThrottle(_Throttle):
    """Each token's own limit (set by the admin who issued it)."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if token is None:
            return True
        return self._check(f"token:{token.pk}", token.rate_per_minute)


class AddressThrottle(_Throttle):
    """Anonymous calls to public endpoints, per client address (``API_PUBLIC_RATE_PER_MINUTE``)."""

    def allow_request(self, request: HttpRequest) -> bool:
        return self._check(f"ip:{client_ip(request) or '-'}", settings.API_PUBLIC_RATE_PER_MINUTE)
