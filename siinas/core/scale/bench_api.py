"""The partner API's endpoints in bench_pages (issue 15): a national token over every dataset, issued
inside the benchmark's rolled-back transaction, and the public aggregates as an anonymous caller."""

from __future__ import annotations

import datetime as dt
import os

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from api import public
from api.models import Dataset, PartnerOrganisation
from api.services import token_issue
from iki.models import IkiRelease


def _partner_client() -> Client:
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first() or User.objects.create(
        username="bench-admin", role=Role.ADMIN
    )
    # A name of this run's own: benchmarks running at once would otherwise wait on each other's unique name.
    organisation = PartnerOrganisation.objects.create(name=f"Bench — mitra nasional {os.getpid()}")
    _token, secret = token_issue(
        actor=admin,
        organisation=organisation,
        name="bench",
        datasets=Dataset.values,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        rate_per_minute=1_000_000,
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def api_pages(subjects: dict, page) -> list:
    """``page`` is bench.Page (passed in to keep the import one-way)."""
    partner = _partner_client()
    anonymous = Client()
    province = subjects["pemda_kab"].region.province_id
    nib = subjects["draft"].factory.company.nib
    periods = public.statistics_periods()
    pages = [
        page("API registry, national, first page", partner, reverse("api:factories")),
        page("API registry, one province", partner, f"{reverse('api:factories')}?province={province}"),
        page("API validated reports, first page", partner, reverse("api:reports")),
        page("API compliance of one NIB (4 semesters)", partner, reverse("api:compliance-nib", args=[nib])),
        page("API compliance list, latest period", partner, reverse("api:compliance")),
    ]
    newest = IkiRelease.objects.order_by("-period", "-vintage").first()
    if newest is not None:
        pages.append(page("API IKI month (public)", anonymous, reverse("api:iki-month", args=[f"{newest.period:%Y-%m}"])))
    if periods:
        code = public.period_code(periods[0])
        pages += [
            page("API statistics, national (public)", anonymous, reverse("api:statistics-table", args=[code])),
            page("API SDMX-CSV DF_INDUSTRI (public)", anonymous, f"{reverse('api:sdmx-data-industri')}?period={code}"),
        ]
    return pages
