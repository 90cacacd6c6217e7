"""Demo data of Pohon Industri: a palm-oil chain in validated reports, so the demo graph is real.

Nine factory accounts (``sawit01`` … ``sawit09``) file the closed semesters of the demo history through
the real services, verified and validated like any other (reporting.demo), with HS codes on their
products and raw materials:

    TBS kelapa sawit → CPO (3 mills) → olein and stearin (3 refineries) → minyak goreng sawit (3 plants)
                                                  stearin → margarin (one of those plants: "<3", curated)

Six of them publish a directory profile with the product they make (the chain links to them), and
four curated links complete what the reports show (biodiesel, which no demo factory reports; margarin,
which too few do). The generated accounts that make cooking oil from CPO (accounts.demo_cast, line
10437) report their rows without HS codes under the same names: the graph joins them to the HS nodes
(docs/analisis.md). Idempotent: an account's existing report is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from stdnum import luhn

from accounts.demo import DEMO_PASSWORD, DemoCast, _seed_profiles, _user
from accounts.models import AccountType, Company, Factory, Role, Scale
from analisis.models import CuratedLink
from analisis.pohon import services
from eservice import directory_services as ds
from reporting import services as reporting_services
from reporting.demo import HISTORY, _industry, _scripted_report
from reporting.models import Period
from siinas.core.models import Kbli

TBS = ("Tandan buah segar (TBS) kelapa sawit", "12071090")
CPO = ("Minyak sawit mentah (CPO)", "15111000")
OLEIN = ("Olein sawit (RBD palm olein)", "15119036")
STEARIN = ("Stearin sawit (RBD palm stearin)", "15119042")
MINYAK_GORENG = ("Minyak goreng sawit", "15119037")
MARGARIN = ("Margarin", "15171090")
BIODIESEL = ("Biodiesel (FAME)", "38260010")

# key, company, kab/kota, KBLI, materials, products, size, publishes its product in the directory
FACTORIES = [
    ("sawit01", "PT Sawit Riau Lestari", "14.06", "10431", [TBS], [CPO], 0.8, True),
    ("sawit02", "PT Kampar Agro Mandiri", "14.01", "10431", [TBS], [CPO], 0.6, True),
    ("sawit03", "PT Sanggau Palma Jaya", "61.03", "10431", [TBS], [CPO], 0.5, False),
    ("sawit04", "PT Pekanbaru Refineri Nusantara", "14.71", "10434", [CPO], [OLEIN, STEARIN], 1.5, True),
    ("sawit05", "PT Medan Oleo Perkasa", "12.71", "10434", [CPO], [OLEIN, STEARIN], 1.2, False),
    ("sawit06", "PT Deli Fraksi Sentosa", "12.07", "10434", [CPO], [OLEIN, STEARIN], 0.9, True),
    ("sawit07", "PT Bekasi Minyak Makmur", "32.16", "10437", [OLEIN], [MINYAK_GORENG], 0.6, True),
    ("sawit08", "PT Surya Goreng Abadi", "35.15", "10437", [OLEIN], [MINYAK_GORENG], 0.5, True),
    (
        "sawit09",
        "PT Cahaya Nabati Sejahtera",
        "36.03",
        "10437",
        [OLEIN, STEARIN],
        [MINYAK_GORENG, MARGARIN],
        0.4,
        False,
    ),
]

REFERENCE = "Peta Jalan Pengembangan Industri Hilir Kelapa Sawit (Kementerian Perindustrian)"
CURATED = [
    (TBS, CPO, "Pengolahan TBS di pabrik kelapa sawit (PKS)."),
    (OLEIN, MINYAK_GORENG, "Olein dikemas dan diperkaya vitamin A menjadi minyak goreng sawit."),
    (STEARIN, MARGARIN, "Stearin sebagai bahan lemak padat margarin dan shortening."),
    (CPO, BIODIESEL, "Jalur oleokimia/energi: transesterifikasi menjadi biodiesel (program B40)."),
]
SEED = 20261130


def _npwp(rng: random.Random) -> str:
    first = f"01{rng.randrange(10**6):06d}"
    return f"{first}{luhn.calc_check_digit(first)}{rng.randrange(100, 999)}000"


def _account(
    cast: DemoCast, key: str, company_name: str, region: str, kbli: str, size: float, password: str, rng
):
    registered = timezone.make_aware(dt.datetime(2019, 1 + int(key[-2:]) % 12, 10, 9, 30))
    nib = f"91{int(key[-2:]):02d}0002026{int(key[-2:]):02d}"
    company, _created = Company.objects.update_or_create(
        nib=nib, defaults={"name": company_name, "npwp": _npwp(rng)}
    )
    Company.objects.filter(pk=company.pk, created_at__gt=registered).update(created_at=registered)
    factory = Factory.objects.filter(company=company).first() or Factory(company=company)
    factory.name = "Pabrik Utama"
    factory.account_type = AccountType.A
    factory.address = "Jalan Lintas Industri Km 12"
    factory.region_id = region
    factory.scale = Scale.BESAR if size >= 0.5 else Scale.MENENGAH
    factory.stage = Factory.Stage.PRODUCTION
    factory.workforce = max(20, round(420 * size))
    factory.email = f"{key}@demo.siinas.go.id"
    factory.created_at = registered
    factory.save()
    factory.kbli.set(Kbli.objects.filter(code=kbli))
    user = _user(
        key,
        Role.COMPANY,
        company_name,
        password=password,
        factory=factory,
        is_staff=False,
        date_joined=registered,
    )
    cast.factories[key], cast.users[key] = factory, user
    return factory, user


def _inputs(kbli: str, materials, products, size: float) -> dict[str, dict]:
    inputs = _industry(kbli, [name for name, _hs in products], size, materials[0][0], "Lini pengolahan")
    for row, (_name, hs) in zip(inputs["kapasitas"]["produk"], products, strict=True):
        row["hs_code"] = hs
    template = inputs["bahan_baku"]["bahan"][0]
    inputs["bahan_baku"]["bahan"] = [{**template, "name": name, "hs_code": hs} for name, hs in materials]
    return inputs


def seed(cast: DemoCast) -> None:
    today = timezone.localdate()
    for year in range(today.year - 2, today.year + 1):
        reporting_services.period_create_semesters(actor=None, year=year)
    opened = list(
        Period.objects.filter(period_type=Period.Type.SEMESTER, window_opens__lte=today).order_by(
            "window_opens"
        )
    )
    if len(opened) < 2:
        return
    closed = opened[-HISTORY:-1]  # the closed semesters of reporting.demo's history, oldest first
    verifier, validator = cast.users["verifikator"], cast.users["validator_pangan"]
    password = make_password(DEMO_PASSWORD)
    rng = random.Random(SEED)  # noqa: S311 — deterministic demo data
    for key, company_name, region, kbli, materials, products, size, publish in FACTORIES:
        factory, user = _account(cast, key, company_name, region, kbli, size, password, rng)
        report_type = "industri_produksi" if factory.scale != Scale.KECIL else "industri_produksi_kecil"
        for period in closed:  # a diligent filer: every closed semester validated
            inputs = _inputs(kbli, materials, products, size)
            _scripted_report(
                user, factory, period, report_type, inputs, verifier=verifier, validator=validator
            )
        if publish:
            _publish(user, kbli, products)
    for source, target, note in CURATED:
        if not CuratedLink.objects.filter(source_hs=source[1], target_hs=target[1]).exists():
            services.curated_link_save(
                actor=cast.users["admin"],
                data={"source_name": source[0], "source_hs": source[1], "target_name": target[0], "target_hs": target[1],
                      "note": note, "reference": REFERENCE},
            )  # fmt: skip
    _seed_profiles(DemoCast(factories={key: cast.factories[key] for key, *_rest in FACTORIES}))
    cast.logins.append(
        (
            "sawit01…",
            "Perusahaan",
            f"{len(FACTORIES)} pabrik rantai kelapa sawit (sawit01–sawit{len(FACTORIES):02d}), password sama",
        )
    )


def _publish(user, kbli: str, products) -> None:
    ds.profile_save(
        actor=user,
        data={"is_published": True, "publish_region": True, "publish_kbli": True,
              "description": "Pengolahan kelapa sawit dan turunannya.", "publish_description": True},
    )  # fmt: skip
    profile = ds.profile_of(user.factory)
    for name, hs in products:
        if not profile.products.filter(hs_code=hs).exists():
            ds.product_save(
                actor=user,
                data={"name": name, "description": "", "hs_code": hs, "capacity": "", "kbli": Kbli.objects.filter(code=kbli).first(),
                      "is_published": True},
            )  # fmt: skip
