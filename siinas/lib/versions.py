"""Data versions for cache keys (the newest primary key of a table: one index look-up, whatever its size)
and the emptying of a maintained table before its rebuild.

A table whose rows are only ever added (events, status changes) or whose new rows are what a cached figure
must see (accounts, periods) moves its newest key exactly when the figure may change; what the key cannot
see (an edited row) is bounded by the cache's lifetime, which each caller states.
"""

from __future__ import annotations

from django.db import connection, connections, router
from django.db.models import Max, Model


def newest_pk(model: type[Model]) -> int | None:
    """The largest primary key of ``model``'s table (None when it is empty)."""
    return model.objects.order_by().aggregate(newest=Max("pk"))["newest"]


def newest_pks(*models: type[Model]) -> tuple[int | None, ...]:
    """``newest_pk`` of each model, in one statement (one index look-up per table)."""
    qn = connections[router.db_for_read(models[0])].ops.quote_name
    # Table and column names come from the models, never from input.
    columns = ", ".join(
        f"(SELECT MAX({qn(m._meta.pk.column)}) FROM {qn(m._meta.db_table)})" for m in models  # noqa: S608
    )
    # Read where the models' reads go (a replica inside a ``replica_reads`` scope).
    with connections[router.db_for_read(models[0])].cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return tuple(cursor.fetchone())


def empty_for_rebuild(model: type[Model]) -> None:
    """Empty a maintained table before its ``rebuild()`` refills it (inside the caller's transaction). On
    PostgreSQL the table is first locked against writers (``EXCLUSIVE``: reads go on), so a service writing a
    row meanwhile waits and then applies its change on top of the rebuilt rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE")
    model.objects.all().delete()
