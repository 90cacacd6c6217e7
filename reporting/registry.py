"""The report types and their sections: one declared registry (fields.md).

A report type is an ordered list of section codes plus a rule saying which factory accounts owe it.
A Permenperin 13/2025 reporting category is an entry here (Industri Kecil and Industri
Menengah-Besar differ only in the Pengeluaran and INDI 4.0 sections); a new section is an entry in
``SECTIONS`` plus its model and form in ``reporting/sections/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import Factory


@dataclass(frozen=True)
class SectionSpec:
    """A section of fields.md and what a new period does with it (docs/reporting.md, "Pre-fill that asks").

    A section describing what the factory *has* (workforce, land, machines, licences, capacity: a stock
    or a structure) arrives pre-filled from the last accepted report and waits for the company to
    confirm it. A section measuring what happened *during* the period (production, sales, materials
    used, energy used: a flow, ``flow=True``) arrives empty, with last semester's figures shown beside
    each field for reference: a copied flow would be last semester's data sent again as this one's. In
    the construction stage a flow section is a plan ("Rencana …"): a plan is restated, so it carries over.
    """

    code: str
    title: str
    plan_title: str = ""  # the title in the construction stage ("Rencana …"), when it differs
    flow: bool = False  # measured per period: arrives empty, last semester shown for reference

    def title_for(self, construction: bool) -> str:
        return str(self.plan_title or self.title) if construction else str(self.title)

    def is_flow(self, construction: bool) -> bool:
        """Does this section arrive empty (with last semester as reference) rather than pre-filled?"""
        return self.flow and not (construction and self.plan_title)


@dataclass(frozen=True)
class ReportTypeSpec:
    code: str
    title: str
    sections: tuple[str, ...]
    owed_by: Callable[[Factory], bool] = field(repr=False)
    construction: bool = False
    estate: bool = False
    periodic: bool = True
    regulation: str = "Permenperin 2/2019"

    def section_specs(self) -> list[SectionSpec]:
        return [SECTIONS[code] for code in self.sections]

    def section_title(self, code: str) -> str:
        return SECTIONS[code].title_for(self.construction)

    def is_flow(self, code: str) -> bool:
        return SECTIONS[code].is_flow(self.construction)


SECTIONS: dict[str, SectionSpec] = {
    s.code: s
    for s in [
        # Industry (and the estate manager's workforce: the same section)
        SectionSpec("tenaga_kerja", _("Tenaga kerja")),
        SectionSpec("investasi", _("Investasi")),
        SectionSpec("lahan", _("Luas lahan dan lokasi")),
        SectionSpec("kapasitas", _("Kapasitas produksi"), _("Rencana kapasitas produksi")),
        SectionSpec("bahan_baku", _("Bahan baku dan bahan penolong"), _("Rencana kebutuhan bahan baku"), flow=True),
        SectionSpec("mesin", _("Mesin dan peralatan"), _("Rencana penggunaan mesin/peralatan")),
        SectionSpec("energi", _("Penggunaan energi dan air baku"), _("Rencana kebutuhan energi dan air baku"), flow=True),
        SectionSpec("produksi", _("Produksi"), flow=True),
        SectionSpec("pemasaran", _("Pemasaran"), flow=True),
        SectionSpec("pengeluaran", _("Pengeluaran"), flow=True),
        SectionSpec("lingkungan", _("Pengelolaan lingkungan")),
        SectionSpec("rencana_pembangunan", _("Rencana pembangunan")),
        SectionSpec("indi", _("INDI 4.0")),
        # Industrial estate
        SectionSpec("ki_investasi", _("Investasi kawasan")),
        SectionSpec("ki_pembiayaan", _("Sumber pembiayaan")),
        SectionSpec("ki_lahan", _("Lahan dan kaveling")),
        SectionSpec("ki_sarana", _("Sarana dan prasarana")),
        SectionSpec("ki_energi", _("Kebutuhan energi")),
        SectionSpec("ki_air", _("Air baku")),
        SectionSpec("ki_tenant", _("Perusahaan industri / tenant")),
    ]
}


def _industry(stage: str, small: bool | None = None) -> Callable[[Factory], bool]:
    def owed(factory: Factory) -> bool:
        if factory.account_type != "A" or factory.stage != stage:
            return False
        return small is None or (factory.scale == "kecil") == small

    return owed


def _estate(stage: str) -> Callable[[Factory], bool]:
    return lambda factory: factory.account_type == "B" and factory.stage == stage


def _industry_or_estate(factory: Factory) -> bool:
    return factory.account_type in ("A", "B")


INDUSTRY_PRODUCTION = (
    "tenaga_kerja", "investasi", "lahan", "kapasitas", "bahan_baku", "mesin", "energi", "produksi", "pemasaran",
    "lingkungan",
)  # fmt: skip
ESTATE_CONSTRUCTION = ("ki_investasi", "ki_pembiayaan", "ki_lahan", "ki_sarana", "ki_energi", "ki_air", "tenaga_kerja")

REPORT_TYPES: dict[str, ReportTypeSpec] = {
    t.code: t
    for t in [
        ReportTypeSpec(
            "industri_pembangunan",
            _("Industri — Tahap Pembangunan"),
            ("tenaga_kerja", "investasi", "lahan", "kapasitas", "bahan_baku", "rencana_pembangunan", "energi", "mesin"),
            owed_by=_industry("pembangunan"),
            construction=True,
        ),
        # Permenperin 13/2025 categories: Industri Kecil files the minimum data ...
        ReportTypeSpec(
            "industri_produksi_kecil",
            _("Industri — Tahap Produksi (Industri Kecil)"),
            INDUSTRY_PRODUCTION,
            owed_by=_industry("produksi", small=True),
            regulation="Permenperin 13/2025",
        ),
        # ... Industri Menengah-Besar adds Pengeluaran and INDI 4.0.
        ReportTypeSpec(
            "industri_produksi",
            _("Industri — Tahap Produksi (Industri Menengah-Besar)"),
            (*INDUSTRY_PRODUCTION, "pengeluaran", "indi"),
            owed_by=_industry("produksi", small=False),
            regulation="Permenperin 13/2025",
        ),
        ReportTypeSpec(
            "kawasan_pembangunan",
            _("Kawasan Industri — Tahap Pembangunan"),
            ESTATE_CONSTRUCTION,
            owed_by=_estate("pembangunan"),
            construction=True,
            estate=True,
        ),
        ReportTypeSpec(
            "kawasan_komersial",
            _("Kawasan Industri — Tahap Komersial"),
            (*ESTATE_CONSTRUCTION, "ki_tenant"),
            owed_by=_estate("produksi"),
            estate=True,
        ),
        ReportTypeSpec(
            "data_lainnya",
            _("Data Lainnya"),
            (),
            owed_by=_industry_or_estate,
            periodic=False,
        ),
    ]
}

REPORT_TYPE_CHOICES = [(t.code, t.title) for t in REPORT_TYPES.values()]


def report_types_owed(factory: Factory) -> list[ReportTypeSpec]:
    """The periodic report types this factory account must file each period (from type, stage, scale)."""
    return [t for t in REPORT_TYPES.values() if t.periodic and t.owed_by(factory)]
