"""What every API response gets, in one place (wrapped around each ninja view in api/urls.py):

- ``ETag`` (SHA-256 of the body) and ``304 Not Modified`` for a matching ``If-None-Match``;
- ``Cache-Control``: public aggregates may be cached for a few minutes; anything read with a token is
  ``private, no-store`` (confidential microdata is never kept by a shared cache);
- one ``ApiCall`` row for every call that presented a token, accepted or not: token, endpoint,
  parameters, status, rows returned (``request.api_rows`` when the view sets it, else counted from
  the body) and duration."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from api.models import ApiCall
from siinas.lib.client_ip import client_ip

log = logging.getLogger(__name__)
PUBLIC_MAX_AGE = 300
MAX_PARAM_LENGTH = 200


def rows_returned(request: HttpRequest, response: HttpResponse) -> int:
    if hasattr(request, "api_rows"):
        return int(request.api_rows)
    if response.status_code >= 400 or response.streaming:
        return 0
    if not response.get("Content-Type", "").startswith("application/json"):
        return max(response.content.count(b"\n") - 1, 0)  # CSV: lines after the header
    try:
        body = json.loads(response.content)
    except ValueError:
        return 0
    if isinstance(body, list):
        return len(body)
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return len(body["results"])
    return 1


def _etag(response: HttpResponse) -> str:
    return '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'


def _matches(header: str, etag: str) -> bool:
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag in candidates


def api_view(view):
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        started = time.monotonic()
        response = view(request, *args, **kwargs)
        token = getattr(request, "auth", None) or getattr(request, "api_token_attempt", None)
        rows = rows_returned(request, response)
        if token is not None or request.headers.get("Authorization"):
            response["Cache-Control"] = "private, no-store"
        elif response.status_code == 200:
            response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
        else:
            response["Cache-Control"] = "no-store"
        response["Vary"] = "Authorization, Accept-Language"
        if response.status_code == 200 and not response.streaming:
            etag = _etag(response)
            response["ETag"] = etag
            if _matches(request.headers.get("If-None-Match", ""), etag):
                not_modified = HttpResponse(status=304)
                for header in ("ETag", "Cache-Control", "Vary"):
                    not_modified[header] = response[header]
                response = not_modified
        if token is not None:
            _log_call(request, token, response, rows, started)
        return response

    return wrapped


def _log_call(request: HttpRequest, token, response: HttpResponse, rows: int, started: float) -> None:
    match = getattr(request, "resolver_match", None)
    params = {key: value[:MAX_PARAM_LENGTH] for key, value in request.GET.items()}
    if match is not None and match.kwargs:
        params.update({f"path.{k}": str(v)[:MAX_PARAM_LENGTH] for k, v in match.kwargs.items()})
    try:
        ApiCall.objects.create(
            token=token,
            at=timezone.now(),
            method=request.method[:8],
            endpoint=(match.url_name if match else "")[:100] or "-",
            path=request.path[:300],
            params=params,
            status=response.status_code,
            rows=rows,
            duration_ms=int((time.monotonic() - started) * 1000),
            ip_address=client_ip(request),
        )
    except Exception:
        # The call was answered; losing its log line must be loud, not a 500 after the fact.
        log.exception("api call log not written for token %s", getattr(token, "prefix", "?"))
