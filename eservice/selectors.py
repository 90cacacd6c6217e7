"""Reads of the application engine: the officer queue (HTML and CSV from one builder) and a detail."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from eservice.access import applications_visible_to
from eservice.catalog import describe, describe_decision, get_service
from eservice.filters import QueueFilter
from eservice.models import (
    Application,
    ApplicationComment,
    ApplicationDocument,
    Status,
    StatusChange,
    WeeklyReport,
)
from siinas.lib.audit import audit
from siinas.lib.pagination import COUNT_CACHE_SECONDS, page_in_two_steps
from siinas.lib.versions import newest_pks

QUEUE_JOINS = ("factory__company", "factory__region", "factory__province", "reviewer")


def review_queue(user: User, params: QueryDict | dict) -> QueueFilter:
    """Applications the officer may see, filtered; ``.qs`` is the rows, oldest waiting first, one query."""
    base = applications_visible_to(user).select_related(*QUEUE_JOINS)
    # Always bound: with no parameters the default (waiting applications only) still applies.
    return QueueFilter(params if params is not None else {}, queryset=base, role=user.role)


def _queue_rows(keys: list[int]) -> QuerySet[Application]:
    return Application.objects.filter(pk__in=keys).select_related(*QUEUE_JOINS)


def queue_page(user: User, params: QueryDict, page_number: str | None, *, version: str | None = None) -> tuple[QueueFilter, Page]:
    """One page (50 rows) of the officer's filtered queue; the view of the list is audited."""
    queue = review_queue(user, params)
    # The page's keys first (scope, filters, order), then its rows with their joins (siinas/lib/pagination.py).
    page = page_in_two_steps(queue.qs, page_number, 50, rows=_queue_rows, version=version if version is not None else queue_version())
    audit(
        "eservice.queue.view", actor=user, filters=params.dict(), page=page.number, rows=len(page.object_list)
    )
    return queue, page


def queue_export(user: User, params: QueryDict) -> list[list[Any]]:
    """Every row of the officer's filtered queue for the CSV; the export is audited."""
    rows = queue_rows(review_queue(user, params).qs)
    audit("eservice.queue.export", actor=user, filters=params.dict(), rows=len(rows))
    return rows


def pemda_iomki_page(user: User, page_number: str | None) -> Page:
    """One page of the IOMKI under the Pemda officer's authority; the view is audited."""
    page = Paginator(pemda_iomki(user), 50).get_page(page_number)
    audit("eservice.pemda_iomki.view", actor=user, page=page.number, rows=len(page.object_list))
    return page


def pemda_iomki(user: User) -> QuerySet[Application]:
    """IOMKI of the factories under the Pemda officer's authority, with the latest weekly report (one query)."""
    latest = WeeklyReport.objects.filter(application=OuterRef("pk")).order_by("-week_start")
    return (
        applications_visible_to(user)
        .filter(service="iomki")
        .annotate(
            last_week=Subquery(latest.values("week_start")[:1]),
            last_operating=Subquery(latest.values("operating")[:1]),
            last_utilisation=Subquery(latest.values("utilisation_pct")[:1]),
            last_cases=Subquery(latest.values("positive_cases")[:1]),
            n_reports=Count("weekly_reports"),
        )
        .order_by("status", "factory__company__name", "pk")
    )


def queue_version() -> str:
    """The queue's data version: the newest application and status change (every move of an application
    writes one, ``services._move``), one statement. The queue's total and its tabs' counts are cached under
    it (``COUNT_CACHE_SECONDS`` bounds what it cannot see, e.g. a reviewer reassigned)."""
    return "|".join(str(v) for v in newest_pks(Application, StatusChange))


def queue_counts(user: User, *, version: str | None = None) -> dict[str, int]:
    """Open applications per service, for the tabs of the queue (one query, cached per user and version)."""
    version = version if version is not None else queue_version()
    key = f"eservice:queue-counts:{user.pk}:{user.role}:{version}"
    counts = cache.get(key)
    if counts is None:
        rows = (
            applications_visible_to(user)
            .filter(status__in=Application.OPEN_FOR_REVIEW)
            .values("service")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts = {row["service"]: row["n"] for row in rows}
        cache.set(key, counts, COUNT_CACHE_SECONDS)
    return counts


QUEUE_HEADER = [
    "Nomor",
    "Layanan",
    "Perusahaan",
    "Lokasi pabrik",
    "Kabupaten/Kota",
    "Provinsi",
    "Status",
    "Diajukan pertama",
    "Diajukan terakhir",
    "Petugas pemeriksa",
    "Berlaku sampai",
]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def queue_rows(applications: QuerySet[Application]) -> list[list[Any]]:
    return [
        [
            a.number,
            str(get_service(a.service).name),
            a.factory.company.name,
            a.factory.name,
            a.factory.region.name,
            a.factory.province.name,
            a.get_status_display(),
            _local(a.submitted_at),
            _local(a.last_submitted_at),
            a.reviewer.get_username() if a.reviewer else "",
            a.valid_until.isoformat() if a.valid_until else "",
        ]
        for a in applications
    ]


def application_detail(user: User, application: Application) -> dict:
    """Everything the detail page shows; an officer's view of confidential data is audited."""
    service = application.service_type
    documents = list(application.documents.select_related("uploaded_by").order_by("kind", "-uploaded_at"))
    latest: dict[str, ApplicationDocument] = {}
    for doc in documents:
        latest.setdefault(doc.kind, doc)
    checklist = [{"spec": spec, "document": latest.get(spec.code)} for spec in service.documents]
    if user.is_officer:
        audit("eservice.application.view", actor=user, target=application, service=application.service)
    return {
        "service": service,
        "answers": describe(service, application.data),
        "decision": describe_decision(service, application.decision_data),
        "checklist": checklist,
        "documents": documents,
        "history": list(StatusChange.objects.filter(application=application).select_related("actor")),
        "comments": list(ApplicationComment.objects.filter(application=application).select_related("author")),
        "weekly_reports": list(application.weekly_reports.all()) if service.weekly_reports else [],
    }


def company_applications(user: User) -> QuerySet[Application]:
    return applications_visible_to(user).order_by("-updated_at")


def letter_context(application: Application) -> dict:
    service = application.service_type
    approval = (
        StatusChange.objects.filter(application=application, to_status=Status.APPROVED)
        .select_related("actor")
        .first()
    )
    return {
        "application": application,
        "service": service,
        "factory": application.factory,
        "answers": describe(service, application.data),
        "decision": describe_decision(service, application.decision_data),
        "decision_data": application.decision_data,
        "signed_by": approval.actor if approval else None,
    }
