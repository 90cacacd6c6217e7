"""The live adapters' guards against a real local server: retries with backoff, timeouts, the circuit
breaker (shared through the cache, surviving a cache outage) and the cache of answers."""

from __future__ import annotations

import pytest

from siinas.integrations import http as integration_http
from siinas.integrations.http import HttpConfig, IntegrationUnavailable, MalformedResponse
from siinas.integrations.kswp import HttpKswp, KswpUnavailable
from siinas.integrations.oss import HttpOss, OssUnavailable
from tests.core.fake_server import Answer, http_settings, recording

NIB = "9120001234567"
FOUND = recording("oss_inquery_nib_found.json")
NOT_FOUND = recording("oss_inquery_nib_not_found.json")
SERVER_ERROR = Answer(status=500, body=b'{"responinqueryNIB": {"kode": 500, "keterangan": "gagal"}}')


def _oss(fake, **overrides) -> HttpOss:
    return HttpOss(HttpConfig.from_settings("oss", http_settings(fake.url, **overrides)))


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(integration_http, "_sleep", slept.append)
    return slept


def test_a_5xx_is_retried_with_exponential_backoff_then_succeeds(fake_server, sleeps):
    fake_server.script(SERVER_ERROR, Answer(status=503, body=b""), Answer(body=FOUND))
    record = _oss(fake_server, backoff_ms=100).lookup_nib(NIB)
    assert record.nib == NIB
    assert len(fake_server.requests) == 3
    assert sleeps == [0.1, 0.2]


def test_a_5xx_on_every_attempt_is_unavailable(fake_server, sleeps):
    fake_server.script(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR)
    with pytest.raises(OssUnavailable, match="3 attempts"):
        _oss(fake_server).lookup_nib(NIB)
    assert len(fake_server.requests) == 3


def test_a_4xx_is_not_retried(fake_server, sleeps):
    fake_server.script(Answer(status=401, body=b'{"responinqueryNIB": {"kode": 401, "keterangan": "User Akses Tidak Valid"}}'))
    with pytest.raises(OssUnavailable, match="HTTP 401"):
        _oss(fake_server).lookup_nib(NIB)
    assert len(fake_server.requests) == 1 and sleeps == []


def test_an_http_404_or_kode_404_is_a_nib_oss_does_not_know(fake_server):
    fake_server.script(Answer(status=404, body=b"Not Found"), Answer(body=NOT_FOUND))
    client = _oss(fake_server)
    assert client.lookup_nib(NIB, fresh=True) is None
    assert client.lookup_nib(NIB, fresh=True) is None


def test_an_error_kode_inside_http_200_is_unavailable(fake_server):
    fake_server.script(Answer(body=recording("oss_inquery_nib_error.json")))
    with pytest.raises(OssUnavailable):
        _oss(fake_server).lookup_nib(NIB)


def test_malformed_json_is_unavailable_and_never_cached(fake_server):
    fake_server.script(Answer(body=b'{"responinqueryNIB": {"kode": 200, "dataNIB": '), Answer(body=b'{"unexpected": true}'), Answer(body=FOUND))
    client = _oss(fake_server)
    with pytest.raises(OssUnavailable) as first:
        client.lookup_nib(NIB)
    assert isinstance(first.value.__cause__, MalformedResponse)
    with pytest.raises(OssUnavailable):
        client.lookup_nib(NIB)
    assert client.lookup_nib(NIB).nib == NIB
    assert len(fake_server.requests) == 3


def test_an_answer_slower_than_the_read_timeout_is_retried_then_unavailable(fake_server, sleeps):
    slow = Answer(body=FOUND, delay=0.3)
    fake_server.script(slow, slow)
    with pytest.raises(OssUnavailable, match="timeout"):
        _oss(fake_server, read_timeout_ms=100, retries=1).lookup_nib(NIB)
    assert len(fake_server.requests) == 2


def test_a_slow_answer_then_a_quick_one_succeeds(fake_server, sleeps):
    fake_server.script(Answer(body=FOUND, delay=0.3), Answer(body=FOUND))
    assert _oss(fake_server, read_timeout_ms=100).lookup_nib(NIB).nib == NIB


def test_a_refused_connection_is_unavailable(sleeps):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HttpOss(HttpConfig.from_settings("oss", http_settings(f"http://127.0.0.1:{port}/inqueryNIB")))
    with pytest.raises(OssUnavailable):
        client.lookup_nib(NIB)
    assert len(sleeps) == 2


# --- Circuit breaker -----------------------------------------------------------------------------


def _fail_calls(client, fake, n: int) -> None:
    for _ in range(n):
        fake.script(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR)
        with pytest.raises(OssUnavailable):
            client.lookup_nib(NIB, fresh=True)


def test_the_breaker_opens_after_consecutive_failures_and_fails_fast(fake_server, sleeps):
    client = _oss(fake_server)
    _fail_calls(client, fake_server, 3)
    asked = len(fake_server.requests)
    with pytest.raises(OssUnavailable, match="circuit open"):
        client.lookup_nib(NIB)
    assert len(fake_server.requests) == asked  # nothing reached OSS


def test_the_breaker_is_shared_by_every_client_through_the_cache(fake_server, sleeps):
    _fail_calls(_oss(fake_server), fake_server, 3)
    integration_http.reset_breakers()  # another process: only the cache knows
    with pytest.raises(OssUnavailable, match="circuit open"):
        _oss(fake_server).lookup_nib(NIB)


def test_the_breaker_lets_a_trial_call_through_after_its_time_and_closes_on_success(fake_server, sleeps, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(integration_http, "_now", lambda: now[0])
    client = _oss(fake_server)
    _fail_calls(client, fake_server, 3)
    now[0] += 31
    fake_server.script(Answer(body=FOUND))
    assert client.lookup_nib(NIB).nib == NIB
    assert client.client.breaker.allows_call()
    # Closed again: it takes three new failures to open it.
    _fail_calls(client, fake_server, 2)
    assert client.client.breaker.allows_call()


def test_a_failed_trial_call_opens_the_breaker_again(fake_server, sleeps, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(integration_http, "_now", lambda: now[0])
    client = _oss(fake_server)
    _fail_calls(client, fake_server, 3)
    now[0] += 31
    _fail_calls(client, fake_server, 1)
    assert client.client.breaker.is_open()


def test_a_cache_outage_does_not_break_the_breaker(fake_server, sleeps, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    client = _oss(fake_server)
    fake_server.script(Answer(body=FOUND))
    assert client.lookup_nib(NIB).nib == NIB  # answers without a cache
    _fail_calls(client, fake_server, 3)
    with pytest.raises(OssUnavailable, match="circuit open"):  # the process still remembers
        client.lookup_nib(NIB)


# --- Cache of answers ------------------------------------------------------------------------------


def test_a_found_record_is_cached_and_fresh_asks_again(fake_server):
    fake_server.script(Answer(body=FOUND), Answer(body=FOUND))
    client = _oss(fake_server)
    assert client.lookup_nib(NIB).nib == NIB
    assert _oss(fake_server).lookup_nib(NIB).nib == NIB  # another client, same cache
    assert len(fake_server.requests) == 1
    client.lookup_nib(NIB, fresh=True)
    assert len(fake_server.requests) == 2


def test_not_found_is_cached_for_the_shorter_time(fake_server, monkeypatch):
    from django.core.cache import cache

    ttls: list[int] = []
    original = cache.set
    monkeypatch.setattr(cache, "set", lambda key, value, timeout=None: (ttls.append(timeout) if ":answer:" in key else None, original(key, value, timeout))[1])
    fake_server.script(Answer(body=NOT_FOUND), Answer(body=FOUND))
    client = _oss(fake_server, cache_missing_seconds=600, cache_seconds=86400)
    assert client.lookup_nib(NIB) is None
    assert client.lookup_nib(NIB) is None
    assert len(fake_server.requests) == 1
    client.lookup_nib(NIB, fresh=True)
    assert ttls == [600, 86400]


def test_an_error_is_never_cached(fake_server, sleeps):
    fake_server.script(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR, Answer(body=FOUND))
    client = _oss(fake_server)
    with pytest.raises(OssUnavailable):
        client.lookup_nib(NIB)
    assert client.lookup_nib(NIB).nib == NIB


# --- KSWP shares the guards -------------------------------------------------------------------------


def test_kswp_retries_then_reports_unavailable(fake_server, sleeps):
    fake_server.script(Answer(status=502, body=b""), Answer(status=502, body=b""), Answer(status=502, body=b""))
    client = HttpKswp(HttpConfig.from_settings("kswp", http_settings(fake_server.url, key_header="X-Api-Key")))
    with pytest.raises(KswpUnavailable):
        client.check_npwp("013121660091000")
    assert fake_server.requests[0]["json"] == {"npwp": "013121660091000"}
    assert fake_server.requests[0]["headers"]["X-Api-Key"] == "kunci-uji"


def test_kswp_malformed_status_is_unavailable(fake_server):
    fake_server.script(Answer(body=b'{"status": 200, "data": {"npwp": "013121660091000", "status_wp": "MUNGKIN"}}'))
    client = HttpKswp(HttpConfig.from_settings("kswp", http_settings(fake_server.url)))
    with pytest.raises(IntegrationUnavailable):
        client.check_npwp("013121660091000")


def test_basic_credentials_are_sent_when_configured(fake_server):
    fake_server.script(Answer(body=FOUND))
    client = _oss(fake_server, key=None, client_id="siinas", client_secret="rahasia")
    client.lookup_nib(NIB)
    assert fake_server.requests[0]["headers"]["Authorization"] == "Basic c2lpbmFzOnJhaGFzaWE="
