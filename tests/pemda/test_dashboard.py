"""The dashboard shows aggregates of the whole territory, never a cell of fewer than 3 companies."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.models import AccountType, Scale
from pemda.selectors import Cell, factories_by_division, factories_by_region, suppress
from tests.helpers import login
from tests.pemda.bulk import populate_ten_thousand

pytestmark = pytest.mark.django_db


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
    assert [(c.key, c.n, c.values["workforce"], c.hidden) for c in by_region] == [("32.16", 3, 450, False)]


def test_a_factory_counts_once_per_division_even_with_two_codes_in_it(cast, place):
    for _ in range(3):
        place("32.16", Scale.KECIL, kbli=["10110", "10120"], workforce=5)
    cells = {c.key: c for c in factories_by_division(cast.pemda_kab_bekasi)}
    assert (cells["10"].n, cells["10"].values["workforce"]) == (4, 420 + 15)


def test_the_page_hides_small_cells_and_keeps_them_out_of_the_charts(client, cast, place):
    for _ in range(3):
        place("32.15", Scale.BESAR, workforce=100)  # Kab. Karawang: 3 companies → shown
    place("32.73", Scale.BESAR, account_type=AccountType.A, workforce=777)  # Kota Bandung: 1 company → hidden
    place("32.71", Scale.BESAR, workforce=50)  # Kota Bogor: 2 companies → hidden
    place("32.71", Scale.BESAR, workforce=60)
    # Kab. Bekasi holds factory_a alone: the hidden cells cover 4 companies, so Karawang stays shown.
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


def test_the_dashboard_keeps_a_flat_query_budget_with_ten_thousand_factories(
    client, cast, django_assert_max_num_queries
):
    login(client, cast.pemda_jabar)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("pemda:dashboard"))
    populate_ten_thousand()
    with django_assert_max_num_queries(30) as many:
        response = client.get(reverse("pemda:dashboard"))
    assert response.status_code == 200
    assert response.context["accounts"]["total"] > 9000
    assert len(many.captured_queries) == len(few.captured_queries)
