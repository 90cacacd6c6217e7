"""Buyers write to published suppliers; both sides keep the thread in their inbox; suggestions."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from eservice import directory_services as ds
from eservice.directory_selectors import supplier_suggestions
from eservice.models import Inquiry, InquiryMessage
from tests.eservice import builders as b
from tests.factories import FactoryAccountFactory, company_user
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier(cast):
    return b.published_supplier(cast.company_a, contact_email="penjualan@indopangan.co.id")


def test_a_buyer_asks_about_a_product_and_the_supplier_answers(
    client, cast, supplier, django_capture_on_commit_callbacks
):
    product = supplier.products.get()
    buyer, seller = client, Client()
    login(buyer, cast.company_b)
    login(seller, cast.company_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = buyer.post(
            reverse("eservice:inquiry-create", args=[supplier.pk]),
            {"product": product.pk, "subject": "Tepung 20 ton", "body": "Mohon harga franco Surabaya."},
        )
    thread = Inquiry.objects.get()
    assert response.status_code == 302 and thread.buyer == cast.factory_b and thread.product == product
    assert mail.outbox[-1].to == ["penjualan@indopangan.co.id"] and "Tepung 20 ton" in mail.outbox[-1].subject

    inbox = seller.get(reverse("eservice:inbox"))
    assert inbox.context["threads"][0]["unread"] is True
    assert "CV Logam Surabaya" in inbox.content.decode()
    seller.get(reverse("eservice:thread", args=[thread.pk]))
    assert seller.get(reverse("eservice:inbox")).context["threads"][0]["unread"] is False

    with django_capture_on_commit_callbacks(execute=True):
        seller.post(reverse("eservice:thread-reply", args=[thread.pk]), {"body": "Rp 9.500/kg, siap kirim."})
    assert mail.outbox[-1].to == [cast.factory_b.email]
    row = buyer.get(reverse("eservice:inbox")).context["threads"][0]
    assert row["unread"] is True and row["n_messages"] == 2
    page = buyer.get(reverse("eservice:thread", args=[thread.pk])).content.decode()
    assert "Rp 9.500/kg, siap kirim." in page


def test_an_unpublished_product_cannot_be_asked_about(client, cast, supplier):
    hidden = ds.product_save(actor=cast.company_a, data={"name": "Resep rahasia", "is_published": False})
    login(client, cast.company_b)
    response = client.post(
        reverse("eservice:inquiry-create", args=[supplier.pk]),
        {"product": hidden.pk, "subject": "x", "body": "y"},
    )
    assert response.status_code == 200 and not Inquiry.objects.exists()
    assert "Resep rahasia" not in response.content.decode()


def test_an_empty_message_is_refused_and_nothing_is_sent(client, cast, supplier):
    login(client, cast.company_b)
    response = client.post(
        reverse("eservice:inquiry-create", args=[supplier.pk]), {"subject": "Harga", "body": " "}
    )
    assert response.status_code == 200
    assert "Bidang ini tidak boleh kosong." in response.content.decode()
    assert not InquiryMessage.objects.exists()


def test_a_stranger_cannot_read_or_answer_a_thread(client, cast):
    thread = b.thread_between(cast.company_a, b.third_company())
    login(client, cast.company_b)
    assert client.get(reverse("eservice:thread", args=[thread.pk])).status_code == 404
    assert client.post(reverse("eservice:thread-reply", args=[thread.pk]), {"body": "hai"}).status_code == 404
    assert thread.messages.count() == 1


def test_suggestions_rank_by_kbli_and_product_words_and_skip_the_buyers_own_company(cast):
    flour = b.published_supplier(
        cast.company_a, products=(("Tepung terigu protein tinggi", "110100", "10110"),)
    )
    other = company_user(
        FactoryAccountFactory(company__name="PT Gandum Jaya", kbli_codes=["10110"]), "gandum"
    )
    b.published_supplier(other, products=(("Tepung terigu serbaguna", "110100", ""),), publish_kbli=True)
    unrelated = company_user(
        FactoryAccountFactory(company__name="PT Baja Timur", kbli_codes=["24101"]), "bajatimur"
    )
    b.published_supplier(unrelated, products=(("Baja lembaran", "720851", "24101"),))

    cards = supplier_suggestions(buyer=cast.factory_b, words="tepung protein", kbli_codes=["10110"])
    assert [(c.name, c.score) for c in cards] == [("PT Indo Pangan", 4), ("PT Gandum Jaya", 3)]
    # The buyer's own company is never suggested to itself.
    own = supplier_suggestions(buyer=cast.factory_a, words="tepung", kbli_codes=[])
    assert [c.name for c in own] == ["PT Gandum Jaya"]
    assert flour.pk not in [c.pk for c in own]


def test_suggestions_default_to_the_buyers_kbli(client, cast):
    same_sector = company_user(
        FactoryAccountFactory(company__name="PT Kemas Logam", kbli_codes=["25111"]), "kemaslogam"
    )
    b.published_supplier(same_sector, products=(("Mur baja", "731816", ""),), publish_kbli=True)
    login(client, cast.company_b)
    response = client.get(reverse("eservice:suggestions"))
    assert [c.name for c in response.context["cards"]] == ["PT Kemas Logam"]


def test_the_inbox_has_a_flat_query_budget(client, cast, django_assert_max_num_queries):
    for i in range(15):
        seller = company_user(FactoryAccountFactory(company__name=f"PT Pemasok {i}"), f"pemasok_inbox{i}")
        profile = b.published_supplier(seller, products=(("Kemasan karton", "481910", ""),))
        ds.inquiry_send(
            actor=cast.company_b, supplier=profile, subject=f"Karton {i}", body="Mohon penawaran."
        )
    login(client, cast.company_b)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("eservice:inbox"))
    assert len(response.context["threads"]) == 15
