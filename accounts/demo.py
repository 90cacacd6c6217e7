"""Demo cast for the embedded default (deterministic; refused under production settings).

Every demo user has the password ``DEMO_PASSWORD``; README lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import AccountType, Company, Factory, Role, Scale, User
from siinas.core.models import Kbli, Region

DEMO_PASSWORD = "Siinas#2026"  # noqa: S105 — documented demo credential, never loaded in production


@dataclass
class DemoCast:
    users: dict[str, User] = field(default_factory=dict)
    factories: dict[str, Factory] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, note)


COMPANIES = [
    # key, company, NIB, NPWP, factory name, address, kab/kota, type, scale, stage, KBLI 5-digit, workforce
    ("indopangan", "PT Indo Pangan", "0233010001824", "013000000000000", "Pabrik Bekasi",
     "Jalan Melati 4, Karangmulya, Bojongmangu", "32.16", AccountType.A, Scale.BESAR, Factory.Stage.PRODUCTION,
     ["10110", "10750"], 420),
    ("indopangan2", "PT Indo Pangan", "0233010001824", "013000000000000", "Pabrik Karawang",
     "Jalan Industri Raya 12, Telukjambe Timur", "32.15", AccountType.A, Scale.MENENGAH, Factory.Stage.PRODUCTION,
     ["10710"], 85),
    ("majutekstil", "PT Maju Tekstil Nusantara", "8120000111222", "021234567890123", "Pabrik Bandung",
     "Jalan Soekarno-Hatta 501, Batununggal", "32.73", AccountType.A, Scale.MENENGAH, Factory.Stage.PRODUCTION,
     ["13111", "14111"], 160),
    ("sinarlogam", "CV Sinar Logam", "9120000333444", "031234567890124", "Bengkel Rungkut",
     "Jalan Rungkut Industri II/7, Rungkut", "35.78", AccountType.A, Scale.KECIL, Factory.Stage.PRODUCTION,
     ["25111"], 18),
    ("kawasanbekasi", "PT Kawasan Industri Cikarang Lestari", "7120000555666", "041234567890125", "Kawasan Cikarang",
     "Jalan Kawasan Industri Blok A1, Cikarang Utara", "32.16", AccountType.B, Scale.BESAR, Factory.Stage.PRODUCTION,
     ["68111"], 45),
    ("bajabaru", "PT Baja Baru Indonesia", "6120000777888", "051234567890126", "Pabrik Cilegon",
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
        cast.logins.append((username, Role(role).label, note))
