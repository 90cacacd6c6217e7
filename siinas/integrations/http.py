"""The HTTP side of the inbound adapters (OSS, KSWP): one JSON POST with the guards every live call needs.

- **Short timeouts**: connect and read separately (``http.client``: the connect timeout covers the TCP and
  TLS handshake, then the socket's timeout becomes the read timeout, per read).
- **Retries with exponential backoff** on a 5xx answer, a timeout or a broken connection; never on a 4xx
  (the request itself is wrong, asking again changes nothing).
- **A circuit breaker** shared by every process through the Django cache: after ``breaker_failures``
  consecutive failed calls, calls fail at once for ``breaker_seconds``; the first call after that is a trial
  whose success closes it. A cache outage does not break it: each process also keeps the state itself, so
  without the cache the breaker is per process instead of shared.
- **A cache of answers**: a found record for ``cache_seconds``, a "not known" for ``cache_missing_seconds``;
  an error is never cached. The parsed answer is not stored, the response body is, and parsed again on
  a hit (parsing is cheap, and the cache stays plain JSON).

Only plain data leaves this module; it imports no app (tests/core/test_integrations_imports.py).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.cache import cache

log = logging.getLogger("siinas.integrations")

T = TypeVar("T")

MAX_RESPONSE_BYTES = 1_000_000

_sleep = time.sleep  # module attributes so tests can replace them
_now = time.time


class IntegrationUnavailable(RuntimeError):
    """The external system could not give an answer (down, slow, refusing us, or answering nonsense).

    Callers degrade: the registration is kept and the UPP officer checks by hand."""


class MalformedResponse(IntegrationUnavailable):
    """The system answered, but not in the shape its API documents."""


@dataclass(frozen=True)
class HttpConfig:
    """How to reach one system; built from the settings (``SIINAS_<SYSTEM>_*``, docs/operations.md)."""

    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    connect_timeout: float = 3.0
    read_timeout: float = 5.0
    retries: int = 2
    backoff_seconds: float = 0.2
    breaker_failures: int = 5
    breaker_seconds: int = 60
    cache_seconds: int = 24 * 3600
    cache_missing_seconds: int = 3600

    @classmethod
    def from_settings(cls, name: str, values: dict[str, Any]) -> HttpConfig:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if values.get("key"):
            headers[values.get("key_header") or "X-Api-Key"] = values["key"]
        if values.get("client_id"):
            pair = f"{values['client_id']}:{values.get('client_secret') or ''}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        return cls(
            name=name,
            url=values["url"],
            headers=headers,
            connect_timeout=values["connect_timeout_ms"] / 1000,
            read_timeout=values["read_timeout_ms"] / 1000,
            retries=values["retries"],
            backoff_seconds=values["backoff_ms"] / 1000,
            breaker_failures=values["breaker_failures"],
            breaker_seconds=values["breaker_seconds"],
            cache_seconds=values["cache_seconds"],
            cache_missing_seconds=values["cache_missing_seconds"],
        )


# --- Circuit breaker ---------------------------------------------------------------------------

_local_state: dict[str, dict[str, float]] = {}
_local_lock = threading.Lock()


class CircuitBreaker:
    """Closed, open until ``open_until``, then half-open (one failure re-opens, one success closes)."""

    def __init__(self, name: str, *, failures: int, seconds: int):
        self.name = name
        self.threshold = failures
        self.seconds = seconds
        self.key = f"integrations:{name}:breaker"

    def _read(self) -> dict[str, float]:
        try:
            shared = cache.get(self.key)
        except Exception:  # noqa: BLE001 — a cache outage must not break the breaker
            shared = None
        if isinstance(shared, dict):
            return {"failures": float(shared.get("failures", 0)), "open_until": float(shared.get("open_until", 0))}
        with _local_lock:
            return dict(_local_state.get(self.name, {"failures": 0.0, "open_until": 0.0}))

    def _write(self, state: dict[str, float]) -> None:
        with _local_lock:
            _local_state[self.name] = dict(state)
        try:
            # Kept a while past the open window so the failure count survives until the trial call.
            cache.set(self.key, state, timeout=max(self.seconds * 10, 600))
        except Exception:  # noqa: BLE001 — the process-local copy above still holds it
            log.warning("integrations %s: breaker state not shared (cache unavailable)", self.name)

    def allows_call(self) -> bool:
        return _now() >= self._read()["open_until"]

    def is_open(self) -> bool:
        return not self.allows_call()

    def record_success(self) -> None:
        state = self._read()
        if state["failures"] or state["open_until"]:
            if state["open_until"]:
                log.info("integrations %s: answering again; circuit closed", self.name)
            self._write({"failures": 0.0, "open_until": 0.0})

    def record_failure(self) -> None:
        state = self._read()
        state["failures"] += 1
        if state["failures"] >= self.threshold:
            state["open_until"] = _now() + self.seconds
            log.warning(
                "integrations %s: %d consecutive failures; circuit open, calls fail at once for %d s",
                self.name, int(state["failures"]), self.seconds,
            )  # fmt: skip
        self._write(state)


def reset_breakers() -> None:
    """Tests: forget the process-local breaker states."""
    with _local_lock:
        _local_state.clear()


# --- The call ----------------------------------------------------------------------------------


class _Transient(Exception):
    """One attempt failed in a way worth another attempt."""


def post_json(url: str, payload: dict, *, headers: dict[str, str], connect_timeout: float, read_timeout: float) -> tuple[int, bytes]:
    """One POST; returns (status, body). Raises ``_Transient`` on a timeout or a broken connection."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=connect_timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=connect_timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.connect()
        if conn.sock is not None:
            conn.sock.settimeout(read_timeout)
        conn.request("POST", path, body=json.dumps(payload).encode(), headers=headers)
        response = conn.getresponse()
        body = response.read(MAX_RESPONSE_BYTES + 1)
        if len(body) > MAX_RESPONSE_BYTES:
            raise MalformedResponse(f"answer larger than {MAX_RESPONSE_BYTES} bytes")
        return response.status, body
    except TimeoutError as exc:
        raise _Transient(f"timeout: {exc}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _Transient(f"{type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()


class JsonClient:
    """POST a JSON payload to one system and parse the answer, with retries, breaker and cache."""

    def __init__(self, config: HttpConfig):
        self.config = config
        self.breaker = CircuitBreaker(config.name, failures=config.breaker_failures, seconds=config.breaker_seconds)

    def _cache_key(self, key: str) -> str:
        return f"integrations:{self.config.name}:answer:{hashlib.sha256(key.encode()).hexdigest()[:32]}"

    def call(
        self,
        *,
        key: str,
        payload: dict,
        parse: Callable[[int, Any], T],
        found: Callable[[T], bool],
        fresh: bool = False,
    ) -> T:
        """``parse(status, json_body)`` turns an answer into plain data (raising ``KeyError``,
        ``TypeError`` or ``ValueError`` on a shape it does not know); ``found`` says which TTL applies.
        Raises ``IntegrationUnavailable``."""
        cache_key = self._cache_key(key)
        if not fresh:
            hit = _cache_get(cache_key)
            if hit is not None:
                try:
                    return parse(hit["status"], hit["body"])
                except (KeyError, TypeError, ValueError):
                    pass  # an entry from an older parser: ask again
        if not self.breaker.allows_call():
            raise IntegrationUnavailable(f"{self.config.name}: circuit open after repeated failures")
        status, raw = self._post_with_retries(payload)
        if 400 <= status < 500 and status != 404:
            self.breaker.record_failure()
            raise IntegrationUnavailable(f"{self.config.name}: HTTP {status}")
        try:
            body = _json_or_none(raw) if status == 404 else json.loads(raw.decode("utf-8"))
            result = parse(status, body)
        except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
            self.breaker.record_failure()
            raise MalformedResponse(f"{self.config.name}: answer not in the documented shape ({exc})") from exc
        self.breaker.record_success()
        ttl = self.config.cache_seconds if found(result) else self.config.cache_missing_seconds
        if ttl > 0:
            _cache_set(cache_key, {"status": status, "body": body}, ttl)
        return result

    def _post_with_retries(self, payload: dict) -> tuple[int, bytes]:
        config = self.config
        problem = ""
        for attempt in range(config.retries + 1):
            if attempt:
                _sleep(config.backoff_seconds * 2 ** (attempt - 1))
            try:
                status, raw = post_json(
                    config.url,
                    payload,
                    headers=config.headers,
                    connect_timeout=config.connect_timeout,
                    read_timeout=config.read_timeout,
                )
            except _Transient as exc:
                problem = str(exc)
            except MalformedResponse:
                self.breaker.record_failure()
                raise
            else:
                if status < 500:
                    return status, raw
                problem = f"HTTP {status}"
            log.info("integrations %s: attempt %d failed (%s)", config.name, attempt + 1, problem)
        self.breaker.record_failure()
        raise IntegrationUnavailable(f"{config.name}: no answer after {config.retries + 1} attempts ({problem})")


def _json_or_none(raw: bytes) -> Any:
    """A 404's body: a gateway's HTML page is as good as no body (the service says "not known")."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def _cache_get(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 — the cache is a speed-up: without it, ask the system
        return None


def _cache_set(key: str, value: Any, ttl: int) -> None:
    try:
        cache.set(key, value, timeout=ttl)
    except Exception:  # noqa: BLE001
        log.warning("integrations: answer not cached (cache unavailable)")
