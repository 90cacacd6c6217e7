"""Control characters never reach a view, a form or a stored draft (docs/decisions.md, "Input").

A NUL byte cannot be stored in a PostgreSQL text or JSON column, and no other C0 control character
(nor DEL) belongs in anything a person types into a form. ``ControlCharacterMiddleware`` removes
them from every GET and POST key and value (and from uploaded files' names, never their contents)
before any view runs; tab, line feed and carriage return are kept. Services that store raw input
(the report drafts) clean it again with the same functions, whoever calls them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict

# C0 controls except TAB (09), LF (0A) and CR (0D); and DEL (7F).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text) if CONTROL_CHARACTERS.search(text) else text


def _dirty(data: MultiValueDict) -> bool:
    for key, values in data.lists():
        if CONTROL_CHARACTERS.search(key) or any(isinstance(v, str) and CONTROL_CHARACTERS.search(v) for v in values):
            return True
    return False


def clean_querydict(data: QueryDict) -> QueryDict:
    """``data`` without control characters in its keys and values (the same object when it had none)."""
    if not _dirty(data):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlistdefault(strip_control_characters(key), []).extend(
            strip_control_characters(v) if isinstance(v, str) else v for v in values
        )
    cleaned._mutable = data._mutable
    return cleaned


def without_control_characters(value: Any) -> Any:
    """A JSON-shaped value (dicts, lists, strings) with control characters removed from every string."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, dict):
        return {without_control_characters(k): without_control_characters(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_control_characters(v) for v in value]
    return value


class ControlCharacterMiddleware:
    """Remove control characters from request.GET, request.POST and uploaded files' names.

    Placed before the CSRF and authentication middleware so that they, django-axes and every view
    see the same cleaned input. A request with nothing to clean keeps its own QueryDicts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = clean_querydict(request.GET)
        if request.method == "POST":
            request.POST = clean_querydict(request.POST)
            for _key, uploads in request.FILES.lists():
                for upload in uploads:
                    if upload.name:
                        upload.name = strip_control_characters(upload.name)
        return self.get_response(request)


class ControlCharacterFreeJSONEncoder(json.JSONEncoder):
    """The encoder of JSON columns that keep raw input (a report's draft): no control character is written.

    The middleware already cleaned what came through a view; this holds for any other caller too, and
    for ``update()`` and bulk writes that bypass ``save()``.
    """

    def encode(self, o):
        return super().encode(strip_control_characters(o) if isinstance(o, str) else o)

    def iterencode(self, o, _one_shot=False):
        return super().iterencode(without_control_characters(o), _one_shot)
