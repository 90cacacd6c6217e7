"""Accounts routes: public registration, sign-in and certificate check; UPP's queue; the company's
own Data Perusahaan; the admin's certificates. A company never reaches another factory's rows."""

from __future__ import annotations

from tests.authz.table import SIGNED_IN, Route

UPP = frozenset({"upp", "admin"})
COMPANIES = frozenset({"company", "other_company"})


def _registration(cast) -> dict:
    from tests.accounts.factories import make_registration

    return {"pk": make_registration().pk}


def _licence(cast) -> dict:
    from accounts.models import Licence

    licence = Licence.objects.create(
        factory=cast.factory_a, kind="IUI", number=f"IUI-{Licence.objects.count() + 1}", issued_on="2024-01-10", scale="besar"
    )
    return {"pk": licence.pk}


def _certificate(cast):
    from accounts.services import certificate_issue

    return certificate_issue(actor=cast.admin, factory=cast.factory_a)


def _certificate_pk(cast) -> dict:
    return {"pk": _certificate(cast).pk}


def _certificate_token(cast) -> dict:
    from accounts.services import certificate_token

    return {"token": certificate_token(_certificate(cast))}


def _own_certificate(cast) -> dict:
    _certificate(cast)
    return {}


def _holiday(cast) -> dict:
    import datetime as dt

    from siinas.core.models import Holiday

    # The first day of 2031 not in the calendar (the reference load holds 2031 when the run's year is 2030–2032).
    day = dt.date(2031, 1, 2)
    while Holiday.objects.filter(date=day).exists():
        day += dt.timedelta(days=1)
    return {"pk": Holiday.objects.create(date=day, name="Libur uji").pk}


ROUTES = [
    Route("accounts:login", public=True),
    Route("accounts:logout", public=True, method="POST"),
    Route("accounts:otp-verify", allow=SIGNED_IN),
    Route("accounts:otp-setup", allow=SIGNED_IN, note="companies enrol optionally; officers already enrolled re-enrol"),
    Route("accounts:otp-recovery-codes", allow=SIGNED_IN),
    Route("accounts:password-change", allow=SIGNED_IN),
    Route("accounts:password-forgot", public=True),
    Route("accounts:password-forgot-sent", public=True),
    Route("accounts:password-reset-confirm", public=True, setup=lambda cast: {"uidb64": "MQ", "token": "set-password"}),
    Route("accounts:register", public=True),
    Route("accounts:register-receipt", public=True, note="shows only the registration filed from this browser session"),
    Route(
        "accounts:register-check-nib",
        public=True,
        method="POST",
        data=lambda cast: {"nib": "0233010001824"},
        note="asks OSS about one NIB for the form's pre-fill; rate-limited per address",
    ),
    Route("accounts:registration-queue", allow=UPP),
    Route("accounts:registration-detail", allow=UPP, setup=_registration),
    Route("accounts:registration-approve", allow=UPP, method="POST", setup=_registration, data=lambda cast: {"account_type": "A"}),
    Route("accounts:registration-reject", allow=UPP, method="POST", setup=_registration, data=lambda cast: {"reason": "NIB tidak terbaca"}),
    Route("accounts:registration-nib-file", allow=UPP, setup=_registration),
    Route("accounts:registration-recheck", allow=UPP, method="POST", setup=_registration),
    Route("accounts:holiday-list", allow={"admin"}),
    Route("accounts:holiday-add", allow={"admin"}, method="POST", data=lambda cast: {"date": "2031-12-30", "name": "Cuti bersama uji"}),
    Route("accounts:holiday-delete", allow={"admin"}, method="POST", setup=_holiday),
    Route("accounts:profile", allow=COMPANIES),
    Route("accounts:profile-edit", allow=COMPANIES, setup=lambda cast: {"section": "umum"}),
    Route("accounts:profile-kbli", allow=COMPANIES),
    Route("accounts:profile-capacity", allow=COMPANIES),
    Route("accounts:profile-history", allow=COMPANIES),
    Route(
        "accounts:licence-add",
        allow=COMPANIES,
        method="POST",
        data=lambda cast: {"kind": "IUI", "number": "IUI-BARU-1", "issued_on": "2024-02-01", "scale": "menengah"},
    ),
    Route("accounts:licence-delete", allow={"company"}, hide={"other_company"}, method="POST", setup=_licence),
    Route("accounts:certificate-own", allow={"company"}, hide={"other_company"}, setup=_own_certificate),
    Route("accounts:certificate-admin", allow={"admin"}),
    Route("accounts:certificate-issue", allow={"admin"}, method="POST", setup=lambda cast: {"factory_pk": cast.factory_a.pk}),
    Route("accounts:certificate-revoke", allow={"admin"}, method="POST", setup=_certificate_pk, data=lambda cast: {"reason": "Uji"}),
    Route("accounts:certificate-pdf", allow={"admin"}, setup=_certificate_pk),
    Route("accounts:certificate-check", public=True, setup=_certificate_token),
]
