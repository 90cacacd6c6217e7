"""Wires the request id and the log format into Celery (called by siinas/celery.py).

Celery signals are process-wide; each receiver is a plain function in its own module:
siinas/lib/request_id.py (the id travels in the message headers), siinas/lib/logs.py (worker and beat
log as settings.LOGGING says).
"""

from __future__ import annotations

from celery import signals

from siinas.lib import logs, request_id

_connected = False


def connect_celery_signals() -> None:
    global _connected
    if _connected:
        return
    signals.setup_logging.connect(logs.on_setup_logging, weak=False)
    signals.before_task_publish.connect(request_id.on_before_task_publish, weak=False)
    signals.task_prerun.connect(request_id.on_task_prerun, weak=False)
    signals.task_postrun.connect(request_id.on_task_postrun, weak=False)
    _connected = True

