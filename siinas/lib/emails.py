"""The one helper that sends e-mail (style.md §13).

A message is three templates: ``templates/emails/<name>-subject.txt``, ``-body.txt`` and
``-body.html``. Call it from a service inside ``transaction.on_commit`` (or from a task) so a
rolled-back action never e-mails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_email(
    name: str,
    *,
    to: Sequence[str],
    context: dict,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    language: str = "id",
    message_id: str | None = None,
) -> int:
    """Render and send one e-mail; returns the number of messages sent (0 or 1).

    ``message_id`` makes a resend after a crash recognisable: a job that may retry a message the
    mail server already accepted passes a stable id (e.g. ``sp-<letter pk>``), so receiving
    servers and clients see the same message twice, not two letters.
    """
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    ctx = {"base_url": settings.SIINAS_BASE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    headers = {}
    if message_id:
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "siinas"
        headers["Message-ID"] = f"<{message_id}@{domain}>"
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients, headers=headers
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message.send()
