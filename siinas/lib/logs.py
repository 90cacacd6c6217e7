"""Log formats: plain text in development, one JSON object per line in production (``LOG_FORMAT``).

Every line carries ``request_id`` (siinas/lib/request_id.py); a task's lines also ``task_id`` and
``task_name``. The JSON keys are fixed so a log collector can index them: ``time`` (UTC, ISO 8601),
``level``, ``logger``, ``message``, ``request_id`` (null outside a request or task), ``process``, and
when present ``task_id``, ``task_name``, ``exception``.

The web's access lines come from gunicorn: gunicorn.conf.py writes them in the same shape (with the
request id of the response) in JSON mode; the Celery worker and beat take settings.LOGGING instead of
their own format (``on_setup_logging``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging


def _utc(created: float) -> str:
    return dt.datetime.fromtimestamp(created, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        entry: dict[str, object] = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": None if request_id in (None, "-") else request_id,
            "process": record.process,
        }
        for key in ("task_id", "task_name"):
            if getattr(record, key, None):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def on_setup_logging(loglevel=None, **kwargs) -> None:
    """Celery's ``setup_logging``: the worker and beat log as the web does (settings.LOGGING, so JSON in
    production, with the request and task ids), at the ``--loglevel`` they were started with."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)
