"""The pure rules of SIINAS.md §4: which reminder or warning letter is due, with the clock passed in."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verification.scheduling import (
    Level,
    add_months,
    due_level,
    format_letter_number,
    letter_deadline,
    sanction_due,
)

CLOSE = date(2026, 8, 31)  # Semester 1 window: July–August


def due(today, sent=None, submitted=False):
    return due_level(window_closes=CLOSE, today=today, sent=sent or {}, submitted=submitted)


def test_nothing_is_due_before_the_reminder_span():
    assert due(date(2026, 7, 1)) is None
    assert due(date(2026, 8, 16)) is None


def test_the_first_reminder_is_due_14_days_before_close():
    assert due(date(2026, 8, 17)) == Level.REMINDER_14
    assert due(date(2026, 8, 20), {Level.REMINDER_14: date(2026, 8, 17)}) is None


def test_the_second_reminder_is_due_3_days_before_close():
    sent = {Level.REMINDER_14: date(2026, 8, 17)}
    assert due(date(2026, 8, 28), sent) == Level.REMINDER_3
    assert due(date(2026, 8, 31), sent | {Level.REMINDER_3: date(2026, 8, 28)}) is None


def test_a_late_start_sends_only_the_later_reminder():
    assert due(date(2026, 8, 29)) == Level.REMINDER_3


def test_sp1_is_due_the_day_after_the_window_closes():
    assert due(date(2026, 8, 31)) == Level.REMINDER_3
    assert due(date(2026, 9, 1)) == Level.SP1


def test_no_reminder_is_sent_once_the_window_has_closed():
    assert due(date(2026, 9, 1)) == Level.SP1


def test_sp2_is_sent_one_month_after_sp1():
    sent = {Level.SP1: date(2026, 9, 1)}
    assert due(date(2026, 9, 30), sent) is None
    assert due(date(2026, 10, 1), sent) == Level.SP2


def test_sp3_is_sent_one_month_after_sp2_and_nothing_after_it():
    sent = {Level.SP1: date(2026, 9, 1), Level.SP2: date(2026, 10, 3)}
    assert due(date(2026, 11, 2), sent) is None
    assert due(date(2026, 11, 3), sent) == Level.SP3
    sent[Level.SP3] = date(2026, 11, 3)
    assert due(date(2027, 6, 1), sent) is None


def test_each_letter_counts_from_when_the_previous_one_actually_went_out():
    # The job was down for two months: SP1 goes out late and SP2 still waits a full month after it.
    assert due(date(2026, 11, 15)) == Level.SP1
    assert due(date(2026, 11, 20), {Level.SP1: date(2026, 11, 15)}) is None


def test_submitting_stops_the_sequence():
    assert due(date(2026, 8, 17), submitted=True) is None
    assert due(date(2026, 10, 5), {Level.SP1: date(2026, 9, 1)}, submitted=True) is None


def test_the_sanction_list_follows_sp3_deadline_without_a_report():
    sent = {Level.SP1: date(2026, 9, 1), Level.SP2: date(2026, 10, 1), Level.SP3: date(2026, 11, 1)}
    assert not sanction_due(today=date(2026, 11, 30), sent=sent, submitted=False)
    assert sanction_due(today=date(2026, 12, 1), sent=sent, submitted=False)
    assert not sanction_due(today=date(2026, 12, 1), sent=sent, submitted=True)
    assert not sanction_due(today=date(2027, 1, 1), sent={Level.SP1: date(2026, 9, 1)}, submitted=False)


def test_a_month_later_is_clamped_to_a_shorter_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert letter_deadline(date(2026, 9, 1)) == date(2026, 10, 1)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(min_value=0, max_value=36))
def test_adding_months_never_goes_backwards_or_skips_a_month(day, months):
    later = add_months(day, months)
    assert later >= day
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months


@given(st.dates(min_value=date(2026, 6, 1), max_value=date(2028, 1, 1)))
def test_at_most_one_notice_is_due_and_never_one_already_sent(today):
    sent = {}
    for _ in range(10):
        level = due(today, sent)
        if level is None:
            break
        assert level not in sent
        sent[level] = today
    assert len([lv for lv in sent if lv.is_warning_letter]) <= 1


def test_letter_numbers_follow_the_ministry_format():
    assert format_letter_number(sequence=7, level=Level.SP2, issued_on=date(2026, 10, 1)) == "0007/SP2/PUSDATIN/X/2026"
    assert format_letter_number(sequence=1, level=Level.SP1, issued_on=date(2027, 1, 4)) == "0001/SP1/PUSDATIN/I/2027"


def test_reminders_carry_no_letter_number():
    with pytest.raises(ValueError):
        format_letter_number(sequence=1, level=Level.REMINDER_3, issued_on=date(2026, 8, 28))
