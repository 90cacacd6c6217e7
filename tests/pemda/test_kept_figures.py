"""The Pemda dashboard's figures are kept per territory, period and language (pemda.figures): read as one
row, recomputed by the page when no worker runs, refreshed by a worker (the page showing the kept figures
with their time) when one does."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Scale
from pemda import figures
from pemda.models import TerritoryFigures
from siinas.core.models import OutboxMessage
from tests.helpers import login

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("pemda:dashboard")
REFRESH_TASK = "pemda.refresh_territory_figures"


def _accounts(response) -> int:
    return response.context["accounts"]["total"]


@pytest.fixture
def jabar(client, cast, place):
    for _ in range(3):
        place("32.16", Scale.KECIL)
    login(client, cast.pemda_jabar)
    return client


@pytest.fixture
def with_worker(settings):
    settings.PEMDA_FIGURES_IN_BACKGROUND = True


def test_the_first_view_keeps_the_figures_and_the_next_reads_them_in_one_row(jabar, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as computing:
        first = jabar.get(DASHBOARD)
    row = TerritoryFigures.objects.get()
    assert (row.scope, row.part, row.language) == (f"{cast.pemda_jabar.role}:32", figures.DASHBOARD, "id")
    assert json.loads(row.payload)["accounts"]  # tagged JSON (siinas.lib.cache_serializer), never pickle
    with CaptureQueriesContext(connection) as reading:
        second = jabar.get(DASHBOARD)
    assert _accounts(second) == _accounts(first)
    assert second.context["figures_at"] == row.computed_at and not second.context["figures_refreshing"]
    assert len(reading.captured_queries) < len(computing.captured_queries) - 10
    assert "Angka per" in second.content.decode()


def test_without_a_worker_the_view_after_a_change_computes_afresh(jabar, place):
    before = _accounts(jabar.get(DASHBOARD))
    place("32.16", Scale.KECIL)
    response = jabar.get(DASHBOARD)
    assert _accounts(response) == before + 1
    assert not response.context["figures_refreshing"]
    assert not OutboxMessage.objects.filter(name=REFRESH_TASK).exists()


def test_with_a_worker_the_view_after_a_change_shows_the_kept_figures_and_asks_once_for_a_refresh(jabar, place, with_worker):
    before = _accounts(jabar.get(DASHBOARD))
    place("32.16", Scale.KECIL)
    response = jabar.get(DASHBOARD)
    assert _accounts(response) == before
    assert response.context["figures_refreshing"]
    assert "angka sedang diperbarui" in response.content.decode()
    jabar.get(DASHBOARD)  # asked at most once a minute per territory, period and language
    task = OutboxMessage.objects.get(name=REFRESH_TASK)
    from siinas.core import outbox

    assert outbox.deliver(task.pk) is True  # the outbox hands the task to a worker (in-process here)
    task.refresh_from_db()
    assert task.status == OutboxMessage.Status.SENT
    response = jabar.get(DASHBOARD)
    assert _accounts(response) == before + 1
    assert not response.context["figures_refreshing"]


def test_figures_older_than_the_bound_are_not_shown_even_with_a_worker(jabar, place, with_worker):
    before = _accounts(jabar.get(DASHBOARD))
    place("32.16", Scale.KECIL)
    TerritoryFigures.objects.update(computed_at=timezone.now() - figures.MAX_AGE - dt.timedelta(minutes=1))
    response = jabar.get(DASHBOARD)
    assert _accounts(response) == before + 1
    assert not response.context["figures_refreshing"]


def test_figures_past_their_lifetime_are_recomputed_though_the_data_version_did_not_move(jabar):
    from accounts.models import Factory

    before = _accounts(jabar.get(DASHBOARD))
    # An edit the data version cannot see: an account moved out of the province.
    moved = Factory.objects.filter(region_id="32.16").latest("pk")
    Factory.objects.filter(pk=moved.pk).update(region_id="35.78", province_id="35")
    assert _accounts(jabar.get(DASHBOARD)) == before  # within the lifetime: the kept figures
    TerritoryFigures.objects.update(computed_at=timezone.now() - dt.timedelta(seconds=figures.FRESH_SECONDS + 1))
    cache.clear()  # the parts' own caches have the same lifetime
    assert _accounts(jabar.get(DASHBOARD)) == before - 1


def test_each_territory_and_language_has_figures_of_its_own(client, cast, place):
    for _ in range(3):
        place("32.16", Scale.KECIL)
        place("32.73", Scale.KECIL)
    login(client, cast.pemda_jabar)
    province = _accounts(client.get(DASHBOARD))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.get(DASHBOARD)
    client.logout()
    login(client, cast.pemda_kab_bekasi)
    kab = _accounts(client.get(DASHBOARD))
    assert kab < province
    assert set(TerritoryFigures.objects.values_list("scope", "language")) == {
        (f"{cast.pemda_jabar.role}:32", "id"),
        (f"{cast.pemda_jabar.role}:32", "en"),
        (f"{cast.pemda_kab_bekasi.role}:32.16", "id"),
    }


def test_an_unreadable_row_is_computed_afresh(jabar):
    before = _accounts(jabar.get(DASHBOARD))
    TerritoryFigures.objects.update(payload="\x80 not json")
    response = jabar.get(DASHBOARD)
    assert response.status_code == 200 and _accounts(response) == before
    assert json.loads(TerritoryFigures.objects.get().payload)


def test_the_page_shows_its_figures_when_a_refresh_cannot_be_asked_for(jabar, place, with_worker, monkeypatch):
    from siinas.core import outbox

    def refuse(*args, **kwargs):
        raise RuntimeError("database refuses the outbox row")

    before = _accounts(jabar.get(DASHBOARD))
    place("32.16", Scale.KECIL)
    monkeypatch.setattr(outbox, "task_enqueue", refuse)
    response = jabar.get(DASHBOARD)
    assert response.status_code == 200 and _accounts(response) == before


def test_the_kbli_fragment_keeps_its_figures_too(jabar, with_worker, place):
    from tests.reporting.factories import PeriodFactory

    s1 = PeriodFactory(year=2026, number=1)
    url = reverse("pemda:dashboard-kbli-rates") + f"?periode={s1.pk}"
    first = jabar.get(url, headers={"HX-Request": "true"})
    assert TerritoryFigures.objects.filter(part=figures.KBLI, period_key=s1.pk).exists()
    place("32.16", Scale.KECIL)
    second = jabar.get(url, headers={"HX-Request": "true"})
    assert second.context["figures_refreshing"]
    assert second.context["total"].row.expected == first.context["total"].row.expected


def test_the_nightly_refresh_recomputes_moved_rows_and_drops_territories_without_officers(jabar, cast, place):
    before = _accounts(jabar.get(DASHBOARD))
    TerritoryFigures.objects.create(
        scope="pemda_kab:35.78", part=figures.DASHBOARD, language="id", version="old", computed_at=timezone.now(), payload="{}"
    )
    place("32.16", Scale.KECIL)
    assert figures.refresh_stale() == 1
    assert list(TerritoryFigures.objects.values_list("scope", flat=True)) == [f"{cast.pemda_jabar.role}:32"]
    with_row = TerritoryFigures.objects.get()
    assert with_row.version == figures.data_version()
    assert json.loads(with_row.payload)["accounts"]["authority_count"] is not None
    assert _accounts(jabar.get(DASHBOARD)) == before + 1


def test_a_refresh_for_someone_not_a_pemda_officer_does_nothing(cast):
    assert figures.refresh(user_id=cast.verifier.pk, part=figures.DASHBOARD, period_id=None, language="id") is False
    assert not TerritoryFigures.objects.exists()
