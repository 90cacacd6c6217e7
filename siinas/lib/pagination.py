"""Pages of big scoped lists read in two steps, with the total kept in the shared cache.

A queue page used to be one statement: the scope (e.g. a validator's KBLI divisions, a semi-join), the
order, the limit and every ``select_related`` join at once. At 50,000 accounts PostgreSQL spent 10–25 ms
*planning* that statement (nine relations, the join order searched with the semi-join inside) to execute
it in 2–7 ms. ``page_in_two_steps`` reads the page's keys with the scope and order alone (two relations,
≈ 1 ms to plan and run), then the rows by those keys with their joins (≈ 3 ms): the same rows in the same
order (issue 14, docs/verification.md).

The total (``Paginator.count``) scans the whole scope: ``VersionedCountPaginator`` keeps it in the shared
cache under the statement's own SQL and a data version given by the caller, so it is recomputed when the
version moves (a report changes status, an account is created) and at most ``COUNT_CACHE_SECONDS`` old
otherwise. A statement that depends on the clock (a "waiting more than 3 days" filter) carries the instant
in its parameters: each view gets its own key, i.e. no stale total.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property

COUNT_CACHE_SECONDS = 600


class VersionedCountPaginator(Paginator):
    """A ``Paginator`` over a queryset whose ``count`` is cached per statement and ``version``."""

    def __init__(self, object_list: QuerySet, per_page: int, *, version: str, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.version = version

    @cached_property
    def count(self) -> int:
        try:
            sql, params = self.object_list.query.sql_with_params()
        except EmptyResultSet:  # ``.none()``: nothing to count or cache
            return 0
        raw = f"{self.object_list.db}|{sql}|{params!r}|{self.version}"
        key = "pagination:count:" + hashlib.sha256(raw.encode()).hexdigest()
        total = cache.get(key)
        if total is None:
            total = self.object_list.count()
            cache.set(key, total, COUNT_CACHE_SECONDS)
        return total


def page_in_two_steps(
    queryset: QuerySet,
    number: Any,
    per_page: int,
    *,
    rows: Callable[[list[Any]], Iterable[Model]],
    version: str | None = None,
) -> Page:
    """The page ``number`` of ``queryset`` (scoped, filtered and ordered), its ``object_list`` the objects
    ``rows(keys)`` returns for the page's primary keys, in the queryset's order. ``rows`` adds the joins
    the page shows and must not narrow the keys it is given (the scope was applied in the first step).
    With a data ``version`` the total is cached (``VersionedCountPaginator``), without one it is counted."""
    keys = queryset.select_related(None).values_list("pk", flat=True)
    paginator = Paginator(keys, per_page) if version is None else VersionedCountPaginator(keys, per_page, version=version)
    page = paginator.get_page(number)
    page_keys = list(page.object_list)
    by_key = {obj.pk: obj for obj in rows(page_keys)}
    page.object_list = [by_key[k] for k in page_keys if k in by_key]
    return page
