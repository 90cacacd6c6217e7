"""factory_boy factories for reports (other apps' tests may use them for submitted reports)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from reporting.models import Period, Report, ReportStatus
from reporting.services import semester_defaults


class PeriodFactory(factory.django.DjangoModelFactory):
    """Semester 1 2026 by default (window 1 July – 31 August 2026)."""

    class Meta:
        model = Period
        django_get_or_create = ("period_type", "year", "number")

    period_type = Period.Type.SEMESTER
    year = 2026
    number = 1
    start = factory.LazyAttribute(lambda p: semester_defaults(p.year, p.number)["start"])
    end = factory.LazyAttribute(lambda p: semester_defaults(p.year, p.number)["end"])
    window_opens = factory.LazyAttribute(lambda p: semester_defaults(p.year, p.number)["window_opens"])
    window_closes = factory.LazyAttribute(lambda p: semester_defaults(p.year, p.number)["window_closes"])


class ReportFactory(factory.django.DjangoModelFactory):
    """A report in any status; a non-draft one gets a first-submission date inside the window."""

    class Meta:
        model = Report

    period = factory.SubFactory(PeriodFactory)
    report_type = "industri_produksi"
    status = ReportStatus.DRAFT
    first_submitted_at = factory.LazyAttribute(
        lambda r: None
        if r.status == ReportStatus.DRAFT
        else timezone.make_aware(dt.datetime.combine(r.period.window_opens, dt.time(10)))
    )
    last_submitted_at = factory.SelfAttribute("first_submitted_at")
    submitted_on_time = factory.LazyAttribute(lambda r: None if r.status == ReportStatus.DRAFT else True)
