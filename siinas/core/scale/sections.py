"""The content of each report section, as the section models store it and the version snapshot shows it.

A factory's ``Profile`` (its products, materials, machines, workforce, land …) is drawn once from the
factory's own random stream; each period's values move around it within bounds that the project's
section rules accept without an explanation: production stays under the installed capacity for the
period, no product or workforce total moves more than 50 % from the previous period, fixed capital
never falls, sales never exceed production, every export has a destination and a USD rate, every
import a country, every B3 waste a licensed handler. ``load_scale`` proves it on a sample with the
real submit checks.

Values are JSON-ready exactly as ``reporting.sections.base.to_json`` renders stored data: decimals as
canonical strings ("4000", "12.5"), integers as ints, dates as ISO strings. The same values are written
to the section tables and into the version snapshot.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from reporting.sections.choices import FOREIGN_COUNTRIES, BuildStage, FacilityKind
from siinas.core.scale.distributions import ESTATE_WORDS, MACHINES, PROVINCE_CENTRES, SECTORS

FOREIGN = [code for code, _label in FOREIGN_COUNTRIES if code != "ZZ"]
MACHINE_COUNTRIES = ["ID", "ID", "CN", "JP", "DE", "KR", "TW", "IT", "US"]


def ri(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint`` without its argument checks: the profile draws a few hundred numbers per factory."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: random.Random, items):
    return items[int(rng.random() * len(items))]


def dec(value: float, places: int = 3) -> str:
    """A decimal as ``to_json`` prints the stored value: no exponent, no trailing zeros."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(slots=True)
class Product:
    name: str
    kbli: str
    unit: str
    price: int
    capacity: int
    hs: str
    export_share: float
    utilisation: float


@dataclass(slots=True)
class MaterialBase:
    name: str
    hs: str
    kind: str
    origin: str
    country: str
    quantity: int
    unit: str
    unit_value: int


@dataclass(slots=True)
class Profile:
    """What stays the same about a factory from one report to the next (drawn once per factory)."""

    products: list[Product] = field(default_factory=list)
    materials: list[MaterialBase] = field(default_factory=list)
    machines: list[dict] = field(default_factory=list)
    fuels: list[tuple[str, str, int, int]] = field(default_factory=list)
    waters: list[tuple[str, int]] = field(default_factory=list)
    wastes: list[dict] = field(default_factory=list)
    parts: dict[str, int] = field(default_factory=dict)
    wna_countries: list[str] = field(default_factory=list)
    capital: dict[str, int] = field(default_factory=dict)
    growth: float = 0.0
    foreign_pct: int = 0
    owners: list[tuple[str, int]] = field(default_factory=list)
    land: dict = field(default_factory=dict)
    energy_kwh: int = 0
    own_kw: int = 0
    environment: dict = field(default_factory=dict)
    indi: dict | None = None
    expenditure: dict = field(default_factory=dict)
    commercial_start: str = ""
    stages: list[str] = field(default_factory=list)
    estate: dict = field(default_factory=dict)
    tenants: list[dict] = field(default_factory=list)


def _hs(rng: random.Random, headings: tuple[str, ...]) -> str:
    return f"{pick(rng, headings)}{ri(rng, 0, 99):02d}{pick(rng, ('00', '10', '90'))}"


def _split(total: int, weights: list[float]) -> list[int]:
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    parts[0] += total - sum(parts)
    return parts


def industry_profile(rng: random.Random, factory, today: dt.date) -> Profile:
    """A production or construction-stage industry factory (account type A)."""
    sector = SECTORS[factory.divisions[0]]
    p = Profile()
    scale = factory.scale
    big_tail = scale == "besar" and rng.random() < 0.05
    n_products = {"kecil": ri(rng, 1, 4), "menengah": ri(rng, 2, 9), "besar": ri(rng, 3, 16)}[scale]
    if big_tail:
        n_products = ri(rng, 16, 40)
    if factory.index == 0:
        n_products = 5
    capacity_range = {"kecil": (100, 2_000), "menengah": (2_000, 30_000), "besar": (30_000, 600_000)}[scale]
    own_codes = [c for c in factory.kbli if c[:2] == factory.divisions[0]] or factory.kbli
    names = sector.products
    start = factory.main_product_index
    for i in range(n_products):
        base, unit, price = names[(start + i) % len(names)]
        round_no = i // len(names)
        name = base if round_no == 0 else f"{base} varian {round_no + 1}"
        exported = scale != "kecil" and rng.random() < 0.25
        p.products.append(
            Product(
                name=name,
                kbli=pick(rng, own_codes),
                unit=unit,
                price=price,
                capacity=ri(rng, *capacity_range),
                hs=_hs(rng, sector.hs) if rng.random() < 0.7 else "",
                export_share=rng.uniform(0.1, 0.5) if exported else 0.0,
                utilisation=rng.uniform(0.45, 0.85),
            )
        )
    n_materials = {"kecil": ri(rng, 4, 12), "menengah": ri(rng, 6, 20), "besar": ri(rng, 12, 40)}[scale]
    if big_tail or (scale == "besar" and rng.random() < 0.05):
        n_materials = ri(rng, 40, 60)
    if factory.index == 0:  # the showcase: section forms measured at 5 and 50 rows (bench_pages)
        n_materials = 50
    volume = {"kecil": (10, 500), "menengah": (200, 8_000), "besar": (5_000, 200_000)}[scale]
    for i in range(n_materials):
        base = sector.materials[i % len(sector.materials)]
        round_no = i // len(sector.materials)
        imported = rng.random() < 0.25
        p.materials.append(
            MaterialBase(
                name=base if round_no == 0 else f"{base} mutu {round_no + 1}",
                hs=_hs(rng, sector.hs) if rng.random() < 0.5 else "",
                kind="baku" if i % 3 != 2 else "penolong",
                origin="impor" if imported else "domestik",
                country=pick(rng, FOREIGN) if imported else "",
                quantity=ri(rng, *volume),
                unit=pick(rng, ("ton", "ton", "kg", "liter", "m3")),
                unit_value=ri(rng, 200_000, 20_000_000),
            )
        )
    n_machines = {"kecil": ri(rng, 1, 3), "menengah": ri(rng, 2, 6), "besar": ri(rng, 4, 10)}[scale]
    for i in range(n_machines):
        p.machines.append(
            {
                "name": f"{MACHINES[i % len(MACHINES)]} {i + 1}",
                "count": ri(rng, 1, 20),
                "country": pick(rng, MACHINE_COUNTRIES),
                "year_made": ri(rng, 1995, today.year),
                "condition": pick(rng, ("baru", "baru", "bekas", "rekondisi")),
                "capacity": str(ri(rng, 1, 500)),
                "capacity_unit": pick(rng, ("ton_hari", "unit", "kw")),
                "value": str(ri(rng, 50, 20_000) * 1_000_000),
            }
        )
    fuel_kinds = rng.sample(
        [("solar", "liter"), ("gas_bumi", "mmbtu"), ("batubara", "ton"), ("lpg", "kg")], k=ri(rng, 0, 2)
    )
    p.fuels = [(kind, unit, ri(rng, 100, 200_000), ri(rng, 5_000, 20_000)) for kind, unit in fuel_kinds]
    p.waters = [
        (source, ri(rng, 100, 400_000))
        for source in rng.sample(["pdam", "air_tanah", "air_permukaan"], k=ri(rng, 1, 2))
    ]
    for kind in rng.sample(["cair", "padat", "b3", "emisi"], k=ri(rng, 0, 3)):
        licensed = kind == "b3" or rng.random() < 0.3
        p.wastes.append(
            {
                "kind": kind,
                "volume": str(ri(rng, 1, 5_000)),
                "unit": "ton" if kind != "cair" else "m3",
                "treatment": "pihak_ketiga"
                if licensed
                else pick(rng, ("ipal_sendiri", "daur_ulang", "lainnya")),
                "handler": f"PT Pengelola Limbah {pick(rng, ('Prima', 'Lestari', 'Hijau'))}"
                if licensed
                else "",
                "own_permit": False,
            }
        )
    total = {"kecil": ri(rng, 5, 19), "menengah": ri(rng, 20, 99), "besar": ri(rng, 100, 3_000)}[scale]
    if factory.stage == "pembangunan":
        total = max(3, total // 5)
    prod, nonprod = _split(total, [rng.uniform(0.6, 0.85), 0.2])
    p.parts = dict.fromkeys(("prod_male_wna", "prod_female_wna", "nonprod_male_wna", "nonprod_female_wna"), 0)
    p.parts["prod_male_wni"], p.parts["prod_female_wni"] = _split(prod, [rng.uniform(0.3, 0.7), 0.4])
    p.parts["nonprod_male_wni"], p.parts["nonprod_female_wni"] = _split(nonprod, [0.55, 0.45])
    if scale == "besar" and rng.random() < 0.1:
        p.parts["prod_male_wna"] = ri(rng, 1, 8)
        p.parts["nonprod_male_wna"] = ri(rng, 1, 5)
        p.wna_countries = rng.sample(["CN", "JP", "KR", "IN", "MY"], k=ri(rng, 1, 2))
    capital = {"kecil": 200_000_000, "menengah": 5_000_000_000, "besar": 150_000_000_000}[scale]
    p.capital = {
        name: int(capital * rng.uniform(0.2, 1.5))
        for name in ("land", "buildings", "machinery", "other_fixed", "working_capital")
    }
    p.growth = rng.uniform(0.0, 0.05)
    if scale != "kecil" and rng.random() < 0.12:
        p.foreign_pct = pick(rng, (30, 49, 51, 67, 85, 100))
        countries = rng.sample(["JP", "KR", "CN", "SG", "TW", "MY", "US", "DE"], k=ri(rng, 1, 2))
        first = p.foreign_pct if len(countries) == 1 else p.foreign_pct * 2 // 3
        p.owners = [(countries[0], first)] + (
            [(countries[1], p.foreign_pct - first)] if len(countries) == 2 else []
        )
    land = {"kecil": (100, 2_000), "menengah": (2_000, 30_000), "besar": (20_000, 500_000)}[scale]
    lat, lon = PROVINCE_CENTRES[factory.province]
    land_area = ri(rng, *land)
    in_estate = scale != "kecil" and rng.random() < 0.2
    p.land = {
        "land_area_m2": str(land_area),
        "building_area_m2": str(int(land_area * rng.uniform(0.2, 0.8))),
        "land_status": pick(rng, ("milik", "milik", "sewa", "lainnya")),
        "in_estate": in_estate,
        "estate_name": f"{pick(rng, ESTATE_WORDS)} {factory.region_short}" if in_estate else "",
        "latitude": dec(lat + rng.uniform(-0.2, 0.2), 4),
        "longitude": dec(lon + rng.uniform(-0.2, 0.2), 4),
    }
    p.energy_kwh = {
        "kecil": ri(rng, 5_000, 50_000),
        "menengah": ri(rng, 50_000, 1_000_000),
        "besar": ri(rng, 1_000_000, 20_000_000),
    }[scale]
    p.own_kw = pick(rng, (0, 0, 0, ri(rng, 100, 5_000)))
    document = {"kecil": "sppl", "menengah": "ukl_upl", "besar": "amdal"}[scale]
    issued = factory.created_at.date() - dt.timedelta(days=ri(rng, 30, 400))
    p.environment = {
        "document": document,
        "document_number": f"660/{ri(rng, 1, 999)}/DLH/{issued.year}",
        "document_date": issued.isoformat(),
    }
    draw = rng.random()
    if draw < 0.4:
        p.indi = {"score": dec(rng.uniform(1.0, 3.6), 2), "assessment_year": ri(rng, 2019, today.year)}
    elif draw < 0.7:
        p.indi = {"score": None, "assessment_year": None}
    p.expenditure = {name: rng.uniform(0.02, 0.6) for name in ("wages", "raw_materials", "energy", "other")}
    p.commercial_start = (today + dt.timedelta(days=ri(rng, 120, 900))).isoformat()
    p.stages = [s.value for s in BuildStage][: ri(rng, 1, 4)]
    return p


def estate_profile(
    rng: random.Random, factory, today: dt.date, tenant_pool: list[tuple[str, int]], kbli_codes: list[str]
) -> Profile:
    """An industrial estate (account type B): land, utilities and, once commercial, its tenants."""
    p = Profile()
    total = ri(rng, 15, 120)
    p.parts = dict.fromkeys(
        (
            "prod_male_wni",
            "prod_female_wni",
            "prod_male_wna",
            "prod_female_wna",
            "nonprod_male_wna",
            "nonprod_female_wna",
        ),
        0,
    )
    p.parts["nonprod_male_wni"], p.parts["nonprod_female_wni"] = _split(total, [0.65, 0.35])
    licensed = ri(rng, 50, 3_000)
    developed = int(licensed * rng.uniform(0.3, 0.95))
    industrial = int(developed * rng.uniform(0.5, 0.75))
    sold = int(industrial * rng.uniform(0.2, 0.8))
    planned = ri(rng, 500, 20_000) * 1_000_000_000
    own = ri(rng, 20, 70)
    domestic = ri(rng, 0, 100 - own)
    foreign = ri(rng, 0, 100 - own - domestic)
    p.estate = {
        "planned_total": planned,
        "realised": {name: int(planned * rng.uniform(0.02, 0.15)) for name in ("land", "infrastructure", "buildings", "other")},
        "financing": {"unit": "persen", "own_capital": str(own), "domestic_loans": str(domestic), "foreign_loans": str(foreign),
                      "other": str(100 - own - domestic - foreign)},
        "land": {"licensed_ha": str(licensed), "developed_ha": str(developed), "industrial_ha": str(industrial), "sold_ha": str(sold),
                 "available_ha": str(int((industrial - sold) * rng.uniform(0.3, 1.0))), "available_count": ri(rng, 5, 300),
                 "green_ha": str(int(licensed * 0.1))},
        "facilities": [
            {"kind": kind, "capacity": str(ri(rng, 5, 20_000)), "unit": pick(rng, ("km", "m3_hari", "mva", "unit")),
             "status": pick(rng, ("beroperasi", "beroperasi", "dibangun", "rencana"))}
            for kind in rng.sample([k.value for k in FacilityKind], k=ri(rng, 3, 8))
        ],
        "energy": {"electricity_mva": str(ri(rng, 20, 600)), "electricity_source": "PLN",
                   "gas_mmbtu": str(pick(rng, (0, ri(rng, 10_000, 900_000)))), "gas_source": "PGN"},
        "water": (dec(rng.uniform(0.2, 3.0), 2), "m3_detik", pick(rng, ("Sungai setempat", "Waduk", "PDAM"))),
    }  # fmt: skip
    for i in range(ri(rng, 5, 60) if factory.stage == "produksi" else 0):
        linked = tenant_pool and rng.random() < 0.5
        nib, company_id = pick(rng, tenant_pool) if linked else ("", None)
        pma = rng.random() < 0.3
        p.tenants.append(
            {
                "name": f"PT Tenant {factory.region_short} {i + 1}",
                "nib": nib,
                "kbli_code": pick(rng, kbli_codes),
                "land_ha": dec(rng.uniform(0.5, 40), 1),
                "status": pick(rng, ("beroperasi", "beroperasi", "konstruksi", "belum_dibangun")),
                "investment": str(ri(rng, 1, 2_000) * 1_000_000_000),
                "workforce": ri(rng, 0, 3_000),
                "ownership": "pma" if pma else "pmdn",
                "country": pick(rng, FOREIGN[:12]) if pma else "",
                "company_id": company_id,
            }
        )
    return p


# --- one period's values --------------------------------------------------------------------------


def _workforce(p: Profile, rng: random.Random, construction: bool) -> tuple[dict, dict]:
    parts = {
        name: (round(n * rng.uniform(0.93, 1.07)) if n and not name.endswith("_wna") else n)
        for name, n in p.parts.items()
    }
    total = sum(parts.values())
    header = {
        **parts,
        "total": total,
        "planned_total": total * 3 if construction else None,
        "explanation": "",
    }
    wna = sum(
        parts[n] for n in ("prod_male_wna", "prod_female_wna", "nonprod_male_wna", "nonprod_female_wna")
    )
    rows = []
    if wna:
        split = _split(wna, [1.0] * len(p.wna_countries))
        rows = [{"country": c, "count": n} for c, n in zip(p.wna_countries, split, strict=True) if n]
    return header, {"wna": rows}


def _investment(p: Profile, rng: random.Random, k: int) -> tuple[dict, dict]:
    grow = (1 + p.growth) ** k
    header = {
        name: str(int(p.capital[name] * grow)) for name in ("land", "buildings", "machinery", "other_fixed")
    }
    header["working_capital"] = str(int(p.capital["working_capital"] * rng.uniform(0.9, 1.1)))
    header["ownership"] = "pma" if p.foreign_pct else "pmdn"
    header["domestic_pct"] = str(100 - p.foreign_pct)
    header["foreign_pct"] = str(p.foreign_pct)
    header["explanation"] = ""
    return header, {"asing": [{"country": c, "pct": str(n)} for c, n in p.owners]}


def _production(p: Profile, rng: random.Random) -> list[tuple[Product, int]]:
    return [
        (prod, round(prod.capacity * 0.5 * prod.utilisation * rng.uniform(0.87, 1.13))) for prod in p.products
    ]


def industry_values(
    p: Profile, k: int, rng: random.Random, *, construction: bool, usd_rate: int
) -> dict[str, tuple]:
    """Every industry section for period number ``k`` (0 = the oldest): code → (header, rows)."""
    made = _production(p, rng)
    out: dict[str, tuple] = {
        "tenaga_kerja": _workforce(p, rng, construction),
        "investasi": _investment(p, rng, k),
        "lahan": (dict(p.land), {}),
        "kapasitas": (None, {"produk": [
            {"name": x.name, "hs_code": x.hs, "kbli_code": x.kbli, "unit": x.unit, "capacity": str(x.capacity)} for x in p.products
        ]}),
        "bahan_baku": (None, {"bahan": [
            {"name": m.name, "hs_code": m.hs, "kind": m.kind, "origin": m.origin, "country": m.country,
             "quantity": str(q := round(m.quantity * rng.uniform(0.85, 1.15))), "unit": m.unit, "value": str(q * m.unit_value)}
            for m in p.materials
        ]}),
        "mesin": (None, {"mesin": [dict(m) for m in p.machines]}),
        "energi": (
            {"pln_kwh": str(round(p.energy_kwh * rng.uniform(0.85, 1.15))), "own_kwh": str(p.own_kw * 1_000),
             "own_installed_kw": str(p.own_kw), "sold_kwh": "0"},
            {"bbm": [{"kind": kind, "quantity": str(q), "unit": unit, "value": str(q * price)} for kind, unit, q, price in p.fuels],
             "air": [{"source": s, "volume_m3": str(round(v * rng.uniform(0.9, 1.1)))} for s, v in p.waters]},
        ),
        "lingkungan": (dict(p.environment), {"limbah": [dict(w) for w in p.wastes]}),
    }  # fmt: skip
    if construction:
        # earlier stages further along, every stage moving on a little each period
        progress = [max(0, min(100, 100 - 35 * i + 15 * k)) for i in range(len(p.stages))]
        out["rencana_pembangunan"] = (
            {"commercial_start": p.commercial_start, "explanation": ""},
            {
                "tahap": [
                    {"stage": s, "pct_complete": str(n)} for s, n in zip(p.stages, progress, strict=True)
                ]
            },
        )
        return out
    out["produksi"] = (None, {"produksi": [
        {"product": x.name, "quantity": str(q), "unit": x.unit, "value": str(q * x.price), "explanation": ""} for x, q in made
    ]})  # fmt: skip
    sales, destinations = [], []
    for x, q in made:
        sold = round(q * rng.uniform(0.85, 1.0))
        export = round(sold * x.export_share)
        usd = round(export * x.price / usd_rate, 2)
        sales.append(
            {"product": x.name, "domestic_qty": str(sold - export), "domestic_value": str((sold - export) * x.price),
             "export_qty": str(export), "export_value_usd": dec(usd, 2), "export_value": str(round(usd * usd_rate)),
             "stock_change": "0", "explanation": ""}
        )  # fmt: skip
        if export:
            destinations.append({"product": x.name, "country": pick(rng, FOREIGN), "quantity": str(export)})
    any_export = any(s["export_qty"] != "0" for s in sales)
    out["pemasaran"] = (
        {"usd_rate": str(usd_rate) if any_export else None},
        {"penjualan": sales, "tujuan": destinations},
    )
    revenue = sum(q * x.price for x, q in made) or 1
    out["pengeluaran"] = ({name: str(int(revenue * share)) for name, share in p.expenditure.items()}, {})
    if p.indi is not None:
        out["indi"] = (dict(p.indi), {})
    return out


def estate_values(p: Profile, k: int, rng: random.Random, *, commercial: bool) -> dict[str, tuple]:
    e = p.estate
    grow = 1 + 0.05 * k
    used_capacity, unit, source = e["water"]
    out: dict[str, tuple] = {
        "ki_investasi": ({"planned_total": str(e["planned_total"]), **{n: str(int(v * grow)) for n, v in e["realised"].items()}}, {}),
        "ki_pembiayaan": (dict(e["financing"]), {}),
        "ki_lahan": (dict(e["land"]), {}),
        "ki_sarana": (None, {"sarana": [dict(f) for f in e["facilities"]]}),
        "ki_energi": (dict(e["energy"]), {}),
        "ki_air": ({"capacity": used_capacity, "capacity_unit": unit, "source": source,
                    "used": dec(float(Decimal(used_capacity)) * rng.uniform(0.3, 0.9), 2)}, {}),
        "tenaga_kerja": _workforce(p, rng, not commercial),
    }  # fmt: skip
    if commercial:
        out["ki_tenant"] = (None, {"tenant": [dict(t) for t in p.tenants]})
    return out
