"""Reads of business matching. The public only ever gets ``PublicCard``s: a card carries the fields
the company switched on and its published products, nothing else, so a template cannot leak what
was not published. Searches match published data only (an unpublished KBLI or region never matches).

Text search: PostgreSQL full-text search (``SearchQuery``, ``simple`` configuration) over the document
each profile stores (``search_document``, GIN-indexed, kept by directory_services) when the database is
PostgreSQL; a word-by-word ``icontains`` fallback elsewhere (SQLite).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import Factory, User
from eservice.models import DirectoryProduct, DirectoryProfile, Inquiry, InquiryMessage


@dataclass(frozen=True)
class PublicProduct:
    pk: int
    name: str
    description: str
    hs_code: str
    kbli: str
    capacity: str


@dataclass(frozen=True)
class PublicCard:
    pk: int
    name: str
    description: str = ""
    region: str = ""
    province: str = ""
    address: str = ""
    kbli: list[str] = field(default_factory=list)
    scale: str = ""
    workforce: int | None = None
    contact: dict[str, str] = field(default_factory=dict)
    products: list[PublicProduct] = field(default_factory=list)
    score: int = 0


def published_profiles() -> QuerySet[DirectoryProfile]:
    return DirectoryProfile.objects.filter(is_published=True, factory__status=Factory.Status.ACTIVE)


def _published_products() -> QuerySet[DirectoryProduct]:
    return DirectoryProduct.objects.filter(is_published=True)


def _with_card_data(qs: QuerySet[DirectoryProfile]) -> QuerySet[DirectoryProfile]:
    return qs.select_related("factory__region", "factory__province").prefetch_related(
        Prefetch(
            "products", queryset=_published_products().select_related("kbli"), to_attr="published_products"
        ),
        "factory__kbli",
    )


def card(profile: DirectoryProfile, score: int = 0) -> PublicCard:
    """The public face of a profile: each field only when its switch is on."""
    factory = profile.factory
    contact = {}
    if profile.publish_contact:
        contact = {
            k: v
            for k, v in (
                ("name", profile.contact_name),
                ("email", profile.contact_email),
                ("phone", profile.contact_phone),
                ("website", profile.website),
            )
            if v
        }
    return PublicCard(
        pk=profile.pk,
        name=profile.display_name,
        description=profile.description if profile.publish_description else "",
        region=factory.region.name if profile.publish_region else "",
        province=factory.province.name if profile.publish_region else "",
        address=factory.address if profile.publish_address else "",
        kbli=[str(k) for k in factory.kbli.all()] if profile.publish_kbli else [],
        scale=factory.get_scale_display() if profile.publish_scale else "",
        workforce=factory.workforce if profile.publish_workforce else None,
        contact=contact,
        products=[
            PublicProduct(p.pk, p.name, p.description, p.hs_code, str(p.kbli) if p.kbli else "", p.capacity)
            for p in profile.published_products
        ],
        score=score,
    )


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\W+", text.lower()) if len(w) >= 2][:10]


def _text_match_ids(text: str) -> Q:
    """Profiles whose name, published description or published products match ``text``."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        # The document is stored and GIN-indexed (directory_services.search_document, kept by every write).
        return Q(search_document=SearchQuery(text, config="simple", search_type="websearch"))
    condition = Q()
    for word in _words(text):
        products = _published_products().filter(Q(name__icontains=word) | Q(description__icontains=word))
        condition &= (
            Q(display_name__icontains=word)
            | Q(publish_description=True, description__icontains=word)
            | Q(pk__in=products.values("profile_id"))
        )
    return condition


def _kbli_match(code: str) -> Q:
    """A KBLI prefix (2–5 digits) matches a published KBLI of the profile or of a published product."""
    by_factory = Factory.objects.filter(kbli__code__startswith=code).values("pk")
    by_product = _published_products().filter(kbli__code__startswith=code).values("profile_id")
    return Q(publish_kbli=True, factory__in=by_factory) | Q(pk__in=by_product)


def directory_search(
    *, q: str = "", kbli: str = "", hs: str = "", province: str = ""
) -> QuerySet[DirectoryProfile]:
    qs = published_profiles()
    if q.strip():
        qs = qs.filter(_text_match_ids(q.strip()))
    if kbli:
        qs = qs.filter(_kbli_match(kbli))
    if hs:
        qs = qs.filter(pk__in=_published_products().filter(hs_code__startswith=hs).values("profile_id"))
    if province:
        qs = qs.filter(publish_region=True, factory__province_id=province)
    return _with_card_data(qs).order_by("display_name", "pk")


def published_profile(pk: int) -> DirectoryProfile | None:
    return published_profiles().select_related("factory").filter(pk=pk).first()


def public_profile(pk: int) -> PublicCard | None:
    profile = _with_card_data(published_profiles()).filter(pk=pk).first()
    return card(profile) if profile else None


def supplier_suggestions(
    *, buyer: Factory, words: str, kbli_codes: list[str], limit: int = 10
) -> list[PublicCard]:
    """Published suppliers ranked by KBLI match (2 points) and product words found (1 point each).

    Only published data is compared; the buyer's own company is never suggested.
    """
    terms = _words(words)
    condition = Q()
    for code in kbli_codes:
        condition |= _kbli_match(code)
    for term in terms:
        condition |= Q(
            pk__in=_published_products()
            .filter(Q(name__icontains=term) | Q(description__icontains=term))
            .values("profile_id")
        )
    if not condition:
        return []
    candidates = _with_card_data(
        published_profiles().filter(condition).exclude(factory__company_id=buyer.company_id)
    )[:200]
    scored: list[tuple[int, str, DirectoryProfile]] = []
    for profile in candidates:
        public_kbli = {k.code for k in profile.factory.kbli.all()} if profile.publish_kbli else set()
        public_kbli |= {p.kbli_id for p in profile.published_products if p.kbli_id}
        score = 2 * any(k.startswith(code) for k in public_kbli for code in kbli_codes)
        text = " ".join(f"{p.name} {p.description}".lower() for p in profile.published_products)
        score += sum(1 for term in terms if term in text)
        if score:
            scored.append((score, profile.display_name, profile))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [card(profile, score) for score, _name, profile in scored[:limit]]


# --- Inbox ----------------------------------------------------------------------------------------


def inbox(user: User) -> list[dict[str, Any]]:
    """The company's threads, newest first, with the counterpart and whether it has unread messages."""
    from eservice.access import threads_visible_to

    me = user.factory_id
    unread_for_me = InquiryMessage.objects.filter(inquiry=OuterRef("pk")).exclude(sender_id=me)
    threads = (
        threads_visible_to(user)
        .annotate(n_messages=Count("messages"))
        .annotate(
            has_unread_buyer=Exists(
                unread_for_me.filter(
                    Q(inquiry__buyer_read_at__isnull=True) | Q(created_at__gt=OuterRef("buyer_read_at"))
                )
            ),
            has_unread_supplier=Exists(
                unread_for_me.filter(
                    Q(inquiry__supplier_read_at__isnull=True) | Q(created_at__gt=OuterRef("supplier_read_at"))
                )
            ),
        )
    )
    rows = []
    for thread in threads:
        as_buyer = thread.buyer_id == me
        rows.append(
            {
                "thread": thread,
                "role": "pembeli" if as_buyer else "pemasok",
                "counterpart": thread.supplier.directory_profile.display_name
                if as_buyer
                else thread.buyer.company.name,
                "unread": thread.has_unread_buyer if as_buyer else thread.has_unread_supplier,
                "n_messages": thread.n_messages,
            }
        )
    return rows


def thread_messages(inquiry: Inquiry) -> list[InquiryMessage]:
    return list(inquiry.messages.select_related("sender__company", "author"))
