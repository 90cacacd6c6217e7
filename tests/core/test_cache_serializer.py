"""The Redis cache serializer writes tagged JSON and never unpickles (issue 13 §5)."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest

from pemda.selectors.territory import Cell
from siinas.lib.cache_serializer import JSONSerializer
from verification.rates import RateRow

serializer = JSONSerializer()


def test_the_values_the_portal_caches_survive_a_round_trip():
    value = {
        "n": 3,
        "amount": Decimal("12345678901.50"),
        "when": dt.datetime(2026, 11, 30, 0, 30, tzinfo=dt.UTC),
        "day": dt.date(2026, 11, 30),
        "rows": [("32.15", "Kab. Karawang"), ("32.16", "Kab. Bekasi")],
        "seen": {1, 2},
        "by_id": {7: {"sum": Decimal("1.5")}},
        "cells": {"32.15": {"workforce": Cell(key="32.15", label="Karawang", n=4, values={"sum": Decimal(40)})}},
        "total": RateRow(key="all", label="Jumlah", expected=10, submitted=7, detail={"a": "b"}),
        "none": None,
        "$odd": "a key that looks like a tag",
    }
    assert serializer.loads(serializer.dumps(value)) == value


def test_integers_stay_raw_so_incr_is_atomic():
    assert serializer.dumps(5) == 5 and serializer.loads(b"5") == 5


def test_an_object_that_is_not_listed_is_refused_when_written():
    class Secret:
        pass

    with pytest.raises(TypeError, match="cannot be cached"):
        serializer.dumps({"x": Secret()})


def test_a_pickle_in_redis_is_never_unpickled():
    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('unpickled!')",))

    assert serializer.loads(pickle.dumps(Boom())) is None


def test_a_planted_class_name_is_refused():
    planted = b'{"$dc":"os.system","f":{"command":"id"}}'
    assert serializer.loads(planted) is None
