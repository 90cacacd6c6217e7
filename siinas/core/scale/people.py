"""Companies, factory accounts with their company users, and the officers who read their data."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_PASSWORD
from accounts.models import (
    Company,
    CompanyProfile,
    Factory,
    FactoryContact,
    Licence,
    Role,
    User,
    location_key,
)
from siinas.core.models import Kbli, Region
from siinas.core.scale import distributions as d
from siinas.core.scale.sink import Sink

PASSWORD = DEMO_PASSWORD
_HASHED: dict[str, str] = {}
PREFIX = "skala_"
# Validators by sector group (Kepmenperin 184/2020 style): two per group; every division is covered.
VALIDATOR_GROUPS = {
    "pangan": ("10", "11", "12"), "tekstil": ("13", "14", "15"), "kayu": ("16", "17", "18", "31"),
    "kimia": ("19", "20", "21", "22"), "mineral": ("23", "24", "25"), "elektronika": ("26", "27", "28"),
    "otomotif": ("29", "30"), "aneka": ("32", "33"),
}  # fmt: skip
SHOWCASE_REGION = "32.16"  # Kabupaten Bekasi: the showcase factories and the measured kab office


def password_hash() -> str:
    """One hash for every generated user (hashing 50,000 passwords would take hours)."""
    if PASSWORD not in _HASHED:
        _HASHED[PASSWORD] = make_password(PASSWORD)
    return _HASHED[PASSWORD]


def totp_key(username: str) -> str:
    """The officer's TOTP secret (hex), derived from the username so a load test can compute codes."""
    return hashlib.sha1(f"siinas-skala:{username}".encode()).hexdigest()  # noqa: S324 — a test fixture, not security


@dataclass(slots=True)
class FactoryRow:
    index: int
    id: int
    company_id: int
    user_id: int
    company_name: str
    nib: str
    name: str
    address: str
    region: str
    region_short: str
    province: str
    scale: str
    account_type: str
    stage: str
    active: bool
    crosses_border: bool
    kbli: list[str]
    divisions: list[str]
    workforce: int
    email: str
    created_at: dt.datetime
    diligence: float
    main_product_index: int
    main_product: str = ""
    username: str = ""
    contact_name: str = ""

    @property
    def expected_types(self) -> bool:
        return self.active and self.account_type in ("A", "B")


@dataclass
class Cast:
    factories: list[FactoryRow]
    officers: dict[str, User]
    kbli_by_division: dict[str, list[str]]
    tenant_pool: list[tuple[str, int]]
    validators: dict[str, list[int]] = field(default_factory=dict)  # KBLI division → its validators' ids

    def reviewers_of(self, factory: FactoryRow, fallback: list[int]) -> list[int]:
        """The validators of the factory's first division that has one (else ``fallback``)."""
        return next((self.validators[d] for d in factory.divisions if d in self.validators), fallback)


def _regions() -> tuple[dict[str, tuple[list[str], list[float]]], dict[str, str]]:
    by_province: dict[str, dict[str, float]] = {}
    names: dict[str, str] = {}
    for code, name, province in (
        Region.objects.exclude(level=Region.Level.PROVINSI)
        .order_by("code")
        .values_list("code", "name", "province_id")
    ):
        weight = d.HUB_WEIGHTS.get(code, 3.0 if code.endswith(".71") else 1.0)
        by_province.setdefault(province, {})[code] = weight
        names[code] = (
            name.replace("Kabupaten Administrasi ", "")
            .replace("Kota Administrasi ", "")
            .replace("Kabupaten ", "")
            .replace("Kota ", "")
        )
    return {p: d.normalised(w) for p, w in by_province.items()}, names


def _diligence(rng: random.Random) -> float:
    """How reliably a factory files: most file every period, a quarter sometimes, a fifth rarely."""
    draw = rng.random()
    if draw < 0.55:
        return rng.uniform(0.92, 1.0)
    if draw < 0.80:
        return rng.uniform(0.5, 0.8)
    return rng.uniform(0.0, 0.25)


def make_factories(sink: Sink, n: int, seed: int, *, now: dt.datetime, oldest_close: dt.date) -> Cast:
    """``n`` factory accounts of companies (a few with several locations), each with its company user."""
    rng = random.Random(f"{seed}:factories")  # noqa: S311 — synthetic data
    regions, short = _regions()
    provinces, province_cum = d.normalised({p: w for p, w in d.PROVINCE_WEIGHTS.items() if p in regions})
    kbli_by_division: dict[str, list[str]] = {}
    for code, division in (
        Kbli.objects.filter(level=Kbli.Level.KELOMPOK).order_by("code").values_list("code", "division_id")
    ):
        kbli_by_division.setdefault(division, []).append(code)
    divisions, division_cum = d.normalised(
        {k: s.weight for k, s in d.SECTORS.items() if k in kbli_by_division}
    )
    types, type_cum = d.normalised(d.ACCOUNT_TYPE_WEIGHTS)
    scales, scale_cum = d.normalised(d.SCALE_WEIGHTS)
    companies = sink.table(Company, ("id", "name", "nib", "npwp", "created_at"))
    profiles = sink.table(
        CompanyProfile,
        (
            "id",
            "company_id",
            "legal_form",
            "phone",
            "website",
            "hq_address",
            "hq_region_id",
            "hq_postal_code",
        ),
    )
    factories = sink.table(
        Factory,
        ("id", "company_id", "name", "account_type", "address", "region_id", "province_id", "location_key", "scale",
         "crosses_regency_border", "stage", "workforce", "status", "email", "created_at"),
    )  # fmt: skip
    kbli_links = sink.table(Factory.kbli.through, ("id", "factory_id", "kbli_id"))
    contacts = sink.table(FactoryContact, ("id", "factory_id", "name", "position", "phone", "email"))
    licences = sink.table(
        Licence, ("id", "factory_id", "kind", "number", "issued_on", "scale", "valid_until")
    )
    users = sink.table(
        User,
        ("id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
         "is_active", "date_joined", "role", "factory_id", "region_id", "phone", "password_changed_at", "must_change_password",
         "nip"),
    )  # fmt: skip
    password = password_hash()
    oldest = timezone.make_aware(dt.datetime.combine(oldest_close, dt.time(12))) - dt.timedelta(days=30)
    rows: list[FactoryRow] = []
    tenant_pool: list[tuple[str, int]] = []
    while len(rows) < n:
        showcase = len(rows) < 2
        account_type = "A" if showcase else rng.choices(types, cum_weights=type_cum)[0]
        scale = "besar" if showcase else rng.choices(scales, cum_weights=scale_cum)[0]
        division = "10" if showcase else rng.choices(divisions, cum_weights=division_cum)[0]
        province = SHOWCASE_REGION[:2] if showcase else rng.choices(provinces, cum_weights=province_cum)[0]
        locations = (
            1
            if showcase or scale == "kecil" or rng.random() > (0.2 if scale == "besar" else 0.06)
            else rng.randint(2, 4)
        )
        legal = rng.choice(d.LEGAL_FORMS[scale])
        words = rng.sample(d.COMPANY_WORDS, k=2)
        sector_word = (
            d.SECTORS[division].word
            if account_type == "A"
            else ("Kawasan Industri" if account_type == "B" else "Niaga")
        )
        company_name = f"{legal} {words[0]} {words[1]} {sector_word}"
        company_id = companies.new_id()
        nib = f"9{company_id:012d}"
        # most accounts predate every period asked for; a few registered during them
        created = (
            oldest - dt.timedelta(days=rng.randint(0, 3650))
            if rng.random() > 0.03
            else oldest + (now - oldest) * rng.random()
        )
        if showcase:
            created = oldest - dt.timedelta(days=2000)
        companies.add((company_id, company_name, nib, f"09{company_id:013d}", created))
        hq_region = None
        stage = (
            "pembangunan"
            if not showcase
            and account_type in d.CONSTRUCTION_SHARE
            and rng.random() < d.CONSTRUCTION_SHARE[account_type]
            else "produksi"
        )
        codes = [rng.choice(kbli_by_division[division])]
        if account_type == "B":
            codes = []
        else:
            draw = rng.random()
            if draw < 0.30:
                other = (
                    division if rng.random() < 0.7 else rng.choices(divisions, cum_weights=division_cum)[0]
                )
                codes.append(rng.choice(kbli_by_division[other]))
            if draw < 0.05:
                codes.append(
                    rng.choice(kbli_by_division[rng.choices(divisions, cum_weights=division_cum)[0]])
                )
            codes = list(dict.fromkeys(codes))
        for _location in range(locations):
            if len(rows) >= n:
                break
            if showcase:
                region = SHOWCASE_REGION
            else:
                if _location and rng.random() > 0.6:
                    province = rng.choices(provinces, cum_weights=province_cum)[0]
                keys, cum = regions[province]
                region = rng.choices(keys, cum_weights=cum)[0]
            hq_region = hq_region or region
            index = len(rows)
            factory_id = factories.new_id()
            street = f"Jl. {rng.choice(d.STREETS)} No. {rng.randint(1, 300)}"
            address = f"{street}, {short[region]}"
            workforce = {
                "kecil": rng.randint(5, 19),
                "menengah": rng.randint(20, 99),
                "besar": rng.randint(100, 3_000),
            }[scale]
            if account_type == "B":
                workforce = rng.randint(15, 120)
            active = showcase or rng.random() > d.SUSPENDED_SHARE
            username = f"{PREFIX}p{index + 1:06d}"
            email = f"{username}@skala.invalid"
            row = FactoryRow(
                index=index, id=factory_id, company_id=company_id, user_id=users.new_id(), company_name=company_name, nib=nib,
                name=f"Pabrik {short[region]}" if account_type != "B" else f"Kawasan {short[region]}", address=address,
                region=region, region_short=short[region], province=region[:2], scale=scale, account_type=account_type,
                stage=stage, active=active, crosses_border=account_type == "B" and rng.random() < 0.2, kbli=codes,
                divisions=list(dict.fromkeys(c[:2] for c in codes)), workforce=workforce, email=email, created_at=created,
                diligence=1.0 if showcase else _diligence(rng), main_product_index=(main := rng.randrange(len(d.SECTORS[division].products))),
                main_product=d.SECTORS[division].products[main][0], username=username,
            )  # fmt: skip
            factories.add(
                (factory_id, company_id, row.name, account_type, address, region, row.province, location_key(address, region), scale,
                 row.crosses_border, stage, workforce, "aktif" if active else "nonaktif", email, created)
            )  # fmt: skip
            for code in codes:
                kbli_links.add((kbli_links.new_id(), factory_id, code))
            first, last = rng.choice(d.FIRST_NAMES), rng.choice(d.LAST_NAMES)
            row.contact_name = f"{first} {last}"
            phone = f"08{rng.randint(100_000_000, 999_999_999)}"
            contacts.add((contacts.new_id(), factory_id, row.contact_name, "Manajer Pabrik", phone, email))
            kind = (
                "Perizinan Berusaha Industri (IUI)"
                if account_type == "A"
                else "Izin Usaha Kawasan Industri (IUKI)"
            )
            licences.add(
                (
                    licences.new_id(),
                    factory_id,
                    kind,
                    f"IUI-{nib}-{index % 100:02d}",
                    created.date(),
                    scale,
                    None,
                )
            )
            users.add(
                (row.user_id, password, None, False, username, first, last, email, False, True, created, Role.COMPANY, factory_id,
                 None, phone, now, False, "")
            )  # fmt: skip
            rows.append(row)
            if account_type == "A" and rng.random() < 0.1:
                tenant_pool.append((nib, company_id))
        profiles.add(
            (
                profiles.new_id(),
                company_id,
                legal,
                f"021{rng.randint(1_000_000, 9_999_999)}",
                "",
                rows[-1].address,
                hq_region,
                f"{rng.randint(10_000, 99_999)}",
            )
        )
    return Cast(factories=rows, officers={}, kbli_by_division=kbli_by_division, tenant_pool=tenant_pool)


def make_officers(cast: Cast, *, now: dt.datetime) -> dict[str, User]:
    """Verifiers, validators per sector group, a Pemda office per province and for the busiest kab/kota,
    UPP, K/L and an admin; each with a confirmed TOTP device (``totp_key``)."""
    password = password_hash()
    counts: dict[str, int] = {}
    for f in cast.factories:
        counts[f.region] = counts.get(f.region, 0) + 1
    busiest = sorted(counts, key=lambda code: (-counts[code], code))[:10]
    kab_offices = sorted({SHOWCASE_REGION, *busiest})
    provinces = sorted(Region.objects.filter(level=Region.Level.PROVINSI).values_list("code", flat=True))
    specs: list[tuple[str, str, str | None, tuple[str, ...]]] = [(f"{PREFIX}admin", Role.ADMIN, None, ())]
    specs += [(f"{PREFIX}verifikator_{i:02d}", Role.VERIFIER, None, ()) for i in range(1, 13)]
    specs += [
        (f"{PREFIX}validator_{group}_{i}", Role.VALIDATOR, None, divs)
        for group, divs in VALIDATOR_GROUPS.items()
        for i in (1, 2)
    ]
    specs += [(f"{PREFIX}pemda_{code}", Role.PEMDA_PROV, code, ()) for code in provinces]
    specs += [(f"{PREFIX}pemda_{code.replace('.', '_')}", Role.PEMDA_KAB, code, ()) for code in kab_offices]
    specs += [(f"{PREFIX}upp_{i}", Role.UPP, None, ()) for i in (1, 2)]
    specs += [(f"{PREFIX}mitra_kl", Role.KL, None, ())]
    users = User.objects.bulk_create(
        [
            User(username=name, password=password, role=role, region_id=region, email=f"{name}@skala.invalid", is_staff=role == Role.ADMIN,
                 first_name=name.removeprefix(PREFIX).replace("_", " ").title(), password_changed_at=now, date_joined=now)
            for name, role, region, _divs in specs
        ]
    )  # fmt: skip
    if users and users[0].pk is None:
        users = list(User.objects.filter(username__in=[s[0] for s in specs]).order_by("pk"))
    by_name = {u.username: u for u in users}
    for name, _role, _region, divs in specs:
        for division in divs:
            cast.validators.setdefault(division, []).append(by_name[name].pk)
    through = User.kbli_divisions.through
    through.objects.bulk_create(
        [through(user_id=by_name[name].pk, kbli_id=div) for name, _r, _g, divs in specs for div in divs]
    )
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user=u, name="default", confirmed=True, key=totp_key(u.username)) for u in users]
    )
    cast.officers = by_name
    return by_name
