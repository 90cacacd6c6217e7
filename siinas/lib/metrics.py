"""Prometheus metrics (docs/operations.md "Metrics"), with prometheus-client.

Per-process metrics are recorded where things happen: requests by ``MetricsMiddleware``, tasks by the
Celery signal receivers below. Gunicorn and a prefork Celery worker run several processes; with
``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn.conf.py sets it for gunicorn, the image for every container)
each process writes its values to files there and a scrape adds them up (prometheus_client's
multiprocess mode). Without it a scrape sees only the process that answers it: fine for ``runserver``
and tests, wrong for several workers.

Business figures are counted in the database at scrape time (``PortalCollector``): the outbox backlog,
letters issued, reports submitted in the last hour, and the broker's queue length. They are the same
whichever process answers.

The endpoint (``siinas.core.views.metrics``) answers only ``Authorization: Bearer <METRICS_TOKEN>``;
without a token configured it does not exist (404). A worker serves its own metrics on
``WORKER_METRICS_PORT`` under the same token (``start_worker_exporter``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger("siinas.metrics")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare_multiprocess_dir(*, clear: bool) -> Path | None:
    """Create ``PROMETHEUS_MULTIPROC_DIR`` and, at the start of a server (gunicorn master, Celery worker),
    remove the files a previous run left there: their counters belong to processes long gone."""
    path = os.environ.get(MULTIPROC_ENV)
    if not path:
        return None
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    if clear:
        for item in directory.glob("*.db"):
            item.unlink(missing_ok=True)
    return directory


# Before any metric is defined: a metric without labels opens its file at once.
prepare_multiprocess_dir(clear=False)

REQUEST_LATENCY = Histogram(
    "siinas_http_request_duration_seconds",
    "Time from the first middleware to the response, by resolved URL name.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
RESPONSES = Counter(
    "siinas_http_responses",
    "Responses by resolved URL name and status class (2xx, 3xx, 4xx, 5xx).",
    ["view", "status_class"],
)
REQUEST_QUERIES = Histogram(
    "siinas_http_request_db_queries",
    "Database queries run by one request, by resolved URL name.",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
)
IN_PROGRESS = Gauge(
    "siinas_http_requests_in_progress",
    "Requests being served now (sync workers: one each).",
    multiprocess_mode="livesum",
)
TASKS = Counter(
    "siinas_celery_tasks",
    "Celery tasks finished, by task name and final state (success, failure, retry, revoked, ...).",
    ["task", "state"],
)
TASK_DURATION = Histogram(
    "siinas_celery_task_duration_seconds",
    "Run time of Celery tasks, by task name.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 1800.0),
)
TASK_LAST_SUCCESS = Gauge(
    "siinas_celery_task_last_success_timestamp_seconds",
    "Unix time of the last successful run, by task name (beat heartbeat: core.deliver_outbox every minute).",
    ["task"],
    multiprocess_mode="max",
)

# Where the process-wide failure to record is reported once, never per request.
_recording_failed = False


def _record(action) -> None:
    """Record a value; metrics must never fail a request or a task."""
    global _recording_failed
    try:
        action()
    except Exception:  # noqa: BLE001
        if not _recording_failed:
            _recording_failed = True
            log.warning("a metric could not be recorded (further failures are not logged)", exc_info=True)




# --- Requests ---------------------------------------------------------------------------------------


def view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return match.view_name
    from django.conf import settings

    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class MetricsMiddleware:
    """Right after RequestIdMiddleware: latency, status class and query count of each request, labelled
    by the URL name (``reporting:report-detail``), never the raw path (unbounded)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connections

        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        _record(IN_PROGRESS.inc)
        try:
            with ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(count))
                response = self.get_response(request)
        finally:
            _record(IN_PROGRESS.dec)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        _record(lambda: REQUEST_LATENCY.labels(view).observe(elapsed))
        _record(lambda: RESPONSES.labels(view, f"{response.status_code // 100}xx").inc())
        _record(lambda: REQUEST_QUERIES.labels(view).observe(queries[0]))
        return response


# --- Celery tasks -----------------------------------------------------------------------------------

_task_started: dict[str, float] = {}


def on_task_prerun(task_id=None, task=None, **kwargs) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


def on_task_postrun(task_id=None, task=None, state=None, **kwargs) -> None:
    name = getattr(task, "name", None) or "unknown"
    started = _task_started.pop(task_id, None) if task_id else None
    # A task run in-process whose exception propagates to its caller reaches postrun without a state.
    outcome = (state or "failure").lower()
    _record(lambda: TASKS.labels(name, outcome).inc())
    if started is not None:
        _record(lambda: TASK_DURATION.labels(name).observe(time.perf_counter() - started))
    if outcome == "success":
        _record(lambda: TASK_LAST_SUCCESS.labels(name).set(time.time()))


def on_task_revoked(request=None, **kwargs) -> None:
    name = getattr(request, "task", None) or getattr(request, "name", None) or "unknown"
    _record(lambda: TASKS.labels(name, "revoked").inc())


# --- Scrape-time figures ----------------------------------------------------------------------------


class PortalCollector:
    """Counted when Prometheus asks, from the database and the broker; a source that cannot be read is
    left out of that scrape and ``siinas_metrics_source_up{source=...}`` says 0."""

    def collect(self):
        up = GaugeMetricFamily("siinas_metrics_source_up", "1 when the source of the scrape-time figures answered.", labels=["source"])
        families: list = []
        try:
            families += self._database()
            up.add_metric(["database"], 1)
        except Exception:  # noqa: BLE001 — a scrape reports what it can
            log.warning("metrics: the database figures could not be read", exc_info=True)
            up.add_metric(["database"], 0)
        broker = self._broker_safely()
        if broker is not None:
            families.append(broker[0])
            up.add_metric(["broker"], broker[1])
        yield from families
        yield up

    def _database(self) -> list:
        import datetime as dt

        from django.db.models import Count
        from django.utils import timezone

        from reporting.models import ReportEvent
        from siinas.core.outbox import backlog
        from verification.models import WarningLetter

        counts = backlog()
        pending = GaugeMetricFamily("siinas_outbox_pending", "Outbox messages waiting to be delivered.")
        pending.add_metric([], counts["pending"])
        failed = GaugeMetricFamily("siinas_outbox_failed", "Outbox messages that failed every attempt and wait for an operator.")
        failed.add_metric([], counts["failed"])
        oldest = GaugeMetricFamily(
            "siinas_outbox_oldest_pending_age_seconds", "Age of the oldest pending outbox message (0 when none)."
        )
        oldest.add_metric([], counts["oldest_pending_seconds"])

        letters = GaugeMetricFamily(
            "siinas_warning_letters_issued", "Warning letters issued (sent_at set), by level.", labels=["level"]
        )
        issued = dict(
            WarningLetter.objects.filter(sent_at__isnull=False).values_list("level").annotate(n=Count("id")).values_list("level", "n")
        )
        for level in WarningLetter.Kind.values:
            letters.add_metric([level], issued.get(level, 0))

        submitted = GaugeMetricFamily(
            "siinas_reports_submitted_last_hour", "Semester report submissions (first and re-submissions) in the last hour."
        )
        submitted.add_metric(
            [],
            ReportEvent.objects.filter(
                created_at__gte=timezone.now() - dt.timedelta(hours=1),
                action__in=[ReportEvent.Action.SUBMITTED, ReportEvent.Action.RESUBMITTED],
            ).count(),
        )
        return [pending, failed, oldest, letters, submitted]

    def _broker_safely(self):
        """(queue length, 1) with a broker, (empty family, 0) when it does not answer, None in the embedded
        default (tasks run in-process: there is no queue)."""
        from django.conf import settings

        if settings.CELERY_TASK_ALWAYS_EAGER or not settings.REDIS_URL:
            return None
        family = GaugeMetricFamily("siinas_celery_queue_length", "Tasks waiting in the broker's queue.", labels=["queue"])
        try:
            family.add_metric(["celery"], _redis_queue_length(settings.CELERY_BROKER_URL, "celery"))
            return family, 1
        except Exception:  # noqa: BLE001
            log.warning("metrics: the broker's queue length could not be read", exc_info=True)
            return family, 0


def _redis_queue_length(url: str, queue: str) -> int:
    """kombu keeps a Redis queue as one list per priority step: ``celery``, ``celery\\x06\\x163``, ..."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0)
    try:
        names = [queue] + [f"{queue}\x06\x16{step}" for step in (1, 2, 3, 4, 5, 6, 7, 8, 9)]
        with client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.llen(name)
            return sum(pipe.execute())
    finally:
        client.close()


# --- Exposition -------------------------------------------------------------------------------------


def token_matches(presented: str | None, token: str | None) -> bool:
    """Constant time whatever the lengths: both sides are hashed before the comparison."""
    if not token or not presented:
        return False
    return hmac.compare_digest(hashlib.sha256(presented.encode()).digest(), hashlib.sha256(token.encode()).digest())


def bearer(header: str | None) -> str | None:
    if header and header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


class _Forward:
    """Another registry's metrics inside the scrape's registry (single-process mode)."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        yield from self.registry.collect()


def scrape_registry(*, portal: bool = True) -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Forward(REGISTRY))
    if portal:
        registry.register(PortalCollector())
    return registry


def latest() -> bytes:
    return generate_latest(scrape_registry())


# --- A worker's own endpoint ------------------------------------------------------------------------

_exporter_started = False


def start_worker_exporter(*, port: int | None, token: str | None, addr: str = "0.0.0.0"):  # noqa: S104 — inside the container; see docs/operations.md
    """Serve the worker's task metrics on ``port`` (Celery ``worker_ready``, in the worker's main
    process) under the same bearer token as the web; returns the server. Without a port or a token
    nothing is started (None). Port 0 takes any free port (tests)."""
    global _exporter_started
    if _exporter_started or port is None or not token:
        return None
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from prometheus_client import CONTENT_TYPE_LATEST
    from prometheus_client.exposition import ThreadingWSGIServer

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):  # one line per scrape is noise
            pass

    if not os.environ.get(MULTIPROC_ENV):
        log.warning("worker metrics without %s: only the main process's tasks are counted", MULTIPROC_ENV)

    def app(environ, start_response):
        if environ.get("PATH_INFO") not in ("/metrics", "/metrics/") or not token_matches(
            bearer(environ.get("HTTP_AUTHORIZATION")), token
        ):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"Not Found\n"]
        body = generate_latest(scrape_registry(portal=False))
        start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
        return [body]

    server = make_server(addr, port, app, ThreadingWSGIServer, handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics-exporter", daemon=True).start()
    _exporter_started = True
    log.info("worker metrics on port %s", server.server_port)
    return server

