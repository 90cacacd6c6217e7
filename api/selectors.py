"""Reads of the partner pages (/mitra/): organisations, their tokens, and a token's use.

Every read starts from api.access (admins: everything; a Mitra K/L user: its own organisations), so a
page never shows what the user may not open. Each list is a fixed number of queries whatever its length
(tests/api/test_portal_views.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from api.access import organisations_visible_to
from api.models import ApiCall, ApiToken, PartnerOrganisation
from siinas.core.models import Kbli

CALLS_PER_PAGE = 50
USE_DAYS = 30


def organisation_rows(user) -> QuerySet[PartnerOrganisation]:
    """The organisations ``user`` may see, with their number of tokens, active tokens and members."""
    today = timezone.localdate()
    active = Q(tokens__revoked_at__isnull=True, tokens__expires_on__gte=today)
    return (
        organisations_visible_to(user)
        .annotate(
            token_count=Count("tokens", distinct=True),
            active_count=Count("tokens", filter=active, distinct=True),
            member_count=Count("members", distinct=True),
        )
        .order_by("name")
    )


def organisation_tokens(organisation: PartnerOrganisation) -> list[ApiToken]:
    """The organisation's tokens, newest first, each with its ``state`` (aktif/dicabut/kedaluwarsa)."""
    today = timezone.localdate()
    tokens = list(
        ApiToken.objects.filter(organisation=organisation)
        .select_related("region")
        .prefetch_related(Prefetch("kbli_divisions", queryset=Kbli.objects.order_by("code")))
        .order_by("-created_at", "-id")
    )
    for token in tokens:
        token.state = token.status(today)
    return tokens


def _params_text(params: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in sorted((params or {}).items()))


def token_calls_page(token: ApiToken, *, page: str | int = 1) -> Page:
    """One page of the token's calls, newest first (two queries: the count and the page)."""
    calls = Paginator(ApiCall.objects.filter(token=token).order_by("-at", "-id"), CALLS_PER_PAGE).get_page(page)
    rows = list(calls.object_list)
    for call in rows:
        call.params_text = _params_text(call.params)
    calls.object_list = rows
    return calls


@dataclass(frozen=True)
class DayUse:
    day: dt.date
    calls: int
    errors: int
    rows: int


def token_daily_use(token: ApiToken, *, days: int = USE_DAYS, today: dt.date | None = None) -> list[DayUse]:
    """Calls per day (Jakarta days) for the last ``days`` days, newest first, days without calls as 0."""
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first, dt.time.min, tzinfo=timezone.get_current_timezone())
    counted = {
        row["day"]: row
        for row in ApiCall.objects.filter(token=token, at__gte=since)
        .annotate(day=TruncDate("at"))
        .values("day")
        .annotate(calls=Count("id"), errors=Count("id", filter=Q(status__gte=400)), rows=Sum("rows"))
        .order_by()
    }
    use = []
    for offset in range(days):
        day = today - dt.timedelta(days=offset)
        row = counted.get(day)
        use.append(DayUse(day, row["calls"], row["errors"], row["rows"] or 0) if row else DayUse(day, 0, 0, 0))
    return use
