"""Demo cast for the embedded default (deterministic; refused under production settings).

Every demo user has the password ``DEMO_PASSWORD``; README and docs/accounts.md list them.
Officers must pass two-factor: each demo officer has a TOTP device with the documented secret
``DEMO_TOTP_SECRET_B32`` (add it to any authenticator app) and recovery codes printed by load_demo.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import (
    AccountCertificate,
    AccountType,
    Company,
    CompanyProfile,
    Factory,
    FactoryContact,
    Licence,
    Registration,
    Role,
    Scale,
    User,
)
from siinas.core.models import Kbli, Region

DEMO_PASSWORD = "Siinas#2026"  # noqa: S105 — documented demo credential, never loaded in production
# Documented demo TOTP key (20 bytes) shared by every demo officer; base32 for authenticator apps.
DEMO_TOTP_KEY = b"siinas-demo-totp-key"
DEMO_TOTP_SECRET_B32 = base64.b32encode(DEMO_TOTP_KEY).decode()  # ONUWS3TBOMWWIZLNN4WXI33UOAWWWZLZ
DEMO_RECOVERY_CODES_PER_OFFICER = 5


@dataclass
class DemoCast:
    users: dict[str, User] = field(default_factory=dict)
    factories: dict[str, Factory] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, note)


COMPANIES = [
    # key, company, NIB, NPWP, factory name, address, kab/kota, type, scale, stage, KBLI 5-digit, workforce
    ("indopangan", "PT Indo Pangan", "0233010001824", "013000005000000", "Pabrik Bekasi",
     "Jalan Melati 4, Karangmulya, Bojongmangu", "32.16", AccountType.A, Scale.BESAR, Factory.Stage.PRODUCTION,
     ["10110", "10750"], 420),
    ("indopangan2", "PT Indo Pangan", "0233010001824", "013000005000000", "Pabrik Karawang",
     "Jalan Industri Raya 12, Telukjambe Timur", "32.15", AccountType.A, Scale.MENENGAH, Factory.Stage.PRODUCTION,
     ["10710"], 85),
    ("majutekstil", "PT Maju Tekstil Nusantara", "8120000111222", "021234562000000", "Pabrik Bandung",
     "Jalan Soekarno-Hatta 501, Batununggal", "32.73", AccountType.A, Scale.MENENGAH, Factory.Stage.PRODUCTION,
     ["13111", "14111"], 160),
    ("sinarlogam", "CV Sinar Logam", "9120000333444", "031234560000000", "Bengkel Rungkut",
     "Jalan Rungkut Industri II/7, Rungkut", "35.78", AccountType.A, Scale.KECIL, Factory.Stage.PRODUCTION,
     ["25111"], 18),
    ("kawasanbekasi", "PT Kawasan Industri Cikarang Lestari", "7120000555666", "041234568000000", "Kawasan Cikarang",
     "Jalan Kawasan Industri Blok A1, Cikarang Utara", "32.16", AccountType.B, Scale.BESAR, Factory.Stage.PRODUCTION,
     ["68111"], 45),
    ("bajabaru", "PT Baja Baru Indonesia", "6120000777888", "051234565000000", "Pabrik Cilegon",
     "Jalan Raya Anyer Km 3, Ciwandan", "36.72", AccountType.A, Scale.BESAR, Factory.Stage.CONSTRUCTION,
     ["24101"], 0),
]

OFFICERS = [
    # username, role, first name, region, KBLI divisions, staff
    ("admin", Role.ADMIN, "Admin Pusdatin", None, [], True),
    ("upp", Role.UPP, "Petugas UPP", None, [], False),
    ("verifikator", Role.VERIFIER, "Verifikator Pusdatin", None, [], False),
    ("validator_pangan", Role.VALIDATOR, "Validator Industri Pangan", None, ["10", "11"], False),
    ("validator_tekstil", Role.VALIDATOR, "Validator Industri Tekstil", None, ["13", "14", "15"], False),
    ("pemda_jabar", Role.PEMDA_PROV, "Dinas Perindustrian Jawa Barat", "32", [], False),
    ("pemda_kab_bekasi", Role.PEMDA_KAB, "Dinas Perindustrian Kabupaten Bekasi", "32.16", [], False),
    ("pemda_jatim", Role.PEMDA_PROV, "Dinas Perindustrian Jawa Timur", "35", [], False),
    ("mitra_kl", Role.KL, "Mitra Data K/L", None, [], False),
]


def _user(username: str, role: str, first_name: str, **extra) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "role": role,
            "first_name": first_name,
            "email": f"{username}@demo.siinas.go.id",
            "password_changed_at": timezone.now(),
            "must_change_password": False,
            **extra,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def seed(cast: DemoCast) -> None:
    for key, cname, nib, npwp, fname, address, region, atype, scale, stage, kblis, workforce in COMPANIES:
        company, _ = Company.objects.update_or_create(nib=nib, defaults={"name": cname, "npwp": npwp})
        region_obj = Region.objects.get(pk=region)
        factory = Factory.objects.filter(company=company, name=fname).first() or Factory(company=company, name=fname)
        factory.account_type = atype
        factory.address = address
        factory.region = region_obj
        factory.scale = scale
        factory.stage = stage
        factory.workforce = workforce
        factory.email = f"{key}@demo.siinas.go.id"
        factory.crosses_regency_border = False
        factory.save()
        factory.kbli.set(Kbli.objects.filter(code__in=[k for k in kblis if Kbli.objects.filter(code=k).exists()]))
        cast.factories[key] = factory
        user = _user(key, Role.COMPANY, cname, factory=factory, is_staff=False)
        cast.users[key] = user
        cast.logins.append((key, "Perusahaan", f"{cname} — {fname} ({region_obj.name}, skala {scale})"))
    for username, role, first_name, region, divisions, staff in OFFICERS:
        user = _user(
            username,
            role,
            first_name,
            region_id=region,
            is_staff=staff,
            is_superuser=staff,
            factory=None,
        )
        user.kbli_divisions.set(divisions)
        cast.users[username] = user
        note = Role(role).label + (f" — {Region.objects.get(pk=region).name}" if region else "")
        if divisions:
            note += f" — KBLI {', '.join(divisions)}"
        codes = _two_factor(user)
        note += (
            f" — 2FA: kode saat ini `manage.py demo_totp {user.username}`, TOTP {DEMO_TOTP_SECRET_B32}"
            f" atau kode cadangan {', '.join(codes)}"
        )
        cast.logins.append((username, Role(role).label, note))
    _seed_profiles(cast)
    _seed_registrations(cast)
    _seed_certificates(cast)


def demo_recovery_codes(username: str) -> list[str]:
    """Deterministic single-use recovery codes of a demo officer (reset on every load_demo)."""
    return [hashlib.sha256(f"siinas-demo:{username}:{n}".encode()).hexdigest()[:10] for n in range(DEMO_RECOVERY_CODES_PER_OFFICER)]


def _two_factor(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).exclude(name="demo").delete()
    TOTPDevice.objects.update_or_create(
        user=user, name="demo", defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True, "last_t": -1, "throttling_failure_count": 0}
    )
    device, _ = StaticDevice.objects.update_or_create(user=user, name="kode-cadangan", defaults={"confirmed": True})
    codes = demo_recovery_codes(user.username)
    device.token_set.all().delete()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _seed_profiles(cast: DemoCast) -> None:
    """Contact person, head office and the licences whose scale matches each demo factory."""
    for n, (_key, factory) in enumerate(sorted(cast.factories.items()), start=1):
        CompanyProfile.objects.update_or_create(
            company=factory.company,
            defaults={"legal_form": factory.company.name.split()[0], "hq_address": factory.address, "hq_region": factory.region},
        )
        FactoryContact.objects.update_or_create(
            factory=factory,
            defaults={"name": f"Kontak {factory.name}", "position": "Manajer Umum", "phone": f"0812000000{n:02d}", "email": factory.email},
        )
        Licence.objects.update_or_create(
            factory=factory,
            number=f"IUI-DEMO-{n:03d}",
            defaults={"kind": "Perizinan Berusaha Industri", "issued_on": date(2020, 1, 1) + timedelta(days=30 * n), "scale": factory.scale},
        )


def _demo_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


DEMO_REGISTRATIONS = [
    # company, NIB, NPWP, factory, address, kab/kota, kind, days ago (working-day SLA shows overdue)
    ("PT Sentosa Makmur Pangan", "1212000000001", "013121660091000", "Pabrik Cibitung", "Jalan Industri Selatan 5", "32.16", "industri", 5),
    ("PT Sinar Kawasan Jaya", "1212000000002", "021234562000000", "Kawasan Sinar Jaya", "Jalan Raya Kawasan 1", "36.03", "kawasan", 0),
]


def _seed_registrations(cast: DemoCast) -> None:
    from django.core.files.base import ContentFile

    now = timezone.now()
    for company, nib, npwp, fname, address, region, kind, days in DEMO_REGISTRATIONS:
        if Registration.objects.filter(nib=nib).exists():
            continue
        registration = Registration(
            company_name=company, nib=nib, npwp=npwp, factory_name=fname, address=address, region_id=region,
            business_kind=kind, email=f"registrasi-{nib[-3:]}@demo.siinas.go.id", submitted_at=now - timedelta(days=days),
        )
        registration.nib_file.save("nib.pdf", ContentFile(_demo_pdf()), save=False)
        registration.save()
        registration.number = f"REG{timezone.localtime(registration.submitted_at):%y%m%d}-{registration.pk:05d}"
        registration.save(update_fields=["number"])


def _seed_certificates(cast: DemoCast) -> None:
    from accounts.services import certificate_issue

    factory = cast.factories["indopangan"]
    if not AccountCertificate.objects.filter(factory=factory).exists():
        certificate_issue(actor=cast.users["admin"], factory=factory)
