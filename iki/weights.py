"""The reported workforce behind IKI weights, maintained (``AcceptedWorkforce``): per factory, the
workforce of its latest accepted (verified or validated) semester report — what
``reporting.selectors.workforce_from_latest_accepted_reports`` computes from every accepted report,
kept as one row per factory so a month's computation no longer reads ~90,000 reports and their
workforce sections for ~9,000 responding factories.

Upkeep: reporting's status pipeline (``reporting.services._move``) calls ``refresh`` in the move's
transaction whenever a report enters or leaves the accepted statuses (verify; return after
verification). Validation keeps a report accepted and changes nothing; an accepted report cannot be
edited. ``rebuild`` recomputes every row from the reports (the data migration, ``load_scale``, tests).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import QuerySet

from reporting.models import ACCEPTED_STATUSES
from siinas.lib.versions import empty_for_rebuild

ACCEPTED = sorted(ACCEPTED_STATUSES)


def reported_workforce(factory_ids: Iterable[int] | QuerySet) -> dict[int, int]:
    """Workforce per factory from its latest accepted semester report, for the factories that have one
    (the others fall back to the profile). One query; ``factory_ids`` may be a flat ``values_list``
    queryset, which the database then joins instead of receiving thousands of parameters."""
    from iki.models import AcceptedWorkforce

    ids = factory_ids if isinstance(factory_ids, QuerySet) else list(factory_ids)
    rows = AcceptedWorkforce.objects.filter(factory_id__in=ids, workforce__isnull=False).values_list("factory_id", "workforce")
    return dict(rows)


def _latest_accepted(factory_id: int, apps=global_apps) -> tuple[int | None, int | None]:
    """(report, workforce) as ``workforce_from_latest_accepted_reports`` picks them: the accepted report
    with the latest period end (then the highest id), and its workforce section's total if it has one."""
    Report = apps.get_model("reporting", "Report")
    Workforce = apps.get_model("reporting", "Workforce")
    report_id = (
        Report.objects.filter(factory_id=factory_id, status__in=ACCEPTED)
        .order_by("-period__end", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if report_id is None:
        return None, None
    return report_id, Workforce.objects.filter(report_id=report_id).values_list("total", flat=True).first()


@transaction.atomic
def refresh(factory_id: int) -> None:
    """Recompute one factory's row. The row is locked first (created if missing), so two of the
    factory's reports accepted at the same moment are applied one after the other, the second reading
    the first's committed status."""
    from iki.models import AcceptedWorkforce

    row, _created = AcceptedWorkforce.objects.select_for_update().get_or_create(factory_id=factory_id)
    report_id, workforce = _latest_accepted(factory_id)
    if (row.report_id, row.workforce) != (report_id, workforce):
        row.report_id, row.workforce = report_id, workforce
        row.save(update_fields=["report", "workforce"])


@transaction.atomic
def rebuild(apps=global_apps) -> int:
    """Recompute every row from the accepted reports; returns the number of factories with one.

    On PostgreSQL the table is locked against writers first, so an acceptance running meanwhile waits
    and then refreshes its factory on top of the rebuilt rows."""
    AcceptedWorkforce = apps.get_model("iki", "AcceptedWorkforce")
    Report = apps.get_model("reporting", "Report")
    Workforce = apps.get_model("reporting", "Workforce")
    empty_for_rebuild(AcceptedWorkforce)
    latest: dict[int, int] = {}
    candidates = (
        Report.objects.filter(status__in=ACCEPTED).order_by("factory_id", "-period__end", "-id").values_list("factory_id", "pk")
    )
    for factory_id, report_id in candidates.iterator(chunk_size=10_000):
        latest.setdefault(factory_id, report_id)
    wanted = set(latest.values())
    totals = {
        report_id: total
        for report_id, total in Workforce.objects.filter(report__status__in=ACCEPTED).values_list("report_id", "total").iterator(chunk_size=10_000)
        if report_id in wanted
    }
    AcceptedWorkforce.objects.bulk_create(
        (AcceptedWorkforce(factory_id=f, report_id=r, workforce=totals.get(r)) for f, r in latest.items()), batch_size=5000
    )
    return len(latest)
