"""Proof that the generated reports have real shapes: a sample goes through the project's own checks.

For each sampled report: the latest version must equal what ``report_snapshot`` builds from the
stored section data (and its hash the snapshot's hash); every section's stored data must pass its
form (types, ranges, choices, code shapes) and its rules; and the real ``report_submit`` — run on the
report as if it had been sent back, inside a savepoint that is rolled back — must accept it.
"""

from __future__ import annotations

from django.db import transaction

from reporting import services
from reporting.models import Report, ReportStatus
from reporting.sections.base import CheckContext, SectionForms, values_to_data
from reporting.sections.definitions import SECTION_HANDLERS
from reporting.selectors import report_snapshot, snapshot_hash


class _Undo(Exception):
    pass


def sample(size: int = 20) -> list[Report]:
    """Filed reports spread over the report types and periods, chosen by id (deterministic)."""
    filed = Report.objects.exclude(status=ReportStatus.DRAFT).order_by("pk")
    types = list(filed.order_by().values_list("report_type", flat=True).distinct())
    chosen: list[Report] = []
    per_type = max(1, size // max(1, len(types)))
    for code in sorted(types):
        ids = list(filed.filter(report_type=code).values_list("pk", flat=True))
        step = max(1, len(ids) // per_type)
        chosen += list(
            Report.objects.filter(pk__in=ids[::step][:per_type]).select_related("factory__company", "period")
        )
    if len(chosen) < size:
        taken = {r.pk for r in chosen}
        ids = [pk for pk in filed.values_list("pk", flat=True) if pk not in taken]
        step = max(1, len(ids) // max(1, size - len(chosen)))
        chosen += list(
            Report.objects.filter(pk__in=ids[::step][: size - len(chosen)]).select_related(
                "factory__company", "period"
            )
        )
    return chosen[:size]


def problems_of(report: Report) -> list[str]:
    """Everything the project's checks say about one generated report (empty: it passes)."""
    out = []
    latest = report.versions.order_by("-number").first()
    live = report_snapshot(report)
    if latest is None:
        out.append("no version")
    else:
        if latest.data != live:
            out.append("the latest version differs from the stored section data")
        if latest.content_hash != snapshot_hash(latest.data):
            out.append("the version's hash is not the hash of its data")
    ctx = CheckContext(report)
    for code in report.spec.sections:
        handler = SECTION_HANDLERS[code]
        values = ctx.values(code)
        if values.is_empty and handler.optional:
            continue
        forms = SectionForms(handler, report.spec, data=values_to_data(handler, report.spec, values))
        if not forms.shape_valid():
            out.append(f"{code}: {forms.errors_json()}")
            continue
        issues = handler.check(forms.values(), CheckContext(report, overrides={code: forms.values()}))
        out += [f"{code}: {issue.message}" for issue in issues]
    user = report.factory.users.order_by("pk").first()
    try:
        with transaction.atomic():
            Report.objects.filter(pk=report.pk).update(status=ReportStatus.RETURNED)
            report.refresh_from_db(fields=["status", "lock_version"])
            services.report_submit(actor=user, report=report, lock_version=report.lock_version)
            raise _Undo
    except services.SubmitRefused as refused:
        out += [
            f"submit refused: {code}: {'; '.join(messages)}" for code, messages in refused.sections.items()
        ]
    except _Undo:
        pass
    report.refresh_from_db()
    return out


def check_sample(size: int = 20) -> tuple[int, dict[int, list[str]]]:
    """(reports checked, problems by report id)."""
    reports = sample(size)
    found = {}
    for report in reports:
        problems = problems_of(report)
        if problems:
            found[report.pk] = problems
    return len(reports), found
