"""The embedded default's mail backend: every message is a ``.eml`` file under ``var/mail/`` (issue 19 §2).

Printing e-mails to the console buried the login table under ~1,700 lines on the first ``make run`` (26
messages with base64 PDF attachments). Here each message is written whole (attachments intact, openable in
any mail client) and the console gets one line per message.
"""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_lock = threading.Lock()


def mail_dir() -> Path:
    """``MAIL_FILES_DIR`` when set (tests use a temporary folder), else ``var/mail/``."""
    return Path(getattr(settings, "MAIL_FILES_DIR", None) or Path(settings.VAR_DIR) / "mail")


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args, directory: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(directory) if directory else mail_dir()

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            with _lock:
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
                slug = re.sub(r"[^a-z0-9]+", "-", message.subject.lower())[:50].strip("-") or "pesan"
                path = self.directory / f"{stamp}-{slug}.eml"
                path.write_bytes(message.message().as_bytes())
            sys.stdout.write(f"E-mail → {', '.join(message.to)}: {message.subject} ({path})\n")
            sys.stdout.flush()
            sent += 1
        return sent
