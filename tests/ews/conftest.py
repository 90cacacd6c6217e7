"""The early-warning test material (tests/ews/builders.py ``material``)."""

from __future__ import annotations

import pytest

from tests.ews import builders as b


@pytest.fixture
def material(cast) -> b.Material:
    return b.material(cast)
