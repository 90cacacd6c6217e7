"""The service declarations: adding an e-service is one ``ServiceType`` here plus its form.

The engine (``services.py``, ``views/``) reads everything it needs from the declaration: the form
(and its row table), the required documents, who reviews, whether the approval issues a PDF letter,
what the officer fills in when deciding, figures computed from the answers, and who may apply.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Factory, Role, Scale
from eservice import service_forms as sf

SMALL_INDUSTRY_ONLY = _("TKDN Industri Kecil hanya untuk akun pabrik berskala kecil (Permenperin 46/2022).")
TEXTILE_ONLY = _(
    "Verifikasi Kemampuan Industri hanya untuk industri tekstil dan produk tekstil (KBLI golongan pokok 13 atau 14)."
)
TEXTILE_DIVISIONS = ("13", "14")

# Restrukturisasi mesin/peralatan IKM (Kepdirjen IKM 46/IKM/KEP/7/2017, 30/IKM/KEP/6/2018):
# price discount per machine by origin, capped per application. See docs/decisions.md.
RESTRUCTURING_RATES = {"dalam_negeri": Decimal("0.25"), "impor": Decimal("0.10")}
RESTRUCTURING_CAP = Decimal("500000000")

CENT = Decimal("0.01")


@dataclass(frozen=True)
class DocumentSpec:
    code: str
    label: Any
    required: bool = True
    kinds: tuple[str, ...] = ("pdf",)


@dataclass(frozen=True)
class ServiceType:
    code: str
    prefix: str
    name: Any
    description: Any
    legal_basis: str
    form: type[forms.Form]
    documents: tuple[DocumentSpec, ...]
    reviewing_role: str
    letter_title: Any = ""
    letter_template: str = "pdf/eservice-decision.html"
    decision_form: type[forms.Form] | None = None
    figures: Callable[[dict], list[tuple[Any, str]]] | None = None
    eligibility: Callable[[Factory], Any] | None = None
    weekly_reports: bool = False

    @property
    def has_letter(self) -> bool:
        return bool(self.letter_title)

    @property
    def row_form(self) -> type[forms.Form] | None:
        return getattr(self.form, "row_form", None)

    @property
    def rows_label(self) -> Any:
        return getattr(self.form, "rows_label", "")

    def required_documents(self) -> tuple[DocumentSpec, ...]:
        return tuple(d for d in self.documents if d.required)

    def document(self, code: str) -> DocumentSpec | None:
        return next((d for d in self.documents if d.code == code), None)

    def refusal(self, factory: Factory) -> Any:
        """Why ``factory`` may not apply for this service, or None."""
        return self.eligibility(factory) if self.eligibility else None

    def computed(self, data: dict) -> list[tuple[Any, str]]:
        return self.figures(data) if self.figures else []


# --- JSON in and out of the forms ----------------------------------------------------------------


def to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def form_payload(form: forms.Form, rows: list[dict] | None) -> dict:
    """The JSON stored in ``Application.data``: the form's cleaned fields plus its table rows."""
    data = {name: to_json(value) for name, value in form.cleaned_data.items()}
    if rows is not None:
        data["rows"] = [{k: to_json(v) for k, v in row.items() if k != "DELETE"} for row in rows]
    return data


def _display(field: forms.Field, value: Any, name: str = "") -> str:
    if value is None or value == "":
        return "—"
    if name.endswith("year"):
        return str(value)  # a year is not a quantity: 2026, not 2.026
    if isinstance(field, forms.BooleanField):
        return str(_("Ya") if value else _("Tidak"))
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.DecimalField):
        return number_format(Decimal(value), force_grouping=True)
    if isinstance(field, forms.DateField):
        return datetime.date.fromisoformat(value).strftime("%d-%m-%Y")
    if isinstance(field, forms.IntegerField):
        return number_format(int(value), force_grouping=True)
    return str(value)


def describe(service: ServiceType, data: dict) -> dict:
    """Labels and display values of stored answers, for the detail page, the queue and the letter."""
    form = service.form()
    fields = [(f.label, _display(f, data.get(name), name)) for name, f in form.fields.items()]
    header: list = []
    rows: list[list[str]] = []
    if service.row_form is not None:
        row_fields = service.row_form().fields
        header = [f.label for f in row_fields.values()]
        rows = [
            [_display(f, row.get(name)) for name, f in row_fields.items()] for row in data.get("rows", [])
        ]
    return {"fields": fields, "header": header, "rows": rows, "figures": service.computed(data)}


def describe_decision(service: ServiceType, decision_data: dict) -> list[tuple[Any, str]]:
    if service.decision_form is None or not decision_data:
        return []
    return [
        (f.label, _display(f, decision_data.get(name))) for name, f in service.decision_form().fields.items()
    ]


# --- Computed figures ----------------------------------------------------------------------------


def _rupiah(value: Decimal) -> str:
    return "Rp " + number_format(
        value.quantize(CENT, rounding=ROUND_HALF_UP), decimal_pos=2, force_grouping=True
    )


def tkdn_ik_value(data: dict) -> Decimal | None:
    """TKDN-IK (Permenperin 46/2022): domestic cost as a share of the whole production cost, in %."""
    domestic = sum((Decimal(r["domestic_cost"]) for r in data.get("rows", [])), Decimal(0))
    foreign = sum((Decimal(r["foreign_cost"]) for r in data.get("rows", [])), Decimal(0))
    total = domestic + foreign
    if total == 0:
        return None
    return (domestic / total * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def tkdn_ik_figures(data: dict) -> list[tuple[Any, str]]:
    value = tkdn_ik_value(data)
    domestic = sum((Decimal(r["domestic_cost"]) for r in data.get("rows", [])), Decimal(0))
    foreign = sum((Decimal(r["foreign_cost"]) for r in data.get("rows", [])), Decimal(0))
    return [
        (_("Biaya dalam negeri"), _rupiah(domestic)),
        (_("Biaya luar negeri"), _rupiah(foreign)),
        (_("Nilai TKDN-IK"), "—" if value is None else f"{number_format(value, decimal_pos=2)}%"),
    ]


def machine_discount(data: dict) -> dict[str, Decimal]:
    """Price total and the programme discount: rate by origin per machine, capped per application."""
    total = Decimal(0)
    discount = Decimal(0)
    for row in data.get("rows", []):
        line = Decimal(row["unit_price"]) * int(row["quantity"])
        total += line
        discount += line * RESTRUCTURING_RATES[row["origin"]]
    uncapped = discount.quantize(CENT, rounding=ROUND_HALF_UP)
    return {"total": total, "uncapped": uncapped, "discount": min(uncapped, RESTRUCTURING_CAP)}


def machine_figures(data: dict) -> list[tuple[Any, str]]:
    result = machine_discount(data)
    figures = [
        (_("Total harga mesin/peralatan"), _rupiah(result["total"])),
        (_("Potongan harga (25% dalam negeri, 10% impor)"), _rupiah(result["uncapped"])),
    ]
    if result["uncapped"] > result["discount"]:
        figures.append((_("Potongan harga setelah batas per permohonan"), _rupiah(result["discount"])))
    return figures


def textile_figures(data: dict) -> list[tuple[Any, str]]:
    capacity = Decimal(data.get("installed_capacity") or 0)
    realised = Decimal(data.get("realised_production") or 0)
    if capacity == 0:
        return []
    utilisation = (realised / capacity * 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return [(_("Utilisasi kapasitas"), f"{number_format(utilisation, decimal_pos=2)}%")]


# --- Eligibility ----------------------------------------------------------------------------------


def small_industry_only(factory: Factory) -> Any:
    return None if factory.scale == Scale.KECIL else SMALL_INDUSTRY_ONLY


def textile_only(factory: Factory) -> Any:
    divisions = {k.division_id for k in factory.kbli.all()}
    return None if divisions & set(TEXTILE_DIVISIONS) else TEXTILE_ONLY


# --- The seven services ---------------------------------------------------------------------------

SERVICES: tuple[ServiceType, ...] = (
    ServiceType(
        code="e-licensing",
        prefix="LIC",
        name=_("e-Licensing"),
        description=_("Permohonan untuk melakukan kegiatan ekspor dan/atau impor."),
        legal_basis="UU 3/2014; Permenperin 2/2019",
        form=sf.ELicensingForm,
        documents=(
            DocumentSpec("surat_permohonan", _("Surat permohonan bermeterai")),
            DocumentSpec("kontrak", _("Kontrak/purchase order"), required=False, kinds=("pdf", "xlsx")),
        ),
        reviewing_role=Role.VALIDATOR,
        letter_title=_("Surat Persetujuan e-Licensing"),
        decision_form=sf.ValidityDecisionForm,
    ),
    ServiceType(
        code="iomki",
        prefix="IOMKI",
        name=_("Izin Operasional dan Mobilitas Kegiatan Industri (IOMKI)"),
        description=_("Izin agar kegiatan usaha berjalan selama pandemi, dengan laporan kondisi mingguan."),
        legal_basis="SE Menperin 5/2021",
        form=sf.IomkiForm,
        documents=(DocumentSpec("pernyataan_prokes", _("Surat pernyataan penerapan protokol kesehatan")),),
        reviewing_role=Role.VALIDATOR,
        letter_title=_("Izin Operasional dan Mobilitas Kegiatan Industri"),
        decision_form=sf.ValidityDecisionForm,
        weekly_reports=True,
    ),
    ServiceType(
        code="industri-hijau",
        prefix="IH",
        name=_("Penghargaan Industri Hijau"),
        description=_("Pendaftaran peserta Penghargaan Industri Hijau dengan data penilaian mandiri."),
        legal_basis="Permenperin 18/M-IND/PER/3/2016",
        form=sf.GreenIndustryAwardForm,
        documents=(
            DocumentSpec("kuesioner", _("Kuesioner penilaian mandiri"), kinds=("pdf", "xlsx")),
            DocumentSpec("izin_lingkungan", _("Izin lingkungan/persetujuan lingkungan")),
        ),
        reviewing_role=Role.VERIFIER,
        letter_title=_("Tanda Peserta Penghargaan Industri Hijau"),
    ),
    ServiceType(
        code="restrukturisasi-mesin",
        prefix="RMP",
        name=_("Restrukturisasi Mesin dan Peralatan"),
        description=_("Bantuan berupa potongan harga mesin dan/atau peralatan produksi."),
        legal_basis="Permenperin 27/M-IND/PER/7/2017; Permenperin 13/2018; Kepdirjen IKM 46/IKM/KEP/7/2017; "
        "Kepdirjen IKM 30/IKM/KEP/6/2018; Permenperin 9/2022",
        form=sf.MachineRestructuringForm,
        documents=(
            DocumentSpec("faktur", _("Faktur/kuitansi pembelian mesin")),
            DocumentSpec("foto_mesin", _("Foto mesin terpasang"), kinds=("jpg", "png", "pdf")),
        ),
        reviewing_role=Role.VALIDATOR,
        letter_title=_("Surat Persetujuan Potongan Harga Mesin dan Peralatan"),
        figures=machine_figures,
    ),
    ServiceType(
        code="tkdn-ik",
        prefix="TKDNIK",
        name=_("TKDN Industri Kecil"),
        description=_("Sertifikat TKDN Industri Kecil untuk pengadaan barang/jasa pemerintah."),
        legal_basis="Permenperin 46/2022",
        form=sf.SmallIndustryTkdnForm,
        documents=(DocumentSpec("pernyataan_ik", _("Surat pernyataan sebagai industri kecil")),),
        reviewing_role=Role.VALIDATOR,
        letter_title=_("Sertifikat TKDN Industri Kecil"),
        figures=tkdn_ik_figures,
        eligibility=small_industry_only,
    ),
    ServiceType(
        code="tkdn",
        prefix="TKDN",
        name=_("Tingkat Komponen Dalam Negeri (TKDN)"),
        description=_("Pendaftaran permohonan verifikasi TKDN oleh lembaga verifikasi."),
        legal_basis="UU 3/2014; PP 29/2018",
        form=sf.TkdnForm,
        documents=(
            DocumentSpec("surat_permohonan", _("Surat permohonan verifikasi")),
            DocumentSpec("struktur_biaya", _("Struktur biaya produksi"), kinds=("pdf", "xlsx")),
        ),
        reviewing_role=Role.VERIFIER,
    ),
    ServiceType(
        code="vki",
        prefix="VKI",
        name=_("Verifikasi Kemampuan Industri (VKI)"),
        description=_("Verifikasi kemampuan industri TPT; hasilnya LHVKI."),
        legal_basis="Permenperin 36/2022",
        form=sf.TextileCapabilityForm,
        documents=(
            DocumentSpec("daftar_mesin", _("Daftar mesin produksi"), kinds=("pdf", "xlsx")),
            DocumentSpec(
                "laporan_produksi", _("Laporan realisasi produksi tahun lalu"), kinds=("pdf", "xlsx")
            ),
        ),
        reviewing_role=Role.VALIDATOR,
        letter_title=_("Laporan Hasil Verifikasi Kemampuan Industri (LHVKI)"),
        letter_template="pdf/eservice-lhvki.html",
        decision_form=sf.TextileDecisionForm,
        figures=textile_figures,
        eligibility=textile_only,
    ),
)

_BY_CODE = {s.code: s for s in SERVICES}


def get_service(code: str) -> ServiceType:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise Http404 from None


def services_reviewed_by(role: str) -> list[ServiceType]:
    if role == Role.ADMIN:
        return list(SERVICES)
    return [s for s in SERVICES if s.reviewing_role == role]
