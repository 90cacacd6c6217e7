"""The client's address behind the trusted proxies (issue 13 §1): one helper, one setting, and the lockout,
the rate limits and the login captcha counters all see the same address."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from allauth.account.adapter import get_adapter
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.test import RequestFactory

from accounts import security
from siinas.lib.client_ip import client_ip

PROXY = "10.0.0.254"


def _request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_never_read(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.7", remote="198.51.100.1")) == "198.51.100.1"


def test_one_trusted_proxy_means_the_rightmost_entry(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("203.0.113.7")) == "203.0.113.7"
    # Whatever the client wrote itself stands further left and is ignored.
    assert client_ip(_request("1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("bukan-alamat, 9.9.9.9 , 203.0.113.7")) == "203.0.113.7"


def test_two_trusted_proxies_mean_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("1.2.3.4, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"
    # Past the outer proxy, straight to the inner one: the one entry there is the one it wrote.
    assert client_ip(_request("203.0.113.8")) == "203.0.113.8"


def test_no_header_or_a_malformed_hop_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(None)) == PROXY
    assert client_ip(_request("")) == PROXY
    assert client_ip(_request("1.2.3.4, unknown")) == PROXY


def test_ipv6_addresses_are_normalised(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("2001:DB8:0:0:0:0:0:1")) == "2001:db8::1"


@pytest.mark.parametrize("count", [0, 1])
def test_axes_allauth_and_the_captcha_counters_see_the_same_address(settings, count):
    settings.TRUSTED_PROXY_COUNT = count
    request = _request("1.2.3.4, 203.0.113.7")
    expected = "203.0.113.7" if count else PROXY
    assert client_ip(request) == expected
    assert get_client_ip_address(request) == expected  # the axes lockout (AXES_CLIENT_IP_CALLABLE)
    assert get_adapter(request).get_client_ip(request) == expected  # allauth's rate limits
    assert security._keys(request, "indopangan")[0] == f"accounts:login-fail:ip:{expected}"


def test_the_old_axes_proxy_count_is_refused_at_start_up():
    """AXES_PROXY_COUNT did nothing (it needs django-ipware): a deployment still setting it must be told."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SIINAS_ENV"}}
    result = subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**environment, "AXES_PROXY_COUNT": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr
