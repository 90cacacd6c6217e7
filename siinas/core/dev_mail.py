"""Read the e-mails the embedded default writes to ``var/mail/`` (siinas/lib/mail_files.py), for the
development-only admin page. Names are checked against the folder's own listing: no path from a URL is
ever joined blindly."""

from __future__ import annotations

import email
from dataclasses import dataclass
from email import policy
from pathlib import Path

from siinas.lib.mail_files import mail_dir

SHOWN = 200


@dataclass(frozen=True)
class MailFile:
    name: str
    subject: str
    to: str
    date: str
    attachments: int


def _files() -> list[Path]:
    folder = mail_dir()
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("*.eml") if p.is_file()), reverse=True)


def mail_files() -> list[MailFile]:
    """The newest ``SHOWN`` messages, newest first (file names start with the time they were written)."""
    rows = []
    for path in _files()[:SHOWN]:
        with path.open("rb") as handle:
            message = email.message_from_binary_file(handle, policy=policy.default)
        rows.append(
            MailFile(
                name=path.name,
                subject=str(message.get("Subject", "")),
                to=str(message.get("To", "")),
                date=str(message.get("Date", "")),
                attachments=sum(1 for _ in message.iter_attachments()),
            )
        )
    return rows


def mail_file(name: str) -> Path | None:
    return next((p for p in _files() if p.name == name), None)
