"""gunicorn settings read from the working directory (gunicorn loads ./gunicorn.conf.py by itself), so
`make run`, the image and docker-compose get the same metrics and log set-up; options on the command
line (workers, timeouts, limits) still win. Nothing here imports the application: the arbiter stays
small, and each worker loads the application after the fork.

Metrics (siinas/lib/metrics.py): each worker writes its values to files under PROMETHEUS_MULTIPROC_DIR
and a scrape adds them up (prometheus_client's multiprocess mode). The directory defaults to
$SIINAS_VAR_DIR/prometheus/gunicorn; it is emptied when gunicorn starts, and a worker that exits is
marked dead (its in-progress gauge is dropped; its counters stay, as they must).

Logs: in JSON mode (LOG_FORMAT=json, the default with SIINAS_ENV=production) gunicorn's own lines and its
access lines are JSON objects with the keys of the application's (siinas/lib/logs.py); in plain mode the
access line ends with the request id. Either way the access line carries the X-Request-ID of the response.
"""

import datetime as dt
import json
import logging
import os
from pathlib import Path

from gunicorn.glogging import Logger

_var_dir = Path(os.environ.get("SIINAS_VAR_DIR") or Path(__file__).resolve().parent / "var")
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_var_dir / "prometheus" / "gunicorn"))

_log_format = os.environ.get("LOG_FORMAT", "").strip() or (
    "json" if os.environ.get("SIINAS_ENV", "").strip() == "production" else "plain"
)


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _JsonLines(logging.Formatter):
    def format(self, record):
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": None,
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class JsonLogger(Logger):
    """gunicorn's logger writing JSON lines; one access line per request with method, path (without the
    query string, which can hold tokens), status, bytes, duration and the response's request id."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(_JsonLines())
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter("%(message)s"))

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = atoms["s"]
        entry = {
            "time": _utc_now(),
            "level": "INFO",
            "logger": "gunicorn.access",
            "message": f"{atoms['m']} {atoms['U']} {status}",
            "request_id": atoms.get("{x-request-id}o"),
            "process": os.getpid(),
            "method": atoms["m"],
            "path": atoms["U"],
            "status": int(status) if str(status).isdigit() else status,
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote": atoms["h"],
            "user_agent": atoms["a"],
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False, default=str))
        except Exception:
            self.error("the access line could not be written")


if _log_format == "json":
    logger_class = JsonLogger
else:
    access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms rid=%({x-request-id}o)s'


def on_starting(server):
    """In the arbiter, before any worker: the files of a previous run describe processes long gone."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for item in directory.glob("*.db"):
        item.unlink(missing_ok=True)


def child_exit(server, worker):
    """A worker exited (crash, timeout, --max-requests, shutdown): drop its live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
