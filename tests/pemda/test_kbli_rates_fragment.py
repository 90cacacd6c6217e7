"""The dashboard's reporting rate per KBLI division is loaded after the page (HTMX), or followed as a link
without JavaScript: the same figures as verification's ``rate_table``, small rows hidden, a flat budget."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Factory, Scale
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
    with django_assert_max_num_queries(20) as few:
        client.get(_url(s1), headers={"HX-Request": "true"})
    populate_ten_thousand()
    factories = list(Factory.objects.filter(province_id="32").values_list("pk", flat=True)[:600])
    Report.objects.bulk_create([ReportFactory.build(factory_id=pk, period=s1, status=ReportStatus.VALIDATED) for pk in factories])
    with django_assert_max_num_queries(20) as many:
        client.get(_url(s1), headers={"HX-Request": "true"})
    assert len(many.captured_queries) == len(few.captured_queries)
