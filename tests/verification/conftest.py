"""Fixtures of the verification tests: a reporting period whose window lies after the cast was created."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reporting.models import Period
from tests.reporting.factories import PeriodFactory

WIB = ZoneInfo("Asia/Jakarta")


def at(day: dt.date, hour: int = 7) -> dt.datetime:
    """A moment in Jakarta time, for time-machine."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=WIB)


@pytest.fixture
def period(db) -> Period:
    """Semester 1 2027: window 1 July – 31 August 2027 (the cast's accounts exist long before it)."""
    return PeriodFactory(year=2027, number=1)
