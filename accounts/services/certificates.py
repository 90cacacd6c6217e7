"""Bukti Kepemilikan Akun: issue (re-issue supersedes), revoke, and the signed token in the QR."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import AccountCertificate, Factory, User
from siinas.lib.audit import audit

CERTIFICATE_SALT = "accounts.certificate"
ALREADY_REVOKED = gettext_noop("Sertifikat ini sudah tidak berlaku dan tidak dapat dicabut lagi.")
REVOCATION_REASON_REQUIRED = gettext_noop("Alasan pencabutan wajib diisi.")


def certificate_token(certificate: AccountCertificate) -> str:
    """Signed with SECRET_KEY: certificate id and version, so an altered or forged QR fails the check.
    No timestamp: the same certificate always prints the same QR (its status lives in the database)."""
    return signing.Signer(salt=CERTIFICATE_SALT).sign_object({"c": certificate.pk, "v": certificate.version})


def _factory_address(factory: Factory) -> str:
    return f"{factory.address}, {factory.region.name}, {factory.province.name}"


@transaction.atomic
def certificate_issue(*, actor: User, factory: Factory, request=None) -> AccountCertificate:
    """Admin. Issues a certificate for the factory account; the one in force (if any) is superseded."""
    factory = Factory.objects.select_for_update(of=("self",)).select_related("company", "region", "province").get(pk=factory.pk)
    previous = list(AccountCertificate.objects.filter(factory=factory, status=AccountCertificate.Status.CURRENT))
    AccountCertificate.objects.filter(pk__in=[c.pk for c in previous]).update(status=AccountCertificate.Status.SUPERSEDED)
    version = (AccountCertificate.objects.filter(factory=factory).aggregate(v=Max("version"))["v"] or 0) + 1
    certificate = AccountCertificate.objects.create(
        factory=factory,
        version=version,
        company_name=factory.company.name,
        nib=factory.company.nib,
        factory_address=_factory_address(factory),
        issued_by=actor,
    )
    audit(
        "accounts.certificate.issued",
        actor=actor,
        target=certificate,
        request=request,
        factory_id=factory.pk,
        superseded=[c.pk for c in previous],
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: AccountCertificate, reason: str, request=None) -> AccountCertificate:
    """Admin. Revokes a certificate in force; the public check then shows it as revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _(REVOCATION_REASON_REQUIRED)})
    certificate = AccountCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != AccountCertificate.Status.CURRENT:
        raise ValidationError(_(ALREADY_REVOKED), code="not_current")
    certificate.status = AccountCertificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    audit("accounts.certificate.revoked", actor=actor, target=certificate, request=request, reason=reason)
    return certificate
