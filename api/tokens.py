"""Token strings: ``siinas_<prefix>_<secret>``. The prefix finds the row, the secret's SHA-256 proves it."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCHEME = "siinas"
# The demo token's prefix (api/demo.py derives its published secret). Refused under production settings.
DEMO_PREFIX = hashlib.sha256(b"siinas-demo-api-token").hexdigest()[:12]


def new_token() -> tuple[str, str, str]:
    """A fresh (full token, prefix, secret SHA-256). The full token is shown once and never stored."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{SCHEME}_{prefix}_{secret}", prefix, digest(secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split(token: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed token, else None."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME or len(parts[1]) != 12 or not parts[2]:
        return None
    return parts[1], parts[2]


def matches(secret: str, secret_sha256: str) -> bool:
    return hmac.compare_digest(digest(secret), secret_sha256)
