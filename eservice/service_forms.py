"""The forms of the seven services (shape checks only; cross-row rules live in ``catalog.py``).

A service form is a plain ``forms.Form``; a service with a repeating table (HS lines, machines,
cost components) names its row form in ``row_form`` and the engine wraps it in a formset.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from eservice.models import WeeklyReport, hs_code_validator
from siinas.lib.bounds import bound
from siinas.lib.numbers import localize_form

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]

END_BEFORE_START = _("Tanggal akhir harus sesudah tanggal mulai.")
ON_SITE_OVER_TOTAL = _("Tenaga kerja di lokasi tidak boleh melebihi jumlah tenaga kerja.")
PROTOCOL_REQUIRED = _("Permohonan IOMKI mensyaratkan pernyataan penerapan protokol kesehatan.")
REALISATION_OVER_CAPACITY = _("Realisasi produksi tidak boleh melebihi kapasitas terpasang.")
DOMESTIC_OVER_NEED = _("Pasokan dalam negeri tidak boleh melebihi kebutuhan bahan baku.")
IMPORT_OVER_GAP = _(
    "Kebutuhan impor tidak boleh melebihi selisih kebutuhan bahan baku dan pasokan dalam negeri."
)
COST_ROW_EMPTY = _("Isi biaya dalam negeri atau biaya impor (boleh salah satu nol, tidak keduanya).")


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


def _count(label, min_value: int = 0, column: str | None = None, **kwargs) -> forms.IntegerField:
    """A whole number; bounded like its WeeklyReport column, or like an integer column when it is kept in JSON."""
    return bound(
        forms.IntegerField(label=label, min_value=min_value, **kwargs),
        WeeklyReport._meta.get_field(column) if column else None,
    )


def _money(label) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=18, decimal_places=2, validators=NOT_NEGATIVE)


class RowForm(forms.Form):
    """A row of a service's table: compact Bootstrap widgets, rendered cell by cell."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # An untouched extra row must stay empty: a select that defaults to its first option
            # would make the row "changed" and demand the rest of it.
            if isinstance(field, forms.ChoiceField) and list(field.choices)[:1] != [("", "—")]:
                field.choices = [("", "—"), *field.choices]
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("aria-label", str(field.label))


# --- e-Licensing (ekspor/impor) ---------------------------------------------------------------------


class LicenceLineForm(RowForm):
    UNITS = [
        ("kg", "kg"),
        ("ton", "ton"),
        ("unit", "unit"),
        ("liter", "liter"),
        ("m2", "m²"),
        ("m3", "m³"),
        ("set", "set"),
    ]

    hs_code = forms.CharField(label=_("Kode HS"), max_length=10, validators=[hs_code_validator])
    description = forms.CharField(label=_("Uraian barang"), max_length=200)
    quantity = forms.DecimalField(
        label=_("Jumlah"), max_digits=16, decimal_places=2, min_value=Decimal("0.01")
    )
    unit = forms.ChoiceField(label=_("Satuan"), choices=UNITS)
    country = forms.CharField(label=_("Negara tujuan/asal"), max_length=80)


class ELicensingForm(forms.Form):
    row_form = LicenceLineForm
    rows_label = _("Barang (pos tarif HS)")

    kind = forms.ChoiceField(
        label=_("Jenis kegiatan"), choices=[("ekspor", _("Ekspor")), ("impor", _("Impor"))]
    )
    purpose = forms.CharField(
        label=_("Tujuan penggunaan"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    port = forms.CharField(label=_("Pelabuhan muat/bongkar"), max_length=120)
    valid_from = _date(_("Berlaku mulai (diminta)"))
    valid_until = _date(_("Berlaku sampai (diminta)"))

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", END_BEFORE_START)
        return data


# --- IOMKI ----------------------------------------------------------------------------------------


class IomkiForm(forms.Form):
    activity = forms.ChoiceField(
        label=_("Kegiatan yang dimohonkan"),
        choices=[
            ("operasional", _("Operasional")),
            ("mobilitas", _("Mobilitas")),
            ("keduanya", _("Operasional dan mobilitas")),
        ],
    )
    shifts = forms.IntegerField(label=_("Jumlah shift per hari"), min_value=1, max_value=4)
    workforce_total = _count(_("Jumlah tenaga kerja"), min_value=1)
    workforce_on_site = _count(_("Tenaga kerja yang bekerja di lokasi"))
    health_officer = forms.CharField(label=_("Penanggung jawab protokol kesehatan"), max_length=120)
    distribution_area = forms.CharField(
        label=_("Wilayah distribusi/mobilitas"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    vehicles = _count(_("Jumlah kendaraan operasional"))
    health_protocol = forms.BooleanField(
        label=_("Kami menyatakan menerapkan protokol kesehatan sesuai SE Menperin 5/2021"), required=False
    )

    def clean(self):
        data = super().clean()
        total, on_site = data.get("workforce_total"), data.get("workforce_on_site")
        if total is not None and on_site is not None and on_site > total:
            self.add_error("workforce_on_site", ON_SITE_OVER_TOTAL)
        if not data.get("health_protocol"):
            self.add_error("health_protocol", PROTOCOL_REQUIRED)
        return data


class WeeklyReportForm(forms.Form):
    operating = forms.TypedChoiceField(
        label=_("Pabrik beroperasi pekan ini"),
        choices=[("1", _("Ya")), ("0", _("Tidak"))],
        coerce=lambda v: v == "1",
    )
    workforce_on_site = _count(_("Tenaga kerja yang bekerja di lokasi"), column="workforce_on_site")
    utilisation_pct = bound(
        forms.DecimalField(label=_("Utilisasi kapasitas (%)"), max_digits=5, decimal_places=2, validators=PERCENT),
        WeeklyReport._meta.get_field("utilisation_pct"),
    )
    positive_cases = _count(_("Kasus positif COVID-19 pekan ini"), column="positive_cases", initial=0)
    obstacles = forms.CharField(
        label=_("Kendala"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Penghargaan Industri Hijau (Permenperin 18/M-IND/PER/3/2016) ----------------------------------


class GreenIndustryAwardForm(forms.Form):
    PROPER = [
        ("belum", _("Belum dinilai")),
        ("merah", _("Merah")),
        ("biru", _("Biru")),
        ("hijau", _("Hijau")),
        ("emas", _("Emas")),
    ]

    data_year = forms.IntegerField(label=_("Tahun data"), min_value=2000, max_value=2100)
    main_product = forms.CharField(label=_("Produk utama"), max_length=200)
    production_volume = forms.DecimalField(
        label=_("Volume produksi per tahun"), max_digits=16, decimal_places=2, min_value=0
    )
    production_unit = forms.CharField(label=_("Satuan produksi"), max_length=30)
    material_efficiency_pct = forms.DecimalField(
        label=_("Efisiensi bahan baku (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    energy_intensity = forms.DecimalField(
        label=_("Intensitas energi (GJ per satuan produk)"), max_digits=14, decimal_places=4, min_value=0
    )
    water_intensity = forms.DecimalField(
        label=_("Intensitas air (m³ per satuan produk)"), max_digits=14, decimal_places=4, min_value=0
    )
    renewable_energy_pct = forms.DecimalField(
        label=_("Porsi energi terbarukan (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    waste_recycled_pct = forms.DecimalField(
        label=_("Limbah yang didaur ulang/dimanfaatkan (%)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
    )
    iso14001 = forms.BooleanField(label=_("Bersertifikat ISO 14001"), required=False)
    smk3 = forms.BooleanField(label=_("Menerapkan SMK3"), required=False)
    proper_rating = forms.ChoiceField(label=_("Peringkat PROPER KLHK"), choices=PROPER)
    csr_programmes = forms.CharField(
        label=_("Program CSR lingkungan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    score_production = forms.DecimalField(
        label=_("Nilai penilaian mandiri: proses produksi (0–100)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
    )
    score_management = forms.DecimalField(
        label=_("Nilai penilaian mandiri: manajemen perusahaan (0–100)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
    )


# --- Restrukturisasi Mesin dan Peralatan -----------------------------------------------------------


class MachineLineForm(RowForm):
    name = forms.CharField(label=_("Nama mesin/peralatan"), max_length=200)
    brand = forms.CharField(label=_("Merek/tipe"), max_length=120)
    origin = forms.ChoiceField(
        label=_("Asal"), choices=[("dalam_negeri", _("Dalam negeri")), ("impor", _("Impor"))]
    )
    purchase_date = _date(_("Tanggal pembelian"))
    quantity = _count(_("Jumlah unit"), min_value=1)
    unit_price = _money(_("Harga satuan (Rp)"))


class MachineRestructuringForm(forms.Form):
    row_form = MachineLineForm
    rows_label = _("Daftar mesin dan peralatan")

    programme_year = forms.IntegerField(label=_("Tahun program"), min_value=2017, max_value=2100)
    production_purpose = forms.CharField(
        label=_("Tujuan restrukturisasi (peningkatan kapasitas/mutu/efisiensi)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    supplier_name = forms.CharField(label=_("Nama pemasok mesin"), max_length=200)


# --- TKDN Industri Kecil (Permenperin 46/2022) ------------------------------------------------------


class CostLineForm(RowForm):
    CATEGORIES = [
        ("bahan", _("Bahan baku/penolong")),
        ("tenaga_kerja", _("Tenaga kerja langsung")),
        ("btlp", _("Biaya tidak langsung pabrik")),
        ("alat_kerja", _("Alat kerja/fasilitas")),
    ]

    component = forms.CharField(label=_("Komponen biaya"), max_length=200)
    category = forms.ChoiceField(label=_("Kategori biaya"), choices=CATEGORIES)
    domestic_cost = _money(_("Biaya dalam negeri (Rp)"))
    foreign_cost = _money(_("Biaya luar negeri (Rp)"))

    def clean(self):
        data = super().clean()
        if data.get("domestic_cost") == 0 and data.get("foreign_cost") == 0:
            self.add_error("domestic_cost", COST_ROW_EMPTY)
        return data


class SmallIndustryTkdnForm(forms.Form):
    row_form = CostLineForm
    rows_label = _("Komponen biaya produksi per satuan produk")

    product_name = forms.CharField(label=_("Nama produk"), max_length=200)
    brand = forms.CharField(label=_("Merek"), max_length=120)
    specification = forms.CharField(
        label=_("Spesifikasi"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    hs_code = forms.CharField(label=_("Kode HS"), max_length=10, validators=[hs_code_validator])
    annual_capacity = forms.CharField(label=_("Kapasitas produksi per tahun"), max_length=100)


# --- TKDN (registration for a verification) -------------------------------------------------------


class TkdnForm(forms.Form):
    VERIFIERS = [
        ("sucofindo", "PT Sucofindo (Persero)"),
        ("surveyor_indonesia", "PT Surveyor Indonesia (Persero)"),
        ("lvi_lain", _("Lembaga verifikasi independen lain yang ditunjuk")),
    ]

    product_name = forms.CharField(label=_("Nama produk/jasa"), max_length=200)
    brand = forms.CharField(label=_("Merek/tipe"), max_length=120)
    hs_code = forms.CharField(label=_("Kode HS"), max_length=10, validators=[hs_code_validator])
    specification = forms.CharField(
        label=_("Spesifikasi"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    annual_capacity = forms.CharField(label=_("Kapasitas produksi per tahun"), max_length=100)
    product_count = forms.IntegerField(
        label=_("Jumlah jenis produk yang diverifikasi"), min_value=1, max_value=500
    )
    verifier = forms.ChoiceField(label=_("Lembaga verifikasi yang dipilih"), choices=VERIFIERS)
    procurement_use = forms.CharField(
        label=_("Rencana penggunaan (pengadaan barang/jasa pemerintah)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Verifikasi Kemampuan Industri TPT (Permenperin 36/2022) ----------------------------------------


class TextileCapabilityForm(forms.Form):
    PRODUCT_GROUPS = [
        ("serat", _("Serat")),
        ("benang", _("Benang")),
        ("kain", _("Kain")),
        ("pakaian_jadi", _("Pakaian jadi")),
        ("tekstil_lainnya", _("Barang tekstil lainnya")),
    ]

    product_group = forms.ChoiceField(label=_("Kelompok produk TPT"), choices=PRODUCT_GROUPS)
    material = forms.CharField(label=_("Bahan baku/penolong yang dibutuhkan"), max_length=200)
    material_hs_code = forms.CharField(
        label=_("Kode HS bahan baku"), max_length=10, validators=[hs_code_validator]
    )
    installed_capacity = forms.DecimalField(
        label=_("Kapasitas terpasang (ton/tahun)"), max_digits=14, decimal_places=2, min_value=0
    )
    realised_production = forms.DecimalField(
        label=_("Realisasi produksi tahun lalu (ton)"), max_digits=14, decimal_places=2, min_value=0
    )
    material_need = forms.DecimalField(
        label=_("Kebutuhan bahan baku (ton/tahun)"), max_digits=14, decimal_places=2, min_value=0
    )
    domestic_supply = forms.DecimalField(
        label=_("Pasokan dalam negeri (ton/tahun)"), max_digits=14, decimal_places=2, min_value=0
    )
    import_need = forms.DecimalField(
        label=_("Kebutuhan impor yang dimohonkan (ton/tahun)"), max_digits=14, decimal_places=2, min_value=0
    )
    machines = _count(_("Jumlah mesin produksi"))
    workforce = _count(_("Jumlah tenaga kerja"))

    def clean(self):
        data = super().clean()
        capacity, realised = data.get("installed_capacity"), data.get("realised_production")
        if capacity is not None and realised is not None and realised > capacity:
            self.add_error("realised_production", REALISATION_OVER_CAPACITY)
        need, domestic, imports = (
            data.get("material_need"),
            data.get("domestic_supply"),
            data.get("import_need"),
        )
        if need is not None and domestic is not None:
            if domestic > need:
                self.add_error("domestic_supply", DOMESTIC_OVER_NEED)
            elif imports is not None and imports > need - domestic:
                self.add_error("import_need", IMPORT_OVER_GAP)
        return data


# --- Decision forms (what the officer fills in when approving) -------------------------------------


class ValidityDecisionForm(forms.Form):
    valid_until = _date(_("Berlaku sampai"))


class TextileDecisionForm(forms.Form):
    verified_capacity = forms.DecimalField(
        label=_("Kapasitas terverifikasi (ton/tahun)"), max_digits=14, decimal_places=2, min_value=0
    )
    verified_import_need = forms.DecimalField(
        label=_("Kebutuhan impor terverifikasi (ton/tahun)"), max_digits=14, decimal_places=2, min_value=0
    )
    verification_method = forms.ChoiceField(
        label=_("Metode verifikasi"),
        choices=[("lapangan", _("Kunjungan lapangan")), ("daring", _("Verifikasi daring"))],
    )
    verification_date = _date(_("Tanggal verifikasi"))


# Numbers are typed and shown in the page's language (siinas.lib.numbers): 1.234.567,89 / 1,234,567.89.
for _form_class in (
    LicenceLineForm, ELicensingForm, IomkiForm, WeeklyReportForm, GreenIndustryAwardForm, MachineLineForm,
    MachineRestructuringForm, CostLineForm, SmallIndustryTkdnForm, TkdnForm, TextileCapabilityForm, TextileDecisionForm,
):  # fmt: skip
    localize_form(_form_class)
