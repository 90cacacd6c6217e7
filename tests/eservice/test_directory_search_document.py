"""The stored search document of a directory profile (PostgreSQL) always equals the one computed from scratch."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from eservice import directory_services as ds
from eservice.directory_selectors import directory_search
from eservice.models import DirectoryProduct, DirectoryProfile
from tests.eservice import builders as b

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored document is PostgreSQL's (.ci/run)"),
]


def _stale() -> list[int]:
    """Profiles whose stored document differs from the document computed now from their rows."""
    rows = DirectoryProfile.objects.annotate(
        stored=Cast("search_document", TextField()), fresh=Cast(ds.search_document(), TextField())
    ).values_list("pk", "stored", "fresh")
    return [pk for pk, stored, fresh in rows if stored is None or stored != fresh]


def test_every_write_of_a_profile_or_a_product_keeps_the_document_fresh(cast):
    profile = b.published_supplier(cast.company_a, products=(("Tepung terigu", "110100", "10110"),))
    assert _stale() == []
    assert [p.pk for p in directory_search(q="terigu")] == [profile.pk]

    product = ds.product_save(actor=cast.company_a, data={"name": "Gula semut", "is_published": True})
    assert [p.pk for p in directory_search(q="gula semut")] == [profile.pk]
    ds.product_save(actor=cast.company_a, product=product, data={"is_published": False})
    assert directory_search(q="gula").count() == 0
    ds.profile_save(actor=cast.company_a, data={"description": "Pabrik roti", "publish_description": True})
    assert [p.pk for p in directory_search(q="roti")] == [profile.pk]
    ds.product_delete(actor=cast.company_a, product=DirectoryProduct.objects.get(name="Tepung terigu"))
    assert directory_search(q="terigu").count() == 0
    assert _stale() == []


def test_a_bulk_load_is_indexed_by_one_refresh(cast):
    b.published_supplier(cast.company_a)
    DirectoryProfile.objects.update(search_document=None)
    assert _stale() != []
    assert ds.directory_search_refresh() == DirectoryProfile.objects.count()
    assert _stale() == []
