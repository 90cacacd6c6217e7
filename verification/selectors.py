"""Reads of the verification app: letters, the sanction recommendation list, a report for review
(style.md §1). Report queues, outlier flags and reporting rates live in their own selector modules
(``verification/queues.py``, ``verification/outliers.py``, ``verification/rates.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Role, User
from reporting.access import get_report_for_user_or_404
from reporting.models import Report, ReportEvent
from reporting.selectors import (
    DocSection,
    HeaderChange,
    build_document,
    header_changes,
    previous_accepted_snapshot,
    report_snapshot_in_one_query,
)
from siinas.lib.audit import audit
from verification.models import WarningLetter
from verification.outliers import Flag, flags_for_data, metric_label, newest_version_data
from verification.scheduling import Level
from verification.services.compliance import PERIODIC_TYPES


def _submitted_for_letter() -> Exists:
    return Exists(
        Report.objects.filter(
            factory_id=OuterRef("factory_id"),
            period_id=OuterRef("period_id"),
            report_type__in=PERIODIC_TYPES,
            first_submitted_at__isnull=False,
        )
    )


def letters_visible_to(user: User) -> QuerySet[WarningLetter]:
    """Sent warning letters: every one for verifiers and admins, its own for a company account."""
    qs = WarningLetter.objects.filter(sent_at__isnull=False).select_related(
        "factory__company", "factory__region", "factory__province", "period"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.role in (Role.VERIFIER, Role.ADMIN):
        return qs
    if user.role == Role.COMPANY:
        return qs.filter(factory_id=user.factory_id)
    return qs.none()


def letters_awaiting_report(user: User) -> QuerySet[WarningLetter]:
    """``letters_visible_to(user)`` not cancelled and whose period still has no report sent: the open cases
    (a report sent at any time closes them). The home page lists a company's."""
    return (
        letters_visible_to(user)
        .filter(cancelled_at__isnull=True)
        .annotate(submitted=_submitted_for_letter())
        .filter(submitted=False)
    )


def sanction_recommendations(*, today: dt.date) -> QuerySet[WarningLetter]:
    """SP3 letters whose deadline has passed with still no report: the administrative-sanction list.

    One row per factory and period (the SP3), oldest deadline first; a report submitted at any time
    takes the case off the list.
    """
    return (
        WarningLetter.objects.filter(level=Level.SP3.value, sent_at__isnull=False, deadline__lte=today)
        .annotate(submitted=_submitted_for_letter())
        .filter(submitted=False)
        .select_related("factory__company", "factory__region", "factory__province", "period")
        .order_by("deadline", "factory__company__name")
    )


def report_for_reading(user: User, pk: int, *, request=None) -> Report:
    """A report inside ``user``'s scope (else 404); an officer's view of it is audited (UU 3/2014)."""
    report = get_report_for_user_or_404(user, pk)
    if user.is_officer:
        audit("verification.report_viewed", actor=user, target=report, request=request)
    return report


def report_events(report: Report) -> list:
    """The report's timeline, oldest first, each event with ``section_title`` for a section comment."""
    events = list(ReportEvent.objects.filter(report=report).select_related("actor", "version").order_by("created_at", "id"))
    spec = report.spec
    for event in events:
        event.section_title = spec.section_title(event.section) if event.section in spec.sections else event.section
    return events


@dataclass
class ReviewSection:
    """One section as the reviewer reads it: its values, each header number's change against the last
    accepted report (aligned with ``document.fields``) and the outlier flags of that section."""

    document: DocSection
    changes: list[HeaderChange | None]
    flags: list[tuple[Flag, str]] = field(default_factory=list)  # (flag, the field's label)


@dataclass
class ReviewData:
    sections: list[ReviewSection]
    flag_count: int
    has_previous: bool


def review_data(report: Report) -> ReviewData:
    """The review page's data, in a fixed number of queries whatever the rows (docs/verification.md):

    - the values are the newest submitted version's snapshot (one query; the same snapshot the flags are
      computed on and the one a return would send back), or, before any version, the live section tables
      (``report_snapshot_in_one_query``: one query on PostgreSQL);
    - "the last accepted report" is the newest version of the factory's latest verified or validated report
      of the same type in an earlier period (``previous_accepted_snapshot``, one query);
    - the flags are :func:`verification.outliers.outlier_flags` of that same snapshot.
    """
    submitted: dict[str, Any] | None = newest_version_data(report)
    current = submitted if submitted is not None else report_snapshot_in_one_query(report)
    previous = previous_accepted_snapshot(report)
    flags = flags_for_data(report, submitted)
    spec = report.spec
    changes = header_changes(spec, previous, current)
    by_section: dict[str, list[tuple[Flag, str]]] = {}
    for flag in flags:
        by_section.setdefault(flag.section, []).append((flag, metric_label(flag.section, flag.metric)))
    sections = [
        ReviewSection(document=doc, changes=changes.get(doc.code, []), flags=by_section.get(doc.code, []))
        for doc in build_document(spec, current)
    ]
    return ReviewData(sections=sections, flag_count=len(flags), has_previous=previous is not None)
