"""The one helper that sends e-mail (style.md §13), through the transactional outbox.

A message is three templates: ``templates/emails/<name>-subject.txt``, ``-body.txt`` and
``-body.html``. Call ``queue_email(name, to=..., context=..., dedupe_key=..., sensitive=...)`` *inside*
the service's transaction (not in ``on_commit``): the message is recorded with the action and delivered
after the commit, with retries (siinas/core/outbox.py ``email_enqueue``), so a rolled-back action never
e-mails and a committed one never loses its e-mail to a mail-server outage.
"""

from __future__ import annotations

from siinas.core.outbox import email_enqueue as queue_email

__all__ = ["queue_email"]
