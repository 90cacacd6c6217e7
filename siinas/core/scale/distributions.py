"""The shapes of the national-scale data set: where factories are, what they make, how big they are.

Weights are relative (normalised where used). They follow the known skew of Indonesian manufacturing
(BPS industry statistics, order of magnitude only): Java holds about two thirds of the establishments,
Jawa Barat alone a fifth, and each province has a few industrial kabupaten/kota that dwarf the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

# Share of factory accounts per province (Kemendagri code): Jawa Barat, Jawa Timur, Jawa Tengah,
# Banten and DKI Jakarta heavy, eastern Indonesia light. Every one of the 38 provinces has some.
PROVINCE_WEIGHTS: dict[str, float] = {
    "11": 0.8, "12": 4.0, "13": 1.2, "14": 1.8, "15": 0.7, "16": 1.4, "17": 0.3, "18": 1.5, "19": 0.5,
    "21": 2.2, "31": 6.5, "32": 22.0, "33": 14.0, "34": 1.8, "35": 17.0, "36": 8.0, "51": 1.8, "52": 0.9,
    "53": 0.6, "61": 1.0, "62": 0.6, "63": 1.0, "64": 1.3, "65": 0.2, "71": 0.6, "72": 0.6, "73": 2.0,
    "74": 0.4, "75": 0.2, "76": 0.2, "81": 0.3, "82": 0.4, "91": 0.3, "92": 0.3, "93": 0.1, "94": 0.1,
    "95": 0.05, "96": 0.15,
}  # fmt: skip

# Industrial kabupaten/kota: their weight inside the province, every other kab/kota weighing 1
# (a provincial capital "xx.71" weighs 3 unless listed).
HUB_WEIGHTS: dict[str, float] = {
    # Jawa Barat
    "32.16": 14, "32.15": 9, "32.01": 8, "32.04": 7, "32.14": 5, "32.75": 4, "32.73": 4,
    # Banten
    "36.03": 8, "36.71": 6, "36.04": 5, "36.72": 4,
    # Jawa Timur
    "35.15": 8, "35.78": 7, "35.25": 6, "35.14": 5, "35.16": 4,
    # Jawa Tengah
    "33.74": 6, "33.22": 4, "33.19": 4, "33.20": 4, "33.72": 3,
    # DKI Jakarta (the Kepulauan Seribu has next to no industry)
    "31.72": 3, "31.75": 3, "31.73": 2, "31.01": 0.05,
    # elsewhere
    "21.71": 10, "12.71": 6, "12.07": 5, "34.04": 2,
}  # fmt: skip

# Approximate centre of each province (latitude, longitude), for factory coordinates.
PROVINCE_CENTRES: dict[str, tuple[float, float]] = {
    "11": (4.7, 96.7), "12": (2.1, 99.5), "13": (-0.7, 100.6), "14": (0.5, 101.5), "15": (-1.6, 103.6),
    "16": (-3.0, 104.7), "17": (-3.8, 102.3), "18": (-5.1, 105.3), "19": (-2.1, 106.1), "21": (1.0, 104.0),
    "31": (-6.2, 106.85), "32": (-6.9, 107.6), "33": (-7.0, 110.4), "34": (-7.8, 110.4), "35": (-7.5, 112.5),
    "36": (-6.2, 106.2), "51": (-8.4, 115.2), "52": (-8.6, 116.6), "53": (-9.5, 121.0), "61": (0.0, 109.3),
    "62": (-1.7, 113.4), "63": (-3.3, 115.3), "64": (0.5, 116.4), "65": (3.0, 116.6), "71": (1.5, 124.8),
    "72": (-1.0, 121.0), "73": (-4.5, 120.0), "74": (-4.1, 122.5), "75": (0.6, 122.5), "76": (-2.5, 119.2),
    "81": (-3.2, 129.0), "82": (0.8, 127.5), "91": (-2.5, 140.5), "92": (-1.3, 133.2), "93": (-7.0, 139.5),
    "94": (-3.5, 136.0), "95": (-4.0, 138.9), "96": (-0.9, 131.3),
}  # fmt: skip

# Account types (Permenperin 38/2018): industry, estate, other business, government.
ACCOUNT_TYPE_WEIGHTS = {"A": 93.5, "B": 0.7, "C": 5.3, "D": 0.5}
# Scale of industry accounts: many small, fewer medium, a large minority of big plants.
SCALE_WEIGHTS = {"kecil": 50.0, "menengah": 32.0, "besar": 18.0}
# Share of accounts still building their plant (industry) / estate.
CONSTRUCTION_SHARE = {"A": 0.06, "B": 0.25}
SUSPENDED_SHARE = 0.015
LEGAL_FORMS = {"kecil": ("CV", "UD", "PT", "Koperasi"), "menengah": ("PT", "CV"), "besar": ("PT",)}


@dataclass(frozen=True)
class Sector:
    """A KBLI division: its weight among factories, what it makes (name, unit, Rp per unit), what it buys."""

    weight: float
    word: str
    products: tuple[tuple[str, str, int], ...]
    materials: tuple[str, ...]
    hs: tuple[str, ...]


SECTORS: dict[str, Sector] = {
    "10": Sector(26.0, "Pangan", (
        ("Tepung terigu", "ton", 9_500_000), ("Minyak goreng sawit", "ton", 17_000_000), ("Mi instan", "ton", 21_000_000),
        ("Roti tawar", "ton", 28_000_000), ("Gula kristal putih", "ton", 14_000_000), ("Susu bubuk", "ton", 85_000_000),
        ("Kecap manis", "ton", 16_000_000), ("Biskuit", "ton", 32_000_000), ("Ikan kaleng", "ton", 38_000_000),
        ("Sosis sapi", "ton", 60_000_000), ("Kopi bubuk", "ton", 90_000_000), ("Tahu dan tempe", "ton", 9_000_000),
    ), ("Gandum", "Minyak sawit mentah", "Gula mentah", "Garam", "Tepung tapioka", "Kedelai", "Plastik kemasan",
        "Karton kemasan", "Bahan pengawet", "Bumbu"), ("1101", "1511", "1902", "1905", "1701", "0402", "2103", "1604")),
    "11": Sector(1.5, "Minuman", (
        ("Air minum dalam kemasan", "kl", 2_500_000), ("Minuman ringan berkarbonasi", "kl", 9_000_000),
        ("Teh dalam kemasan", "kl", 8_000_000), ("Minuman isotonik", "kl", 11_000_000),
    ), ("Air baku", "Gula", "Konsentrat perisa", "Preform PET", "Tutup botol", "Karton kemasan"), ("2201", "2202")),
    "12": Sector(2.5, "Tembakau", (
        ("Sigaret kretek tangan", "pcs", 600), ("Sigaret kretek mesin", "pcs", 750), ("Tembakau iris", "kg", 180_000),
    ), ("Tembakau rajangan", "Cengkeh", "Kertas sigaret", "Filter", "Saus tembakau"), ("2402", "2403")),
    "13": Sector(8.0, "Tekstil", (
        ("Benang katun", "ton", 45_000_000), ("Benang poliester", "ton", 30_000_000), ("Kain tenun", "m", 25_000),
        ("Kain rajut", "m", 30_000), ("Kain batik", "m", 90_000), ("Karung plastik", "pcs", 3_500),
    ), ("Kapas", "Serat poliester", "Zat warna", "Bahan kimia tekstil", "Benang", "Kanji"), ("5205", "5402", "5208", "6006")),
    "14": Sector(9.0, "Garmen", (
        ("Kemeja", "lusin", 1_200_000), ("Celana panjang", "lusin", 1_500_000), ("Kaos", "lusin", 600_000),
        ("Jaket", "lusin", 2_400_000), ("Seragam kerja", "lusin", 1_800_000), ("Pakaian bayi", "lusin", 500_000),
    ), ("Kain", "Benang jahit", "Kancing", "Ritsleting", "Label", "Plastik kemasan"), ("6205", "6203", "6109", "6201")),
    "15": Sector(2.5, "Kulit", (
        ("Sepatu olahraga", "pcs", 350_000), ("Sepatu kulit", "pcs", 450_000), ("Sandal", "pcs", 60_000),
        ("Tas kulit", "pcs", 400_000), ("Kulit samak", "m2", 180_000),
    ), ("Kulit mentah", "Sol karet", "Lem", "Benang", "Bahan kimia penyamak"), ("6403", "6404", "4202", "4107")),
    "16": Sector(7.0, "Kayu", (
        ("Kayu lapis", "m3", 7_000_000), ("Kayu gergajian", "m3", 4_500_000), ("Pintu kayu", "pcs", 900_000),
        ("Papan partikel", "m3", 4_000_000), ("Pelet kayu", "ton", 2_000_000),
    ), ("Kayu bulat", "Lem urea formaldehida", "Vinir", "Serbuk kayu", "Cat kayu"), ("4412", "4407", "4418", "4410")),
    "17": Sector(1.8, "Kertas", (
        ("Kertas tulis cetak", "ton", 14_000_000), ("Kertas kraft", "ton", 9_000_000), ("Kotak karton", "pcs", 4_000),
        ("Kertas tisu", "ton", 18_000_000),
    ), ("Pulp", "Kertas bekas", "Pati", "Bahan kimia kertas", "Lem"), ("4802", "4804", "4819", "4818")),
    "18": Sector(2.0, "Percetakan", (
        ("Buku cetak", "pcs", 25_000), ("Kemasan cetak", "pcs", 1_500), ("Label cetak", "pcs", 200),
    ), ("Kertas", "Tinta", "Pelat cetak", "Lem"), ("4901", "4821")),
    "19": Sector(0.3, "Migas", (
        ("Kokas", "ton", 6_000_000), ("Aspal", "ton", 8_000_000), ("Minyak pelumas", "kl", 25_000_000),
    ), ("Batu bara", "Minyak mentah", "Aditif"), ("2704", "2713", "2710")),
    "20": Sector(3.5, "Kimia", (
        ("Pupuk NPK", "ton", 8_000_000), ("Cat tembok", "kl", 30_000_000), ("Sabun cuci", "ton", 15_000_000),
        ("Resin sintetis", "ton", 22_000_000), ("Asam sulfat", "ton", 2_500_000), ("Kosmetik", "kg", 150_000),
    ), ("Amonia", "Fosfat", "Pigmen", "Pelarut", "Minyak nabati", "Surfaktan", "Kemasan"), ("3105", "3209", "3402", "3907", "2807")),
    "21": Sector(0.8, "Farmasi", (
        ("Tablet parasetamol", "pcs", 150), ("Sirup obat batuk", "liter", 80_000), ("Jamu serbuk", "kg", 120_000),
        ("Kapsul vitamin", "pcs", 500),
    ), ("Bahan baku obat", "Gelatin", "Laktosa", "Simplisia", "Botol kaca", "Blister"), ("3004", "3003")),
    "22": Sector(5.5, "Plastik", (
        ("Ban kendaraan", "pcs", 700_000), ("Sarung tangan karet", "pcs", 1_000), ("Botol plastik", "pcs", 1_200),
        ("Pipa PVC", "m", 25_000), ("Kantong plastik", "kg", 30_000), ("Karet remah", "ton", 22_000_000),
    ), ("Karet alam", "Resin polietilena", "Resin PVC", "Karbon hitam", "Pigmen", "Bahan aditif"), ("4011", "4015", "3923", "3917", "4001")),
    "23": Sector(8.0, "Mineral", (
        ("Semen portland", "ton", 1_100_000), ("Keramik lantai", "m2", 65_000), ("Kaca lembaran", "m2", 120_000),
        ("Batu bata", "pcs", 800), ("Genteng beton", "pcs", 6_000), ("Beton siap pakai", "m3", 900_000),
    ), ("Batu kapur", "Tanah liat", "Pasir silika", "Gipsum", "Batu bara", "Feldspar"), ("2523", "6907", "7005", "6810")),
    "24": Sector(1.2, "Logam", (
        ("Baja lembaran", "ton", 12_000_000), ("Baja tulangan", "ton", 10_000_000), ("Aluminium batangan", "ton", 38_000_000),
        ("Pipa baja", "ton", 14_000_000),
    ), ("Bijih besi", "Besi tua", "Kokas", "Ferro paduan", "Alumina"), ("7208", "7214", "7601", "7306")),
    "25": Sector(4.5, "Logam", (
        ("Pintu besi", "pcs", 1_500_000), ("Baut dan mur", "kg", 35_000), ("Rangka baja", "ton", 18_000_000),
        ("Peralatan dapur", "pcs", 75_000), ("Kaleng", "pcs", 2_000), ("Pagar besi", "m", 350_000),
    ), ("Pelat baja", "Kawat baja", "Besi siku", "Cat", "Kawat las", "Seng"), ("7308", "7318", "7323", "7310")),
    "26": Sector(1.2, "Elektronik", (
        ("Televisi", "unit", 3_000_000), ("Telepon seluler", "unit", 2_500_000), ("Papan sirkuit", "pcs", 60_000),
        ("Kamera pengawas", "unit", 700_000),
    ), ("Komponen elektronik", "Papan PCB", "Layar panel", "Casing plastik", "Kabel"), ("8528", "8517", "8534", "8525")),
    "27": Sector(1.2, "Listrik", (
        ("Kabel listrik", "m", 12_000), ("Lampu LED", "pcs", 25_000), ("Baterai", "pcs", 8_000),
        ("Transformator", "unit", 80_000_000), ("Kipas angin", "unit", 250_000),
    ), ("Tembaga", "PVC kompon", "Komponen elektronik", "Pelat baja", "Timbal"), ("8544", "8539", "8506", "8504")),
    "28": Sector(1.2, "Mesin", (
        ("Mesin pertanian", "unit", 25_000_000), ("Pompa air", "unit", 1_200_000), ("Mesin pengolah makanan", "unit", 40_000_000),
        ("Boiler", "unit", 350_000_000),
    ), ("Pelat baja", "Besi cor", "Motor listrik", "Bantalan", "Komponen hidrolik"), ("8432", "8413", "8438", "8402")),
    "29": Sector(1.3, "Otomotif", (
        ("Mobil penumpang", "unit", 250_000_000), ("Karoseri", "unit", 150_000_000), ("Komponen rem", "pcs", 150_000),
        ("Knalpot", "pcs", 450_000),
    ), ("Pelat baja", "Komponen mesin", "Kaca", "Cat otomotif", "Ban", "Komponen elektronik"), ("8703", "8707", "8708")),
    "30": Sector(0.8, "Transportasi", (
        ("Sepeda motor", "unit", 18_000_000), ("Kapal kayu", "unit", 900_000_000), ("Sepeda", "unit", 1_500_000),
    ), ("Rangka", "Mesin", "Komponen", "Cat", "Kayu"), ("8711", "8901", "8712")),
    "31": Sector(5.0, "Mebel", (
        ("Kursi kayu", "pcs", 450_000), ("Meja kayu", "pcs", 1_200_000), ("Lemari", "pcs", 2_000_000),
        ("Sofa", "pcs", 3_500_000), ("Mebel rotan", "pcs", 900_000),
    ), ("Kayu olahan", "Rotan", "Busa", "Kain pelapis", "Cat kayu", "Paku dan sekrup"), ("9401", "9403")),
    "32": Sector(2.5, "Aneka", (
        ("Perhiasan emas", "kg", 900_000_000), ("Mainan anak", "pcs", 40_000), ("Alat tulis", "pcs", 3_000),
        ("Alat musik", "unit", 1_500_000), ("Alat kesehatan", "pcs", 60_000),
    ), ("Emas", "Plastik", "Kayu", "Cat", "Kemasan"), ("7113", "9503", "9608", "9207", "9018")),
    "33": Sector(1.0, "Reparasi", (
        ("Jasa reparasi mesin", "unit", 15_000_000), ("Jasa pemasangan mesin", "unit", 40_000_000),
    ), ("Suku cadang", "Pelumas", "Kawat las"), ("8487",)),
}  # fmt: skip

COMPANY_WORDS = (
    "Sinar", "Maju", "Jaya", "Abadi", "Makmur", "Sentosa", "Mandiri", "Nusantara", "Indah", "Karya", "Agung", "Mulia",
    "Prima", "Sejahtera", "Utama", "Perkasa", "Lestari", "Cahaya", "Bumi", "Mitra", "Surya", "Gemilang", "Sukses",
    "Berkah", "Tunggal", "Baru", "Intan", "Harapan", "Sumber", "Anugerah", "Bintang", "Samudra", "Mega", "Putra",
)  # fmt: skip
STREETS = (
    "Raya Industri", "Jend. Sudirman", "Ahmad Yani", "Gatot Subroto", "Diponegoro", "Raya Cikarang", "Kawasan Industri",
    "Pahlawan", "Veteran", "Merdeka", "Imam Bonjol", "Hayam Wuruk", "Raya Bogor", "Siliwangi", "Pemuda",
)  # fmt: skip
FIRST_NAMES = (
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Rudi",
    "Ani",
    "Hendra",
    "Sri",
    "Eko",
    "Rina",
    "Joko",
    "Wati",
    "Dedi",
    "Yuni",
    "Andi",
)
LAST_NAMES = (
    "Santoso",
    "Wijaya",
    "Hidayat",
    "Lestari",
    "Saputra",
    "Kurniawan",
    "Siregar",
    "Nasution",
    "Pratama",
    "Rahayu",
)
MACHINES = ("Mesin produksi", "Mesin pengemas", "Boiler", "Kompresor", "Genset", "Mesin giling", "Oven", "Mesin cetak",
            "Conveyor", "Forklift", "Mesin potong", "Mesin jahit", "Tangki", "Mixer")  # fmt: skip
ESTATE_WORDS = ("Kawasan Industri", "Kawasan Industri Terpadu", "Industrial Estate", "Kawasan Ekonomi")


def normalised(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    """Keys and cumulative weights for ``random.choices(keys, cum_weights=...)``."""
    keys = list(weights)
    total = 0.0
    cumulative = []
    for key in keys:
        total += weights[key]
        cumulative.append(total)
    return keys, cumulative
