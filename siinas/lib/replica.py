"""Reads from a PostgreSQL replica, only where it is safe (issue 14 §5, docs/scaling.md).

``DATABASE_REPLICA_URL`` adds ``DATABASES["replica"]`` and installs ``ReplicaRouter``. Without it nothing
changes: every query goes to ``default``. With it, a read goes to the replica only when all of these hold:

- it runs inside a ``replica_reads`` scope: the read-only aggregate pages (Pemda dashboards and exports,
  the reporting rate, the IKI officer dashboard) are wrapped in their urls.py; nothing else is;
- the model is not one of the request machinery's (session, user, OTP devices, lockout, audit, outbox,
  captcha): those must see what the primary has just written, e.g. a session created one request ago;
- no transaction is open on ``default`` (a read inside ``atomic`` belongs to that transaction);
- the scope has not written anything but the request machinery's rows: after a write, the same request
  reads its own write from the primary.

Every write goes to ``default``. A replica lags the primary by a little (streaming replication: usually
well under a second), which these pages tolerate: they show counts and rates, not a row the user has just
saved. The scope is a ``ContextVar``, so it is per request (thread or task) and never shared.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"

# Request machinery: always read from the primary, and writing them does not end the scope's replica reads.
MACHINERY_APPS = frozenset(
    {"sessions", "auth", "contenttypes", "admin", "axes", "otp_totp", "otp_static", "django_otp", "captcha", "account"}
)
# The Pemda dashboards' kept figures too: a page writes its territory's row, which must not send the rest
# of its reads to the primary, and reads it from the primary (a lagging copy would look stale).
MACHINERY_MODELS = frozenset({"core.auditevent", "core.outboxmessage", "pemda.territoryfigures"})


@dataclass
class _Scope:
    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("siinas_replica_scope", default=None)


class replica_reads(ContextDecorator):  # noqa: N801 — used like a function: @replica_reads() / with replica_reads()
    """Let the reads of a view (or a block) go to the replica when one is configured."""

    def __enter__(self):
        self._token = _scope.set(_Scope())
        return self

    def __exit__(self, *exc):
        _scope.reset(self._token)
        return False


def replica_view(view):
    """``path("", replica_view(views.dashboard), ...)``: the view's reads may go to the replica."""
    wrapped = replica_reads()(view)
    wrapped.replica_reads = True  # tests/core/test_replica.py lists the wrapped routes
    return wrapped


def _is_machinery(model) -> bool:
    meta = model._meta
    return (
        meta.app_label in MACHINERY_APPS
        or meta.label_lower in MACHINERY_MODELS
        or meta.label_lower == settings.AUTH_USER_MODEL.lower()
    )


class ReplicaRouter:
    """Installed by settings only when ``DATABASE_REPLICA_URL`` is set (see the module docstring)."""

    def db_for_read(self, model, **hints) -> str:
        scope = _scope.get()
        if scope is None or scope.wrote or _is_machinery(model):
            return PRIMARY
        if REPLICA not in connections.settings or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        scope = _scope.get()
        if scope is not None and not _is_machinery(model):
            scope.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica is a copy of the primary: rows from either may be related.
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica receives the schema by replication, never by `migrate`.
        return False if db == REPLICA else None
