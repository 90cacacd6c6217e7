"""Data versions for cache keys: the newest primary key of a table (one index look-up, whatever its size).

A table whose rows are only ever added (events, status changes) or whose new rows are what a cached figure
must see (accounts, periods) moves its newest key exactly when the figure may change; what the key cannot
see (an edited row) is bounded by the cache's lifetime, which each caller states.
"""

from __future__ import annotations

from django.db.models import Max, Model


def newest_pk(model: type[Model]) -> int | None:
    """The largest primary key of ``model``'s table (None when it is empty)."""
    return model.objects.order_by().aggregate(newest=Max("pk"))["newest"]
