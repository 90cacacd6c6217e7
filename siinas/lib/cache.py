"""Redis as a speed-up, not a dependency (docs/decisions.md, "Redis is optional at run time").

``FailSoftRedisCache`` is Django's ``RedisCache`` except when Redis cannot be reached or does not answer
in time: then it behaves like Django's ``DummyCache`` — reads miss, writes are forgotten, ``add`` says
"stored", ``incr`` says "no such key" — and the page is computed without it. A per-process circuit
breaker, opened by any such failure, keeps every call away from Redis for ``breaker_seconds`` (15 s by
default), so a dead Redis costs a request nothing; the first call after that tries Redis again. The
outage is logged twice: a warning when it starts and an info line when Redis answers again.

Code whose *safety* rests on what the cache remembers (the login's failure counters) asks
``cache_available()`` and chooses the safe side when it is False. ``/health/`` calls ``probe()``, which
goes to Redis whatever the breaker says and raises when Redis does not answer.

Only outage errors are softened (``OUTAGE_ERRORS``: connection refused or lost, timeouts, a Redis still
loading, refusing the credentials, read-only or full, a peer that does not speak Redis); a wrong command
or a value that cannot be unpickled still raises, as it is a bug.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from urllib.parse import urlsplit

import redis.exceptions
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("siinas.cache")

DEFAULT_BREAKER_SECONDS = 15
# ConnectionError covers refused and lost connections, AuthenticationError and BusyLoadingError;
# InvalidResponse is a peer that does not speak Redis (a proxy, a wrong port); ReadOnlyError a replica
# left behind by a failover; OutOfMemoryError a full Redis that may not evict.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.InvalidResponse,
    redis.exceptions.ReadOnlyError,
    redis.exceptions.OutOfMemoryError,
)

_clock = time.monotonic  # a module attribute so tests can move it


class CircuitBreaker:
    """Per-process state of one Redis location: up, or down until ``_retry_at``.

    Shared by every thread of the process (Django builds one cache object per thread), so the outage is
    logged once per process, not once per thread or per call.
    """

    def __init__(self, name: str, seconds: float):
        self.name = name
        self.seconds = seconds
        self._lock = threading.Lock()
        self._down = False
        self._retry_at = 0.0

    @property
    def up(self) -> bool:
        """False from a failure until the next successful call."""
        return not self._down

    def allows_call(self) -> bool:
        return not self._down or _clock() >= self._retry_at

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self._retry_at = _clock() + self.seconds
            if self._down:
                return
            self._down = True
        logger.warning(
            "Cache %s unreachable (%s: %s); pages are served without it, Redis is tried again every %s s",
            self.name, type(exc).__name__, exc, self.seconds,
        )  # fmt: skip

    def succeeded(self) -> None:
        if not self._down:
            return
        with self._lock:
            if not self._down:
                return
            self._down = False
        logger.info("Cache %s reachable again", self.name)

    def reset(self) -> None:
        with self._lock:
            self._down = False
            self._retry_at = 0.0


_breakers: dict[tuple[tuple[str, ...], float], CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def _describe(servers: list[str]) -> str:
    """Host, port and database of each server, never the password a URL may carry."""
    parts = []
    for server in servers:
        url = urlsplit(server)
        parts.append(f"{url.scheme}://{url.hostname}:{url.port or 6379}{url.path or '/0'}")
    return ",".join(parts)


def breaker_for(servers: list[str], seconds: float) -> CircuitBreaker:
    key = (tuple(servers), float(seconds))
    with _breakers_lock:
        if key not in _breakers:
            _breakers[key] = CircuitBreaker(_describe(servers), seconds)
        return _breakers[key]


def reset_breakers() -> None:
    """Close every breaker of the process (tests start from a known state)."""
    with _breakers_lock:
        for breaker in _breakers.values():
            breaker.reset()


_MISS = object()


class FailSoftRedisCache(RedisCache):
    """``RedisCache`` that fails soft; ``OPTIONS["breaker_seconds"]`` sets the breaker's window."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        seconds = options.pop("breaker_seconds", DEFAULT_BREAKER_SECONDS)
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = breaker_for(self._servers, seconds)

    @property
    def available(self) -> bool:
        """Is the cache up right now? False while the breaker is open, or after the last call failed."""
        return self._breaker.up

    def _soft(self, call, fallback):
        if not self._breaker.allows_call():
            return fallback
        try:
            result = call()
        except OUTAGE_ERRORS as exc:
            self._breaker.failed(exc)
            return fallback
        self._breaker.succeeded()
        return result

    # Reads miss.
    def get(self, key, default=None, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).has_key(key, version), False)

    # Writes are forgotten. ``add`` answers "stored", as DummyCache does: a caller that uses it as a lock
    # (allauth's rate limiter) then goes on at once instead of waiting for a lock it can never take.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version), True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._soft(lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).touch(key, timeout, version), False)

    def incr(self, key, delta=1, version=None):
        result = self._soft(lambda: super(FailSoftRedisCache, self).incr(key, delta, version), _MISS)
        if result is _MISS:
            raise ValueError(f"Key '{key}' not found (cache unreachable).")
        return result

    def delete(self, key, version=None):
        return self._soft(lambda: super(FailSoftRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._soft(lambda: super(FailSoftRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._soft(lambda: super(FailSoftRedisCache, self).clear(), False)

    def probe(self) -> None:
        """Write, read back and delete a key on Redis itself, whatever the breaker says; raises when
        Redis does not answer or answers wrong. ``/health/`` uses it; its outcome updates the breaker."""
        key = self.make_and_validate_key(f"health:{uuid.uuid4().hex}")
        client = self._cache
        try:
            client.set(key, "1", 10)
            value = client.get(key, None)
            client.delete(key)
        except OUTAGE_ERRORS as exc:
            self._breaker.failed(exc)
            raise
        self._breaker.succeeded()
        if value != "1":
            raise RuntimeError("cache read-back failed")


def cache_available(alias: str = "default") -> bool:
    """Is the cache up right now? Always True for a backend that does not fail soft (local memory, or
    a cache that raises when it is down). Ask *after* a cache call: the call is what notices an outage."""
    return getattr(caches[alias], "available", True)
