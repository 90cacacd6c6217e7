"""The KBLI peers' running sums (``PeerMetricSum``): per period, report type, KBLI division and metric,
the count, Σx and Σx² of the newest version of every submitted report whose factory has a line in
that division. The review page's z-score reads one row per metric instead of thousands of snapshots.

Upkeep, inside the writer's transaction and with atomic increments only (``INSERT … ON CONFLICT DO
UPDATE SET n = n + excluded.n …``, no read-modify-write, so two peers submitting at once both count):

- a new ``ReportVersion`` (``ReportVersion.save`` calls ``version_added``): the report's previous newest
  version leaves the sums, the new one enters, for each distinct division of its factory;
- a factory's KBLI lines change (``accounts.services.factory_kbli_set`` calls
  ``factory_divisions_changed``): its reports leave the divisions it no longer has and enter the new ones.

A report without a version (a draft) is never counted; a report keeps counting once submitted, whatever
its status later (returned, verified, validated), exactly as the peers were chosen before the sums.
``rebuild()`` recomputes everything from the versions (the data migration, ``load_scale``, tests).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from siinas.lib.versions import empty_for_rebuild
from verification.outliers import numeric_metrics

Key = tuple[str, str]  # (section, metric)
Delta = tuple[int, float, float]  # (n, Σx, Σx²)
BATCH = 200  # rows per INSERT: 8 parameters each stays under every backend's limit


def _sums_table() -> str:
    return global_apps.get_model("verification", "PeerMetricSum")._meta.db_table


def deltas(old: Mapping[Key, float] | None, new: Mapping[Key, float] | None) -> dict[Key, Delta]:
    """What replacing ``old`` metrics by ``new`` ones changes in a division's sums (zero changes left out)."""
    old, new = old or {}, new or {}
    result: dict[Key, Delta] = {}
    for key in old.keys() | new.keys():
        a, b = old.get(key, 0.0), new.get(key, 0.0)
        delta = ((key in new) - (key in old), b - a, b * b - a * a)
        if delta != (0, 0.0, 0.0):
            result[key] = delta
    return result


def apply(period_id: int, report_type: str, divisions: Iterable[str], changes: Mapping[Key, Delta]) -> None:
    """Add ``changes`` to the sums of each division: one set-based upsert per 200 rows.

    Rows go in key order so two transactions touching the same rows lock them in the same order
    (no deadlock); PostgreSQL and SQLite (≥ 3.24) both run this statement."""
    rows = sorted(
        (period_id, report_type, division, section, metric, n, total, total_sq)
        for division in set(divisions)
        for (section, metric), (n, total, total_sq) in changes.items()
    )
    if not rows:
        return
    table = _sums_table()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (period_id, report_type, division_id, section, metric, n, total, total_sq)"  # noqa: S608 — no user input in identifiers
                f" VALUES {values}"
                " ON CONFLICT (period_id, report_type, division_id, section, metric) DO UPDATE SET"
                f" n = {table}.n + excluded.n, total = {table}.total + excluded.total,"
                f" total_sq = {table}.total_sq + excluded.total_sq",
                [value for row in chunk for value in row],
            )


def factory_divisions(factory_id: int) -> set[str]:
    Factory = global_apps.get_model("accounts", "Factory")
    return set(Factory.kbli.through.objects.filter(factory_id=factory_id).values_list("kbli__division_id", flat=True)) - {None}


def version_added(version) -> None:
    """A version was inserted: if it is now the report's newest, its numbers replace the previous
    newest version's in the report's peer sums. Called by ``ReportVersion.save`` in its transaction
    (the submit holds the report row locked, so versions of one report arrive one at a time)."""
    from reporting.models import Report, ReportVersion

    previous = (
        ReportVersion.objects.filter(report_id=version.report_id)
        .exclude(pk=version.pk)
        .order_by("-number")
        .values_list("number", "data")
        .first()
    )
    if previous is not None and previous[0] > version.number:
        return  # an older number written late: the newest version is unchanged
    if ReportVersion.report.is_cached(version):  # the submit passes the report it locked
        report = version.report
        period_id, report_type, factory_id = report.period_id, report.report_type, report.factory_id
    else:
        period_id, report_type, factory_id = (
            Report.objects.filter(pk=version.report_id).values_list("period_id", "report_type", "factory_id").get()
        )
    old = numeric_metrics(previous[1]) if previous is not None else None
    apply(period_id, report_type, factory_divisions(factory_id), deltas(old, numeric_metrics(version.data)))


def lock_factory(factory_id: int) -> set[str]:
    """Lock the factory row (a submit of its reports locks it too) and return its divisions, before
    its KBLI lines are replaced: its sums then move without a submit slipping in between."""
    Factory = global_apps.get_model("accounts", "Factory")
    list(Factory.objects.select_for_update().filter(pk=factory_id).values_list("pk"))
    return factory_divisions(factory_id)


def factory_divisions_changed(*, factory_id: int, before: set[str]) -> None:
    """Move the factory's counted reports from the divisions it left to the ones it joined."""
    after = factory_divisions(factory_id)
    left, joined = before - after, after - before
    if not left and not joined:
        return
    for period_id, report_type, _factory_id, metrics in _newest_metrics(report__factory_id=factory_id):
        apply(period_id, report_type, left, deltas(metrics, None))
        apply(period_id, report_type, joined, deltas(None, metrics))


def _newest_metrics(apps=global_apps, **filters):
    """(period, report type, factory, metrics) of every report's newest version, streamed."""
    ReportVersion = apps.get_model("reporting", "ReportVersion")
    newer = ReportVersion.objects.filter(report_id=OuterRef("report_id"), number__gt=OuterRef("number"))
    rows = (
        ReportVersion.objects.filter(~Exists(newer), **filters)
        .order_by()
        .values_list("report__period_id", "report__report_type", "report__factory_id", "data")
    )
    for period_id, report_type, factory_id, data in rows.iterator(chunk_size=500):
        yield period_id, report_type, factory_id, numeric_metrics(data)


@transaction.atomic
def rebuild(apps=global_apps) -> int:
    """Recompute every sum from the reports' newest versions; returns the number of rows written.

    On PostgreSQL the table is locked against writers first (``EXCLUSIVE``: reads go on), so a submit
    running meanwhile waits and then applies its change on top of the rebuilt rows."""
    PeerMetricSum = apps.get_model("verification", "PeerMetricSum")
    Factory = apps.get_model("accounts", "Factory")
    empty_for_rebuild(PeerMetricSum)
    divisions: dict[int, set[str]] = defaultdict(set)
    lines = Factory.kbli.through.objects.order_by().values_list("factory_id", "kbli__division_id")
    for factory_id, division in lines.iterator(chunk_size=10_000):
        if division is not None:
            divisions[factory_id].add(division)
    sums: dict[tuple, list] = {}
    for period_id, report_type, factory_id, metrics in _newest_metrics(apps):
        for division in divisions.get(factory_id, ()):
            for (section, metric), value in metrics.items():
                acc = sums.get((period_id, report_type, division, section, metric))
                if acc is None:
                    sums[(period_id, report_type, division, section, metric)] = [1, value, value * value]
                else:
                    acc[0] += 1
                    acc[1] += value
                    acc[2] += value * value
    PeerMetricSum.objects.bulk_create(
        (
            PeerMetricSum(
                period_id=key[0], report_type=key[1], division_id=key[2], section=key[3], metric=key[4], n=n, total=t, total_sq=sq
            )
            for key, (n, t, sq) in sums.items()
        ),
        batch_size=2000,
    )
    return len(sums)
