"""The business-matching directory shows and searches only what a company chose to publish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Factory
from eservice import directory_services as ds
from eservice.directory_selectors import directory_search
from eservice.models import DirectoryProfile
from siinas.core.models import Kbli
from tests.eservice import builders as b
from tests.helpers import login

pytestmark = pytest.mark.django_db

SECRET_WORDS = ("Rahasiaproduk", "Rahasiaprofil", "Rahasiaalamat", "rahasia@contoh.co.id")


def _names(**params) -> list[str]:
    return [p.display_name for p in directory_search(**params)]


@pytest.fixture
def supplier_with_secrets(cast):
    """company_a publishes its name and one product; everything else is switched off or unpublished."""
    factory = cast.factory_a
    factory.address = "Jalan Rahasiaalamat 9"
    factory.save()
    profile = ds.profile_save(
        actor=cast.company_a,
        data={
            "is_published": True,
            "description": "Kami Rahasiaprofil",
            "publish_description": False,
            "contact_email": "rahasia@contoh.co.id",
            "publish_contact": False,
        },
    )
    ds.product_save(
        actor=cast.company_a, data={"name": "Tepung terigu", "hs_code": "110100", "is_published": True}
    )
    ds.product_save(
        actor=cast.company_a,
        data={
            "name": "Rahasiaproduk premium",
            "hs_code": "190590",
            "kbli": Kbli.objects.get(code="10750"),
            "is_published": False,
        },
    )
    return profile


def test_published_data_is_found_by_name_product_and_hs_code(client, supplier_with_secrets):
    assert _names(q="indo") == ["PT Indo Pangan"]
    assert _names(q="terigu") == ["PT Indo Pangan"]
    assert _names(hs="1101") == ["PT Indo Pangan"]
    page = client.get(reverse("eservice:directory"), {"q": "terigu"}).content.decode()
    assert "PT Indo Pangan" in page and "Tepung terigu" in page


def test_unpublished_fields_and_products_never_appear_or_match(client, cast, supplier_with_secrets):
    # Nothing unpublished matches a search...
    assert _names(q="Rahasiaproduk") == []
    assert _names(q="Rahasiaprofil") == []
    assert _names(q="Rahasiaalamat") == []
    assert _names(hs="190590") == []
    assert _names(kbli="10750") == []  # KBLI of the unpublished product
    assert _names(kbli="10110") == []  # the factory's KBLI, not switched on
    assert _names(province="32") == []  # the region, not switched on
    # ...and nothing unpublished is on any page a buyer or the public can open.
    pages = [
        client.get(reverse("eservice:directory")),
        client.get(reverse("eservice:directory-detail", args=[supplier_with_secrets.pk])),
    ]
    login(client, cast.company_b)
    pages.append(client.get(reverse("eservice:inquiry-create", args=[supplier_with_secrets.pk])))
    suggestions = client.get(reverse("eservice:suggestions"), {"words": "premium terigu"})
    assert [c.name for c in suggestions.context["cards"]] == ["PT Indo Pangan"]
    pages.append(suggestions)
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        for secret in SECRET_WORDS:
            assert secret not in html, (response.request["PATH_INFO"], secret)
        assert "Bojongmangu" not in html and "420" not in html and "Besar" not in html


def test_switching_a_field_on_publishes_it_and_makes_it_searchable(client, cast, supplier_with_secrets):
    ds.profile_save(
        actor=cast.company_a,
        data={
            "publish_region": True,
            "publish_kbli": True,
            "publish_description": True,
            "publish_workforce": True,
        },
    )
    assert _names(province="32") == ["PT Indo Pangan"]
    assert _names(kbli="10110") == ["PT Indo Pangan"]
    assert _names(kbli="10") == ["PT Indo Pangan"]
    assert _names(q="Rahasiaprofil") == ["PT Indo Pangan"]
    html = client.get(reverse("eservice:directory-detail", args=[supplier_with_secrets.pk])).content.decode()
    assert "Kabupaten Bekasi" in html and "10110" in html and "420" in html
    assert "Rahasiaalamat" not in html  # the address is still off


def test_an_unpublished_profile_is_gone_everywhere(client, cast, supplier_with_secrets):
    ds.profile_save(actor=cast.company_a, data={"is_published": False})
    assert _names() == [] and _names(q="terigu") == []
    assert (
        client.get(reverse("eservice:directory-detail", args=[supplier_with_secrets.pk])).status_code == 404
    )
    login(client, cast.company_b)
    assert client.get(reverse("eservice:inquiry-create", args=[supplier_with_secrets.pk])).status_code == 404


def test_a_suspended_account_leaves_the_directory(cast, supplier_with_secrets):
    Factory.objects.filter(pk=cast.factory_a.pk).update(status=Factory.Status.SUSPENDED)
    assert _names() == []


def test_a_company_publishes_through_its_profile_page(client, cast):
    login(client, cast.company_b)
    response = client.post(
        reverse("eservice:profile-edit"),
        {
            "is_published": "on",
            "display_name": "PT Logam Palsu",  # not a form field: the registered name is shown
            "description": "Baut dan mur",
            "publish_description": "on",
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("eservice:product-create"),
        {"name": "Baut baja", "hs_code": "731815", "kbli": "25111", "is_published": "on"},
    )
    profile = DirectoryProfile.objects.get(factory=cast.factory_b)
    assert profile.is_published and profile.products.get().kbli_id == "25111"
    assert _names(kbli="25111") == ["CV Logam Surabaya"]


def test_a_bad_hs_code_or_kbli_is_refused_at_the_field(client, cast):
    login(client, cast.company_b)
    response = client.post(
        reverse("eservice:product-create"), {"name": "Baut", "hs_code": "73.18", "kbli": "99999"}
    )
    html = response.content.decode()
    assert "Kode HS terdiri dari 4, 6, 8 atau 10 digit angka tanpa titik." in html
    assert "Kode KBLI 5 digit tidak dikenal." in html
    assert 'value="Baut"' in html


def test_the_directory_page_has_a_flat_query_budget(client, cast, django_assert_max_num_queries):
    from tests.factories import FactoryAccountFactory, company_user

    for i in range(25):
        user = company_user(FactoryAccountFactory(kbli_codes=["10110"]), f"pemasok{i}")
        b.published_supplier(
            user,
            products=(("Gula pasir", "170199", "10750"), ("Tepung", "110100", "10110")),
            publish_kbli=True,
            publish_region=True,
        )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("eservice:directory"), {"q": "gula"})
    assert response.status_code == 200 and response.content.decode().count("Gula pasir") == 20


def test_every_word_must_match_somewhere_in_the_published_profile(supplier_with_secrets):
    assert _names(q="indo terigu") == ["PT Indo Pangan"]  # name + product
    assert _names(q="indo semen") == []
    assert _names(q="terigu Rahasiaproduk") == []  # the second word is only in an unpublished product
