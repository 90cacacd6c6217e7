"""The transactional outbox: every e-mail and task a business action causes, delivered after it commits.

A service calls ``email_enqueue`` / ``task_enqueue`` *inside* its transaction: the outbox row commits or
rolls back with the action, so a rolled-back action never e-mails and a committed one is never lost.
After the commit, ``dispatch`` hands the row to a worker (``core.deliver_outbox_message``); in the
embedded default (tasks run in-process) it delivers at once. Nothing the user waits for talks to the mail
server, and the only broker call in a request is a bounded, fail-soft publish: when the broker is down the
row simply waits for the periodic sweep (``core.deliver_outbox``, every minute; ``manage.py deliver_outbox``).

Delivery locks the row, sends, and marks it sent in one transaction. A failure counts an attempt and sets
the next one with backoff; after ``MAX_ATTEMPTS`` the row is *failed* and waits for an administrator
(Django admin → Kotak keluar → "Kirim ulang", or ``manage.py deliver_outbox --retry-failed``).
A crash between the mail server's "250 OK" and the commit re-sends the message with the same
Message-ID, which receiving servers and clients recognise as the same message (docs/operations.md).
"""

from __future__ import annotations

import base64
import contextvars
import datetime as dt
import logging
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from siinas.core.models import OutboxMessage
from siinas.lib.request_id import bound_request_id, get_request_id

log = logging.getLogger("siinas.outbox")

# Minutes to wait after the n-th failed attempt; then the message is marked failed (about a day in all).
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# After a failed publish to the broker, web processes stop trying for this long: the sweep delivers.
BROKER_PAUSE_SECONDS = 30
_broker_paused_until = 0.0


# --- Writing (inside the action's transaction) ---------------------------------------------------


def render_email(name: str, *, context: dict, language: str = "id") -> dict[str, str]:
    """The subject, text and HTML of ``templates/emails/<name>-*`` (style.md §13)."""
    ctx = {"base_url": settings.SIINAS_BASE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    return {"subject": subject, "text": text, "html": html}


def email_enqueue(
    name: str,
    *,
    to: Sequence[str],
    context: dict,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    stored_attachments: Iterable[tuple[str, str, str]] = (),
    language: str = "id",
    dedupe_key: str | None = None,
    sensitive: bool = False,
) -> OutboxMessage | None:
    """Record one e-mail in the caller's transaction; it is sent after the commit. Returns the row
    (None when there is no recipient).

    The message is rendered now, so it says what was true when the action happened. ``attachments``
    are ``(filename, bytes, mimetype)`` kept in the row; ``stored_attachments`` are ``(filename,
    private-storage path, mimetype)`` read at delivery (for files the action itself stores, such as a
    warning letter's PDF). ``dedupe_key`` makes the call idempotent: a second call with the same key
    returns the first row and records nothing. A ``sensitive`` message (a password, a reset link) keeps
    only its subject once delivered.
    """
    recipients = list(dict.fromkeys(address for address in to if address))
    if not recipients:
        return None
    files = [
        {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
        for filename, content, mimetype in attachments
    ]
    files += [{"filename": filename, "mimetype": mimetype, "path": path} for filename, path, mimetype in stored_attachments]
    payload = render_email(name, context=context, language=language)
    if sensitive:
        payload["sensitive"] = True
    return _enqueue(
        kind=OutboxMessage.Kind.EMAIL,
        name=name,
        recipients=recipients,
        payload=payload,
        attachments=files,
        dedupe_key=dedupe_key,
    )


def task_enqueue(name: str, *, args: Sequence = (), kwargs: dict | None = None, dedupe_key: str | None = None) -> OutboxMessage:
    """Record one Celery task (by its registered name, JSON arguments) to be sent after the commit."""
    return _enqueue(
        kind=OutboxMessage.Kind.TASK,
        name=name,
        recipients=[],
        payload={"args": list(args), "kwargs": kwargs or {}},
        attachments=[],
        dedupe_key=dedupe_key,
    )


def _enqueue(*, dedupe_key: str | None, **fields) -> OutboxMessage:
    # The request (or task) that caused the message: its delivery logs and tasks carry the same id.
    request_id = get_request_id()
    if request_id:
        fields["payload"] = {**fields["payload"], "request_id": request_id}
    if dedupe_key:
        existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(dedupe_key=dedupe_key, **fields)
    except IntegrityError:
        # A concurrent writer recorded the same key first (its transaction has committed).
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    pk = message.pk
    transaction.on_commit(lambda: dispatch(pk), robust=True)
    return message


# --- Handing over (after the commit) -------------------------------------------------------------


def dispatch(pk: int) -> None:
    """After the commit: deliver in-process (embedded default) or publish to a worker. Never raises;
    whatever does not go now stays pending for the sweep.

    With a broker, the publish runs on a background thread of this process: the response does not wait
    for it, so a broker that hangs or refuses costs the user nothing (the thread gives up after the
    broker timeouts in settings, and this process stops trying for ``BROKER_PAUSE_SECONDS``).
    """
    try:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            deliver(pk)
            return
        if time.monotonic() < _broker_paused_until:
            return
        # The publish thread keeps the request id: the worker's task logs under it.
        _publisher().submit(contextvars.copy_context().run, _publish, pk)
    except Exception:  # noqa: BLE001 — a request must never fail because delivery could not start
        log.warning("outbox %s: not delivered now; the sweep will deliver it", pk, exc_info=True)


_executor: ThreadPoolExecutor | None = None


def _publisher() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-publish")
    return _executor


def _publish(pk: int) -> None:
    global _broker_paused_until
    try:
        from siinas.core.tasks import deliver_outbox_message

        deliver_outbox_message.apply_async(args=[pk], retry=False)
    except Exception:  # noqa: BLE001 — the broker is down or slow: the sweep delivers it
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        log.warning("outbox %s: the broker did not take it; the sweep will deliver it", pk, exc_info=True)


def wait_for_publisher(timeout: float = 30) -> None:
    """Tests and shutdown hooks: wait until every publish handed to the background thread has run."""
    if _executor is not None:
        _executor.submit(lambda: None).result(timeout=timeout)


# --- Delivering (a worker, the sweep, or in-process) ---------------------------------------------


def deliver(pk: int) -> bool:
    """Send one pending message whose time has come; True when this call sent it.

    Locks the row (a second deliverer skips it), sends, marks it sent, all in one transaction. A
    failure is recorded on the row (attempts, next attempt, last error) and not raised.
    """
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if message is None:
            return False
        with bound_request_id(message.payload.get("request_id")):
            try:
                with transaction.atomic():
                    _send(message)
            except Exception as exc:  # noqa: BLE001 — any transport error is recorded and retried
                _record_failure(message, exc, now)
                return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.attempts += 1
        message.last_error = ""
        if message.payload.get("sensitive"):
            message.payload = {"subject": message.payload.get("subject", ""), "sensitive": True, "erased": True}
        message.save(update_fields=["status", "sent_at", "attempts", "last_error", "payload"])
    return True


def _record_failure(message: OutboxMessage, exc: Exception, now: dt.datetime) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxMessage.Status.FAILED
        log.error("outbox %s (%s %s) failed %s times; an administrator must retry it", message.pk, message.kind, message.name, message.attempts)
    else:
        message.next_attempt_at = now + dt.timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
        log.warning("outbox %s (%s %s) attempt %s failed: %s", message.pk, message.kind, message.name, message.attempts, message.last_error)
    message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


def _send(message: OutboxMessage) -> None:
    if message.kind == OutboxMessage.Kind.TASK:
        from siinas.celery import app

        args, kwargs = message.payload.get("args", []), message.payload.get("kwargs", {})
        if settings.CELERY_TASK_ALWAYS_EAGER:
            if message.name not in app.tasks:
                app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery is lazy)
            app.tasks[message.name].apply(args=args, kwargs=kwargs, throw=True)
        else:
            app.send_task(message.name, args=args, kwargs=kwargs, retry=False)
        return
    payload = message.payload
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "siinas"
    email = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.recipients,
        headers={"Message-ID": f"<{message.message_id}@{domain}>"},
    )
    email.attach_alternative(payload["html"], "text/html")
    for item in message.attachments:
        if "path" in item:
            from siinas.lib.uploads import private_storage

            with private_storage.open(item["path"], "rb") as handle:
                content = handle.read()
        else:
            content = base64.b64decode(item["content"])
        email.attach(item["filename"], content, item["mimetype"])
    email.send()


def due_ids(*, limit: int = 500) -> list[int]:
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_due(*, limit: int = 500) -> tuple[int, int]:
    """Deliver every pending message whose time has come (oldest first); returns (sent, tried)."""
    ids = due_ids(limit=limit)
    sent = sum(1 for pk in ids if deliver(pk))
    return sent, len(ids)


def retry(*, actor, messages: Iterable[OutboxMessage]) -> int:
    """An administrator puts failed (or waiting) messages back for immediate delivery; audited."""
    from siinas.lib.audit import audit

    count = 0
    for message in messages:
        if message.status == OutboxMessage.Status.SENT:
            continue
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        audit("core.outbox_retry", actor=actor, target=message, name=message.name, previous_error=message.last_error[:200])
        transaction.on_commit(lambda pk=message.pk: dispatch(pk), robust=True)
        count += 1
    return count


KEEP_SENT_DAYS = 90


def prune_sent(*, days: int = KEEP_SENT_DAYS, batch: int = 5000) -> int:
    """Delete delivered messages older than ``days`` (their rendered bodies are not a record: the audit
    trail and the business rows are). Pending and failed messages are never pruned. Returns how many."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT, sent_at__lt=cutoff).values_list("pk", flat=True)[:batch]
    )
    if ids:
        OutboxMessage.objects.filter(pk__in=ids).delete()
    return len(ids)


def backlog() -> dict[str, object]:
    """Counts an operator watches (docs/operations.md): pending, failed, and the oldest pending age."""
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "pending": pending.count(),
        "failed": OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count(),
        "oldest_pending_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
    }
