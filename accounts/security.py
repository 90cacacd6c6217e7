"""Login hardening kept in the cache: which usernames/addresses failed recently (→ captcha).

The lockout itself is django-axes (accounts/lockout.py: per username and address together, plus a
higher limit per address, cool-off); this only decides when the login form starts asking for a captcha:
after any recent failure for this username (from anywhere) or from this address (for any username).

While the cache is unreachable (siinas.lib.cache fails soft) there are no counters to consult: every
login form asks for the captcha, failures are not counted here (axes still counts them, in the
database) and nothing raises.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from siinas.lib.cache import cache_available
from siinas.lib.client_ip import client_ip


def _keys(request, username: str) -> list[str]:
    user_digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    # The same address axes locks on and allauth limits by (TRUSTED_PROXY_COUNT behind a proxy).
    address = client_ip(request) or "-"
    return [f"accounts:login-fail:ip:{address}", f"accounts:login-fail:user:{user_digest}"]


def captcha_required(request, username: str = "") -> bool:
    keys = _keys(request, username)
    if not username:
        keys = keys[:1]
    recent_failures = cache.get_many(keys)
    # Read first: the read is what notices an outage. No counters to trust → the safe side, a captcha.
    return not cache_available() or any(recent_failures.values())


def note_login_failure(request, username: str) -> None:
    # With the cache down ``add`` answers "stored" and keeps nothing: the failure is simply not counted
    # here (``captcha_required`` asks for the captcha anyway).
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    for key in _keys(request, username):
        if not cache.add(key, 1, timeout):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout)


def clear_login_failures(request, username: str) -> None:
    """After a successful login the username is clean again; the address keeps its record until it
    times out (signing into one's own account must not buy captcha-free guesses at others)."""
    cache.delete(_keys(request, username)[1])
