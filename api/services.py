"""Writes of the partner API: issue, rotate and revoke tokens (admins only; docs/api.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from api import tokens
from api.models import ApiToken, Dataset, PartnerOrganisation
from siinas.core.models import Kbli, Region
from siinas.lib.audit import audit

MAX_VALIDITY_DAYS = 730

EXPIRY_IN_PAST = _("Tanggal berlaku harus sesudah hari ini.")
EXPIRY_TOO_FAR = _("Token berlaku paling lama dua tahun; terbitkan ulang sebelum habis.")
UNKNOWN_DATASET = _("Dataset tidak dikenal.")
ALREADY_REVOKED = _("Token ini sudah dicabut.")
REASON_REQUIRED = _("Tuliskan alasan pencabutan.")
MEMBER_NOT_KL = _("Hanya pengguna berperan Mitra K/L yang dapat menjadi anggota organisasi mitra.")
ORGANISATION_FIELDS = ("name", "acronym", "mou_number", "mou_valid_until")


def _require_admin(actor) -> None:
    if getattr(actor, "role", None) != Role.ADMIN:
        raise PermissionDenied


def _check(datasets: Iterable[str], expires_on: dt.date) -> list[str]:
    chosen = sorted(set(datasets))
    if any(d not in Dataset.values for d in chosen):
        raise ValidationError({"datasets": UNKNOWN_DATASET})
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError({"expires_on": EXPIRY_IN_PAST})
    if expires_on > today + dt.timedelta(days=MAX_VALIDITY_DAYS):
        raise ValidationError({"expires_on": EXPIRY_TOO_FAR})
    return chosen


@transaction.atomic
def token_issue(
    *,
    actor,
    organisation: PartnerOrganisation,
    name: str,
    datasets: Iterable[str],
    expires_on: dt.date,
    region: Region | None = None,
    kbli_divisions: Iterable[Kbli] = (),
    rate_per_minute: int = 60,
    replaces: ApiToken | None = None,
    request=None,
) -> tuple[ApiToken, str]:
    """Issue a token for ``organisation``; returns (token, full secret string). The secret is shown to
    the admin once and only its hash is stored. Admins only (PermissionDenied otherwise)."""
    _require_admin(actor)
    chosen = _check(datasets, expires_on)
    full, prefix, secret_sha256 = tokens.new_token()
    token = ApiToken(
        organisation=organisation,
        name=name,
        prefix=prefix,
        secret_sha256=secret_sha256,
        datasets=chosen,
        region=region,
        rate_per_minute=rate_per_minute,
        expires_on=expires_on,
        created_by=actor,
        replaces=replaces,
    )
    token.full_clean(exclude=["created_by", "replaces"])
    token.save()
    token.kbli_divisions.set(list(kbli_divisions))
    audit(
        "api.token_issue",
        actor=actor,
        target=token,
        request=request,
        organisation=organisation.pk,
        datasets=chosen,
        region=region.pk if region else None,
        kbli=sorted(k.pk for k in kbli_divisions),
        expires_on=expires_on.isoformat(),
        rate_per_minute=rate_per_minute,
        replaces=replaces.prefix if replaces else None,
    )
    return token, full


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, reason: str, request=None) -> ApiToken:
    """Revoke ``token`` now (calls with it get 401 from the next request). Admins only."""
    _require_admin(actor)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(ALREADY_REVOKED)
    if not reason.strip():
        raise ValidationError({"revoke_reason": REASON_REQUIRED})
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.revoke_reason = reason.strip()[:300]
    token.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit("api.token_revoke", actor=actor, target=token, request=request, reason=token.revoke_reason)
    return token


@transaction.atomic
def token_rotate(*, actor, token: ApiToken, expires_on: dt.date | None = None, request=None) -> tuple[ApiToken, str]:
    """A new secret with the same scope; the old token is revoked in the same transaction. Admins only."""
    _require_admin(actor)
    old = ApiToken.objects.select_for_update().get(pk=token.pk)
    if old.revoked_at is not None:
        raise ValidationError(ALREADY_REVOKED)
    new, full = token_issue(
        actor=actor,
        organisation=old.organisation,
        name=old.name,
        datasets=old.datasets,
        expires_on=expires_on or old.expires_on,
        region=old.region,
        kbli_divisions=list(old.kbli_divisions.all()),
        rate_per_minute=old.rate_per_minute,
        replaces=old,
        request=request,
    )
    token_revoke(actor=actor, token=old, reason=f"Dirotasi: diganti {new.prefix}", request=request)
    return new, full


def _save_organisation(organisation: PartnerOrganisation, members: Iterable[User], **fields) -> list[int]:
    chosen = list(members)
    if any(m.role != Role.KL for m in chosen):
        raise ValidationError({"members": MEMBER_NOT_KL})
    for key in ORGANISATION_FIELDS:
        setattr(organisation, key, fields[key])
    organisation.full_clean()
    organisation.save()
    organisation.members.set(chosen)
    return sorted(m.pk for m in chosen)


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    acronym: str = "",
    mou_number: str = "",
    mou_valid_until: dt.date | None = None,
    members: Iterable[User] = (),
    request=None,
) -> PartnerOrganisation:
    """Register a partner organisation (a K/L, Pemda or association under an MoU) and its Mitra K/L
    members. Admins only (PermissionDenied); ValidationError for a duplicate name or a member who is
    not a Mitra K/L user."""
    _require_admin(actor)
    organisation = PartnerOrganisation()
    member_ids = _save_organisation(
        organisation, members, name=name, acronym=acronym, mou_number=mou_number, mou_valid_until=mou_valid_until
    )
    audit("api.organisation_create", actor=actor, target=organisation, request=request, name=name, members=member_ids)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor,
    organisation: PartnerOrganisation,
    name: str,
    acronym: str = "",
    mou_number: str = "",
    mou_valid_until: dt.date | None = None,
    members: Iterable[User] = (),
    request=None,
) -> PartnerOrganisation:
    """Change an organisation's details and members (a member removed no longer sees its tokens).
    Admins only; the same ValidationErrors as ``organisation_create``."""
    _require_admin(actor)
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    before = {key: str(getattr(organisation, key) or "") for key in ORGANISATION_FIELDS}
    before_members = sorted(organisation.members.values_list("pk", flat=True))
    member_ids = _save_organisation(
        organisation, members, name=name, acronym=acronym, mou_number=mou_number, mou_valid_until=mou_valid_until
    )
    after = {key: str(getattr(organisation, key) or "") for key in ORGANISATION_FIELDS}
    changed = {key: [before[key], after[key]] for key in ORGANISATION_FIELDS if before[key] != after[key]}
    audit(
        "api.organisation_update",
        actor=actor,
        target=organisation,
        request=request,
        changed=changed,
        members=[before_members, member_ids] if before_members != member_ids else None,
    )
    return organisation


CALL_LOG_DAYS = 400  # a year of a partner's calls and the month of the audit after it


def api_calls_prune(*, days: int = CALL_LOG_DAYS, batch: int = 10_000) -> int:
    """Delete ``ApiCall`` rows older than ``days`` days (beat, nightly), in batches so that no statement
    holds a long lock on a busy table. Returns how many. Token issue, rotation and revocation stay in the
    audit log (``AuditEvent``), which this does not touch."""
    from api.models import ApiCall

    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted = 0
    while True:
        ids = list(ApiCall.objects.filter(at__lt=cutoff).order_by("id").values_list("id", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += ApiCall.objects.filter(id__in=ids).delete()[0]
