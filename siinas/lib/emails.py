"""The one helper that sends e-mail (style.md §13), through the transactional outbox.

A message is three templates: ``templates/emails/<name>-subject.txt``, ``-body.txt`` and
``-body.html``. Call ``queue_email`` *inside* the service's transaction (not in ``on_commit``): the
message is recorded with the action and delivered after the commit, with retries
(siinas/core/outbox.py), so a rolled-back action never e-mails and a committed one never loses its
e-mail to a mail-server outage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from siinas.core.models import OutboxMessage
from siinas.core.outbox import email_enqueue


def queue_email(
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
    """Record one e-mail to ``to`` for delivery after the commit; None when nobody is to receive it.

    ``dedupe_key`` (e.g. ``letter-<pk>``) makes a repeated call record nothing and gives the message a
    stable Message-ID, so a resend after a crash is recognisably the same message. ``sensitive``
    messages (one-time passwords, reset links) have their body erased from the outbox once delivered.
    """
    return email_enqueue(
        name,
        to=to,
        context=context,
        attachments=attachments,
        stored_attachments=stored_attachments,
        language=language,
        dedupe_key=dedupe_key,
        sensitive=sensitive,
    )
