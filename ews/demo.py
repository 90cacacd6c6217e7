"""Demo: the early-warning signals of the demo data, computed once it is all loaded (``ews`` seeds last)."""

from __future__ import annotations

from accounts.demo import DemoCast
from ews.services import signals_refresh


def seed(cast: DemoCast) -> None:
    signals_refresh()
