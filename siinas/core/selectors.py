"""Reads on reference data: working days (for SLAs and deadlines); the announcements of a home page."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from siinas.core.models import Announcement, Holiday


def holidays_between(start: date, end: date) -> set[date]:
    return set(Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def is_working_day(day: date, holidays: set[date] | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    if holidays is None:
        holidays = holidays_between(day, day)
    return day not in holidays


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (weekends and national holidays skipped)."""
    holidays = holidays_between(start, start + timedelta(days=days * 3 + 30))
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def working_day_deadline(moment: datetime, days: int = 1) -> datetime:
    """End of the ``days``-th working day after ``moment`` (local time), e.g. the UPP SLA."""
    local = timezone.localtime(moment)
    due = add_working_days(local.date(), days)
    return timezone.make_aware(datetime.combine(due, time(23, 59, 59)), timezone.get_current_timezone())


def announcements_for(user, today: date | None = None) -> QuerySet[Announcement]:
    """The announcements shown today on ``user``'s home page: for the user's role, ``today`` (the
    Asia/Jakarta date) between the first and the last day, newest first. One query."""
    today = today or timezone.localdate()
    if not user.is_authenticated:
        return Announcement.objects.none()
    return Announcement.objects.filter(
        audience__role=user.role, starts_on__lte=today, ends_on__gte=today
    ).order_by("-starts_on", "-id")


def announcements_for_admin() -> QuerySet[Announcement]:
    """Every announcement with its roles (two queries), the newest first."""
    return (
        Announcement.objects.select_related("created_by")
        .prefetch_related("audience")
        .order_by("-starts_on", "-id")
    )
