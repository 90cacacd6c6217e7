"""Registrasi Akun SIINas: public submission, then UPP approval (account created) or rejection."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import AccountType, Company, Factory, Registration, Role, Scale, User, location_key
from accounts.services.passwords import generate_one_time_password
from accounts.services.registration_checks import registration_check_queue
from siinas.lib.audit import audit
from siinas.lib.emails import queue_email

LOCATION_HAS_ACCOUNT = gettext_noop(
    "Lokasi pabrik ini sudah memiliki akun SIINas untuk NIB yang sama. Satu lokasi hanya boleh memiliki satu akun."
)
LOCATION_PENDING = gettext_noop(
    "Lokasi pabrik ini sudah didaftarkan dengan NIB yang sama dan sedang menunggu validasi UPP."
)
ALREADY_DECIDED = gettext_noop("Registrasi ini sudah diputuskan sebelumnya dan tidak dapat diputuskan lagi.")
REASON_REQUIRED = gettext_noop("Alasan penolakan wajib diisi.")
ACCOUNT_TYPE_REQUIRED = gettext_noop("Pilih tipe akun A, B, C atau D.")
LOCATION_REQUIRED_FOR_TYPE = gettext_noop("Tipe akun ini memerlukan lokasi pabrik/usaha; registrasi tidak memilikinya.")

# Legal forms dropped when a username is derived from the company name.
_LEGAL_FORMS = re.compile(r"\b(pt|cv|tbk|persero|koperasi|ud|fa|pd|firma|perum)\b")


def _location_conflict(nib: str, key: str, *, exclude_registration: int | None = None) -> str | None:
    if not key:
        return None
    if Factory.objects.filter(company__nib=nib, location_key=key).exists():
        return LOCATION_HAS_ACCOUNT
    pending = Registration.objects.filter(nib=nib, location_key=key, status=Registration.Status.PENDING)
    if exclude_registration:
        pending = pending.exclude(pk=exclude_registration)
    if pending.exists():
        return LOCATION_PENDING
    return None


@transaction.atomic
def registration_submit(*, actor=None, data: dict, nib_file, request=None) -> Registration:
    """Anyone (the public form). Stores the registration and its NIB PDF, e-mails the receipt.

    ``data`` holds the cleaned form fields. Raises ``ValidationError({"address": ...})`` when the
    location of this NIB already has an account or a pending registration.
    """
    key = location_key(data["address"], data["region"].pk) if data.get("address") and data.get("region") else ""
    if conflict := _location_conflict(data["nib"], key):
        raise ValidationError({"address": _(conflict)})
    registration = Registration(**data, nib_file=nib_file)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # a twin submitted at the same instant
        raise ValidationError({"address": _(LOCATION_PENDING)}) from exc
    local = timezone.localtime(registration.submitted_at)
    registration.number = f"REG{local:%y%m%d}-{registration.pk:05d}"
    registration.save(update_fields=["number"])
    audit("accounts.registration.submitted", actor=actor, target=registration, request=request, nib=registration.nib)
    # OSS and KSWP are asked by a worker after the commit: never inside the registrant's transaction.
    registration_check_queue(registration=registration)
    queue_email(
        "accounts-registration-receipt",
        to=[registration.email],
        context={"registration": registration},
        dedupe_key=f"registration-receipt-{registration.pk}",
    )
    return registration


def _username_for(company_name: str) -> str:
    base = slugify(_LEGAL_FORMS.sub(" ", company_name.lower())).replace("-", "")[:16] or "perusahaan"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _locked_pending(registration_id: int) -> Registration:
    # Two officers clicking at once: the second waits for the row lock, then sees the decision.
    registration = Registration.objects.select_for_update(of=("self",)).select_related("region").get(pk=registration_id)
    if not registration.is_pending:
        raise ValidationError(_(ALREADY_DECIDED), code="already_decided")
    return registration


@transaction.atomic
def registration_approve(*, actor: User, registration_id: int, account_type: str, request=None) -> Registration:
    """UPP (or admin). Creates the Company (or reuses it by NIB), the Factory account and its user
    with a generated username and one-time password (to be changed at first login), e-mailed.

    Raises ``ValidationError`` when the registration was already decided or the location got an
    account meanwhile.
    """
    if account_type not in AccountType.values:
        raise ValidationError({"account_type": _(ACCOUNT_TYPE_REQUIRED)})
    registration = _locked_pending(registration_id)
    if not registration.region_id or not registration.address:
        raise ValidationError({"account_type": _(LOCATION_REQUIRED_FOR_TYPE)})
    if Factory.objects.filter(company__nib=registration.nib, location_key=registration.location_key).exists():
        raise ValidationError(_(LOCATION_HAS_ACCOUNT), code="location_taken")
    now = timezone.now()
    company, _created = Company.objects.get_or_create(
        nib=registration.nib, defaults={"name": registration.company_name, "npwp": registration.npwp}
    )
    factory = Factory.objects.create(
        company=company,
        name=registration.factory_name or _("Lokasi %(region)s") % {"region": registration.region.name},
        account_type=account_type,
        address=registration.address,
        region=registration.region,
        scale=Scale.KECIL,  # until the licences in Perizinan say otherwise
        email=registration.email,
    )
    password = generate_one_time_password()
    # Type D (K/L, perwakilan RI, pemerintah daerah) is a data partner, not a reporting company:
    # its user gets the K/L role (aggregates and API only, two-factor mandatory) and no factory scope.
    partner = account_type == AccountType.D
    user = User(
        username=_username_for(registration.company_name),
        email=registration.email,
        first_name=registration.company_name[:150],
        role=Role.KL if partner else Role.COMPANY,
        factory=None if partner else factory,
        must_change_password=True,
        password_changed_at=now,
    )
    user.set_password(password)
    user.save()
    registration.status = Registration.Status.APPROVED
    registration.account_type = account_type
    registration.factory = factory
    registration.decided_by = actor
    registration.decided_at = now
    registration.save(update_fields=["status", "account_type", "factory", "decided_by", "decided_at"])
    audit(
        "accounts.registration.approved",
        actor=actor,
        target=registration,
        request=request,
        account_type=account_type,
        factory_id=factory.pk,
        username=user.username,
    )
    queue_email(
        "accounts-registration-approved",
        to=[registration.email],
        context={"registration": registration, "username": user.username, "password": password},
        dedupe_key=f"registration-approved-{registration.pk}",
        sensitive=True,
    )
    return registration


@transaction.atomic
def registration_reject(*, actor: User, registration_id: int, reason: str, request=None) -> Registration:
    """UPP (or admin). Records the rejection with its reason and e-mails the reason; the uploaded
    NIB stays stored with the registration."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    registration = _locked_pending(registration_id)
    registration.status = Registration.Status.REJECTED
    registration.rejection_reason = reason
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    audit("accounts.registration.rejected", actor=actor, target=registration, request=request, reason=reason)
    queue_email(
        "accounts-registration-rejected",
        to=[registration.email],
        context={"registration": registration},
        dedupe_key=f"registration-rejected-{registration.pk}",
    )
    return registration


def registration_sla_alerts_send(*, now=None) -> int:
    """The beat job (working hours). E-mails the UPP officers (and admins) the registrations that
    passed their 1-working-day SLA, each registration once: ``sla_alert_sent_at`` is the sent-marker,
    set in the same transaction as the sending, so a failed send is retried and a re-run sends
    nothing twice. Returns the number of registrations announced."""
    from accounts.selectors import registration_queue

    now = now or timezone.now()
    overdue = [row for row in registration_queue(now=now) if row.overdue and row.registration.sla_alert_sent_at is None]
    if not overdue:
        return 0
    recipients = list(
        User.objects.filter(role__in=[Role.UPP, Role.ADMIN], is_active=True).exclude(email="").values_list("email", flat=True)
    )
    with transaction.atomic():
        claimed = Registration.objects.select_for_update().filter(
            pk__in=[row.registration.pk for row in overdue], status=Registration.Status.PENDING, sla_alert_sent_at__isnull=True
        )
        ids = list(claimed.values_list("pk", flat=True))
        if not ids:
            return 0
        rows = [row for row in overdue if row.registration.pk in ids]
        queue_email("accounts-registration-overdue", to=recipients, context={"rows": rows, "now": now})
        Registration.objects.filter(pk__in=ids).update(sla_alert_sent_at=now)
    return len(ids)
