"""Exactly once (issue 5 §7): re-runs, two beat instances and a crash part-way never duplicate or skip."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from tests.factories import FactoryAccountFactory
from tests.helpers import committed
from tests.verification.conftest import at
from verification.models import Reminder, WarningLetter
from verification.services.compliance import compliance_plan
from verification.tasks import run_compliance, send_notice

pytestmark = pytest.mark.django_db
SP1_DAY = dt.date(2027, 9, 1)


@pytest.fixture
def five_late_factories(cast, period):
    extra = [FactoryAccountFactory(kbli_codes=["10110"]) for _ in range(3)]
    return [cast.factory_a, cast.factory_b, *extra]


def test_running_the_job_twice_the_same_day_sends_each_letter_once(five_late_factories):
    with time_machine.travel(at(SP1_DAY), tick=False), committed():
        run_compliance.delay()
        run_compliance.delay()
    assert WarningLetter.objects.filter(sent_at__isnull=False).count() == 5
    assert len(mail.outbox) == 5
    numbers = sorted(WarningLetter.objects.values_list("number", flat=True))
    assert numbers == [f"000{n}/SP1/PUSDATIN/IX/2027" for n in range(1, 6)]


def test_two_beat_instances_plan_the_same_rows_and_each_letter_goes_out_once(five_late_factories):
    with time_machine.travel(at(SP1_DAY), tick=False), committed():
        first = compliance_plan(today=SP1_DAY)
        second = compliance_plan(today=SP1_DAY)
        assert first == second and len(first) == 5
        results = [send_notice.delay(n.kind, n.pk).get() for n in first + second]
    assert results.count(True) == 5 and results.count(False) == 5
    assert len(mail.outbox) == 5


def test_a_crash_part_way_leaves_the_rest_for_the_next_run_without_repeats(five_late_factories, monkeypatch):
    """One letter fails to render: the others go out, the failed one is rolled back whole (number and file
    included) and issued by the next run with the next free number. Every step of a crash is in
    tests/faults/test_worker_killed_mid_letter.py."""
    from verification.services import compliance

    real_render = compliance.render_pdf
    calls = {"n": 0}

    def dies_on_the_third_letter(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed mid-run")
        return real_render(*args, **kwargs)

    monkeypatch.setattr(compliance, "render_pdf", dies_on_the_third_letter)
    with time_machine.travel(at(SP1_DAY), tick=False), committed():
        run_compliance.delay()
    assert WarningLetter.objects.filter(sent_at__isnull=False).count() == 4
    assert len(mail.outbox) == 4
    unsent = WarningLetter.objects.get(sent_at__isnull=True)
    assert unsent.number is None and not unsent.pdf, "the failed letter rolled back, number and file included"

    with time_machine.travel(at(SP1_DAY + dt.timedelta(days=1)), tick=False), committed():
        run_compliance.delay()
    assert WarningLetter.objects.filter(sent_at__isnull=False).count() == 5
    assert len(mail.outbox) == 5
    assert len({m.to[0] for m in mail.outbox}) == 5, "nobody got the letter twice"
    numbers = sorted(WarningLetter.objects.values_list("number", flat=True))
    assert numbers[:4] == [f"000{n}/SP1/PUSDATIN/IX/2027" for n in range(1, 5)], "no gap in the numbering"
    assert numbers[4] == "0005/SP1/PUSDATIN/IX/2027"


def test_a_worker_killed_after_planning_leaves_rows_the_next_run_delivers(five_late_factories):
    with time_machine.travel(at(SP1_DAY), tick=False):
        compliance_plan(today=SP1_DAY)  # the worker dies here, before dispatching
    assert WarningLetter.objects.filter(sent_at__isnull=True).count() == 5 and not mail.outbox
    with time_machine.travel(at(SP1_DAY + dt.timedelta(days=2)), tick=False), committed():
        assert run_compliance.delay().get() == 5
    assert len(mail.outbox) == 5
    assert set(WarningLetter.objects.values_list("issued_on", flat=True)) == {SP1_DAY + dt.timedelta(days=2)}


def test_a_planned_reminder_is_cancelled_when_the_report_arrives_before_delivery(cast, period):
    from reporting.models import ReportStatus
    from tests.reporting.factories import ReportFactory

    day = dt.date(2027, 8, 17)
    with time_machine.travel(at(day), tick=False), committed():
        pending = compliance_plan(today=day)
        ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
        for notice in pending:
            send_notice.delay(notice.kind, notice.pk)
    reminder = Reminder.objects.get(factory=cast.factory_a)
    assert reminder.sent_at is None and reminder.cancelled_at is not None
    assert [m.to for m in mail.outbox] == [[cast.factory_b.email, cast.company_b.email]]


def test_the_planner_is_acks_late_and_the_sender_is_not():
    assert run_compliance.acks_late is True and run_compliance.reject_on_worker_lost is True
    assert send_notice.acks_late is False


def test_the_daily_beat_entry_runs_the_registered_compliance_job():
    from siinas.celery import app

    entry = app.conf.beat_schedule["verification-compliance-daily"]
    assert entry["task"] == run_compliance.name and entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {0})
