"""After the deadline surge: did hundreds of concurrent starts, saves and submissions make anything twice?

Counted with SQL through the ORM (``GROUP BY … HAVING COUNT(*) > 1``), over the whole database for the
natural keys and over what was made since the surge began for the receipts:

- ``reports``: (factory, period, report type) groups with more than one report;
- ``versions``: (report, version number) groups with more than one version;
- ``receipts``: reports that got more than one version since the surge began (each surge account submits
  once; a double click must come back with the first version and its Tanda Terima, never a second one);
- ``receipt_mails``: versions made since the surge began with more than one receipt e-mail in the outbox;
- ``outbox``: outbox dedupe keys held by more than one message;
- ``receipts_missing``: versions made since the surge began without their receipt e-mail in the outbox.

The database constraints forbid most of these; the check is there so that a change that loosens one,
or a submission path that bypasses the dedupe key, shows up as a number rather than as a complaint.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from reporting.models import Report, ReportVersion
from siinas.core.models import OutboxMessage

RECEIPT_MAIL = "reporting-submitted"


def duplicates(queryset: QuerySet, fields: tuple[str, ...]) -> int:
    """How many groups of ``fields`` hold more than one row of ``queryset``."""
    return queryset.order_by().values(*fields).annotate(n=Count("pk")).filter(n__gt=1).count()


def surge_duplicates(*, since: dt.datetime) -> dict[str, int]:
    """Every count above (0 everywhere when nothing was made twice)."""
    versions_since = ReportVersion.objects.filter(created_at__gte=since)
    receipt_keys = {f"report-receipt-{pk}" for pk in versions_since.values_list("pk", flat=True)}
    mails = OutboxMessage.objects.filter(name=RECEIPT_MAIL, created_at__gte=since)
    mailed = set(mails.exclude(dedupe_key=None).values_list("dedupe_key", flat=True))
    return {
        "reports": duplicates(Report.objects.all(), ("factory_id", "period_id", "report_type")),
        "versions": duplicates(ReportVersion.objects.all(), ("report_id", "number")),
        "receipts": duplicates(versions_since, ("report_id",)),
        "receipt_mails": duplicates(mails, ("dedupe_key",)),
        "outbox": duplicates(OutboxMessage.objects.exclude(dedupe_key=None), ("dedupe_key",)),
        "receipts_missing": len(receipt_keys - mailed),
    }


def made_since(*, since: dt.datetime) -> dict[str, int]:
    """What the surge made (for the summary): versions, reports started, receipt e-mails."""
    return {
        "versions": ReportVersion.objects.filter(created_at__gte=since).count(),
        "reports_started": Report.objects.filter(created_at__gte=since).count(),
        "receipt_mails": OutboxMessage.objects.filter(name=RECEIPT_MAIL, created_at__gte=since).count(),
    }
