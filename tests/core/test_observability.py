"""What an operator has beyond /health/ (issue 19 §5): a request id on every response, log line, task and
500 page; JSON logs in production."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from kombu import Connection

from siinas.celery import app
from siinas.lib.logs import JsonFormatter
from siinas.lib.request_id import CELERY_HEADER, RequestIdFilter, bound_request_id, get_request_id
from tests.core.test_settings import PROD_ENV

GENERATED = re.compile(r"[0-9a-f]{32}")


@app.task(name="tests.observability.echo_request_id")
def echo_request_id(fail: bool = False) -> str | None:
    logging.getLogger("siinas.tests.task").info("task says hello")
    if fail:
        raise RuntimeError("the task failed on purpose")
    return get_request_id()


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    """A fresh interpreter with Django set up under ``env`` (what a process started by an operator sees)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "SIINAS_ENV"}}
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
