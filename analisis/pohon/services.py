"""Writes of Pohon Industri: curated links (officers of Pusdatin and the sector validators; the Django
admin calls the same functions)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from analisis.models import CuratedLink
from analisis.pohon import kept
from siinas.lib.audit import audit

FIELDS = ("source_name", "source_hs", "target_name", "target_hs", "note", "reference")


@transaction.atomic
def curated_link_save(*, actor, data: dict, link: CuratedLink | None = None) -> CuratedLink:
    """Create a curated link (``link=None`` or an unsaved one) or change one. Raises ValidationError (field messages) when a
    code is not 8 digits, a required field is empty or both ends are the same product."""
    link = link or CuratedLink()
    created = link.pk is None
    if created and getattr(actor, "is_authenticated", False):
        link.created_by = actor
    for name in FIELDS:
        if name in data:
            value = data[name]
            setattr(link, name, value.strip() if isinstance(value, str) else value)
    link.updated_at = timezone.now()
    link.full_clean()  # field shapes, and CuratedLink.clean: not a link of a product to itself
    link.save()
    kept.mark_stale()  # the kept aggregate holds the suppressed flows only of the curated pairs it knew
    audit("analisis.curated_link_created" if created else "analisis.curated_link_changed", actor=actor, target=link,
          source=link.source_name, target_name=link.target_name)  # fmt: skip
    return link


@transaction.atomic
def curated_link_delete(*, actor, link: CuratedLink) -> None:
    """Delete a curated link (the graph drops it at the next view; reported flows stay)."""
    audit(
        "analisis.curated_link_deleted",
        actor=actor,
        target=link,
        source=link.source_name,
        target_name=link.target_name,
    )
    link.delete()
    kept.mark_stale()
