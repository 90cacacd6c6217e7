"""Deactivating and reactivating a factory account: the account's closure date is a fact of the
obligation rule (reporting/obligation.py), so only these two services change the status."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Factory, User
from siinas.lib.audit import audit

CLOSED_ON_IN_FUTURE = gettext_noop("Tanggal nonaktif tidak boleh setelah hari ini.")


@transaction.atomic
def factory_deactivate(*, actor: User | None, factory: Factory, closed_on: dt.date | None = None, request=None) -> Factory:
    """An admin (the Django admin's action) closes an account from ``closed_on`` (default: today, Asia/Jakarta).

    Sets the status to "nonaktif" and the closure date; the account then owes no period whose filing
    window had not closed by that date. Raises ``ValidationError`` for a date after today. Deactivating
    an account already inactive keeps its first closure date."""
    today = timezone.localdate()
    closed_on = closed_on or today
    if closed_on > today:
        raise ValidationError({"closed_on": _(CLOSED_ON_IN_FUTURE)})
    factory = Factory.objects.select_for_update(of=("self",)).get(pk=factory.pk)
    if factory.status == Factory.Status.SUSPENDED and factory.closed_on is not None:
        return factory
    factory.status = Factory.Status.SUSPENDED
    factory.closed_on = closed_on
    factory.save(update_fields=["status", "closed_on"])
    audit("accounts.factory.deactivated", actor=actor, target=factory, request=request, closed_on=str(closed_on))
    return factory


@transaction.atomic
def factory_reactivate(*, actor: User | None, factory: Factory, request=None) -> Factory:
    """An admin reopens an account: status "aktif", closure date cleared. From then on the account owes
    every period the rule gives it again (the periods it was closed for included)."""
    factory = Factory.objects.select_for_update(of=("self",)).get(pk=factory.pk)
    if factory.status == Factory.Status.ACTIVE:
        return factory
    previous = factory.closed_on
    factory.status = Factory.Status.ACTIVE
    factory.closed_on = None
    factory.save(update_fields=["status", "closed_on"])
    audit(
        "accounts.factory.reactivated", actor=actor, target=factory, request=request, closed_on=str(previous) if previous else None
    )
    return factory
