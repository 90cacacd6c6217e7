"""Data Perusahaan: each section saved by one service that keeps a field-by-field history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import (
    CompanyProfile,
    Factory,
    FactoryContact,
    Licence,
    ProductionCapacity,
    ProfileChange,
    Scale,
    User,
    location_key,
)
from siinas.core.models import Kbli
from siinas.lib.audit import audit

KBLI_REQUIRED = gettext_noop("Pilih minimal satu KBLI 5 digit.")
KBLI_NOT_FIVE_DIGIT = gettext_noop("KBLI harus kode 5 digit (kelompok) KBLI 2020.")
LOCATION_TAKEN_BY_OTHER_ACCOUNT = gettext_noop("Alamat ini sudah dipakai akun pabrik lain dari perusahaan yang sama.")
LICENCE_NUMBER_TAKEN = gettext_noop("Nomor izin ini sudah tercatat untuk akun pabrik ini.")
LICENCE_DATES = gettext_noop("Tanggal berlaku sampai tidak boleh sebelum tanggal izin.")

_SCALE_ORDER = {Scale.KECIL: 1, Scale.MENENGAH: 2, Scale.BESAR: 3}


def _profile(factory: Factory) -> CompanyProfile:
    # Unsaved until a section that owns it is saved (reading a form never writes).
    return CompanyProfile.objects.filter(company=factory.company).first() or CompanyProfile(company=factory.company)


def _contact(factory: Factory) -> FactoryContact:
    try:
        return factory.contact
    except FactoryContact.DoesNotExist:
        return FactoryContact(factory=factory)


# section → (label, [(object getter, [fields])]); the form of each section edits exactly these fields.
SECTIONS: dict[str, tuple[str, list[tuple[Any, list[str]]]]] = {
    "umum": (gettext_noop("Data Umum"), [(lambda f: f.company, ["name", "npwp"]), (_profile, ["legal_form", "phone", "website"])]),
    "kantor": (gettext_noop("Alamat Kantor Pusat"), [(_profile, ["hq_address", "hq_region", "hq_postal_code"])]),
    "pabrik": (
        gettext_noop("Alamat Pabrik"),
        [(lambda f: f, ["name", "address", "region", "crosses_regency_border", "stage", "workforce", "operating_since"])],
    ),
    "kontak": (gettext_noop("Contact Person"), [(_contact, ["name", "position", "phone", "email"])]),
}


def _plain(value: Any) -> Any:
    """A JSON-friendly rendering of a field value for the history."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def _record(*, actor: User, factory: Factory, section: str, changes: dict, request=None) -> ProfileChange | None:
    if not changes:
        return None
    change = ProfileChange.objects.create(
        factory=factory, actor=actor, actor_label=actor.get_username(), section=section, changes=changes
    )
    audit("accounts.profile.changed", actor=actor, target=factory, request=request, section=section, fields=sorted(changes))
    return change


@transaction.atomic
def profile_section_update(*, actor: User, factory: Factory, section: str, data: dict, request=None) -> ProfileChange | None:
    """The factory's own company user (or an admin). Saves one section of Data Perusahaan and
    records what changed (old and new value per field). Raises ``ValidationError`` at the field
    when the new factory address is another account's location."""
    factory = Factory.objects.select_for_update(of=("self",)).select_related("company", "region").get(pk=factory.pk)
    changes: dict[str, list] = {}
    for getter, fields in SECTIONS[section][1]:
        instance = getter(factory)
        dirty = False
        for name in fields:
            if name not in data:
                continue
            old, new = getattr(instance, name), data[name]
            if old != new:
                changes[name] = [_plain(old), _plain(new)]
                setattr(instance, name, new)
                dirty = True
        if not dirty:
            continue
        if instance is factory and {"address", "region"} & set(changes):
            key = location_key(factory.address, factory.region_id)
            if Factory.objects.filter(company=factory.company, location_key=key).exclude(pk=factory.pk).exists():
                raise ValidationError({"address": _(LOCATION_TAKEN_BY_OTHER_ACCOUNT)})
        instance.full_clean()
        instance.save()
    return _record(actor=actor, factory=factory, section=section, changes=changes, request=request)


@transaction.atomic
def factory_kbli_set(*, actor: User, factory: Factory, kbli: Iterable[Kbli], request=None) -> ProfileChange | None:
    """Bidang Usaha: the factory's KBLI 2020 5-digit codes (several allowed). Their 2-digit
    divisions route reports to validators and IKI questionnaires to business lines."""
    chosen = list(kbli)
    if not chosen:
        raise ValidationError({"kbli": _(KBLI_REQUIRED)})
    if any(k.level != Kbli.Level.KELOMPOK for k in chosen):
        raise ValidationError({"kbli": _(KBLI_NOT_FIVE_DIGIT)})
    old = sorted(factory.kbli.values_list("code", flat=True))
    new = sorted(k.code for k in chosen)
    if old == new:
        return None
    from verification import peers

    # The KBLI peers' running sums (review page) move with the factory's divisions, in this transaction.
    before = peers.lock_factory(factory.pk)
    factory.kbli.set(chosen)
    peers.factory_divisions_changed(factory_id=factory.pk, before=before)
    return _record(actor=actor, factory=factory, section="bidang-usaha", changes={"kbli": [old, new]}, request=request)


@transaction.atomic
def capacities_replace(*, actor: User, factory: Factory, rows: list[dict], request=None) -> ProfileChange | None:
    """Kapasitas Produksi: replaces the factory's product lines with ``rows`` (product, kbli,
    capacity, unit) and records the before/after lists."""

    def describe(items) -> list[str]:
        return [f"{r['product']}: {r['capacity']} {r['unit']}" + (f" ({r['kbli'].code})" if r.get("kbli") else "") for r in items]

    existing = list(factory.capacities.select_related("kbli"))
    old = describe([{"product": c.product, "capacity": c.capacity, "unit": c.unit, "kbli": c.kbli} for c in existing])
    new = describe(rows)
    if old == new:
        return None
    factory.capacities.all().delete()
    ProductionCapacity.objects.bulk_create(
        [ProductionCapacity(factory=factory, product=r["product"], kbli=r.get("kbli"), capacity=r["capacity"], unit=r["unit"]) for r in rows]
    )
    return _record(actor=actor, factory=factory, section="kapasitas", changes={"kapasitas": [old, new]}, request=request)


def _refresh_scale(*, actor: User, factory: Factory, request=None) -> dict:
    """Factory.scale follows the largest scale among current licences (it decides Pemda authority)."""
    today = timezone.localdate()
    current = [lic.scale for lic in factory.licences.all() if lic.is_current(today)]
    if not current:
        return {}
    scale = max(current, key=lambda s: _SCALE_ORDER[s])
    if scale == factory.scale:
        return {}
    change = {"scale": [factory.scale, scale]}
    factory.scale = scale
    factory.save(update_fields=["scale"])
    return change


@transaction.atomic
def licence_add(*, actor: User, factory: Factory, data: dict, request=None) -> Licence:
    """Perizinan: records a licence; the factory's scale is re-derived from its current licences."""
    factory = Factory.objects.select_for_update().get(pk=factory.pk)
    if data.get("valid_until") and data["valid_until"] < data["issued_on"]:
        raise ValidationError({"valid_until": _(LICENCE_DATES)})
    if factory.licences.filter(number=data["number"]).exists():
        raise ValidationError({"number": _(LICENCE_NUMBER_TAKEN)})
    licence = Licence.objects.create(factory=factory, **data)
    changes = {"izin": [None, f"{licence.kind} {licence.number} ({licence.get_scale_display()})"]}
    changes |= _refresh_scale(actor=actor, factory=factory, request=request)
    _record(actor=actor, factory=factory, section="perizinan", changes=changes, request=request)
    return licence


@transaction.atomic
def licence_delete(*, actor: User, licence: Licence, request=None) -> None:
    """Perizinan: removes a licence entered by mistake; the scale is re-derived."""
    factory = Factory.objects.select_for_update().get(pk=licence.factory_id)
    label = f"{licence.kind} {licence.number} ({licence.get_scale_display()})"
    licence.delete()
    changes = {"izin": [label, None]} | _refresh_scale(actor=actor, factory=factory, request=request)
    _record(actor=actor, factory=factory, section="perizinan", changes=changes, request=request)
