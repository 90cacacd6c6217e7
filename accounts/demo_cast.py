"""The generated part of the demo cast: about ninety fictional factory accounts registered years back.

Deterministic (seeded RNG). Company names are invented from common Indonesian words; addresses are a
street on the kab/kota of the region table; each account's KBLI 2020 code fits its products (the
catalogue below pairs them); NPWPs carry a valid check digit (python-stdnum); licence numbers follow
the regional DPMPTSP pattern. Nothing here reads "demo": these names end up on printed documents.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from stdnum import luhn

from accounts.models import AccountType, Factory, Scale

SEED = 20170312


@dataclass(frozen=True)
class Line:
    """What a factory makes: its KBLI 5-digit code, products, main raw material and machine."""

    kbli: str
    products: tuple[str, ...]
    material: str
    machine: str
    word: str  # a word of the company name that hints at the trade
    construction: bool = False  # still building its plant (files the construction-stage report)


CATALOGUE: dict[str, list[Line]] = {
    # KBLI division: lines; a division's count of accounts is in ACCOUNTS_PER_DIVISION.
    "10": [
        Line("10616", ("Tepung terigu",), "Gandum", "Mesin penggiling rol", "Pangan"),
        Line("10740", ("Mi instan", "Mi kering"), "Tepung terigu", "Lini pembuat mi", "Boga"),
        Line("10710", ("Roti tawar", "Roti manis"), "Tepung terigu", "Oven terowongan", "Boga"),
        Line("10437", ("Minyak goreng sawit",), "Minyak sawit mentah (CPO)", "Unit fraksinasi", "Agro"),
        Line("10213", ("Udang beku", "Ikan tuna beku"), "Udang segar", "Pembeku lempeng (contact freezer)", "Bahari"),
        Line("10794", ("Keripik singkong", "Kerupuk udang"), "Singkong", "Penggoreng kontinu", "Rasa"),
        Line("10761", ("Kopi bubuk", "Kopi sangrai"), "Biji kopi hijau", "Mesin sangrai kopi", "Kopi"),
        Line("10721", ("Gula kristal putih",), "Tebu", "Gilingan tebu", "Manis"),
        Line("10520", ("Susu kental manis",), "Susu bubuk skim", "Evaporator", "Susu"),
        Line("10772", ("Bumbu masak instan", "Saus sambal"), "Cabai merah", "Mesin pengisi saset", "Rempah"),
        Line("10631", ("Beras giling",), "Gabah kering giling", "Mesin penyosoh beras", "Tani", construction=True),
    ],
    "11": [
        Line("11051", ("Air minum dalam kemasan galon", "Air minum dalam kemasan botol"), "Air pegunungan", "Mesin pengisi botol", "Tirta"),
        Line("11040", ("Minuman teh siap saji",), "Daun teh kering", "Lini pengisian aseptik", "Segar"),
    ],
    "13": [
        Line("13112", ("Benang katun", "Benang poliester"), "Kapas", "Mesin pintal ring", "Tekstil"),
        Line("13121", ("Kain tenun poliester",), "Benang poliester", "Mesin tenun air jet", "Tenun"),
        Line("13134", ("Kain batik cap",), "Kain mori", "Meja cap batik", "Batik"),
        Line("13132", ("Kain celup",), "Kain grey", "Mesin celup jet", "Warna"),
    ],
    "14": [
        Line("14111", ("Kemeja kerja", "Celana panjang"), "Kain katun", "Mesin jahit industri", "Busana"),
        Line("14301", ("Kaus rajut",), "Kain rajut", "Mesin rajut bundar", "Garmen"),
    ],
    "15": [
        Line("15202", ("Sepatu olahraga",), "Kulit sintetis", "Mesin cetak sol", "Langkah"),
        Line("15112", ("Kulit samak sapi",), "Kulit sapi mentah", "Drum penyamakan", "Kulit"),
    ],
    "16": [Line("16211", ("Kayu lapis",), "Kayu bulat sengon", "Mesin kupas (rotary)", "Kayu")],
    "17": [
        Line("17021", ("Karton gelombang",), "Kertas kraft", "Mesin corrugator", "Kemas"),
        Line("17091", ("Kertas tisu",), "Bubur kertas", "Mesin kertas tisu", "Kertas"),
    ],
    "20": [
        Line("20231", ("Sabun cuci", "Deterjen cair"), "Minyak sawit", "Reaktor saponifikasi", "Kimia"),
        Line("20221", ("Cat tembok", "Cat kayu"), "Resin akrilik", "Mesin dispersi", "Warna"),
        Line("20123", ("Pupuk NPK",), "Urea", "Granulator", "Tani", construction=True),
    ],
    "21": [Line("21012", ("Tablet parasetamol", "Sirup obat batuk"), "Parasetamol serbuk", "Mesin cetak tablet", "Farma")],
    "22": [
        Line("22220", ("Botol plastik PET", "Kantong plastik"), "Biji plastik PET", "Mesin tiup botol", "Plastik"),
        Line("22230", ("Pipa PVC",), "Resin PVC", "Mesin ekstrusi pipa", "Pipa"),
        Line("22111", ("Ban sepeda motor",), "Karet alam (SIR 20)", "Mesin vulkanisir", "Karet"),
    ],
    "23": [
        Line("23957", ("Beton siap pakai",), "Semen", "Batching plant", "Beton"),
        Line("23929", ("Ubin keramik",), "Tanah liat", "Tungku pembakar (roller kiln)", "Keramik"),
    ],
    "24": [
        Line("24102", ("Baja tulangan beton",), "Billet baja", "Mesin rolling", "Baja", construction=True),
        Line("24310", ("Coran besi",), "Besi tua", "Tanur induksi", "Cor"),
    ],
    "25": [
        Line("25952", ("Baut dan mur baja",), "Kawat baja", "Mesin cold heading", "Logam"),
        Line("25120", ("Tandon air baja tahan karat",), "Pelat baja tahan karat", "Mesin las otomatis", "Tangki"),
        Line("25112", ("Kusen aluminium",), "Profil aluminium", "Mesin potong aluminium", "Aluminium"),
    ],
    "27": [
        Line("27320", ("Kabel listrik",), "Kawat tembaga", "Mesin ekstrusi kabel", "Kabel"),
        Line("27404", ("Lampu LED",), "Chip LED", "Mesin SMT", "Cahaya"),
    ],
    "28": [Line("28250", ("Mesin pengolah pangan",), "Pelat baja tahan karat", "Mesin bubut CNC", "Teknik")],
    "29": [
        Line("29300", ("Komponen rem kendaraan", "Knalpot"), "Pelat baja", "Mesin press", "Otomotif", construction=True),
    ],
    "31": [Line("31001", ("Meja makan kayu jati", "Lemari kayu"), "Kayu jati", "Mesin amplas", "Mebel")],
    "32": [Line("32112", ("Cincin perak", "Kalung perak"), "Perak batangan", "Mesin poles", "Kriya")],
    "68": [Line("", ("Kavling industri",), "", "", "Kawasan")],  # estates: no manufacturing KBLI
}

# Accounts generated per KBLI division: most publish in IKI, "16" and "32" stay under three respondents
# so the release shows what a suppressed cell looks like.
ACCOUNTS_PER_DIVISION = {
    "10": 20, "11": 5, "13": 8, "14": 7, "15": 4, "16": 2, "17": 4, "20": 6, "21": 3, "22": 6, "23": 4,
    "24": 3, "25": 5, "27": 3, "28": 3, "29": 3, "31": 4, "32": 1, "68": 3,
}  # fmt: skip

# Kab/kota where the accounts sit, by province, with a weight: Jawa Barat first, as in the real register.
REGIONS = {
    "32": (30, ["32.16", "32.16", "32.16", "32.15", "32.15", "32.01", "32.04", "32.14", "32.73", "32.09", "32.17"]),
    "35": (18, ["35.78", "35.15", "35.25", "35.14", "35.16", "35.07"]),
    "33": (14, ["33.74", "33.22", "33.20", "33.19", "33.11", "33.72", "33.24"]),
    "36": (10, ["36.03", "36.71", "36.04", "36.72"]),
    "31": (8, ["31.72", "31.75"]),
    "12": (6, ["12.71", "12.07"]),
    "51": (4, ["51.03", "51.71"]),
    "73": (4, ["73.71", "73.06"]),
    "34": (3, ["34.04", "34.02"]),
    "16": (3, ["16.71"]),
}
STREETS = [
    "Jalan Raya Industri", "Jalan Jenderal Sudirman", "Jalan Ahmad Yani", "Jalan Gatot Subroto", "Jalan Diponegoro",
    "Jalan Raya Narogong", "Jalan Pahlawan", "Jalan Raya Cikampek", "Jalan Veteran", "Jalan Pattimura",
    "Jalan Raya Bypass", "Jalan Imam Bonjol", "Jalan Hasanuddin", "Jalan Raya Pos", "Jalan Tentara Pelajar",
    "Jalan Kartini", "Jalan Raya Serang", "Jalan Teuku Umar", "Jalan Cut Nyak Dien", "Jalan Raya Kalimalang",
]  # fmt: skip
NAME_WORDS = [
    "Sumber", "Cahaya", "Mitra", "Karya", "Bumi", "Putra", "Anugerah", "Nusa", "Surya", "Mega", "Prima", "Tunas",
    "Citra", "Bintang", "Permata", "Harapan", "Samudra", "Dharma", "Wijaya", "Kencana", "Mulia", "Rahayu",
]  # fmt: skip
NAME_ENDINGS = ["Abadi", "Makmur", "Sentosa", "Lestari", "Perkasa", "Mandiri", "Sejahtera", "Gemilang", "Santoso", "Utama", "Jaya", "Raharja"]
FIRST_NAMES = [
    "Agus", "Budi", "Dewi", "Endang", "Fitri", "Hendra", "Indah", "Joko", "Kurniawati", "Lestari", "Made", "Nur",
    "Putu", "Rina", "Slamet", "Teguh", "Wahyu", "Yuliana", "Bambang", "Sri", "Andi", "Ratna", "Hadi", "Siti",
]  # fmt: skip
LAST_NAMES = [
    "Santoso", "Wibowo", "Hidayat", "Siregar", "Nasution", "Kusuma", "Saputra", "Pratama", "Setiawan", "Wulandari",
    "Hakim", "Gunawan", "Sihombing", "Rahmawati", "Purnomo", "Handayani", "Sutrisno", "Lubis", "Halim", "Susanto",
]  # fmt: skip
POSITIONS = ["Manajer Produksi", "Manajer Pabrik", "Kepala Bagian Umum", "Direktur Operasional", "Manajer Keuangan", "Kepala Perencanaan Produksi"]


@dataclass(frozen=True)
class Member:
    """One generated factory account (the company user's username is ``key``)."""

    key: str
    company: str
    nib: str
    npwp: str
    factory_name: str
    address: str
    region: str
    account_type: str
    scale: str
    stage: str
    line: Line
    size: float  # multiplies the report figures; the profile workforce follows it
    registered: dt.datetime
    diligence: float  # 0..1: how reliably the account files on time
    contact: str
    contact_position: str


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def npwp(rng: random.Random) -> str:
    """A 15-digit NPWP: 2-digit taxpayer kind, 6-digit serial, Luhn check digit, KPP code, branch 000."""
    first = f"{rng.choice(['01', '02', '03', '21', '31', '66', '70', '80'])}{rng.randrange(10**6):06d}"
    return f"{first}{luhn.calc_check_digit(first)}{rng.randrange(100, 999)}000"


def _size(rng: random.Random, scale: str) -> float:
    low, high = {Scale.KECIL: (0.01, 0.04), Scale.MENENGAH: (0.1, 0.4), Scale.BESAR: (0.5, 2.5)}[scale]
    return round(rng.uniform(low, high), 3)


def members(tz: dt.tzinfo) -> list[Member]:
    """The generated accounts, always the same list (the regions are only codes: no query here)."""
    rng = random.Random(SEED)  # noqa: S311 — deterministic demo data, not security
    provinces = list(REGIONS)
    weights = [REGIONS[p][0] for p in provinces]
    used: set[str] = set()
    out: list[Member] = []
    for division, count in ACCOUNTS_PER_DIVISION.items():
        for i in range(count):
            line = CATALOGUE[division][i % len(CATALOGUE[division])]
            estate = division == "68"
            while True:
                words = rng.sample(NAME_WORDS, 2 if rng.random() < 0.6 else 1)
                name = " ".join([*words, line.word if rng.random() < 0.7 else rng.choice(NAME_ENDINGS)])
                if estate:
                    name = f"Kawasan Industri {' '.join(words)}"
                if name not in used:
                    used.add(name)
                    break
            small = not estate and rng.random() < 0.3
            form = "CV" if small and rng.random() < 0.6 else "PT"
            scale = Scale.KECIL if small else (Scale.BESAR if estate or rng.random() < 0.45 else Scale.MENENGAH)
            province = rng.choices(provinces, weights)[0]
            region = rng.choice(REGIONS[province][1])
            number = len(out) + 1
            # Registered between 2016 and mid-2024; a handful joined in late 2025 and owe only the newer periods.
            if number % 23 == 0:
                registered = dt.datetime(2025, 10, 1, tzinfo=tz) + dt.timedelta(days=rng.randrange(40))
            else:
                registered = dt.datetime(2016, 1, 4, tzinfo=tz) + dt.timedelta(days=rng.randrange(8 * 365 + 120))
            registered = registered.replace(hour=rng.randrange(8, 16), minute=rng.randrange(60))
            out.append(
                Member(
                    key=f"akun{number:03d}",
                    company=f"{form} {name}",
                    nib=f"{rng.choice(['81', '91', '02', '12'])}{rng.randrange(10**11):011d}",
                    npwp=npwp(rng),
                    factory_name=("Kawasan " if estate else "Pabrik ") + rng.choice(["Utama", "I", "II", "Timur", "Barat", "Selatan"]),
                    address=f"{rng.choice(STREETS)} No. {rng.randrange(1, 250)}" + (f" Km {rng.randrange(2, 40)}" if rng.random() < 0.2 else ""),
                    region=region,
                    account_type=AccountType.B if estate else AccountType.A,
                    scale=scale,
                    stage=Factory.Stage.CONSTRUCTION if line.construction else Factory.Stage.PRODUCTION,
                    line=line,
                    size=_size(rng, scale),
                    registered=registered,
                    diligence=rng.betavariate(4, 1.3),
                    contact=person(rng),
                    contact_position=rng.choice(POSITIONS),
                )
            )
    return out


def licence_number(rng: random.Random, region: str, issued: dt.date, estate: bool) -> str:
    """The pre-OSS regional pattern: 503/<serial>/<IUI|IUKI>/DPMPTSP/<kab/kota code>/<year>."""
    kind = "IUKI" if estate else "IUI"
    return f"503/{rng.randrange(1, 9999):04d}/{kind}/DPMPTSP/{region.replace('.', '')}/{issued.year}"
