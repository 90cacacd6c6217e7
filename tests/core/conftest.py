"""Fixtures of the core tests."""

from tests.core.fake_server import fake_server  # noqa: F401 — the local HTTP server of the adapter tests
