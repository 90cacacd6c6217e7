"""Value lists used by the section models (units, countries, kinds). Codes are stored, labels shown."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    TON = "ton", "ton"
    KG = "kg", "kg"
    LITER = "liter", "liter"
    KILOLITER = "kl", "kiloliter"
    M3 = "m3", "m³"
    M2 = "m2", "m²"
    M = "m", "meter"
    HA = "ha", "ha"
    UNIT = "unit", "unit"
    SET = "set", "set"
    PCS = "pcs", "pcs"
    LUSIN = "lusin", "lusin"
    KWH = "kwh", "kWh"
    MWH = "mwh", "MWh"
    KW = "kw", "kW"
    MW = "mw", "MW"
    MVA = "mva", "MVA"
    MMBTU = "mmbtu", "MMBTU"
    M3_PER_DAY = "m3_hari", "m³/hari"
    M3_PER_SECOND = "m3_detik", "m³/detik"
    LITER_PER_SECOND = "l_detik", "liter/detik"
    TON_PER_DAY = "ton_hari", "ton/hari"
    KM = "km", "km"


# ISO 3166-1 alpha-2 of Indonesia's main trading and investment partners; "ZZ" for any other.
COUNTRIES = [
    ("ID", "Indonesia"), ("AE", "Uni Emirat Arab"), ("AU", "Australia"), ("BD", "Bangladesh"), ("BE", "Belgia"),
    ("BR", "Brasil"), ("CA", "Kanada"), ("CH", "Swiss"), ("CN", "Tiongkok"), ("DE", "Jerman"), ("EG", "Mesir"),
    ("ES", "Spanyol"), ("FR", "Prancis"), ("GB", "Inggris"), ("HK", "Hong Kong"), ("IN", "India"), ("IT", "Italia"),
    ("JP", "Jepang"), ("KR", "Korea Selatan"), ("MM", "Myanmar"), ("MY", "Malaysia"), ("NL", "Belanda"),
    ("NZ", "Selandia Baru"), ("PH", "Filipina"), ("PK", "Pakistan"), ("RU", "Rusia"), ("SA", "Arab Saudi"),
    ("SG", "Singapura"), ("TH", "Thailand"), ("TR", "Turki"), ("TW", "Taiwan"), ("US", "Amerika Serikat"),
    ("VN", "Vietnam"), ("ZA", "Afrika Selatan"), ("ZZ", "Negara lain"),
]  # fmt: skip
FOREIGN_COUNTRIES = [c for c in COUNTRIES if c[0] != "ID"]


class Ownership(models.TextChoices):
    PMA = "pma", _("PMA (penanaman modal asing)")
    PMDN = "pmdn", _("PMDN (penanaman modal dalam negeri)")
    OTHER = "lainnya", _("Lainnya")


class LandStatus(models.TextChoices):
    OWNED = "milik", _("Milik sendiri")
    LEASED = "sewa", _("Sewa")
    OTHER = "lainnya", _("Lainnya")


class MaterialKind(models.TextChoices):
    RAW = "baku", _("Bahan baku")
    AUXILIARY = "penolong", _("Bahan penolong")


class Origin(models.TextChoices):
    DOMESTIC = "domestik", _("Dalam negeri")
    IMPORT = "impor", _("Impor")


class Condition(models.TextChoices):
    NEW = "baru", _("Baru")
    USED = "bekas", _("Bekas")
    REFURBISHED = "rekondisi", _("Rekondisi")


class FuelKind(models.TextChoices):
    DIESEL = "solar", _("Solar/diesel")
    GAS = "gas_bumi", _("Gas bumi")
    COAL = "batubara", _("Batu bara")
    LPG = "lpg", _("LPG")
    BIOMASS = "biomassa", _("Biomassa")
    OTHER = "lainnya", _("Lainnya")


class WaterSource(models.TextChoices):
    PDAM = "pdam", _("PDAM")
    GROUND = "air_tanah", _("Air tanah")
    SURFACE = "air_permukaan", _("Air permukaan")
    ESTATE = "kawasan", _("Pasokan kawasan industri")
    OTHER = "lainnya", _("Lainnya")


class EnvDocument(models.TextChoices):
    AMDAL = "amdal", "AMDAL"
    UKL_UPL = "ukl_upl", "UKL-UPL"
    SPPL = "sppl", "SPPL"


class WasteKind(models.TextChoices):
    LIQUID = "cair", _("Limbah cair")
    SOLID = "padat", _("Limbah padat")
    B3 = "b3", _("Limbah B3 (berbahaya dan beracun)")
    AIR = "emisi", _("Emisi udara")


class Treatment(models.TextChoices):
    OWN_IPAL = "ipal_sendiri", _("IPAL/instalasi sendiri")
    THIRD_PARTY = "pihak_ketiga", _("Pihak ketiga")
    RECYCLED = "daur_ulang", _("Didaur ulang")
    ESTATE = "ipal_kawasan", _("IPAL kawasan")
    OTHER = "lainnya", _("Lainnya")


class BuildStage(models.TextChoices):
    LAND_CLEARING = "pematangan_lahan", _("Pematangan lahan")
    CIVIL = "pekerjaan_sipil", _("Pekerjaan sipil")
    MACHINES = "instalasi_mesin", _("Instalasi mesin")
    TRIAL = "uji_coba_produksi", _("Uji coba produksi")


class FacilityKind(models.TextChoices):
    ROAD = "jalan", _("Jalan")
    DRAINAGE = "drainase", _("Drainase")
    IPAL = "ipal", _("IPAL")
    WATER = "pengolahan_air", _("Pengolahan air bersih")
    SUBSTATION = "gardu_induk", _("Gardu induk listrik")
    FIRE = "pemadam", _("Pos pemadam kebakaran")
    TELECOM = "telekomunikasi", _("Telekomunikasi")
    RAIL_PORT = "akses_rel_pelabuhan", _("Akses rel/pelabuhan")
    HOUSING = "hunian_pekerja", _("Hunian pekerja")
    OTHER = "lainnya", _("Lainnya")


class FacilityStatus(models.TextChoices):
    OPERATING = "beroperasi", _("Beroperasi")
    BUILDING = "dibangun", _("Sedang dibangun")
    PLANNED = "rencana", _("Rencana")


class TenantStatus(models.TextChoices):
    OPERATING = "beroperasi", _("Beroperasi")
    BUILDING = "konstruksi", _("Konstruksi")
    NOT_BUILT = "belum_dibangun", _("Belum dibangun")


class FinancingUnit(models.TextChoices):
    RUPIAH = "rp", _("Rupiah")
    PERCENT = "persen", _("Persen (%)")
