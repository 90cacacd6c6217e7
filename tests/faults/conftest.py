"""The fault suite: every test here is marked ``faults`` (CI runs it with the rest of the suite)."""

from __future__ import annotations

import pytest

from tests.verification.conftest import period  # noqa: F401 — the reporting period fixture, shared


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/faults/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.faults)
