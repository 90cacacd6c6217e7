"""One typed model per report section (plus its row models), reused by every report type that has it.

Header models hang off the report one-to-one; row models carry ``position`` so the order the user
typed is kept. Rows carry no database check constraints on purpose: a form saving 200 rows must not
run 200 constraint queries; the field validators and the section checks hold the same rules.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.models import Report
from reporting.sections import choices as c

NON_NEGATIVE = MinValueValidator(Decimal(0), message=_("Nilai tidak boleh negatif."))
HS_CODE = RegexValidator(r"^\d{8}$", _("Kode HS terdiri dari 8 angka (BTKI)."))
KBLI_CODE = RegexValidator(r"^\d{5}$", _("KBLI terdiri dari 5 angka."))
NIB = RegexValidator(r"^\d{13}$", _("NIB terdiri dari 13 angka."))
PERCENT = [NON_NEGATIVE, MaxValueValidator(Decimal(100), message=_("Persentase paling besar 100."))]


def rupiah(label, **kw):
    """Whole rupiah."""
    return models.DecimalField(label, max_digits=20, decimal_places=0, validators=[NON_NEGATIVE], **kw)


def quantity(label, **kw):
    return models.DecimalField(label, max_digits=18, decimal_places=3, validators=[NON_NEGATIVE], **kw)


def count(label, **kw):
    return models.PositiveIntegerField(label, **kw)


def percent(label, **kw):
    return models.DecimalField(label, max_digits=5, decimal_places=2, validators=PERCENT, **kw)


def unit(label=None, **kw):
    return models.CharField(label or _("satuan"), max_length=10, choices=c.Unit.choices, **kw)


def country(label=None, choices=c.COUNTRIES, **kw):
    return models.CharField(label or _("negara"), max_length=2, choices=choices, **kw)


def explanation():
    return models.TextField(_("penjelasan"), blank=True, help_text=_("Wajib bila pemeriksaan meminta penjelasan."))


class Header(models.Model):
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} — {self.report_id}"


class Row(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["report_id", "position"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} — {self.report_id} #{self.position + 1}"


# --- Industry -----------------------------------------------------------------------------------


class Workforce(Header):
    """Tenaga kerja (industry, and the estate manager's staff)."""

    prod_male_wni = count(_("produksi laki-laki WNI"), default=0)
    prod_female_wni = count(_("produksi perempuan WNI"), default=0)
    prod_male_wna = count(_("produksi laki-laki WNA"), default=0)
    prod_female_wna = count(_("produksi perempuan WNA"), default=0)
    nonprod_male_wni = count(_("nonproduksi laki-laki WNI"), default=0)
    nonprod_female_wni = count(_("nonproduksi perempuan WNI"), default=0)
    nonprod_male_wna = count(_("nonproduksi laki-laki WNA"), default=0)
    nonprod_female_wna = count(_("nonproduksi perempuan WNA"), default=0)
    total = count(_("jumlah seluruh tenaga kerja"))
    planned_total = count(_("rencana tenaga kerja saat beroperasi penuh"), null=True, blank=True)
    explanation = explanation()

    PARTS = (
        "prod_male_wni", "prod_female_wni", "prod_male_wna", "prod_female_wna",
        "nonprod_male_wni", "nonprod_female_wni", "nonprod_male_wna", "nonprod_female_wna",
    )  # fmt: skip
    WNA_PARTS = ("prod_male_wna", "prod_female_wna", "nonprod_male_wna", "nonprod_female_wna")


class WorkforceNationality(Row):
    country = country(choices=c.FOREIGN_COUNTRIES)
    count = count(_("jumlah orang"))


class Investment(Header):
    land = rupiah(_("tanah (Rp)"), default=0)
    buildings = rupiah(_("bangunan (Rp)"), default=0)
    machinery = rupiah(_("mesin dan peralatan (Rp)"), default=0)
    other_fixed = rupiah(_("modal tetap lainnya (Rp)"), default=0)
    working_capital = rupiah(_("modal kerja (Rp)"), default=0)
    ownership = models.CharField(_("status penanaman modal"), max_length=8, choices=c.Ownership.choices)
    domestic_pct = percent(_("kepemilikan dalam negeri (%)"))
    foreign_pct = percent(_("kepemilikan asing (%)"))
    explanation = explanation()

    @property
    def fixed_total(self) -> Decimal:
        return self.land + self.buildings + self.machinery + self.other_fixed


class InvestmentOwner(Row):
    country = country(choices=c.FOREIGN_COUNTRIES)
    pct = percent(_("porsi (%)"))


class Land(Header):
    land_area_m2 = quantity(_("luas lahan (m²)"))
    building_area_m2 = quantity(_("luas bangunan (m²)"))
    land_status = models.CharField(_("status lahan"), max_length=8, choices=c.LandStatus.choices)
    in_estate = models.BooleanField(_("berada di kawasan industri"), default=False)
    estate_name = models.CharField(_("nama kawasan industri"), max_length=200, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6)


class CapacityProduct(Row):
    name = models.CharField(_("nama produk"), max_length=200)
    hs_code = models.CharField(_("kode HS"), max_length=8, blank=True, validators=[HS_CODE])
    kbli_code = models.CharField(_("KBLI"), max_length=5, validators=[KBLI_CODE])
    unit = unit()
    capacity = quantity(_("kapasitas terpasang per tahun"))


class Material(Row):
    name = models.CharField(_("nama bahan"), max_length=200)
    hs_code = models.CharField(_("kode HS"), max_length=8, blank=True, validators=[HS_CODE])
    kind = models.CharField(_("jenis"), max_length=8, choices=c.MaterialKind.choices)
    origin = models.CharField(_("asal"), max_length=8, choices=c.Origin.choices)
    country = country(_("negara asal (impor)"), choices=c.FOREIGN_COUNTRIES, blank=True)
    quantity = quantity(_("jumlah"))
    unit = unit()
    value = rupiah(_("nilai (Rp)"))


class Machine(Row):
    name = models.CharField(_("nama mesin/peralatan"), max_length=200)
    count = count(_("jumlah unit"))
    country = country(_("negara pembuat"))
    year_made = models.PositiveSmallIntegerField(_("tahun pembuatan"), validators=[MinValueValidator(1900)])
    condition = models.CharField(_("kondisi"), max_length=10, choices=c.Condition.choices)
    capacity = quantity(_("kapasitas"))
    capacity_unit = unit(_("satuan kapasitas"))
    value = rupiah(_("nilai (Rp)"))


class Energy(Header):
    pln_kwh = quantity(_("listrik PLN (kWh)"), default=0)
    own_kwh = quantity(_("pembangkit sendiri (kWh)"), default=0)
    own_installed_kw = quantity(_("daya terpasang pembangkit sendiri (kW)"), default=0)
    sold_kwh = quantity(_("listrik dijual (kWh)"), default=0)


class Fuel(Row):
    kind = models.CharField(_("jenis bahan bakar"), max_length=10, choices=c.FuelKind.choices)
    quantity = quantity(_("jumlah"))
    unit = unit()
    value = rupiah(_("nilai (Rp)"))


class Water(Row):
    source = models.CharField(_("sumber air"), max_length=14, choices=c.WaterSource.choices)
    volume_m3 = quantity(_("volume (m³)"))


class ProductionRow(Row):
    product = models.CharField(_("produk (dari daftar kapasitas)"), max_length=200)
    quantity = quantity(_("jumlah produksi"))
    unit = unit()
    value = rupiah(_("nilai produksi (Rp)"))
    explanation = explanation()


class Marketing(Header):
    usd_rate = models.DecimalField(
        _("kurs rata-rata (Rp per USD)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[NON_NEGATIVE]
    )


class SalesRow(Row):
    product = models.CharField(_("produk"), max_length=200)
    domestic_qty = quantity(_("penjualan dalam negeri (jumlah)"), default=0)
    domestic_value = rupiah(_("penjualan dalam negeri (Rp)"), default=0)
    export_qty = quantity(_("ekspor (jumlah)"), default=0)
    export_value_usd = models.DecimalField(_("ekspor (USD)"), max_digits=18, decimal_places=2, default=0, validators=[NON_NEGATIVE])
    export_value = rupiah(_("ekspor (Rp)"), default=0)
    stock_change = models.DecimalField(_("perubahan stok (jumlah)"), max_digits=18, decimal_places=3, default=0)
    explanation = explanation()


class ExportDestination(Row):
    product = models.CharField(_("produk"), max_length=200)
    country = country(_("negara tujuan"), choices=c.FOREIGN_COUNTRIES)
    quantity = quantity(_("jumlah"))


class Expenditure(Header):
    wages = rupiah(_("upah dan gaji (Rp)"))
    raw_materials = rupiah(_("bahan baku dan penolong (Rp)"))
    energy = rupiah(_("energi (Rp)"))
    other = rupiah(_("biaya operasional lainnya (Rp)"))


class Environment(Header):
    document = models.CharField(_("dokumen lingkungan"), max_length=8, choices=c.EnvDocument.choices)
    document_number = models.CharField(_("nomor dokumen"), max_length=100)
    document_date = models.DateField(_("tanggal dokumen"))


class Waste(Row):
    kind = models.CharField(_("jenis limbah"), max_length=6, choices=c.WasteKind.choices)
    volume = quantity(_("volume"))
    unit = unit()
    treatment = models.CharField(_("pengelolaan"), max_length=14, choices=c.Treatment.choices)
    handler = models.CharField(_("pengelola berizin"), max_length=200, blank=True)
    own_permit = models.BooleanField(_("memiliki izin pengelolaan sendiri"), default=False)


class ConstructionPlan(Header):
    commercial_start = models.DateField(_("rencana mulai produksi komersial"))
    explanation = explanation()


class ConstructionStage(Row):
    stage = models.CharField(_("tahapan"), max_length=20, choices=c.BuildStage.choices)
    pct_complete = percent(_("kemajuan (%)"))


class Indi(Header):
    score = models.DecimalField(
        _("skor INDI 4.0"), max_digits=3, decimal_places=2, validators=[NON_NEGATIVE, MaxValueValidator(4)], null=True, blank=True
    )
    assessment_year = models.PositiveSmallIntegerField(_("tahun asesmen"), null=True, blank=True, validators=[MinValueValidator(2018)])


# --- Industrial estate ---------------------------------------------------------------------------


class EstateInvestment(Header):
    planned_total = rupiah(_("rencana investasi total (Rp)"))
    land = rupiah(_("realisasi kumulatif: lahan (Rp)"), default=0)
    infrastructure = rupiah(_("realisasi kumulatif: infrastruktur (Rp)"), default=0)
    buildings = rupiah(_("realisasi kumulatif: bangunan (Rp)"), default=0)
    other = rupiah(_("realisasi kumulatif: lainnya (Rp)"), default=0)


class EstateFinancing(Header):
    unit = models.CharField(_("dinyatakan dalam"), max_length=6, choices=c.FinancingUnit.choices)
    own_capital = models.DecimalField(_("modal sendiri"), max_digits=20, decimal_places=2, validators=[NON_NEGATIVE])
    domestic_loans = models.DecimalField(_("pinjaman dalam negeri"), max_digits=20, decimal_places=2, validators=[NON_NEGATIVE])
    foreign_loans = models.DecimalField(_("pinjaman luar negeri"), max_digits=20, decimal_places=2, validators=[NON_NEGATIVE])
    other = models.DecimalField(_("sumber lainnya"), max_digits=20, decimal_places=2, validators=[NON_NEGATIVE])


class EstateLand(Header):
    licensed_ha = quantity(_("luas izin (ha)"))
    developed_ha = quantity(_("luas yang telah dikembangkan (ha)"))
    industrial_ha = quantity(_("luas lahan industri (ha)"))
    sold_ha = quantity(_("terjual/disewakan ke tenant (ha)"))
    available_ha = quantity(_("kaveling tersedia (ha)"))
    available_count = count(_("kaveling tersedia (jumlah)"))
    green_ha = quantity(_("ruang terbuka hijau (ha)"))


class EstateFacility(Row):
    kind = models.CharField(_("jenis sarana"), max_length=20, choices=c.FacilityKind.choices)
    capacity = quantity(_("kapasitas"))
    unit = unit()
    status = models.CharField(_("status"), max_length=10, choices=c.FacilityStatus.choices)


class EstateEnergy(Header):
    electricity_mva = quantity(_("kapasitas pasokan listrik (MVA)"))
    electricity_source = models.CharField(_("sumber listrik"), max_length=200)
    gas_mmbtu = quantity(_("pasokan gas (MMBTU per tahun)"), default=0)
    gas_source = models.CharField(_("sumber gas"), max_length=200, blank=True)


class EstateWater(Header):
    capacity = quantity(_("kapasitas pasokan"))
    capacity_unit = models.CharField(
        _("satuan"), max_length=10, choices=[(c.Unit.M3_PER_SECOND, "m³/detik"), (c.Unit.M3_PER_DAY, "m³/hari")]
    )
    source = models.CharField(_("sumber air baku"), max_length=200)
    used = quantity(_("terpakai (satuan yang sama)"))


class Tenant(Row):
    name = models.CharField(_("nama perusahaan"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, validators=[NIB])
    kbli_code = models.CharField(_("KBLI"), max_length=5, validators=[KBLI_CODE])
    land_ha = quantity(_("luas lahan (ha)"))
    status = models.CharField(_("status"), max_length=14, choices=c.TenantStatus.choices)
    investment = rupiah(_("investasi (Rp)"), default=0)
    workforce = count(_("tenaga kerja"), default=0)
    ownership = models.CharField(_("PMA/PMDN"), max_length=8, choices=c.Ownership.choices)
    country = country(_("negara asal modal"), blank=True)
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("akun SIINas tenant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Ditautkan otomatis bila NIB tenant memiliki akun SIINas."),
    )
