"""Bounded request bodies: a body larger than any form can need is refused before a byte of it is read.

Django reads a multipart body whole (to memory or temporary files) the first time anything touches
``request.POST`` or ``request.FILES``, and only then can a form say "melebihi batas 64 MB". So
``RequestBodyLimitMiddleware`` sits before every middleware that reads the body and answers:

- **413** (templates/413.html, in Indonesian) when ``Content-Length`` exceeds ``REQUEST_MAX_BYTES``
  (the largest upload, ``UPLOAD_MAX_BYTES``, plus room for the form's other fields and multipart framing);
- **411** when a body is announced as ``Transfer-Encoding`` (chunked) without a ``Content-Length``: its
  size cannot be known in advance. The reverse proxy normally buffers such a body and forwards it with a
  length (deploy/nginx.conf), so only a client talking to gunicorn directly meets this.

The proxy refuses the same sizes first (``client_max_body_size``), so a worker never receives them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

MB = 1024 * 1024


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            try:
                length = int(declared)
            except ValueError:
                length = 0  # Django reads such a body as empty
            if length > settings.REQUEST_MAX_BYTES:
                return _refuse(request, status=413)
        elif request.META.get("HTTP_TRANSFER_ENCODING"):
            return _refuse(request, status=411)
        return self.get_response(request)


def _refuse(request: HttpRequest, *, status: int) -> HttpResponse:
    context = {
        "length_required": status == 411,
        "limit_mb": settings.REQUEST_MAX_BYTES // MB,
        "upload_mb": settings.UPLOAD_MAX_BYTES // MB,
    }
    return render(request, "413.html", context, status=status)
