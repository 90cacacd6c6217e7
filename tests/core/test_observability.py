"""What an operator has beyond /health/ (issue 19 §5): a request id on every response, log line, task and
500 page; JSON logs in production; Prometheus metrics behind a token; Sentry only when configured."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import logging
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from kombu import Connection
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from siinas.celery import app
from siinas.core.models import OutboxMessage
from siinas.lib import metrics
from siinas.lib.logs import JsonFormatter
from siinas.lib.request_id import CELERY_HEADER, RequestIdFilter, bound_request_id, get_request_id
from tests.core.test_settings import PROD_ENV

GENERATED = re.compile(r"[0-9a-f]{32}")
TOKEN = "metrics-token-for-the-tests-0123456789"


@app.task(name="tests.observability.echo_request_id")
def echo_request_id(fail: bool = False) -> str | None:
    logging.getLogger("siinas.tests.task").info("task says hello")
    if fail:
        raise RuntimeError("the task failed on purpose")
    return get_request_id()


def _sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    """A fresh interpreter with Django set up under ``env`` (what a process started by an operator sees)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN", "LOG_FORMAT", "SIINAS_ENV", "PROMETHEUS_MULTIPROC_DIR"}}
    return subprocess.run(  # noqa: S603 — our own interpreter and code
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "siinas.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def request_id_on_caplog(caplog):
    """caplog's handler gets the filter settings.LOGGING puts on the console handler."""
    log_filter = RequestIdFilter()
    caplog.handler.addFilter(log_filter)
    caplog.set_level(logging.INFO)
    yield caplog
    caplog.handler.removeFilter(log_filter)


# --- The request id -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one_in_its_response(client):
    first = client.get(reverse("core:health"))
    second = client.get(reverse("core:health"))
    assert GENERATED.fullmatch(first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_an_incoming_id_from_the_proxy_is_kept(client):
    response = client.get(reverse("core:health"), headers={"X-Request-ID": "nginx-7f3a.b:01_x"})
    assert response["X-Request-ID"] == "nginx-7f3a.b:01_x"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming",
    [
        "x" * 65,  # too long
        "<script>alert(1)</script>",
        "abc\r\nSet-Cookie: sessionid=stolen",
        "two words",
        "../../etc/passwd",
        '"}, "level": "CRITICAL',  # a forged JSON log field
        "",
    ],
)
def test_an_unsafe_incoming_id_is_replaced(client, incoming):
    response = client.get(reverse("core:health"), HTTP_X_REQUEST_ID=incoming)
    assert GENERATED.fullmatch(response["X-Request-ID"])


@pytest.mark.django_db
def test_a_redirect_and_a_404_carry_the_id_too(client):
    assert client.get(reverse("core:dashboard"), headers={"X-Request-ID": "r-302"})["X-Request-ID"] == "r-302"
    assert client.get("/tidak-ada/", headers={"X-Request-ID": "r-404"})["X-Request-ID"] == "r-404"


@pytest.mark.django_db
def test_every_log_line_of_a_request_carries_its_id(client, request_id_on_caplog):
    client.get("/tidak-ada/", headers={"X-Request-ID": "keluhan-1234"})  # Django logs "Not Found" (django.request)
    logging.getLogger("siinas.tests").info("after the request")
    lines = {(r.name, r.getMessage()): r.request_id for r in request_id_on_caplog.records}
    assert lines[("django.request", "Not Found: /tidak-ada/")] == "keluhan-1234"
    assert lines[("siinas.tests", "after the request")] == "-"


def test_the_console_handler_of_the_settings_stamps_the_id():
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["request_id"]
    assert settings.LOGGING["filters"]["request_id"]["()"] == "siinas.lib.request_id.RequestIdFilter"
    assert "%(request_id)s" in settings.LOGGING["formatters"]["plain"]["format"]
    assert any(isinstance(f, RequestIdFilter) for h in logging.getLogger().handlers for f in h.filters)


# --- The id in tasks --------------------------------------------------------------------------------


def test_a_task_run_in_process_logs_under_the_id_of_the_request_that_sent_it(request_id_on_caplog):
    with bound_request_id("permintaan-9"):
        assert echo_request_id.delay().get() == "permintaan-9"
    line = next(r for r in request_id_on_caplog.records if r.getMessage() == "task says hello")
    assert line.request_id == "permintaan-9"
    assert line.task_name == "tests.observability.echo_request_id" and line.task_id
    assert get_request_id() is None, "the id does not outlive its request"


def test_a_published_task_carries_the_id_in_its_headers_and_the_worker_logs_under_it(request_id_on_caplog):
    app.conf.task_always_eager = False
    try:
        with Connection("memory://") as connection:
            with bound_request_id("keluhan-77"):
                echo_request_id.apply_async(connection=connection, queue="observability-test")
            queue = connection.SimpleQueue("observability-test")
            message = queue.get(timeout=5)
            assert message.headers[CELERY_HEADER] == "keluhan-77"
            # What a worker does with the message, minus the pool: nothing of the publisher's context is here.
            from celery.worker.request import Request

            assert get_request_id() is None
            assert Request(message, app=app, task=echo_request_id).execute() == "keluhan-77"
            queue.close()
    finally:
        app.conf.task_always_eager = True
    line = next(r for r in request_id_on_caplog.records if r.getMessage() == "task says hello")
    assert line.request_id == "keluhan-77"
    assert get_request_id() is None


def test_a_task_published_outside_a_request_has_no_id_header():
    app.conf.task_always_eager = False
    try:
        with Connection("memory://") as connection:
            echo_request_id.apply_async(connection=connection, queue="observability-test-2")
            queue = connection.SimpleQueue("observability-test-2")
            message = queue.get(timeout=5)
            assert CELERY_HEADER not in message.headers
            queue.close()
    finally:
        app.conf.task_always_eager = True


@pytest.mark.django_db
def test_an_outbox_message_keeps_the_id_of_the_request_that_recorded_it(request_id_on_caplog, monkeypatch):
    from siinas.core import outbox

    def refuse(message):
        raise ConnectionRefusedError("broker down (simulated)")

    monkeypatch.setattr(outbox, "_send", refuse)
    with bound_request_id("laporan-5"):  # the test's transaction never commits: nothing is dispatched now
        message = outbox.task_enqueue("core.record_heartbeat", args=["uji"])
    message.refresh_from_db()
    assert message.payload["request_id"] == "laporan-5"
    # The sweep, later, outside any request: the failure is logged under the id of the request.
    assert get_request_id() is None
    outbox.deliver(message.pk)
    line = next(r for r in request_id_on_caplog.records if r.name == "siinas.outbox" and "attempt 1 failed" in r.getMessage())
    assert line.request_id == "laporan-5"


# --- Log formats ------------------------------------------------------------------------------------


def _record(message: str, *, exc_info=None) -> logging.LogRecord:
    record = logging.LogRecord("siinas.outbox", logging.WARNING, __file__, 1, message, (), exc_info)
    RequestIdFilter().filter(record)
    return record


def test_a_json_line_parses_with_the_expected_keys():
    with bound_request_id("abc-123"):
        line = JsonFormatter().format(_record("outbox 5 attempt 1 failed: \"quoted\"\nsecond line"))
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message", "request_id", "process"}
    assert entry["request_id"] == "abc-123" and entry["level"] == "WARNING" and entry["logger"] == "siinas.outbox"
    assert entry["message"] == 'outbox 5 attempt 1 failed: "quoted"\nsecond line'
    assert dt.datetime.fromisoformat(entry["time"]).tzinfo is not None
    assert "\n" not in line, "one line per entry"


def test_a_json_line_outside_a_request_has_a_null_id_and_keeps_the_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record("failed", exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] is None
    assert "ValueError: boom" in entry["exception"]


def test_log_format_json_makes_every_line_json():
    result = _python("import logging; logging.getLogger('siinas.tests').warning('halo %s', 'dunia')", LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["message"] == "halo dunia" and entry["logger"] == "siinas.tests" and entry["request_id"] is None


def test_production_logs_json_and_development_plain_text():
    code = "from django.conf import settings; print(settings.LOG_FORMAT, settings.LOGGING['handlers']['console']['formatter'])"
    assert _python(code, **PROD_ENV).stdout.split() == ["json", "json"]
    assert _python(code).stdout.split() == ["plain", "plain"]


def test_a_short_metrics_token_is_refused_in_production():
    result = _python("", **PROD_ENV, METRICS_TOKEN="short")
    assert result.returncode != 0 and "METRICS_TOKEN" in result.stderr


# --- The 500 page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_500_page_shows_the_request_id_to_quote_to_the_helpdesk(client, settings, monkeypatch):
    from siinas.core import views

    def broken():
        raise RuntimeError("something broke")

    monkeypatch.setattr(views, "health_report", broken)
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get(reverse("core:health"), headers={"X-Request-ID": "helpdesk-500"})
    assert response.status_code == 500
    assert response["X-Request-ID"] == "helpdesk-500"
    body = response.content.decode()
    assert "Terjadi kesalahan pada server (500)" in body
    assert "Kode permintaan: <code>helpdesk-500</code>" in body


def test_the_bare_500_page_shows_the_request_id_too(monkeypatch):
    from siinas.core import views

    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(views.loader, "render_to_string", broken)
    request = RequestFactory().get("/")
    request.request_id = "bare-1"
    assert "<code>bare-1</code>" in views.error_500(request).content.decode()


# --- Metrics ----------------------------------------------------------------------------------------


def _scrape(client, token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(reverse("core:metrics"), headers=headers)


def _families(response) -> dict:
    return {f.name: f for f in text_string_to_metric_families(response.content.decode())}


@pytest.mark.django_db
def test_without_a_configured_token_there_is_no_metrics_page(client, settings):
    settings.METRICS_TOKEN = None
    assert _scrape(client, token=None).status_code == 404
    assert _scrape(client, token="anything").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer "])
def test_a_missing_or_wrong_token_gets_404(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    response = client.get(reverse("core:metrics"), headers={"Authorization": header} if header else {})
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_signed_in_admin_without_the_token_gets_404(client, settings, cast):
    from tests.helpers import login

    settings.METRICS_TOKEN = TOKEN
    login(client, cast.admin)
    assert _scrape(client, token=None).status_code == 404


@pytest.mark.django_db
def test_the_right_token_gets_every_metric(client, settings):
    settings.METRICS_TOKEN = TOKEN
    client.get(reverse("core:health"))
    with bound_request_id("m-1"):
        echo_request_id.delay().get()
    response = _scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in response["Cache-Control"]
    names = set(_families(response))
    assert {
        "siinas_http_request_duration_seconds",
        "siinas_http_responses",
        "siinas_http_request_db_queries",
        "siinas_http_requests_in_progress",
        "siinas_celery_tasks",
        "siinas_celery_task_duration_seconds",
        "siinas_celery_task_last_success_timestamp_seconds",
        "siinas_outbox_pending",
        "siinas_outbox_failed",
        "siinas_outbox_oldest_pending_age_seconds",
        "siinas_warning_letters_issued",
        "siinas_reports_submitted_last_hour",
        "siinas_metrics_source_up",
    } <= names


def test_a_token_comparison_does_not_depend_on_where_the_strings_differ():
    assert metrics.token_matches(TOKEN, TOKEN)
    assert not metrics.token_matches(TOKEN + "x", TOKEN)
    assert not metrics.token_matches("", TOKEN) and not metrics.token_matches(TOKEN, None)
    assert metrics.bearer("bearer  abc ") == "abc" and metrics.bearer("Basic abc") is None


@pytest.mark.django_db
def test_a_request_is_counted_by_url_name_status_class_and_queries(client):
    labels = {"view": "core:health"}
    before = (
        _sample("siinas_http_responses_total", status_class="2xx", **labels),
        _sample("siinas_http_request_duration_seconds_count", **labels),
        _sample("siinas_http_request_db_queries_count", **labels),
        _sample("siinas_http_request_db_queries_sum", **labels),
    )
    client.get(reverse("core:health"))
    after = (
        _sample("siinas_http_responses_total", status_class="2xx", **labels),
        _sample("siinas_http_request_duration_seconds_count", **labels),
        _sample("siinas_http_request_db_queries_count", **labels),
        _sample("siinas_http_request_db_queries_sum", **labels),
    )
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1 and after[2] == before[2] + 1
    assert after[3] >= before[3] + 1, "the health check's SELECT 1 is counted"
    not_found = _sample("siinas_http_responses_total", view="unmatched", status_class="4xx")
    client.get("/tidak-ada/sama-sekali/")
    assert _sample("siinas_http_responses_total", view="unmatched", status_class="4xx") == not_found + 1


def test_task_outcomes_are_counted_by_name_and_state():
    name = "tests.observability.echo_request_id"
    success, failure = _sample("siinas_celery_tasks_total", task=name, state="success"), _sample(
        "siinas_celery_tasks_total", task=name, state="failure"
    )
    echo_request_id.delay().get()
    with pytest.raises(RuntimeError):
        echo_request_id.delay(fail=True).get()
    assert _sample("siinas_celery_tasks_total", task=name, state="success") == success + 1
    assert _sample("siinas_celery_tasks_total", task=name, state="failure") == failure + 1
    last = _sample("siinas_celery_task_last_success_timestamp_seconds", task=name)
    assert abs(last - timezone.now().timestamp()) < 60


@pytest.mark.django_db
def test_the_outbox_backlog_gauges_reflect_a_pending_message(client, settings):
    settings.METRICS_TOKEN = TOKEN
    families = _families(_scrape(client))
    assert families["siinas_outbox_pending"].samples[0].value == 0
    assert families["siinas_outbox_oldest_pending_age_seconds"].samples[0].value == 0
    OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.EMAIL,
        name="registration-received",
        recipients=["a@example.com"],
        payload={"subject": "s", "text": "t", "html": "h"},
        created_at=timezone.now() - dt.timedelta(minutes=20),
    )
    OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.TASK, name="core.record_heartbeat", recipients=[], payload={}, status=OutboxMessage.Status.FAILED
    )
    families = _families(_scrape(client))
    assert families["siinas_outbox_pending"].samples[0].value == 1
    assert families["siinas_outbox_failed"].samples[0].value == 1
    assert 20 * 60 <= families["siinas_outbox_oldest_pending_age_seconds"].samples[0].value < 21 * 60
    up = {s.labels["source"]: s.value for s in families["siinas_metrics_source_up"].samples}
    assert up["database"] == 1


@pytest.mark.django_db
def test_letters_issued_and_reports_submitted_are_counted_at_scrape_time(client, settings, cast):
    from reporting import services
    from reporting.models import ReportEvent
    from tests.reporting.factories import PeriodFactory

    settings.METRICS_TOKEN = TOKEN
    families = _families(_scrape(client))
    letters = {s.labels["level"]: s.value for s in families["siinas_warning_letters_issued"].samples}
    assert set(letters) == {"SP1", "SP2", "SP3"}
    before = families["siinas_reports_submitted_last_hour"].samples[0].value
    report = services.report_start(
        actor=cast.company_a, factory=cast.factory_a, period=PeriodFactory(year=2026, number=1), report_type="industri_produksi"
    )
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMITTED)
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SAVED)
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.RESUBMITTED, created_at=timezone.now() - dt.timedelta(hours=2))
    assert _families(_scrape(client))["siinas_reports_submitted_last_hour"].samples[0].value == before + 1


def test_several_processes_are_added_up_in_multiprocess_mode(tmp_path, monkeypatch):
    """What gunicorn's workers do: each writes its own file; one scrape sums them."""
    code = "from siinas.lib import metrics; metrics.RESPONSES.labels('core:home', '2xx').inc()"
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    for _ in range(2):
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], cwd=settings.BASE_DIR, env={**env, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}, check=True, timeout=60
        )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in metrics.scrape_registry(portal=False).collect()
        for s in family.samples
    }
    assert samples[("siinas_http_responses_total", (("status_class", "2xx"), ("view", "core:home")))] == 2


def test_the_worker_exporter_answers_only_with_the_token(monkeypatch):
    monkeypatch.setattr(metrics, "_exporter_started", False)
    server = metrics.start_worker_exporter(port=0, token=TOKEN, addr="127.0.0.1")
    try:
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 — our own loopback server
        assert refused.value.code == 404
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            body = response.read().decode()
        assert "siinas_celery_tasks" in body and "siinas_outbox_pending" not in body
    finally:
        server.shutdown()
        server.server_close()
    assert metrics.start_worker_exporter(port=0, token=None) is None


# --- gunicorn.conf.py ---------------------------------------------------------------------------------


@pytest.fixture
def gunicorn_conf(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setenv("LOG_FORMAT", "json")
    spec = importlib.util.spec_from_file_location("siinas_gunicorn_conf", settings.BASE_DIR / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_clears_the_metrics_of_a_previous_run_and_marks_dead_workers(gunicorn_conf, tmp_path):
    (tmp_path / "counter_1.db").write_bytes(b"")
    gunicorn_conf.on_starting(None)
    assert not list(tmp_path.glob("*.db"))
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"")
    (tmp_path / "counter_4242.db").write_bytes(b"")
    gunicorn_conf.child_exit(None, SimpleNamespace(pid=4242))
    assert [p.name for p in tmp_path.glob("*.db")] == ["counter_4242.db"], "counters of a dead worker still count"


def test_gunicorn_writes_json_access_lines_with_the_request_id(gunicorn_conf):
    from gunicorn.config import Config

    assert gunicorn_conf.logger_class is gunicorn_conf.JsonLogger
    config = Config()
    config.set("accesslog", "-")
    logger = gunicorn_conf.JsonLogger(config)
    lines: list[str] = []
    collect = logging.Handler()
    collect.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.addHandler(collect)
    response = SimpleNamespace(status="200 OK", sent=123, headers=[("X-Request-ID", "abc-1"), ("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("USER-AGENT", "curl")])
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/laporan/?token=secret", "PATH_INFO": "/laporan/", "QUERY_STRING": "token=secret",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1", "HTTP_USER_AGENT": "curl"}
    logger.access(response, request, environ, dt.timedelta(milliseconds=42))
    (line,) = lines
    entry = json.loads(line)
    assert entry["request_id"] == "abc-1" and entry["status"] == 200 and entry["path"] == "/laporan/"
    assert entry["duration_ms"] == 42.0 and "secret" not in line
    assert {"time", "level", "logger", "message", "request_id", "process"} <= set(entry)


# --- Sentry -------------------------------------------------------------------------------------------


def test_without_a_dsn_sentry_is_neither_imported_nor_initialised():
    result = _python("import sys; print('sentry_sdk' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_with_a_dsn_sentry_is_initialised_without_personal_data():
    code = (
        "import json, sentry_sdk; c = sentry_sdk.get_client(); o = c.options;"
        "print(json.dumps({'active': c.is_active(), 'env': o['environment'], 'pii': o['send_default_pii'],"
        "'body': o['max_request_body_size'], 'locals': o['include_local_variables'],"
        "'integrations': sorted(c.integrations)}))"
    )
    # Nothing listens on 127.0.0.1:9 and nothing is sent: no event is raised.
    result = _python(code, SENTRY_DSN="http://public@127.0.0.1:9/1")
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["active"] and state["env"] == "development" and state["pii"] is False
    assert state["body"] == "never" and state["locals"] is False
    assert {"django", "celery"} <= set(state["integrations"])


def test_init_sentry_passes_the_environment_and_no_personal_data(monkeypatch):
    import sentry_sdk

    from siinas.lib.sentry import init_sentry

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    init_sentry(dsn="http://public@127.0.0.1:9/1", environment="production")
    (options,) = calls
    assert options["dsn"] == "http://public@127.0.0.1:9/1" and options["environment"] == "production"
    assert options["send_default_pii"] is False
    assert {type(i).__name__ for i in options["integrations"]} == {"DjangoIntegration", "CeleryIntegration"}
