"""The dashboard shows aggregates of the whole territory, never a cell of fewer than 3 companies."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType, Factory, Scale
from pemda.models import TerritoryFigures
from pemda.selectors import Cell, factories_by_division, factories_by_region, suppress
from tests.helpers import login
from tests.pemda.bulk import populate_ten_thousand

pytestmark = pytest.mark.django_db

MARCH, FEBRUARY = dt.date(2026, 3, 1), dt.date(2026, 2, 1)


def test_cells_under_three_companies_are_hidden():
    cells = suppress([Cell("a", "A", 5), Cell("b", "B", 2), Cell("c", "C", 1), Cell("d", "D", 3)])
    assert [c.hidden for c in cells] == [False, True, True, False]


def test_a_lone_small_cell_takes_the_next_smallest_with_it_so_totals_cannot_reveal_it():
    cells = suppress([Cell("a", "A", 10), Cell("b", "B", 1), Cell("c", "C", 4), Cell("d", "D", 6)])
    # B alone (1 company) could be recovered as total − shown; C (the smallest shown) hides too.
    assert {c.key for c in cells if c.hidden} == {"b", "c"}


def test_nothing_is_hidden_when_every_cell_has_three_or_more():
    assert not any(c.hidden for c in suppress([Cell("a", "A", 3), Cell("b", "B", 7)]))


def test_territory_aggregates_cover_factories_outside_the_officers_authority(cast, place):
    # Kab. Bekasi's office may not see the Besar factory_a row by row, but it counts in the aggregate.
    place("32.16", Scale.KECIL, workforce=10)
    place("32.16", Scale.MENENGAH, workforce=20)
    by_region = factories_by_region(cast.pemda_kab_bekasi)
    assert [(c.key, c.n, c.values["workforce"]) for c in by_region] == [("32.16", 3, 450)]
    # The count is shown, but the office lists the other two itself: 450 − 10 − 20 would be factory_a's
    # own workforce, so the workforce is hidden for it.
    assert not by_region[0].hidden and by_region[0].values_hidden
    place("32.16", Scale.BESAR, workforce=400)
    place("32.16", Scale.BESAR, workforce=380)  # three Besar factories it cannot list, none dominant: shown
    [cell] = factories_by_region(cast.pemda_kab_bekasi)
    assert (cell.n, cell.values["workforce"], cell.hidden, cell.values_hidden) == (5, 1230, False, False)


def test_a_factory_counts_once_per_division_even_with_two_codes_in_it(cast, place):
    for _ in range(3):
        place("32.16", Scale.KECIL, kbli=["10110", "10120"], workforce=5)
    cells = {c.key: c for c in factories_by_division(cast.pemda_kab_bekasi)}
    assert (cells["10"].n, cells["10"].values["workforce"]) == (4, 420 + 15)


def test_the_page_hides_small_cells_and_keeps_them_out_of_the_charts(client, cast, place):
    # Kecil factories: under the kab/kota offices' authority, not the province's, so protected for it.
    for _ in range(3):
        place("32.15", Scale.KECIL, workforce=100)  # Kab. Karawang: 3 companies → shown
    place("32.73", Scale.KECIL, account_type=AccountType.A, workforce=777)  # Kota Bandung: 1 company → hidden
    place("32.71", Scale.KECIL, workforce=50)  # Kota Bogor: 2 companies → hidden
    place("32.71", Scale.KECIL, workforce=60)
    # Kab. Bekasi holds factory_a alone, a Besar factory the province lists row by row: shown. The hidden
    # cells cover 3 companies, so Karawang stays shown.
    login(client, cast.pemda_jabar)
    response = client.get(reverse("pemda:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "777" not in body
    regions = {c.key: c for c in response.context["by_region"]}
    assert regions["32.73"].hidden and not regions["32.15"].hidden
    charts = json.loads(body.split('id="pemda-charts"')[1].split(">", 1)[1].split("</script>")[0])
    by_region_chart = charts[0]
    assert "Kota Bandung" not in by_region_chart["labels"]
    assert "Kabupaten Karawang" in by_region_chart["labels"]


def _iki_and_eservice_rows(factory_ids: list[int], actor) -> None:
    """Responses for March (the latest completed month on 25 March) and February, and IOMKI and
    e-licensing applications, for each of ``factory_ids`` (bulk: the same shape whatever the count)."""
    from eservice.models import Application, Status
    from iki.models import IkiResponse

    answers = {"main_product": "Produk", "official_name": "Pejabat", "official_position": "Direktur",
               "official_phone": "0211234567", "official_email": "p@contoh.co.id", "general": "tetap",
               "orders": "meningkat", "production": "tetap", "stock": "menurun", "outlook": "optimis"}  # fmt: skip
    IkiResponse.objects.bulk_create(
        [IkiResponse(factory_id=pk, period=month, kbli2_id="10", **answers) for pk in factory_ids for month in (MARCH, FEBRUARY)],
        batch_size=2000,
    )
    start = Application.objects.count()
    now = timezone.now()
    Application.objects.bulk_create(
        [
            Application(factory_id=pk, service="iomki" if i % 2 else "e-licensing", status=Status.APPROVED if i % 2 else Status.SUBMITTED,
                        number=f"BULK-{start + i:07d}", created_by=actor, decided_at=now, valid_until=now.date() + dt.timedelta(days=30))
            for i, pk in enumerate(factory_ids)
        ],
        batch_size=2000,
    )  # fmt: skip


def test_the_dashboard_keeps_a_flat_query_budget_with_ten_thousand_factories(
    client, cast, place, django_assert_max_num_queries, time_machine
):
    from iki.models import IkiRelease, IkiResult

    time_machine.move_to(dt.datetime(2026, 3, 25, 10, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False)
    IkiResult.objects.create(period=FEBRUARY, iki=Decimal("51.38"), status="ekspansi", respondents=900, payload={"change": 0.5})
    IkiRelease.objects.create(
        period=FEBRUARY, vintage=1, iki=Decimal("51.38"), status="ekspansi", respondents=900, payload={"change": 0.5},
        inputs={}, inputs_sha256="",
    )  # fmt: skip
    few_ids = [place("32.16", Scale.KECIL).pk for _ in range(3)]
    _iki_and_eservice_rows(few_ids, cast.company_a)
    login(client, cast.pemda_jabar)
    client.get(reverse("pemda:dashboard"))  # the territory's figures are kept from now on (pemda.figures)
    TerritoryFigures.objects.update(version="moved")
    cache.clear()
    # A view that recomputes the kept figures (the data moved and no worker runs): the budget covers
    # computing and keeping them; it does not grow with the territory.
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("pemda:dashboard"))
    populate_ten_thousand()
    jabar = list(Factory.objects.filter(province_id="32").exclude(pk__in=few_ids).values_list("pk", flat=True)[:4000])
    _iki_and_eservice_rows(jabar, cast.company_a)
    with django_assert_max_num_queries(40) as many:
        response = client.get(reverse("pemda:dashboard"))
    assert response.status_code == 200
    assert response.context["accounts"]["total"] > 9000
    assert len(many.captured_queries) == len(few.captured_queries)
    iki, eservice = response.context["iki"], response.context["eservice"]
    assert iki["national"].value == Decimal("51.38")
    assert iki["month"].responses == iki["previous"].responses == 4003
    assert iki["index"] is not None and not iki["month"].hidden
    assert eservice["iomki_valid"].values["applications"] > 2000
    body = response.content.decode()
    assert 'id="iki-daerah"' in body and 'id="layanan-daerah"' in body


def test_cached_account_figures_follow_a_new_account_but_not_report_changes(client, cast, place):
    from reporting.models import ReportStatus
    from tests.reporting.factories import ReportFactory

    for _ in range(3):
        place("32.15", Scale.KECIL)
    login(client, cast.pemda_jabar)

    def karawang():
        cell = next(c for c in client.get(reverse("pemda:dashboard")).context["by_region"] if c.key == "32.15")
        return cell.n, cell.values["workforce"]

    n, workforce = karawang()
    assert n == 3
    Factory.objects.filter(region_id="32.15").update(workforce=77)  # an edit shows within the cache lifetime
    ReportFactory(factory=cast.factory_a, status=ReportStatus.SUBMITTED)  # reports do not renew these figures
    assert karawang() == (3, workforce)
    place("32.15", Scale.KECIL, workforce=1)  # a new account does
    assert karawang() == (4, 3 * 77 + 1)


def test_the_cached_eservice_counts_follow_a_status_change(cast, place):
    """The territory's e-service table is cached, keyed by the newest application and status change: a
    decision (a status change, no new application) shows at the next view."""
    from eservice.models import Application, Status, StatusChange
    from pemda.selectors.programmes import territory_eservice

    ids = [place("32.16", Scale.KECIL).pk for _ in range(3)]
    apps = [
        Application.objects.create(factory_id=pk, service="e-licensing", status=Status.SUBMITTED, number=f"EL-{pk}", created_by=cast.company_a)
        for pk in ids
    ]

    today = dt.date(2026, 3, 25)  # one day for every call: the cache key holds the day

    def submitted() -> int:
        row = next(r for r in territory_eservice(cast.pemda_jabar, today)["rows"] if r["code"] == "e-licensing")
        return next(c for c in row["cells"] if c.key == "e-licensing-diajukan").values["applications"]

    assert submitted() == 3
    Application.objects.filter(pk=apps[0].pk).update(status=Status.IN_REVIEW)
    assert submitted() == 3, "no status change written yet: the cached table"
    StatusChange.objects.create(application=apps[0], from_status=Status.SUBMITTED, to_status=Status.IN_REVIEW, actor=cast.verifier)
    assert submitted() == 2
