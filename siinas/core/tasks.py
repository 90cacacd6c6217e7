from celery import shared_task

from siinas.lib.audit import audit


@shared_task(name="core.record_heartbeat")
def record_heartbeat(source: str) -> int:
    """Write one audit row from a worker: proves a worker reaches the same database as the web."""
    return audit("system.heartbeat", actor=None, source=source).pk


@shared_task(name="core.deliver_outbox_message", ignore_result=True)
def deliver_outbox_message(message_id: int) -> bool:
    """Deliver one outbox message handed over right after its action committed (a no-op when it was
    already delivered or is not due). A failure stays on the row for the sweep; nothing is raised."""
    from siinas.core.outbox import deliver

    return deliver(message_id)


@shared_task(name="core.deliver_outbox", ignore_result=True)
def deliver_outbox() -> int:
    """The sweep (beat, every minute): whatever is due and still pending, oldest first; then a batch of
    messages delivered more than 90 days ago is pruned, so the table does not grow without end."""
    from siinas.core.outbox import deliver_due, prune_sent

    sent, _tried = deliver_due()
    prune_sent()
    return sent


@shared_task(name="core.build_export", ignore_result=True)
def build_export(job_id: int) -> bool:
    """Build a large export an officer asked for (``siinas.core.export_jobs``)."""
    from siinas.core.export_jobs import build

    return build(job_id)


@shared_task(name="core.prune_exports", ignore_result=True)
def prune_exports() -> int:
    """Delete exports (and their files) older than the days they are kept (beat, nightly)."""
    from siinas.core.export_jobs import prune

    return prune()
