"""Documents generated for the public, rendered once and served from storage (issue 13 §6).

An anonymous visitor must not be able to make the server render a PDF per request (WeasyPrint takes
0.6–1.6 s of CPU: three such requests occupy every sync worker). ``stored_document`` keys a rendering
by a digest of everything that goes into it (e.g. the release's HTML, or its CSV rows), so a changed
release is a new file and an unchanged one is never rendered twice; ``public_download_allowed`` is the
per-address limit for anonymous downloads of generated files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.files.base import ContentFile

from siinas.lib.uploads import private_storage

FOLDER = "generated"


def stored_document(namespace: str, *, key: str, suffix: str, render: Callable[[], bytes]) -> bytes:
    """The bytes of the document identified by ``key`` (any text that determines its content): read from
    storage when rendered before, otherwise rendered now and stored. Two workers rendering the same key
    at once write the same bytes under the same name (the later write replaces the earlier)."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    name = f"{FOLDER}/{namespace}/{digest}.{suffix}"
    if private_storage.exists(name):
        with private_storage.open(name, "rb") as handle:
            return handle.read()
    content = render()
    if private_storage.exists(name):  # written meanwhile by another worker
        private_storage.delete(name)
    private_storage.save(name, ContentFile(content))
    return content


def public_download_allowed(request) -> bool:
    """Signed-in users are not limited here; an anonymous address gets ``RATE_LIMIT_PUBLIC_DOWNLOAD``
    (allauth's rate limiter, counters in the cache; not enforced while the cache is down)."""
    # allauth's public ``ratelimit.consume`` never limits a GET; its implementation takes ``limit_get``
    # (allauth is pinned in pyproject.toml; tests/iki/test_release.py fails if this changes).
    from allauth.core.internal import ratelimit

    if request.user.is_authenticated:
        return True
    return bool(ratelimit.consume(request, app="allauth.account", action="siinas_public_download", limit_get=True))


RETRY_AFTER_SECONDS = 60


def too_many_downloads(request):
    """429 in Indonesian with ``Retry-After``."""
    from django.shortcuts import render

    response = render(request, "429.html", {"retry_after": RETRY_AFTER_SECONDS}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
