import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login-failure counters and allauth rate limits live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()

from tests.core.fake_server import fake_server  # noqa: E402, F401 — the local HTTP server of the OSS/KSWP tests
