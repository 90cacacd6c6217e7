"""Team set-up (Kepmenperin 184/2020): the admin names verifiers and validators, each validator with
the KBLI 2-digit divisions it is responsible for. Validator routing reads ``User.kbli_divisions``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from siinas.core.models import Kbli
from siinas.lib.audit import audit

TEAM_ROLES = (Role.VERIFIER, Role.VALIDATOR)

VALIDATOR_NEEDS_DIVISION = gettext_noop("Validator wajib ditugaskan sedikitnya satu golongan pokok KBLI (2 digit).")
VERIFIER_HAS_NO_DIVISION = gettext_noop("Verifikator memeriksa semua laporan; kosongkan golongan pokok KBLI.")
NOT_A_DIVISION = gettext_noop("Pilih golongan pokok KBLI 2 digit.")
ROLE_NOT_IN_TEAM = gettext_noop("Peran tim hanya Verifikator Pusdatin atau Validator Pembina Sektor.")


@transaction.atomic
def team_member_update(*, actor: User, member: User, role: str, divisions: Iterable[Kbli]) -> User:
    """Set a team member's role (verifier/validator) and a validator's KBLI divisions.

    Called by an admin from the team page. Changes ``member.role`` and ``member.kbli_divisions``,
    writes one audit event with the before and after. Raises ``ValidationError`` (by field) when a
    validator has no division, a verifier has some, or a code is not a 2-digit division.
    """
    divisions = list(divisions)
    if role not in TEAM_ROLES:
        raise ValidationError({"role": _(ROLE_NOT_IN_TEAM)})
    if any(d.level != Kbli.Level.GOLONGAN_POKOK for d in divisions):
        raise ValidationError({"divisions": _(NOT_A_DIVISION)})
    if role == Role.VALIDATOR and not divisions:
        raise ValidationError({"divisions": _(VALIDATOR_NEEDS_DIVISION)})
    if role == Role.VERIFIER and divisions:
        raise ValidationError({"divisions": _(VERIFIER_HAS_NO_DIVISION)})
    member = User.objects.select_for_update().get(pk=member.pk)
    before = {"role": member.role, "divisions": sorted(member.kbli_divisions.values_list("code", flat=True))}
    member.role = role
    member.save(update_fields=["role"])
    member.kbli_divisions.set(divisions)
    after = {"role": role, "divisions": sorted(d.code for d in divisions)}
    audit("verification.team_update", actor=actor, target=member, before=before, after=after)
    return member
