"""The compliance job under real concurrency: two beat instances at once, and a real worker via Redis.

Both need PostgreSQL (row locks, committed data visible to other connections); the broker test
also needs Redis and spawns a real ``celery -A siinas worker`` (the shared fixture).
"""

import datetime as dt
import threading
import time

import pytest
import time_machine
from celery import _state as celery_state
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import Factory
from reporting.models import Period
from siinas.core.models import AuditEvent
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory
from tests.verification.conftest import at
from verification.models import WarningLetter
from verification.tasks import run_compliance

needs_postgres = pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL (.ci/run)")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_beat_instances_running_at_the_same_moment_send_each_letter_once(cast):
    PeriodFactory(year=2027, number=1)
    for _ in range(6):
        FactoryAccountFactory(kbli_codes=["10110"])
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def beat_instance():
        try:
            with time_machine.travel(at(dt.date(2027, 9, 1)), tick=True):
                barrier.wait()
                run_compliance.delay()
        except BaseException as exc:  # noqa: BLE001 — reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat_instance) for _ in range(2)]
    join_flag = celery_state.task_join_will_block()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        # Eager tasks in two threads race on Celery's process-global "inside a task" flag; put it back.
        celery_state._set_task_join_will_block(join_flag)
    assert not errors, errors
    assert WarningLetter.objects.filter(sent_at__isnull=False).count() == 8
    assert len(mail.outbox) == 8
    assert len(set(WarningLetter.objects.values_list("number", flat=True))) == 8


@pytest.mark.broker
def test_a_real_worker_through_redis_sends_each_letter_once(celery_worker_process, cast):
    today = timezone.localdate()
    Period.objects.create(
        period_type=Period.Type.QUARTER, year=today.year - 1, number=4,
        start=dt.date(today.year - 1, 10, 1), end=dt.date(today.year - 1, 12, 31),
        window_opens=today - dt.timedelta(days=40), window_closes=today - dt.timedelta(days=1),
    )  # fmt: skip
    Factory.objects.update(created_at=timezone.now() - dt.timedelta(days=60))

    assert run_compliance.delay().get(timeout=60) == 2
    deadline = time.monotonic() + 60
    while WarningLetter.objects.filter(sent_at__isnull=False).count() < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert run_compliance.delay().get(timeout=60) == 0, "a second run finds nothing left to send"
    time.sleep(2)
    sent = WarningLetter.objects.filter(sent_at__isnull=False)
    assert sorted(sent.values_list("factory_id", flat=True)) == sorted([cast.factory_a.pk, cast.factory_b.pk])
    assert AuditEvent.objects.filter(action="verification.letter_sent").count() == 2
