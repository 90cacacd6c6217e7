"""Pages read in two steps (keys, then rows) and totals cached per data version (siinas/lib/pagination.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from accounts.models import Factory
from siinas.lib.pagination import page_in_two_steps
from tests.factories import FactoryAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_a_page_has_the_rows_of_one_statement_in_its_order():
    for i in range(7):
        FactoryAccountFactory(name=f"Pabrik {i % 3}-{i}")
    ordered = Factory.objects.order_by("-name", "pk")
    page = page_in_two_steps(ordered, 2, 3, rows=lambda keys: Factory.objects.filter(pk__in=keys).select_related("company"), version="v1")
    assert [f.pk for f in page.object_list] == [f.pk for f in ordered[3:6]]
    assert page.paginator.count == 7 and page.number == 2 and page.has_next()


def test_the_total_is_kept_until_the_data_version_moves(django_assert_num_queries):
    FactoryAccountFactory.create_batch(4)
    rows = lambda keys: Factory.objects.filter(pk__in=keys)  # noqa: E731
    first = page_in_two_steps(Factory.objects.order_by("pk"), 1, 2, rows=rows, version="v1")
    assert first.paginator.count == 4
    FactoryAccountFactory()
    with django_assert_num_queries(2):  # keys and rows: the total comes from the cache
        same = page_in_two_steps(Factory.objects.order_by("pk"), 1, 2, rows=rows, version="v1")
    assert same.paginator.count == 4, "same version: the cached total"
    assert page_in_two_steps(Factory.objects.order_by("pk"), 1, 2, rows=rows, version="v2").paginator.count == 5


def test_an_out_of_range_page_number_gives_the_last_page():
    FactoryAccountFactory.create_batch(3)
    rows = lambda keys: Factory.objects.filter(pk__in=keys)  # noqa: E731
    page = page_in_two_steps(Factory.objects.order_by("pk"), "99", 2, rows=rows, version="v1")
    assert page.number == 2 and len(page.object_list) == 1
