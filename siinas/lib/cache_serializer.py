"""The Redis cache's serializer: tagged JSON, never pickle (issue 13 §5).

Django's default ``RedisSerializer`` pickles, so anyone who can write to the cache's Redis can make every
web process run code. This one writes JSON with a few tags for the Python values the portal caches
(Decimal, date, datetime, tuple, set, dicts with non-text keys, and the dataclasses listed in
``DATACLASSES``); anything else is refused when written (a TypeError in development and tests, not a
silent pickle). Integers stay raw, as in Django's serializer, so ``incr``/``decr`` work atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from importlib import import_module

# Dataclasses that may be cached, by import path. Add a class here when a selector caches it.
DATACLASSES = frozenset(
    {
        "verification.rates.RateRow",
        "pemda.selectors.territory.Cell",
        "pemda.selectors.reports.MeasureTable",
    }
)


def _class_path(obj) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def _encode(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [_encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {"$s": [_encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        path = _class_path(value)
        if path in DATACLASSES:
            fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return {"$dc": path, "f": fields}
    raise TypeError(f"{type(value).__qualname__} cannot be cached (siinas.lib.cache_serializer: no pickle)")


def _load_class(path: str):
    if path not in DATACLASSES:
        raise ValueError(f"{path} is not an allowed cached class")
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (tag, inner), = value.items()
        if tag == "$d":
            return Decimal(inner)
        if tag == "$dt":
            return dt.datetime.fromisoformat(inner)
        if tag == "$date":
            return dt.date.fromisoformat(inner)
        if tag == "$t":
            return tuple(_decode(v) for v in inner)
        if tag == "$s":
            return {_decode(v) for v in inner}
        if tag == "$m":
            return {_decode(k): _decode(v) for k, v in inner}
    if set(value) == {"$dc", "f"}:
        cls = _load_class(value["$dc"])
        return cls(**{k: _decode(v) for k, v in value["f"].items()})
    return {k: _decode(v) for k, v in value.items()}


def to_json(obj) -> str:
    """``obj`` as tagged JSON text (also the payload of ``pemda.TerritoryFigures``)."""
    return json.dumps(_encode(obj), separators=(",", ":"))


def from_json(text: str):
    """The value ``to_json`` wrote (ValueError/TypeError/KeyError for text it did not write)."""
    return _decode(json.loads(text))


class JSONSerializer:
    """``OPTIONS["serializer"]`` of the Redis cache (Django's RedisCacheClient calls dumps/loads)."""

    def dumps(self, obj):
        if type(obj) is int:
            return obj
        return to_json(obj).encode()

    def loads(self, data):
        try:
            return int(data)
        except ValueError:
            pass
        try:
            return from_json(data)
        except (ValueError, TypeError, KeyError, AttributeError):
            # Not ours (a pickle written by an older release, or planted): a miss, never unpickled.
            return None
