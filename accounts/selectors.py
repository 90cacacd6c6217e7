"""Reads of the accounts app: the UPP queue with its SLA, profile history, certificate checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AccountCertificate, Factory, ProfileChange, Registration
from siinas.core.selectors import holidays_between, is_working_day


@dataclass(frozen=True)
class QueueRow:
    registration: Registration
    due_at: datetime
    overdue: bool


def _deadline(moment: datetime, holidays: set[date]) -> datetime:
    """End of the first working day after the day of submission (the 1-working-day SLA); same rule
    as ``siinas.core.selectors.working_day_deadline`` but with the holidays read once per page."""
    day = timezone.localtime(moment).date()
    while True:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            break
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)), timezone.get_current_timezone())


def registration_queue(*, now: datetime | None = None) -> list[QueueRow]:
    """Pending registrations, oldest first, each with its SLA deadline and whether it is overdue."""
    now = now or timezone.now()
    pending = list(Registration.objects.filter(status=Registration.Status.PENDING).select_related("region").order_by("submitted_at", "id"))
    if not pending:
        return []
    first = timezone.localtime(pending[0].submitted_at).date()
    holidays = holidays_between(first, timezone.localdate(now) + timedelta(days=60))
    rows = []
    for registration in pending:
        due = _deadline(registration.submitted_at, holidays)
        rows.append(QueueRow(registration=registration, due_at=due, overdue=now > due))
    return rows


def registrations_decided(*, limit: int = 50) -> QuerySet[Registration]:
    return (
        Registration.objects.exclude(status=Registration.Status.PENDING)
        .select_related("decided_by", "factory")
        .order_by("-decided_at")[:limit]
    )


def profile_history(factory: Factory) -> QuerySet[ProfileChange]:
    return ProfileChange.objects.filter(factory=factory).select_related("actor")


@dataclass(frozen=True)
class CertificateCheck:
    state: str  # "valid", "superseded", "revoked", "invalid"
    certificate: AccountCertificate | None


def certificate_check(token: str) -> CertificateCheck:
    """What the public check page shows for the token in a QR: a bad signature or an unknown
    id/version is simply not valid; a known one is current, superseded or revoked."""
    from accounts.services.certificates import CERTIFICATE_SALT

    try:
        payload = signing.Signer(salt=CERTIFICATE_SALT).unsign_object(token)
        pk, version = int(payload["c"]), int(payload["v"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return CertificateCheck("invalid", None)
    certificate = (
        AccountCertificate.objects.select_related("factory__company").filter(pk=pk, version=version).first()
    )
    if certificate is None:
        return CertificateCheck("invalid", None)
    state = {
        AccountCertificate.Status.CURRENT: "valid",
        AccountCertificate.Status.SUPERSEDED: "superseded",
        AccountCertificate.Status.REVOKED: "revoked",
    }[certificate.status]
    return CertificateCheck(state, certificate)


def certificates_for_admin() -> QuerySet[Factory]:
    """Factory accounts with their certificates, for the admin page."""
    from django.db.models import Prefetch

    return Factory.objects.select_related("company", "region").prefetch_related(
        Prefetch("certificates", queryset=AccountCertificate.objects.order_by("-version"))
    )
