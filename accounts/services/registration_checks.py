"""Registrations checked against OSS (NIB, name, NPWP, e-mail) and KSWP (NPWP status).

Two uses. While a company fills in the public form, "Cek NIB di OSS" looks the NIB up and pre-fills the
company name and NPWP (``nib_prefill``, synchronous: the registrant asked and waits, bounded by the
adapter's timeouts and breaker). After a registration is submitted, ``registration_submit`` queues the
check in the outbox; a worker runs ``registration_external_check`` after the commit and stores the
result on the registration for the UPP officer. The officer can ask again (``registration_recheck``).
Neither a mismatch nor an outage ever blocks a registration or its approval: the officer decides.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Company, Factory, Registration, User
from siinas.core import outbox
from siinas.integrations.http import IntegrationUnavailable
from siinas.integrations.kswp import KswpClient, get_kswp
from siinas.integrations.oss import NibRecord, OssClient, get_oss
from siinas.lib.audit import audit

CHECK_TASK = "accounts.check_registration"

_LEGAL_FORMS = re.compile(r"\b(pt|cv|tbk|persero|perseroan terbatas|ud|fa|pd|firma|koperasi)\b")


# --- What SIINas already knows (the offline clients' fallback) ------------------------------------


def _known_nib(nib: str) -> NibRecord | None:
    company = Company.objects.filter(nib=nib).first()
    if company is None:
        return None
    email = Factory.objects.filter(company=company).exclude(email="").values_list("email", flat=True).first() or ""
    return NibRecord(nib=company.nib, company_name=company.name, npwp=company.npwp, email=email)


def _known_npwp(npwp: str) -> str | None:
    candidates = {npwp, npwp[1:] if len(npwp) == 16 and npwp.startswith("0") else "0" + npwp}
    return Company.objects.filter(npwp__in=candidates).values_list("name", flat=True).first()


def oss_client() -> OssClient:
    return get_oss(known=_known_nib)


def kswp_client() -> KswpClient:
    return get_kswp(known=_known_npwp)


# --- Comparing ------------------------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """``PT. Sumber Rejeki, Tbk`` and ``Sumber Rejeki PT`` compare equal: case, punctuation and legal forms go."""
    text = re.sub(r"[^\w\s]", " ", (name or "").lower())
    return " ".join(_LEGAL_FORMS.sub(" ", text).split())


def normalize_npwp(npwp: str) -> str:
    """15-digit NPWPs and their 16-digit form (a leading 0) compare equal."""
    digits = re.sub(r"\D", "", npwp or "")
    return "0" + digits if len(digits) == 15 else digits


def mismatches(registration: Registration, record: NibRecord) -> list[str]:
    """The registration's fields that differ from OSS; a field OSS leaves empty is not compared."""
    different = []
    if record.company_name and normalize_name(record.company_name) != normalize_name(registration.company_name):
        different.append("company_name")
    if record.npwp and normalize_npwp(record.npwp) != normalize_npwp(registration.npwp):
        different.append("npwp")
    if record.email and record.email.strip().lower() != registration.email.strip().lower():
        different.append("email")
    return different


# --- The public form's pre-fill -------------------------------------------------------------------


@dataclass(frozen=True)
class NibPrefill:
    state: str  # "found" | "unknown" | "unavailable"
    record: NibRecord | None = None


def nib_prefill(*, nib: str, request=None) -> NibPrefill:
    """Anyone on the registration form (rate-limited by the view). Looks the NIB up in OSS; audited,
    because it reveals what OSS holds about a NIB."""
    try:
        record = oss_client().lookup_nib(nib)
    except IntegrationUnavailable:
        result = NibPrefill("unavailable")
    else:
        result = NibPrefill("found", record) if record else NibPrefill("unknown")
    audit("accounts.registration.nib_lookup", request=request, nib=nib, state=result.state)
    return result


# --- After the submission (a worker) --------------------------------------------------------------


def registration_check_queue(*, registration: Registration, fresh: bool = False) -> None:
    """Inside the caller's transaction: the check runs after the commit, through the outbox."""
    key = f"registration-check-{registration.pk}" if not fresh else None
    outbox.task_enqueue(CHECK_TASK, kwargs={"registration_id": registration.pk, "fresh": fresh}, dedupe_key=key)


def registration_external_check(*, registration_id: int, fresh: bool = False) -> Registration | None:
    """The worker (task ``accounts.check_registration``). Asks OSS and KSWP — outside any transaction —
    and stores what they said on the registration. An outage is recorded as such, never raised.
    Does nothing for a registration already decided (None when it no longer exists)."""
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None or not registration.is_pending:
        return registration
    now = timezone.now()
    try:
        record = oss_client().lookup_nib(registration.nib, fresh=fresh)
    except IntegrationUnavailable:
        oss_match, different, record_data = Registration.OssMatch.UNAVAILABLE, [], {}
    else:
        if record is None:
            oss_match, different, record_data = Registration.OssMatch.UNKNOWN_NIB, [], {}
        else:
            different = mismatches(registration, record)
            oss_match = Registration.OssMatch.MISMATCH if different else Registration.OssMatch.MATCH
            record_data = _record_data(record)
    try:
        status = kswp_client().check_npwp(registration.npwp, fresh=fresh)
    except IntegrationUnavailable:
        kswp_status, kswp_name, kswp_at = Registration.KswpCheck.UNAVAILABLE, "", now
    else:
        kswp_status, kswp_name, kswp_at = status.status, status.name, status.checked_at
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        registration.oss_match = oss_match
        registration.oss_mismatches = different
        registration.oss_record = record_data
        registration.oss_checked_at = now
        registration.kswp_status = kswp_status
        registration.kswp_name = kswp_name[:255]
        registration.kswp_checked_at = kswp_at
        registration.save(
            update_fields=["oss_match", "oss_mismatches", "oss_record", "oss_checked_at", "kswp_status", "kswp_name", "kswp_checked_at"]
        )
        audit(
            "accounts.registration.checked",
            actor="OSS/KSWP",
            target=registration,
            oss=oss_match,
            mismatches=different,
            kswp=kswp_status,
        )
    return registration


def _record_data(record: NibRecord) -> dict:
    data = asdict(record)
    data["licences"] = [
        {**licence, "issued_on": licence["issued_on"].isoformat() if licence["issued_on"] else None}
        for licence in data["licences"]
    ]
    data["kbli"] = list(data["kbli"])
    return data


@transaction.atomic
def registration_recheck(*, actor: User, registration_id: int, request=None) -> Registration:
    """UPP (or admin): ask OSS and KSWP again, skipping their cached answers. Queues the check (it runs
    after the commit, never in this request's transaction). Raises ``ValidationError`` when the
    registration was already decided."""
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if not registration.is_pending:
        from accounts.services.registration import ALREADY_DECIDED

        raise ValidationError(_(ALREADY_DECIDED), code="already_decided")
    registration_check_queue(registration=registration, fresh=True)
    audit("accounts.registration.recheck_requested", actor=actor, target=registration, request=request)
    return registration
