"""Report data for the partner endpoints' tests: validated reports with sections, a stored version and
their measures, as the status pipeline leaves them; and the other statuses, which are never served."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import Factory
from reporting import measures
from reporting.models import Period, Report, ReportStatus, ReportVersion
from reporting.sections import models as sm
from reporting.selectors import report_snapshot, snapshot_hash
from tests.reporting.factories import PeriodFactory, ReportFactory

VALIDATED_AT = dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.UTC)


def s1_2026() -> Period:
    return PeriodFactory(year=2026, number=1)


def report(factory: Factory, period: Period | None = None, *, status: str = ReportStatus.VALIDATED, workforce: int = 420) -> Report:
    """factory's production report for ``period`` (Semester 1 2026) in ``status``; the same report when
    called again (the harness runs a route's setup once per caller)."""
    period = period or s1_2026()
    existing = Report.objects.filter(factory=factory, period=period, report_type="industri_produksi").first()
    if existing is not None:
        return existing
    made = ReportFactory(factory=factory, period=period, status=status)
    sm.Workforce.objects.create(report=made, total=workforce)
    sm.ProductionRow.objects.create(report=made, product="Tepung terigu", quantity=1200, unit="ton", value=9_000_000_000)
    sm.SalesRow.objects.create(report=made, product="Tepung terigu", export_value=1_500_000_000)
    if status != ReportStatus.DRAFT:
        snapshot = report_snapshot(made)
        ReportVersion.objects.create(
            report=made, number=1, data=snapshot, content_hash=snapshot_hash(snapshot), on_time=True, created_at=made.first_submitted_at
        )
    if status == ReportStatus.VALIDATED:
        Report.objects.filter(pk=made.pk).update(validated_at=VALIDATED_AT, verified_at=VALIDATED_AT - dt.timedelta(days=2))
        made.refresh_from_db()
        measures.refresh(made.pk, ReportStatus.VALIDATED)
    return made


def now_in(period: Period) -> dt.datetime:
    """A moment two weeks after ``period``'s window closed (Jakarta noon)."""
    return timezone.make_aware(dt.datetime.combine(period.window_closes + dt.timedelta(days=14), dt.time(12)))
