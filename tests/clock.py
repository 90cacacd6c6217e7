"""The whole test session on a moved clock: ``SIINAS_TEST_CLOCK`` (read by tests/conftest.py).

The suite must pass whatever the date and hour it runs at. CI runs it a second time with the process clock
moved to a Jakarta day boundary, where the Jakarta date (and week, and month) differs from the UTC one: any
code or test that takes a UTC date where a Jakarta date is meant fails there, instead of failing once a week
in someone's afternoon.

Values of ``SIINAS_TEST_CLOCK``:

- ``jakarta-boundary`` — the next Monday 00:30 WIB after now (Sunday 17:30 UTC): Jakarta is on Monday of a
  new week, UTC is still on Sunday of the previous one.
- ``month-boundary`` — the next 1st of a month 00:30 WIB after now: Jakarta is in a new month (and IKI
  month), UTC still on the last day of the previous one.
- an ISO 8601 instant, e.g. ``2027-01-01T00:30+07:00``; without an offset it is read as Jakarta wall time.

The clock is moved forward, not back: the live server of tests/browser issues cookies with expiry dates
from the moved clock to a real Chromium on the machine's own clock, and those must not already be expired.

The clock keeps ticking (``tick=True``), so timeouts and "within N seconds" checks behave as usual. Tests
that travel themselves (``time_machine.travel``, the ``time_machine`` fixture) stack on top of the session's
travel and return to it when they end. The Celery worker process of the ``broker`` tests is started through
``python -m tests.clock`` (``worker_argv``) so it runs on the same moved clock as the test process (the
session's, or a test's own travel).
"""

from __future__ import annotations

import datetime as dt
import os
import runpy
import sys
from zoneinfo import ZoneInfo

import time_machine

ENV = "SIINAS_TEST_CLOCK"
JAKARTA = ZoneInfo("Asia/Jakarta")
BOUNDARY_TIME = dt.time(0, 30)
KEYWORDS = ("jakarta-boundary", "month-boundary")

_travel: time_machine.travel | None = None


def next_monday_boundary(now: dt.datetime) -> dt.datetime:
    """The first Monday 00:30 WIB after ``now`` (an aware datetime)."""
    local = now.astimezone(JAKARTA)
    day = local.date() + dt.timedelta(days=-local.weekday() % 7)
    candidate = dt.datetime.combine(day, BOUNDARY_TIME, tzinfo=JAKARTA)
    return candidate if candidate > now else candidate + dt.timedelta(days=7)


def next_month_boundary(now: dt.datetime) -> dt.datetime:
    """The first 1st-of-a-month 00:30 WIB after ``now`` (an aware datetime)."""
    local = now.astimezone(JAKARTA)
    first = local.date().replace(day=1)
    candidate = dt.datetime.combine(first, BOUNDARY_TIME, tzinfo=JAKARTA)
    if candidate <= now:
        year, month = (first.year + 1, 1) if first.month == 12 else (first.year, first.month + 1)
        candidate = candidate.replace(year=year, month=month)
    return candidate


def destination(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """The aware instant ``SIINAS_TEST_CLOCK=value`` moves the clock to, seen from ``now`` (default: now)."""
    now = now or dt.datetime.now(dt.UTC)
    value = value.strip()
    if value == "jakarta-boundary":
        return next_monday_boundary(now)
    if value == "month-boundary":
        return next_month_boundary(now)
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{ENV}={value!r}: expected {' or '.join(KEYWORDS)} or an ISO 8601 instant such as 2027-01-01T00:30+07:00"
        ) from None
    return instant if instant.tzinfo else instant.replace(tzinfo=JAKARTA)


def start(value: str) -> dt.datetime:
    """Move this process's clock to ``destination(value)`` and let it tick on; returns where it went."""
    global _travel
    if _travel is not None:
        raise RuntimeError("the test clock is already moved")
    instant = destination(value)
    # A POSIX timestamp, not the aware datetime: time-machine would also set the TZ environment variable
    # (and so the process's local zone) from a datetime's tzinfo.
    _travel = time_machine.travel(instant.timestamp(), tick=True)
    _travel.start()
    return instant


def stop() -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def is_moved() -> bool:
    return _travel is not None


def worker_argv(argv: list[str]) -> list[str]:
    """``argv`` (``[python, "-m", module, ...]``) to run on this process's moved clock, or unchanged.

    Moved whenever this process travels: the session's clock or a test's own ``time_machine.travel``.
    """
    if not time_machine.escape_hatch.is_travelling():
        return argv
    python, flag, module, *rest = argv
    assert flag == "-m", argv
    # time.time() here is the moved clock: the child starts there and ticks with us.
    return [python, "-m", "tests.clock", repr(dt.datetime.now(dt.UTC).timestamp()), module, *rest]


def _main() -> None:
    """``python -m tests.clock <timestamp> <module> [args...]``: run ``python -m module`` from that instant."""
    timestamp, module, *args = sys.argv[1:]
    os.environ.pop(ENV, None)  # the child is moved here, once; a conftest in it must not move it again
    time_machine.travel(float(timestamp), tick=True).start()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    _main()
