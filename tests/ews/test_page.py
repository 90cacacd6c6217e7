"""The "Peringatan dini" page: each role sees the active signals of its scope, with their evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role
from ews.models import Signal
from ews.services import signals_refresh
from siinas.core.models import Region
from tests.factories import officer
from tests.helpers import login

pytestmark = pytest.mark.django_db

URL = reverse("ews:signal-list")


@pytest.fixture
def refreshed(material):
    signals_refresh()
    return material


def _shown(client, user, **params) -> set[tuple]:
    login(client, user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return {(s.kind, s.measure, s.subsector, s.region) for s in response.context["page"].object_list}


def test_the_ministry_sees_every_active_signal(client, cast, refreshed):
    assert len(_shown(client, cast.verifier)) == Signal.objects.filter(active=True).count() == 8
    assert len(_shown(client, cast.admin)) == 8


def test_a_validator_sees_only_the_signals_of_its_divisions(client, cast, refreshed):
    assert _shown(client, cast.validator_pangan) == {
        ("iki_kontraksi", "iki", "10", ""),
        ("iki_turun", "iki", "10", ""),
        ("laporan_turun", "production", "10", "32"),
        ("laporan_turun", "production", "10", "32.16"),
        ("iomki_naik", "reduced", "10", ""),
    }
    assert _shown(client, cast.validator_logam) == set()


def test_a_province_sees_its_province_cells_only(client, cast, refreshed):
    assert _shown(client, cast.pemda_jabar) == {
        ("laporan_turun", "production", "10", "32"),
        ("iomki_naik", "reduced", "", "32"),
    }


def test_a_kabupaten_sees_its_own_cells_only(client, cast, refreshed):
    assert _shown(client, cast.pemda_kab_bekasi) == {
        ("laporan_turun", "production", "10", "32.16"),
        ("iomki_naik", "reduced", "", "32.16"),
    }


def test_pemda_never_sees_a_signal_of_fewer_than_3_companies(client, cast, refreshed):
    # Surabaya's two metal factories fell 90 %: no signal exists, so the city and Jatim see nothing
    surabaya = officer("pemda_sby", Role.PEMDA_KAB, region=Region.objects.get(pk="35.78"))
    jatim = officer("pemda_jatim", Role.PEMDA_PROV, region=Region.objects.get(pk="35"))
    assert _shown(client, surabaya) == set()
    assert _shown(client, jatim) == set()
    # and the table refuses one outright
    with pytest.raises(IntegrityError), transaction.atomic():
        Signal.objects.create(
            kind="laporan_turun", source="laporan", measure="export", subsector="25", region="35.78",
            period=dt.date(2026, 1, 1), period_label="2026-S1", score=90, threshold=20, companies=2,
        )  # fmt: skip


def test_each_signal_shows_its_score_threshold_and_series_with_a_chart(client, cast, refreshed):
    login(client, cast.pemda_kab_bekasi)
    response = client.get(URL, {"sumber": "laporan"})
    page = response.content.decode()
    signal = Signal.objects.get(source="laporan", region="32.16")
    assert [s.pk for s in response.context["page"].object_list] == [signal.pk]
    assert response.context["charts"][f"sinyal-{signal.pk}"]["series"][0]["values"] == [3003, 2103]
    assert 'id="ews-charts"' in page and f'data-chart="sinyal-{signal.pk}"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/ews.js" in page
    for text in ("29,97", '<dd class="col-7">20</dd>', "2025-S1", "2026-S1", "2.103"):  # Indonesian number format
        assert text in page
    assert "Bekasi" in page
    assert "utilisasi di bawah 50% naik sedikitnya 3 simpangan baku robust dan 15 poin" in page


def test_an_inactive_signal_is_not_listed(client, cast, refreshed):
    Signal.objects.filter(source="iomki").update(active=False)
    assert _shown(client, cast.pemda_kab_bekasi) == {("laporan_turun", "production", "10", "32.16")}


def _signals(n: int, *, first: int = 0) -> None:
    Signal.objects.bulk_create(
        Signal(
            kind="laporan_turun", source="laporan", measure="export", subsector=f"{10 + i % 20}", region="32.16",
            period=dt.date(2000 + i // 20, 1, 1), period_label="2026-S1", score=25 + i, threshold=20, companies=3 + i,
            evidence={"labels": ["2025-S1", "2026-S1"], "values": [100 + i, 70]},
        )
        for i in range(first, first + n)
    )  # fmt: skip


def test_the_page_keeps_a_flat_query_budget(client, cast, django_assert_max_num_queries):
    login(client, cast.pemda_kab_bekasi)
    _signals(1)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    _signals(80, first=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 25
