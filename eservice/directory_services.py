"""Writes of business matching: the published profile and products, inquiries and their replies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Case, F, OuterRef, StringAgg, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Factory, Role, User
from eservice.models import DirectoryProduct, DirectoryProfile, Inquiry, InquiryMessage
from siinas.lib.audit import audit
from siinas.lib.emails import queue_email

INQUIRY_TO_SELF = _("Tidak dapat mengirim permintaan ke akun pabrik sendiri.")
PRODUCT_NOT_OFFERED = _("Produk ini tidak ditawarkan oleh pemasok tersebut.")
SUPPLIER_NOT_PUBLISHED = _("Pemasok tidak ditemukan di direktori.")

PROFILE_FIELDS = (
    "is_published",
    "description",
    "publish_description",
    "publish_region",
    "publish_address",
    "publish_kbli",
    "publish_scale",
    "publish_workforce",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "publish_contact",
)
PRODUCT_FIELDS = ("name", "description", "hs_code", "kbli", "capacity", "is_published")


def search_document(products: type[models.Model] = DirectoryProduct) -> SearchVector:
    """A profile's search document: its name + published description + every published product.

    One document per profile, so that "indo tepung" finds a company named Indo whose product is tepung,
    as the SQLite fallback of ``directory_search`` does. ``products`` is the product model (a migration
    passes its historical one).
    """
    published = (
        products.objects.filter(profile=OuterRef("pk"), is_published=True)
        .values("profile")
        .annotate(
            text=StringAgg(Concat("name", Value(" "), "description", output_field=TextField()), delimiter=Value(" "))
        )
        .values("text")
    )
    description = Case(
        When(publish_description=True, then=F("description")), default=Value(""), output_field=TextField()
    )
    return (
        SearchVector("display_name", config="simple")
        + SearchVector(description, config="simple")
        + SearchVector(Coalesce(Subquery(published), Value(""), output_field=TextField()), config="simple")
    )


def directory_search_refresh(*, profile_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored search document of these profiles (all when None); one UPDATE.

    Called by every write of a profile or a product below, and after bulk loads (load_scale,
    bench_eservice). PostgreSQL only: elsewhere the search reads the columns themselves.
    """
    if connection.vendor != "postgresql":
        return 0
    profiles = DirectoryProfile.objects.all()
    if profile_ids is not None:
        profiles = profiles.filter(pk__in=list(profile_ids))
    return profiles.update(search_document=search_document())


def _company_only(actor: User) -> None:
    if actor.role != Role.COMPANY or actor.factory_id is None:
        raise PermissionDenied


def profile_of(factory: Factory) -> DirectoryProfile:
    """The factory's directory profile; a new unpublished one (not yet saved) when it has none."""
    try:
        return factory.directory_profile
    except DirectoryProfile.DoesNotExist:
        return DirectoryProfile(factory=factory, display_name=factory.company.name)


@transaction.atomic
def profile_save(*, actor: User, data: dict[str, Any]) -> DirectoryProfile:
    """The company sets what its factory account shows in the directory (each field switched separately).

    Raises PermissionDenied for anyone but a company user, ValidationError for a malformed field.
    """
    _company_only(actor)
    profile = profile_of(actor.factory)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    # The directory shows the registered company name, never a name the company typed in.
    profile.display_name = actor.factory.company.name
    profile.updated_at = timezone.now()
    profile.full_clean()
    profile.save()
    directory_search_refresh(profile_ids=[profile.pk])
    audit("eservice.directory.profile_save", actor=actor, target=profile, published=profile.is_published)
    return profile


@transaction.atomic
def product_save(
    *, actor: User, data: dict[str, Any], product: DirectoryProduct | None = None
) -> DirectoryProduct:
    _company_only(actor)
    profile = profile_of(actor.factory)
    if profile.pk is None:
        profile.save()
    if product is None:
        product = DirectoryProduct(profile=profile)
    elif product.profile_id != profile.pk:
        raise PermissionDenied
    for name in PRODUCT_FIELDS:
        if name in data:
            setattr(product, name, data[name])
    product.full_clean()
    product.save()
    directory_search_refresh(profile_ids=[profile.pk])
    audit("eservice.directory.product_save", actor=actor, target=product, published=product.is_published)
    return product


@transaction.atomic
def product_delete(*, actor: User, product: DirectoryProduct) -> None:
    _company_only(actor)
    if product.profile.factory_id != actor.factory_id:
        raise PermissionDenied
    audit("eservice.directory.product_delete", actor=actor, target=product)
    product.delete()
    directory_search_refresh(profile_ids=[product.profile_id])


def _mail_counterpart(inquiry: Inquiry, message: InquiryMessage) -> None:
    to_supplier = message.sender_id == inquiry.buyer_id
    recipient_factory = inquiry.supplier if to_supplier else inquiry.buyer
    address = recipient_factory.email
    if to_supplier:
        profile = profile_of(inquiry.supplier)
        address = profile.contact_email or address
    context = {
        "inquiry": inquiry,
        "subject": inquiry.subject,
        "sender_name": message.sender.company.name,
        "body": message.body,
        "is_new": inquiry.messages.count() == 1,
    }
    queue_email("eservice-inquiry", to=[address], context=context, dedupe_key=f"inquiry-message-{message.pk}")


@transaction.atomic
def inquiry_send(
    *,
    actor: User,
    supplier: DirectoryProfile,
    subject: str,
    body: str,
    product: DirectoryProduct | None = None,
) -> Inquiry:
    """A buyer (any company account) writes to a published supplier, optionally about one published product."""
    _company_only(actor)
    if not supplier.is_published:
        raise ValidationError(SUPPLIER_NOT_PUBLISHED)
    if supplier.factory_id == actor.factory_id:
        raise ValidationError(INQUIRY_TO_SELF)
    if product is not None and (product.profile_id != supplier.pk or not product.is_published):
        raise ValidationError({"product": PRODUCT_NOT_OFFERED})
    now = timezone.now()
    inquiry = Inquiry.objects.create(
        buyer_id=actor.factory_id,
        supplier_id=supplier.factory_id,
        product=product,
        subject=subject.strip(),
        created_at=now,
        last_message_at=now,
        buyer_read_at=now,
    )
    message = InquiryMessage.objects.create(
        inquiry=inquiry, sender_id=actor.factory_id, author=actor, body=body.strip(), created_at=now
    )
    audit("eservice.inquiry.send", actor=actor, target=inquiry, supplier=supplier.factory_id)
    _mail_counterpart(inquiry, message)
    return inquiry


@transaction.atomic
def inquiry_reply(*, actor: User, inquiry: Inquiry, body: str) -> InquiryMessage:
    """Either side of the thread answers; the other side sees it unread and gets an e-mail."""
    _company_only(actor)
    if actor.factory_id not in (inquiry.buyer_id, inquiry.supplier_id):
        raise PermissionDenied
    now = timezone.now()
    message = InquiryMessage.objects.create(
        inquiry=inquiry, sender_id=actor.factory_id, author=actor, body=body.strip(), created_at=now
    )
    inquiry.last_message_at = now
    side = "buyer_read_at" if actor.factory_id == inquiry.buyer_id else "supplier_read_at"
    setattr(inquiry, side, now)
    inquiry.save(update_fields=["last_message_at", side])
    audit("eservice.inquiry.reply", actor=actor, target=inquiry, message=message.pk)
    _mail_counterpart(inquiry, message)
    return message


def inquiry_mark_read(*, actor: User, inquiry: Inquiry) -> None:
    side = "buyer_read_at" if actor.factory_id == inquiry.buyer_id else "supplier_read_at"
    Inquiry.objects.filter(pk=inquiry.pk).update(**{side: timezone.now()})
