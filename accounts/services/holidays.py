"""The national-holiday calendar behind the UPP SLA, kept by the admin from the portal."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from siinas.core.models import Holiday
from siinas.lib.audit import audit

HOLIDAY_EXISTS = gettext_noop("Tanggal ini sudah tercatat sebagai hari libur.")


@transaction.atomic
def holiday_add(*, actor: User, day: date, name: str, request=None) -> Holiday:
    """Admin. Adds a national holiday or cuti bersama (it stops counting as a working day)."""
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(date=day, name=name.strip())
    except IntegrityError as exc:
        raise ValidationError({"date": _(HOLIDAY_EXISTS)}) from exc
    audit("core.holiday.added", actor=actor, target=holiday, request=request, date=day.isoformat())
    return holiday


@transaction.atomic
def holiday_delete(*, actor: User, holiday: Holiday, request=None) -> None:
    """Admin. Removes a holiday entered by mistake (the day counts as a working day again)."""
    audit("core.holiday.deleted", actor=actor, target=holiday, request=request, date=holiday.date.isoformat(), name=holiday.name)
    holiday.delete()
