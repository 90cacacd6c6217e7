"""Demo cast for the embedded default (deterministic; refused under production settings).

Every demo user has the password ``DEMO_PASSWORD``; README and docs/accounts.md list them.
Officers must pass two-factor: each demo officer has a TOTP device with the documented secret
``DEMO_TOTP_SECRET_B32`` (add it to any authenticator app) and recovery codes printed by load_demo.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.demo_cast import Member, licence_number, members, person
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
SEED_PROFILES = 20190704


@dataclass
class DemoCast:
    users: dict[str, User] = field(default_factory=dict)
    factories: dict[str, Factory] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, note)
    members: dict[str, Member] = field(default_factory=dict)  # the generated accounts, by username


COMPANIES = [
    # key, company, NIB, NPWP, factory name, address, kab/kota, type, scale, stage, KBLI 5-digit, workforce, registered
    ("indopangan", "PT Indo Pangan", "0233010001824", "013000005000000", "Pabrik Bekasi",
     "Jalan Melati 4, Karangmulya, Bojongmangu", "32.16", AccountType.A, Scale.BESAR, Factory.Stage.PRODUCTION,
     ["10616", "10740"], 420, (2017, 3, 14)),
    ("indopangan2", "PT Indo Pangan", "0233010001824", "013000005000000", "Pabrik Karawang",
     "Jalan Industri Raya 12, Telukjambe Timur", "32.15", AccountType.A, Scale.MENENGAH, Factory.Stage.PRODUCTION,
     ["10710"], 85, (2019, 8, 5)),
    ("majutekstil", "PT Maju Tekstil Nusantara", "8120000111222", "021234562000000", "Pabrik Bandung",
     "Jalan Soekarno-Hatta 501, Batununggal", "32.73", AccountType.A, Scale.MENENGAH, Factory.Stage.PRODUCTION,
     ["13121", "14111"], 160, (2016, 11, 21)),
    ("sinarlogam", "CV Sinar Logam", "9120000333444", "031234560000000", "Bengkel Rungkut",
     "Jalan Rungkut Industri II/7, Rungkut", "35.78", AccountType.A, Scale.KECIL, Factory.Stage.PRODUCTION,
     ["25952"], 18, (2020, 2, 10)),
    ("kawasanbekasi", "PT Kawasan Industri Cikarang Lestari", "7120000555666", "041234568000000", "Kawasan Cikarang",
     "Jalan Kawasan Industri Blok A1, Cikarang Utara", "32.16", AccountType.B, Scale.BESAR, Factory.Stage.PRODUCTION,
     [], 45, (2016, 6, 1)),
    ("bajabaru", "PT Baja Baru Indonesia", "6120000777888", "051234565000000", "Pabrik Cilegon",
     "Jalan Raya Anyer Km 3, Ciwandan", "36.72", AccountType.A, Scale.BESAR, Factory.Stage.CONSTRUCTION,
     ["24101"], 0, (2023, 4, 17)),
]  # fmt: skip

OFFICERS = [
    # username, role, full name (fictional), NIP (fictional, 18 digits: birth date, appointment month, sex, serial),
    # region, KBLI divisions, staff
    ("admin", Role.ADMIN, "Ir. Bambang Wicaksono, M.M.", "197205141998031002", None, [], True),
    ("upp", Role.UPP, "Dewi Anggraini, S.E.", "198603222010122001", None, [], False),
    ("verifikator", Role.VERIFIER, "Hendra Kusumawijaya, S.Kom.", "198807152012121003", None, [], False),
    ("validator_pangan", Role.VALIDATOR, "Dr. Rina Kartikasari, S.T.P., M.Si.", "197911032005012002", None, ["10", "11"], False),
    ("validator_tekstil", Role.VALIDATOR, "Ir. Agus Setiabudi, M.T.", "197506181999031001", None, ["13", "14", "15"], False),
    ("validator_kimia", Role.VALIDATOR, "Yuliana Pramesti, S.Si., M.Sc.", "198402092009012004", None,
     ["16", "17", "20", "21", "22", "23"], False),
    ("validator_logam", Role.VALIDATOR, "Teguh Hariyanto, S.T., M.Eng.", "198112252008011005", None,
     ["24", "25", "26", "27", "28", "29", "30", "31", "32", "33"], False),
    ("pemda_jabar", Role.PEMDA_PROV, "Drs. Asep Supriatna, M.Si.", "196909121994031006", "32", [], False),
    ("pemda_kab_bekasi", Role.PEMDA_KAB, "Nurhasanah, S.E., M.M.", "197708302003122003", "32.16", [], False),
    ("pemda_jatim", Role.PEMDA_PROV, "Ir. Joko Prasetyo, M.M.", "197103071997031004", "35", [], False),
    ("mitra_kl", Role.KL, "Fajar Nugroho, S.Stat.", "199001182015031002", None, [], False),
]  # fmt: skip


def _user(username: str, role: str, first_name: str, *, password: str | None = None, **extra) -> User:
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
    if password is None:
        user.set_password(DEMO_PASSWORD)
    else:
        user.password = password  # the demo password hashed once for the generated accounts (hashing is slow)
    user.save(update_fields=["password"])
    return user


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=timezone.get_current_timezone())


def seed(cast: DemoCast) -> None:
    for key, cname, nib, npwp, fname, address, region, atype, scale, stage, kblis, workforce, registered in COMPANIES:
        joined = _at(*registered)
        company, _ = Company.objects.update_or_create(nib=nib, defaults={"name": cname, "npwp": npwp})
        if company.created_at > joined:
            Company.objects.filter(pk=company.pk).update(created_at=joined)
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
        factory.created_at = joined  # registered years back: it owes every semester since
        factory.save()
        factory.kbli.set(Kbli.objects.filter(code__in=kblis))
        cast.factories[key] = factory
        user = _user(key, Role.COMPANY, cname, factory=factory, is_staff=False, date_joined=joined)
        cast.users[key] = user
        cast.logins.append((key, "Perusahaan", f"{cname} — {fname} ({region_obj.name}, skala {scale})"))
    for username, role, full_name, nip, region, divisions, staff in OFFICERS:
        user = _user(
            username,
            role,
            full_name,
            nip=nip,
            region_id=region,
            is_staff=staff,
            is_superuser=staff,
            factory=None,
            date_joined=_at(2015, 1, 5),
        )
        user.kbli_divisions.set(divisions)
        cast.users[username] = user
        note = f"{full_name}, {Role(role).label}" + (f" — {Region.objects.get(pk=region).name}" if region else "")
        if divisions:
            note += f" — KBLI {', '.join(divisions)}"
        codes = _two_factor(user)
        note += (
            f" — 2FA: kode saat ini `manage.py demo_totp {user.username}`, TOTP {DEMO_TOTP_SECRET_B32}"
            f" atau kode cadangan {', '.join(codes)}"
        )
        cast.logins.append((username, Role(role).label, note))
    _seed_members(cast)
    _seed_profiles(cast)
    _seed_registrations(cast)
    _seed_certificates(cast)


def _seed_members(cast: DemoCast) -> None:
    """The generated accounts (``akun001`` …), registered years back, with the same demo password."""
    password = make_password(DEMO_PASSWORD)
    generated = members(timezone.get_current_timezone())
    kbli = {k.code: k for k in Kbli.objects.filter(code__in={m.line.kbli for m in generated})}
    for member in generated:
        company, _ = Company.objects.update_or_create(nib=member.nib, defaults={"name": member.company, "npwp": member.npwp})
        Company.objects.filter(pk=company.pk, created_at__gt=member.registered).update(created_at=member.registered)
        factory = Factory.objects.filter(company=company).first() or Factory(company=company)
        factory.name = member.factory_name
        factory.account_type = member.account_type
        factory.address = member.address
        factory.region_id = member.region
        factory.scale = member.scale
        factory.stage = member.stage
        factory.workforce = 0 if member.stage == Factory.Stage.CONSTRUCTION else max(5, round(420 * member.size))
        factory.email = f"{member.key}@demo.siinas.go.id"
        factory.created_at = member.registered
        factory.save()
        factory.kbli.set([kbli[member.line.kbli]] if member.line.kbli else [])
        cast.factories[member.key] = factory
        cast.members[member.key] = member
        cast.users[member.key] = _user(
            member.key, Role.COMPANY, member.company, password=password, factory=factory, is_staff=False, date_joined=member.registered
        )
    cast.logins.append(("akun001…", "Perusahaan", f"{len(cast.members)} akun pabrik lain (akun001–akun{len(cast.members):03d}), password sama"))


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
    """Contact person, head office and the licence (issued when the account registered) of each factory."""
    rng = random.Random(SEED_PROFILES)  # noqa: S311 — deterministic demo data, not security
    for key, factory in sorted(cast.factories.items()):
        member = cast.members.get(key)
        CompanyProfile.objects.update_or_create(
            company=factory.company,
            defaults={"legal_form": factory.company.name.split()[0], "hq_address": factory.address, "hq_region": factory.region},
        )
        contact, position = (member.contact, member.contact_position) if member else (person(rng), "Manajer Umum")
        FactoryContact.objects.update_or_create(
            factory=factory,
            defaults={"name": contact, "position": position, "phone": f"0812{rng.randrange(10**7, 10**8)}", "email": factory.email},
        )
        issued = timezone.localdate(factory.created_at) - timedelta(days=rng.randrange(20, 200))
        number = licence_number(rng, factory.region_id, issued, factory.is_estate)
        Licence.objects.filter(factory=factory).exclude(number=number).delete()
        Licence.objects.update_or_create(
            factory=factory,
            number=number,
            defaults={
                "kind": "Izin Usaha Kawasan Industri (IUKI)" if factory.is_estate else "Izin Usaha Industri (IUI)",
                "issued_on": issued,
                "scale": factory.scale,
            },
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

    from accounts.services import registration_external_check

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
        # As the worker would after a real submission: the UPP queue shows what OSS and KSWP said.
        registration_external_check(registration_id=registration.pk)


def _seed_certificates(cast: DemoCast) -> None:
    from accounts.services import certificate_issue

    factory = cast.factories["indopangan"]
    if not AccountCertificate.objects.filter(factory=factory).exists():
        certificate_issue(actor=cast.users["admin"], factory=factory)
