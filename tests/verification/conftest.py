"""Fixtures of the verification tests: a reporting period whose window lies after the cast was created."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reporting.models import Period
from tests.reporting.factories import PeriodFactory

WIB = ZoneInfo("Asia/Jakarta")
# These tests walk a fixed calendar (Semester 1 2027: window 1 July – 31 August 2027, letters in September…)
# with accounts registered "now" and reports aged from "now": they hold only while today is before that
# window. So today is pinned for the package, to a Jakarta week boundary (Monday 00:30 WIB, still Sunday
# 17:30 in UTC), and they pass whatever the date they run at. Tests that travel themselves stack on top.
TODAY = dt.datetime(2027, 6, 7, 0, 30, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _today_before_the_window():
    # A timestamp: a zoned datetime would also set the TZ variable (tests/clock.py).
    with time_machine.travel(TODAY.timestamp(), tick=True):
        yield


def at(day: dt.date, hour: int = 7) -> dt.datetime:
    """A moment in Jakarta time, for time-machine."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=WIB)


@pytest.fixture
def period(db) -> Period:
    """Semester 1 2027: window 1 July – 31 August 2027 (the cast's accounts exist long before it)."""
    return PeriodFactory(year=2027, number=1)


def bulk_factories(count: int, *, region_code: str = "32.16", kbli_code: str = "10110", scale: str = "besar",
                   account_type: str = "A", created_at: dt.datetime | None = None, tag: str = "m") -> list:
    """``count`` factory accounts in a handful of queries (bulk_create), for query-budget tests."""
    from django.utils import timezone

    from accounts.models import Company, Factory, location_key
    from siinas.core.models import Kbli, Region

    region = Region.objects.get(pk=region_code)
    companies = Company.objects.bulk_create(
        Company(name=f"PT Massal {tag}{i}", nib=f"{abs(hash(tag)) % 10**6:06d}{i:07d}", npwp="013000000000000") for i in range(count)
    )
    when = created_at or timezone.now()
    factories = Factory.objects.bulk_create(
        Factory(
            company=company, name=f"Pabrik {i}", account_type=account_type, address=f"Jalan Massal {tag} {i}",
            region=region, province_id=region.province_id, location_key=location_key(f"Jalan Massal {tag} {i}", region.pk),
            scale=scale, email=f"massal{tag}{i}@contoh.co.id", created_at=when,
        )
        for i, company in enumerate(companies)
    )
    kbli = Kbli.objects.get(pk=kbli_code)
    Factory.kbli.through.objects.bulk_create(Factory.kbli.through(factory_id=f.pk, kbli_id=kbli.pk) for f in factories)
    return factories
