"""Wires the request id, the log format and the task metrics into Celery (called by siinas/celery.py).

Celery signals are process-wide; each receiver is a plain function in its own module:
siinas/lib/request_id.py (the id travels in the message headers), siinas/lib/metrics.py (task outcomes,
the worker's exporter), siinas/lib/logs.py (worker and beat log as settings.LOGGING says).
"""

from __future__ import annotations

from celery import signals

from siinas.lib import logs, metrics, request_id

_connected = False


def connect_celery_signals() -> None:
    global _connected
    if _connected:
        return
    signals.setup_logging.connect(logs.on_setup_logging, weak=False)
    signals.before_task_publish.connect(request_id.on_before_task_publish, weak=False)
    signals.task_prerun.connect(request_id.on_task_prerun, weak=False)
    signals.task_postrun.connect(request_id.on_task_postrun, weak=False)
    signals.task_prerun.connect(metrics.on_task_prerun, weak=False)
    signals.task_postrun.connect(metrics.on_task_postrun, weak=False)
    signals.task_revoked.connect(metrics.on_task_revoked, weak=False)
    signals.worker_init.connect(_on_worker_init, weak=False)
    signals.worker_ready.connect(_on_worker_ready, weak=False)
    _connected = True


def _on_worker_init(**kwargs) -> None:
    # Before the pool forks: what a previous run of this worker left in the directory is dropped.
    metrics.prepare_multiprocess_dir(clear=True)


def _on_worker_ready(**kwargs) -> None:
    from django.conf import settings

    if settings.WORKER_METRICS_PORT:
        metrics.start_worker_exporter(port=settings.WORKER_METRICS_PORT, token=settings.METRICS_TOKEN)
