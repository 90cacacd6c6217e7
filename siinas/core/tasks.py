from celery import shared_task

from siinas.lib.audit import audit


@shared_task(name="core.record_heartbeat")
def record_heartbeat(source: str) -> int:
    """Write one audit row from a worker: proves a worker reaches the same database as the web."""
    return audit("system.heartbeat", actor=None, source=source).pk
