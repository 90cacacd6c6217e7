"""The production path: a task sent through Redis is run by a real worker process."""

import datetime as dt

import pytest
from django.utils import timezone

from siinas.celery import ping
from siinas.core.models import AuditEvent


@pytest.mark.broker
def test_a_task_sent_through_redis_is_run_by_a_real_worker(celery_worker_process):
    result = ping.delay("halo dari broker")
    assert result.get(timeout=30) == "halo dari broker"


@pytest.mark.broker
def test_a_worker_writes_to_the_same_database(celery_worker_process):
    from siinas.core.tasks import record_heartbeat

    record_heartbeat.delay("uji-broker").get(timeout=30)
    event = AuditEvent.objects.get(action="system.heartbeat", extra__source="uji-broker")
    # The worker keeps the tests' clock, also when SIINAS_TEST_CLOCK moved it (tests/clock.py).
    assert abs(event.created_at - timezone.now()) < dt.timedelta(minutes=1)
