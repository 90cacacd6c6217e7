"""When a reminder or a warning letter is due — pure functions, the clock passed in.

SIINAS.md §4 and issue 5: e-mail reminders 14 and 3 days before a reporting window closes to
factories without a submission; after the window, SP1 to each factory still without one, SP2 one
month after SP1, SP3 one month after SP2 (at most three); submitting stops the sequence. After SP3's
deadline (one month) passes without a report the factory is recommended for administrative sanction.

The job asks ``due_level`` once per factory and period and acts on the single answer, so a job that
was down for weeks never sends two letters at once: each letter is dated from when the previous one
actually went out, and the "one month apart" rule holds whatever the beat did.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum


class Level(StrEnum):
    """Every notice a factory can receive for one period, in the order it receives them."""

    REMINDER_14 = "H-14"
    REMINDER_3 = "H-3"
    SP1 = "SP1"
    SP2 = "SP2"
    SP3 = "SP3"

    @property
    def is_warning_letter(self) -> bool:
        return self in WARNING_LETTERS

    @property
    def ordinal(self) -> int:
        """1, 2 or 3 for a warning letter (SP1–SP3)."""
        return WARNING_LETTERS.index(self) + 1


REMINDERS: tuple[Level, ...] = (Level.REMINDER_14, Level.REMINDER_3)
WARNING_LETTERS: tuple[Level, ...] = (Level.SP1, Level.SP2, Level.SP3)
REMINDER_DAYS_BEFORE_CLOSE = {Level.REMINDER_14: 14, Level.REMINDER_3: 3}
MONTHS_BETWEEN_LETTERS = 1


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def letter_deadline(issued_on: date) -> date:
    """The date a letter gives the company to submit: when the next letter would be due."""
    return add_months(issued_on, MONTHS_BETWEEN_LETTERS)


def due_level(
    *,
    window_closes: date,
    today: date,
    sent: Mapping[Level, date],
    submitted: bool,
) -> Level | None:
    """The one notice due today for a factory, or ``None``.

    ``window_closes`` is the last day of the reporting window (inclusive); ``sent`` maps each notice
    already sent for this period to the local date it went out; ``submitted`` is whether the factory
    has submitted its report for the period (at any time — submitting stops the sequence).
    """
    if submitted:
        return None
    if today <= window_closes:
        # Inside the reminder span only. The later reminder supersedes an unsent earlier one, so a
        # factory that was added (or a job that was down) 5 days before close gets only H-3's text.
        if today >= window_closes - timedelta(days=REMINDER_DAYS_BEFORE_CLOSE[Level.REMINDER_3]):
            return None if Level.REMINDER_3 in sent else Level.REMINDER_3
        if today >= window_closes - timedelta(days=REMINDER_DAYS_BEFORE_CLOSE[Level.REMINDER_14]):
            return None if Level.REMINDER_14 in sent else Level.REMINDER_14
        return None
    if Level.SP1 not in sent:
        return Level.SP1
    if Level.SP2 not in sent:
        return Level.SP2 if today >= letter_deadline(sent[Level.SP1]) else None
    if Level.SP3 not in sent:
        return Level.SP3 if today >= letter_deadline(sent[Level.SP2]) else None
    return None


def sanction_due(*, today: date, sent: Mapping[Level, date], submitted: bool) -> bool:
    """After SP3's deadline with still no report: the case goes on the sanction recommendation list."""
    if submitted or Level.SP3 not in sent:
        return False
    return today >= letter_deadline(sent[Level.SP3])


ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
LETTER_ISSUER_CODE = "PUSDATIN"


def format_letter_number(*, sequence: int, level: Level, issued_on: date) -> str:
    """Ministry letter number: ``<seq>/SP<n>/PUSDATIN/<roman month>/<year>``, the sequence per year and level.

    e.g. ``0007/SP2/PUSDATIN/X/2026`` — the seventh SP2 issued in 2026, dated in October.
    """
    if not level.is_warning_letter:
        raise ValueError(f"{level} is a reminder, reminders carry no letter number")
    if sequence < 1:
        raise ValueError("letter sequence starts at 1")
    return f"{sequence:04d}/{level.value}/{LETTER_ISSUER_CODE}/{ROMAN_MONTHS[issued_on.month - 1]}/{issued_on.year}"
