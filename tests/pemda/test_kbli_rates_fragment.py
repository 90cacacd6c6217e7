"""The dashboard's reporting rate per KBLI division is loaded after the page (HTMX), or followed as a link
without JavaScript: the same figures as verification's ``rate_table``, small rows hidden, a flat budget."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Factory, Scale
from pemda.models import TerritoryFigures
from reporting.models import Report, ReportStatus
from tests.helpers import login
from tests.pemda.bulk import populate_ten_thousand
from tests.pemda.test_reports import LONG_AGO, TODAY, _report
from tests.reporting.factories import PeriodFactory, ReportFactory
from verification.rates import rate_table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def s1(db):
    return PeriodFactory(year=2026, number=1)


@pytest.fixture
def old_cast(cast):
    Factory.objects.update(created_at=LONG_AGO)
    return cast


def _url(period):
    return reverse("pemda:dashboard-kbli-rates") + f"?periode={period.pk}"


def test_the_dashboard_links_the_kbli_table_instead_of_computing_it(client, old_cast, place, s1):
    login(client, old_cast.pemda_jabar)
    response = client.get(reverse("pemda:dashboard"), {"periode": s1.pk})
    html = response.content.decode()
    assert 'data-testid="rate-kbli-fragment"' in html
    assert f'hx-get="{_url(s1)}"' in html
    assert f'href="{_url(s1)}"' in html  # without JavaScript: a plain link
    assert "rates_kbli" not in response.context


@pytest.mark.parametrize("htmx", [True, False])
def test_the_fragment_and_its_page_show_verifications_kbli_rates(client, old_cast, place, s1, htmx):
    food = [place("32.15", Scale.BESAR, kbli=["10110"], created_at=LONG_AGO) for _ in range(4)]
    place("32.15", Scale.BESAR, kbli=["13111"], created_at=LONG_AGO)  # a division of one: hidden
    _report(food[0], s1)
    _report(food[1], s1, status=ReportStatus.SUBMITTED, on_time=False)
    login(client, old_cast.pemda_jabar)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(_url(s1), headers=headers)
    assert response.status_code == 200
    templates = {t.name for t in response.templates}
    assert ("pemda/dashboard_kbli_rates.html" in templates) is not htmx
    expected = rate_table(user=old_cast.pemda_jabar, period=s1, by="kbli")
    rows = {r.row.key: r for r in response.context["rows"]}
    assert [r.row for r in response.context["rows"]] == expected.rows
    assert response.context["total"].row == expected.total
    assert rows["10"].row.submitted >= 2 and rows["10"].row.validated >= 1
    assert rows["13"].hidden
    assert 'id="rate-kbli"' in response.content.decode()


def test_the_fragment_keeps_a_flat_budget(client, old_cast, place, s1, django_assert_max_num_queries):
    for _ in range(3):
        _report(place("32.15", Scale.BESAR, created_at=LONG_AGO), s1)
    login(client, old_cast.pemda_jabar)
    client.get(_url(s1), headers={"HX-Request": "true"})  # the figures are kept from now on (pemda.figures)
    TerritoryFigures.objects.update(version="moved")
    cache.clear()
    with django_assert_max_num_queries(30) as few:
        client.get(_url(s1), headers={"HX-Request": "true"})
    populate_ten_thousand()
    factories = list(Factory.objects.filter(province_id="32").values_list("pk", flat=True)[:600])
    Report.objects.bulk_create([ReportFactory.build(factory_id=pk, period=s1, status=ReportStatus.VALIDATED) for pk in factories])
    with django_assert_max_num_queries(30) as many:
        client.get(_url(s1), headers={"HX-Request": "true"})
    assert len(many.captured_queries) == len(few.captured_queries)


def _cells(table):
    return {key: {m: (c.n, c.values["sum"], c.hidden) for m, c in row.items()} for key, row in table.cells.items()}


def test_the_values_per_division_come_with_the_fragment_and_equal_the_full_aggregates(client, old_cast, place, s1):
    from pemda.selectors.reports import division_values, report_aggregates, reporting_periods
    from reporting import measures
    from tests.pemda.test_report_measures import _validated

    older = PeriodFactory(year=2025, number=2)
    i = 0
    for region, kbli in [("32.15", ("10110",)), ("32.16", ("10110", "13111")), ("32.73", ("13111",))]:
        for _ in range(4):
            factory = place(region, Scale.BESAR, kbli=kbli, created_at=LONG_AGO)
            for period in (older, s1):
                i += 1
                _validated(factory, period, i)
    twice = place("32.15", Scale.BESAR, kbli=("10110", "10120"), created_at=LONG_AGO)  # two codes, one division
    _validated(twice, s1, 7)
    user, periods = old_cast.pemda_jabar, reporting_periods()
    live = _cells(report_aggregates(user, s1, periods)["by_division"])  # no stored rows: the per-report path
    assert _cells(division_values(user, s1, periods)) == live
    assert measures.rebuild() == 25
    assert _cells(division_values(user, s1, periods)) == live  # one grouped query over the stored rows
    assert {"10", "13"} <= set(live) and live["10"]["investment"][0] == 9  # the account with two codes: once

    login(client, user)
    dashboard = client.get(reverse("pemda:dashboard"), {"periode": s1.pk})
    assert dashboard.context["aggregates"]["by_division"] is None
    assert [t["title"] for t in dashboard.context["measure_tables"]] == ["Per kabupaten/kota"]
    assert 'id="nilai-kbli"' in dashboard.content.decode()
    fragment = client.get(_url(s1), headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert 'id="nilai-kbli" hx-swap-oob="true"' in html
    shown = [[(c.n, c.values["sum"], c.hidden) for c in row["cells"]] for row in fragment.context["division_table"]["display"]]
    assert shown == [[live[key][m] for m in ("investment", "workforce", "production", "export")] for key in sorted(live)]
    page = client.get(_url(s1))  # without JavaScript: the same tables on a page of their own
    assert page.context["division_table"] == fragment.context["division_table"]
