"""Clock-proof tests: SIINAS_TEST_CLOCK moves the whole session to a Jakarta day boundary (tests/clock.py)."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
import time_machine
from django.utils import timezone

from tests import clock
from tests.eservice import test_pemda_iomki as iomki

WIB = clock.JAKARTA
# Monday 7 December 2026 00:30 WIB is Sunday 6 December 17:30 UTC: another date and another week in UTC.
MONDAY_0030_WIB = dt.datetime(2026, 12, 7, 0, 30, tzinfo=WIB)

permit = iomki.permit  # the IOMKI fixture fixed in e34f1a5 (it read the week from the UTC date)


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2026, 11, 29, 20, 45, tzinfo=dt.UTC),  # Sunday in UTC, already Monday 03:45 in Jakarta
        dt.datetime(2026, 12, 6, 17, 29, tzinfo=dt.UTC),  # one minute before the boundary
        dt.datetime(2026, 12, 6, 17, 30, tzinfo=dt.UTC),  # on it: the next one
        dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 2, 28, 12, 0, tzinfo=WIB),
    ],
)
def test_jakarta_boundary_is_the_next_monday_0030_wib(now):
    moved_to = clock.destination("jakarta-boundary", now)
    local = moved_to.astimezone(WIB)
    assert (local.weekday(), local.hour, local.minute) == (0, 0, 30)
    assert now < moved_to <= now + dt.timedelta(days=7)
    utc = moved_to.astimezone(dt.UTC)
    assert (utc.weekday(), utc.hour, utc.minute) == (6, 17, 30)  # Sunday in UTC: the date and the week differ
    assert utc.isocalendar().week != local.isocalendar().week


def test_jakarta_boundary_seen_from_now_is_in_the_future():
    moved_to = clock.destination("jakarta-boundary")
    assert timezone.now() < moved_to <= timezone.now() + dt.timedelta(days=7)
    assert moved_to.astimezone(WIB).strftime("%A %H:%M") == "Monday 00:30"


@pytest.mark.parametrize(
    ("now", "first"),
    [
        (dt.datetime(2026, 11, 29, 20, 45, tzinfo=dt.UTC), dt.date(2026, 12, 1)),
        (dt.datetime(2026, 12, 31, 17, 29, tzinfo=dt.UTC), dt.date(2027, 1, 1)),  # 31 December 17:29 UTC
        (dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC), dt.date(2027, 2, 1)),
    ],
)
def test_month_boundary_is_the_next_first_of_a_month_0030_wib(now, first):
    moved_to = clock.destination("month-boundary", now)
    assert moved_to > now
    assert moved_to.astimezone(WIB).replace(tzinfo=None) == dt.datetime.combine(first, dt.time(0, 30))
    assert moved_to.astimezone(dt.UTC).date() == first - dt.timedelta(days=1)


def test_an_iso_instant_is_taken_as_given_and_without_offset_as_jakarta_time():
    assert clock.destination("2027-01-01T00:30+07:00") == dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC)
    assert clock.destination("2027-01-01T00:30") == dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="jakarta-boundary"):
        clock.destination("minggu depan")


def test_a_test_that_travels_comes_back_to_the_session_clock():
    before = timezone.now()
    with time_machine.travel(dt.datetime(2031, 3, 3, 10, tzinfo=WIB), tick=False):
        assert timezone.localdate() == dt.date(2031, 3, 3)
    assert before <= timezone.now() < before + dt.timedelta(minutes=5)


def test_the_worker_process_is_started_on_the_moved_clock_and_only_then():
    argv = [sys.executable, "-m", "celery", "-A", "siinas", "worker"]
    moved_here = not clock.is_moved()
    if moved_here:  # the ordinary pass: the worker runs as it is; move the clock to see the other case
        assert clock.worker_argv(argv) == argv
        clock.start("jakarta-boundary")
    try:
        moved, now = clock.worker_argv(argv), timezone.now()
    finally:
        if moved_here:
            clock.stop()
    assert moved[:3] == [sys.executable, "-m", "tests.clock"]
    assert abs(float(moved[3]) - now.timestamp()) < 60
    assert moved[4:] == argv[2:]


@pytest.mark.django_db
@pytest.mark.time_machine(MONDAY_0030_WIB.timestamp())
def test_the_iomki_weekly_report_fixture_holds_on_a_monday_morning_in_jakarta(client, cast, permit):
    """Regression (e34f1a5): on Monday 00:30 WIB the UTC date of decided_at is Sunday of the previous week."""
    assert timezone.localdate() == dt.date(2026, 12, 7)
    assert permit.decided_at.astimezone(dt.UTC).date() == dt.date(2026, 12, 6)
    iomki.test_the_province_sees_the_iomki_of_its_besar_factory_with_the_last_weekly_report(client, cast, permit)
