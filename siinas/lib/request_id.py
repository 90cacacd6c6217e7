"""One id per request, on every log line it causes, in its response and in every task it sends.

An operator follows a user's complaint by the id on the error page (``X-Request-ID`` in the response):
the same id is on each log line of that request, of the tasks it published (Celery message header
``siinas_request_id``) and of the outbox deliveries it recorded (``payload["request_id"]``, see
siinas/core/outbox.py). An incoming ``X-Request-ID`` (from our proxy, or a caller that wants its own id
in our logs) is kept when it is short and made of safe characters; anything else is replaced.

The id lives in a context variable: set by the middleware for the request, by ``task_prerun`` for a task
run by a worker, and by the outbox for one delivery. ``RequestIdFilter`` copies it onto each log record.
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

HEADER = "X-Request-ID"
CELERY_HEADER = "siinas_request_id"
# Letters, digits and . _ : - only, at most 64: nothing that could forge a log line or a header.
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

_current: ContextVar[str | None] = ContextVar("siinas_request_id", default=None)
_task: ContextVar[tuple[str, str] | None] = ContextVar("siinas_task", default=None)


def get_request_id() -> str | None:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(value: object) -> str | None:
    """The value when it is an acceptable id, else None."""
    if isinstance(value, str) and _SAFE.fullmatch(value):
        return value
    return None


@contextlib.contextmanager
def bound_request_id(request_id: str | None) -> Iterator[None]:
    """Run a block under ``request_id``; a missing or unsafe one leaves the current id in place."""
    request_id = clean_request_id(request_id)
    if request_id is None:
        yield
        return
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE: every response, a redirect or a 413 included, carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = clean_request_id(request.headers.get(HEADER)) or new_request_id()
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            _tag_sentry(request_id)
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


def _tag_sentry(request_id: str) -> None:
    """With Sentry configured, its event for this request carries the id a user quotes."""
    from django.conf import settings

    if getattr(settings, "SENTRY_DSN", None):
        import sentry_sdk

        sentry_sdk.set_tag("request_id", request_id)


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` ("-" outside a request or task) and, inside a task, ``task_id`` and
    ``task_name`` on each record. Attached to the handlers in settings.LOGGING, so it sees every line."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx response ("Not Found: /x/") after the last middleware has returned, with
        # the request on the record: its id is taken from there.
        record.request_id = _current.get() or getattr(getattr(record, "request", None), "request_id", None) or "-"
        task = _task.get()
        if task is not None:
            record.task_id, record.task_name = task
        return True


# --- Celery: carry the id from the publisher to the worker -----------------------------------------


def on_before_task_publish(headers=None, **kwargs) -> None:
    """``before_task_publish``: the message carries the publisher's request id."""
    request_id = _current.get()
    if request_id and headers is not None and CELERY_HEADER not in headers:
        headers[CELERY_HEADER] = request_id


_tokens: dict[str, tuple] = {}


def on_task_prerun(task_id=None, task=None, **kwargs) -> None:
    """``task_prerun``: the task's log lines carry the id it was sent with. A task run in-process
    (eager) keeps the id of the request running it."""
    request = getattr(task, "request", None)
    request_id = clean_request_id(getattr(request, CELERY_HEADER, None)) or clean_request_id(
        (getattr(request, "headers", None) or {}).get(CELERY_HEADER)
    )
    tokens = (_current.set(request_id) if request_id else None, _task.set((task_id or "-", getattr(task, "name", "-"))))
    if task_id:
        _tokens[task_id] = tokens


def on_task_postrun(task_id=None, **kwargs) -> None:
    tokens = _tokens.pop(task_id, None) if task_id else None
    if tokens is None:
        return
    current, task = tokens
    with contextlib.suppress(ValueError):  # a token from another context (never expected)
        _task.reset(task)
        if current is not None:
            _current.reset(current)
