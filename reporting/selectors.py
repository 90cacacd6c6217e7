"""Reads on semester reports. Other apps (IKI, Pemda, verification) use these, never raw queries."""

from __future__ import annotations

from collections.abc import Iterable


def workforce_from_latest_accepted_reports(factory_ids: Iterable[int]) -> dict[int, int]:
    """Total workforce per factory from its latest accepted (verified/validated) semester report.

    Factories without an accepted report are absent from the result; callers fall back to the
    profile's ``Factory.workforce``. (Filled in by the semester-report issue; until reports exist
    no factory has one.)
    """
    return {}
