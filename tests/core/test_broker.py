"""The production path: a task sent through Redis is run by a real worker process."""

import pytest

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
    assert AuditEvent.objects.filter(action="system.heartbeat", extra__source="uji-broker").exists()
