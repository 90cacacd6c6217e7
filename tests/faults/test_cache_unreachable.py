"""Redis is a speed-up, not a dependency (issue 12): with the cache unreachable the public account
pages and the Pemda dashboard still answer, the login asks for the captcha, the lockout still counts,
and only ``/health/`` says the cache is down.

The cache is the project's Redis backend and options (``settings.REDIS_CACHE_*``) pointed at a port
where nothing listens, so every connection is refused at once. Connection attempts are counted by
wrapping redis-py's ``Connection._connect`` (the boundary), never by timing requests.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading

import pytest
import redis.connection
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from siinas.lib import cache as fail_soft
from tests.factories import TEST_PASSWORD
from tests.helpers import login
from tests.reporting.factories import PeriodFactory

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/0"  # port 1: nothing listens, the connection is refused at once
LOGIN = reverse("accounts:login")


@pytest.fixture
def unreachable_cache(settings):
    """Every test here starts with a closed breaker and leaves none open behind it."""
    fail_soft.reset_breakers()
    settings.CACHES = {
        "default": {"BACKEND": settings.REDIS_CACHE_BACKEND, "LOCATION": CLOSED, "OPTIONS": settings.REDIS_CACHE_OPTIONS}
    }
    yield
    fail_soft.reset_breakers()


@pytest.fixture
def connection_attempts(monkeypatch) -> list[tuple[str, int]]:
    attempts: list[tuple[str, int]] = []
    real_connect = redis.connection.Connection._connect

    def counting_connect(self):
        attempts.append((self.host, self.port))
        return real_connect(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counting_connect)
    return attempts


def _login_post(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR="10.7.7.7")


# --- Login ----------------------------------------------------------------------------------------


def test_the_login_page_answers_and_asks_for_the_captcha_while_the_cache_is_down(cast, client, unreachable_cache):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "captcha" in response.context["form"].fields, "no failure counter to consult: the captcha is the safe choice"


def test_a_login_without_the_captcha_is_refused_before_the_password_is_tried(cast, client, unreachable_cache):
    response = _login_post(client, "indopangan", TEST_PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].errors["captcha"]
    assert "_auth_user_id" not in client.session


def test_a_failed_login_is_answered_and_counted_by_axes(cast, client, unreachable_cache):
    response = _login_post(client, "indopangan", "salah", captcha_0="x", captcha_1="PASSED")
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == ["Username atau password salah."]
    assert "captcha" in response.context["form"].fields
    assert AccessAttempt.objects.filter(username="indopangan", failures_since_start=1).exists()


def test_the_axes_lockout_does_not_depend_on_the_cache(cast, client, unreachable_cache):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_post(client, "indopangan", "salah", captcha_0="x", captcha_1="PASSED")
    response = _login_post(client, "indopangan", TEST_PASSWORD, captcha_0="x", captcha_1="PASSED")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_right_password_with_the_captcha_signs_in(cast, client, unreachable_cache):
    response = _login_post(client, "indopangan", TEST_PASSWORD, captcha_0="x", captcha_1="PASSED")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.company_a.pk)


# --- Registration and forgotten password (allauth's rate limiter) --------------------------------


def test_the_registration_page_answers_with_its_captcha(reference_data, client, unreachable_cache):
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 200
    assert "captcha" in response.context["form"].fields
    # A POST goes through the rate limiter first: it must not fail, nor refuse (429), for want of a cache.
    response = client.post(reverse("accounts:register"), {"company_name": "PT Uji"})
    assert response.status_code == 200
    assert response.context["form"].errors["captcha"]


def test_the_forgot_password_page_answers_with_its_captcha(cast, client, unreachable_cache):
    url = reverse("accounts:password-forgot")
    response = client.get(url)
    assert response.status_code == 200
    assert "captcha" in response.context["form"].fields
    data = {"username": "indopangan", "nib": cast.factory_a.company.nib, "captcha_0": "x", "captcha_1": "PASSED"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-forgot-sent")


# --- Pemda dashboard --------------------------------------------------------------------------------


def test_the_pemda_dashboard_is_computed_without_the_cache(cast, client, unreachable_cache):
    # A period whose filing window has opened: the reporting rates and report aggregates (both cached
    # when Redis is up) are computed for it.
    period = PeriodFactory(year=timezone.localdate().year - 1, number=1)
    login(client, cast.pemda_jabar)
    response = client.get(reverse("pemda:dashboard"))
    assert response.status_code == 200
    assert response.context["report_period"] == period
    assert response.context["rates_region"] is not None
    assert "trend" in response.context["aggregates"]


# --- Health -----------------------------------------------------------------------------------------


def test_health_says_503_with_the_cache_down(client, unreachable_cache):
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"]["status"] == "error"
    assert checks["database"]["status"] == "ok"


def test_health_asks_redis_itself_even_while_the_breaker_is_open(client, unreachable_cache, connection_attempts):
    client.get(LOGIN)  # opens the breaker
    before = len(connection_attempts)
    assert client.get(reverse("core:health")).status_code == 503
    assert len(connection_attempts) > before


# --- Other kinds of "unreachable" ------------------------------------------------------------------


@pytest.fixture
def fake_peer():
    """A local TCP server that accepts connections and then either answers something that is not Redis
    (``"garbage"``) or never answers (``"silent"``, so the client's socket timeout fires)."""
    servers: list[tuple[socket.socket, threading.Event, threading.Thread]] = []

    def start(behaviour: str) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.2)
        stop = threading.Event()
        held: list[socket.socket] = []

        def serve():
            while not stop.is_set():
                try:
                    peer, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    break
                if behaviour == "garbage":
                    peer.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
                held.append(peer)
            for peer in held:
                peer.close()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        servers.append((listener, stop, thread))
        return f"redis://127.0.0.1:{listener.getsockname()[1]}/0"

    yield start
    for listener, stop, thread in servers:
        stop.set()
        thread.join(timeout=5)
        listener.close()


@pytest.mark.parametrize("behaviour", ["garbage", "silent"])
def test_a_peer_that_does_not_speak_redis_or_never_answers_counts_as_down(
    behaviour, cast, client, unreachable_cache, fake_peer, settings, connection_attempts
):
    settings.CACHES = {
        "default": {"BACKEND": settings.REDIS_CACHE_BACKEND, "LOCATION": fake_peer(behaviour), "OPTIONS": settings.REDIS_CACHE_OPTIONS}
    }
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "captcha" in response.context["form"].fields
    attempts = len(connection_attempts)
    assert client.get(LOGIN).status_code == 200
    assert len(connection_attempts) == attempts, "the breaker keeps the second request away from it"
    assert client.get(reverse("core:health")).status_code == 503


# --- Circuit breaker --------------------------------------------------------------------------------


def test_after_a_failure_redis_is_not_asked_again_for_a_while(cast, client, unreachable_cache, connection_attempts):
    assert client.get(LOGIN).status_code == 200
    assert connection_attempts, "the first request tried Redis"
    first = len(connection_attempts)
    assert client.get(LOGIN).status_code == 200
    client.post(reverse("accounts:register"), {})
    login(client, cast.pemda_jabar)
    assert client.get(reverse("pemda:dashboard")).status_code == 200
    assert len(connection_attempts) == first, "within the breaker's window no request tries Redis"


def test_redis_is_tried_again_once_the_breaker_window_has_passed(client, unreachable_cache, connection_attempts, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(fail_soft, "_clock", lambda: now[0])
    client.get(LOGIN)
    first = len(connection_attempts)
    now[0] += fail_soft.DEFAULT_BREAKER_SECONDS - 1
    client.get(LOGIN)
    assert len(connection_attempts) == first
    now[0] += 2
    client.get(LOGIN)
    assert len(connection_attempts) > first


def test_an_outage_is_logged_once_not_once_per_call(client, unreachable_cache, caplog, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(fail_soft, "_clock", lambda: now[0])
    with caplog.at_level(logging.INFO, logger="siinas.cache"):
        for _ in range(3):
            client.get(LOGIN)
            now[0] += fail_soft.DEFAULT_BREAKER_SECONDS + 1  # each request tries (and fails) again
    warnings = [r for r in caplog.records if r.name == "siinas.cache" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "127.0.0.1:1" in warnings[0].getMessage()


def test_the_breaker_says_when_the_cache_comes_back():
    breaker = fail_soft.CircuitBreaker("redis://cache:6379/1", seconds=15)
    logger = logging.getLogger("siinas.cache")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        breaker.failed(ConnectionError("refused"))
        breaker.failed(ConnectionError("refused"))
        assert not breaker.up
        breaker.succeeded()
        breaker.succeeded()
        assert breaker.up
    finally:
        logger.removeHandler(handler)
    assert [(r.levelno, "cache:6379/1" in r.getMessage()) for r in records] == [(logging.WARNING, True), (logging.INFO, True)]


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis (REDIS_URL; CI has one)")
def test_once_redis_answers_again_the_cache_is_used_and_the_recovery_logged(settings, caplog, monkeypatch):
    fail_soft.reset_breakers()
    settings.CACHES = {
        "default": {"BACKEND": settings.REDIS_CACHE_BACKEND, "LOCATION": settings.REDIS_CACHE_URL, "OPTIONS": settings.REDIS_CACHE_OPTIONS}
    }
    from django.core.cache import cache

    now = [1000.0]
    monkeypatch.setattr(fail_soft, "_clock", lambda: now[0])
    cache._breaker.failed(ConnectionError("refused"))  # as if Redis had just gone away
    cache.set("back", 1)
    assert cache.get("back") is None, "the breaker is open: Redis is not asked"
    now[0] += fail_soft.DEFAULT_BREAKER_SECONDS + 1
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="siinas.cache"):
        cache.set("back", 1)
    assert cache.get("back") == 1
    assert fail_soft.cache_available()
    assert [r.levelno for r in caplog.records if r.name == "siinas.cache"] == [logging.INFO]
    cache.delete("back")
    fail_soft.reset_breakers()


# --- The backend's own contract ---------------------------------------------------------------------


def test_an_unreachable_cache_reads_as_empty_and_forgets_writes(unreachable_cache):
    from django.core.cache import cache

    cache.clear()  # what tests/conftest.py's _fresh_cache does before and after every test
    cache.set("a", 1)
    assert cache.get("a") is None
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("lock", True) is True, "allauth's rate-limit lock must not wait for a lock it cannot take"
    assert cache.has_key("a") is False
    assert cache.delete("a") is False
    assert cache.get_or_set("b", 7) == 7
    with pytest.raises(ValueError):
        cache.incr("a")
    assert fail_soft.cache_available() is False


def test_the_local_memory_cache_counts_as_available(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fault-test"}}
    assert fail_soft.cache_available() is True


@pytest.mark.parametrize(
    ("extra_env", "backend"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache"),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "siinas.lib.cache.FailSoftRedisCache"),
    ],
)
def test_the_embedded_default_keeps_locmem_and_redis_gets_the_fail_soft_backend(extra_env, backend):
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "REDIS_CACHE_URL", "SIINAS_ENV"}}
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env={**clean, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == backend
