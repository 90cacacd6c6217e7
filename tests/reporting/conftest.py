"""Fixtures for the reporting tests: periods, a clock inside the filing window, valid section input."""

from __future__ import annotations

import copy

import pytest
import time_machine
from django.urls import reverse

from reporting.models import Report
from tests.reporting.factories import PeriodFactory

IN_WINDOW = "2026-07-15 10:00 +0700"  # Semester 1 2026 is filed 1 July – 31 August 2026
AFTER_WINDOW = "2026-09-10 10:00 +0700"


@pytest.fixture
def period(db):
    return PeriodFactory(year=2026, number=1)


@pytest.fixture
def previous_period(db):
    return PeriodFactory(year=2025, number=2)


@pytest.fixture
def in_window():
    with time_machine.travel(IN_WINDOW, tick=False) as traveller:
        yield traveller


def form_data(header: dict | None = None, tables: dict[str, list[dict]] | None = None, table_prefixes=()) -> dict:
    """The POST a section page sends: header fields under ``h-``, each table as a formset."""
    data: dict[str, str] = {}
    for name, value in (header or {}).items():
        if value is True:
            data[f"h-{name}"] = "on"
        elif value is not False and value is not None:
            data[f"h-{name}"] = str(value)
    tables = dict(tables or {})
    for prefix in table_prefixes:
        tables.setdefault(prefix, [])
    for prefix, rows in tables.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for name, value in row.items():
                if value is True:
                    data[f"{prefix}-{i}-{name}"] = "on"
                elif value is not False and value is not None:
                    data[f"{prefix}-{i}-{name}"] = str(value)
    return data


WORKFORCE = {
    "h": {
        "prod_male_wni": 200, "prod_female_wni": 150, "prod_male_wna": 2, "prod_female_wna": 0,
        "nonprod_male_wni": 40, "nonprod_female_wni": 27, "nonprod_male_wna": 1, "nonprod_female_wna": 0,
        "total": 420, "explanation": "",
    },
    "wna": [{"country": "JP", "count": 2}, {"country": "MY", "count": 1}],
}  # fmt: skip

# Valid input for every section, as (header, tables) — tests change one value to trip one rule.
VALID: dict[str, dict] = {
    "tenaga_kerja": WORKFORCE,
    "investasi": {
        "h": {
            "land": 12_000_000_000, "buildings": 30_000_000_000, "machinery": 55_000_000_000, "other_fixed": 1_000_000_000,
            "working_capital": 8_000_000_000, "ownership": "pma", "domestic_pct": 40, "foreign_pct": 60, "explanation": "",
        },
        "asing": [{"country": "JP", "pct": 45}, {"country": "SG", "pct": 15}],
    },  # fmt: skip
    "lahan": {
        "h": {
            "land_area_m2": 50000, "building_area_m2": 21000, "land_status": "milik", "in_estate": False,
            "estate_name": "", "latitude": "-6.4012", "longitude": "107.1507",
        }
    },  # fmt: skip
    "kapasitas": {
        "produk": [
            {"name": "Daging sapi beku", "hs_code": "02023000", "kbli_code": "10110", "unit": "ton", "capacity": 12000},
            {"name": "Sosis sapi", "hs_code": "16010000", "kbli_code": "10130", "unit": "ton", "capacity": 3000},
        ]
    },
    "bahan_baku": {
        "bahan": [
            {"name": "Sapi bakalan", "hs_code": "01022990", "kind": "baku", "origin": "impor", "country": "AU",
             "quantity": 9000, "unit": "ton", "value": 450_000_000_000},
            {"name": "Garam", "hs_code": "", "kind": "penolong", "origin": "domestik", "country": "",
             "quantity": 40, "unit": "ton", "value": 120_000_000},
        ]
    },  # fmt: skip
    "mesin": {
        "mesin": [
            {"name": "Mesin pembeku", "count": 4, "country": "DE", "year_made": 2019, "condition": "baru",
             "capacity": 5, "capacity_unit": "ton_hari", "value": 8_000_000_000},
        ]
    },  # fmt: skip
    "energi": {
        "h": {"pln_kwh": 2_400_000, "own_kwh": 100_000, "own_installed_kw": 500, "sold_kwh": 0},
        "bbm": [{"kind": "solar", "quantity": 20000, "unit": "liter", "value": 300_000_000}],
        "air": [{"source": "pdam", "volume_m3": 60000}],
    },
    "produksi": {
        "produksi": [
            {"product": "Daging sapi beku", "quantity": 5200, "unit": "ton", "value": 520_000_000_000, "explanation": ""},
            {"product": "Sosis sapi", "quantity": 1200, "unit": "ton", "value": 90_000_000_000, "explanation": ""},
        ]
    },
    "pemasaran": {
        "h": {"usd_rate": "16250.00"},
        "penjualan": [
            {"product": "Daging sapi beku", "domestic_qty": 4000, "domestic_value": 400_000_000_000, "export_qty": 1000,
             "export_value_usd": "6000000", "export_value": 97_500_000_000, "stock_change": 0, "explanation": ""},
            {"product": "Sosis sapi", "domestic_qty": 1200, "domestic_value": 90_000_000_000, "export_qty": 0,
             "export_value_usd": 0, "export_value": 0, "stock_change": 0, "explanation": ""},
        ],
        "tujuan": [{"product": "Daging sapi beku", "country": "MY", "quantity": 1000}],
    },  # fmt: skip
    "pengeluaran": {"h": {"wages": 40_000_000_000, "raw_materials": 450_000_000_000, "energy": 6_000_000_000, "other": 9_000_000_000}},
    "lingkungan": {
        "h": {"document": "amdal", "document_number": "660/123/BPLH/2018", "document_date": "2018-03-12"},
        "limbah": [
            {"kind": "cair", "volume": 30000, "unit": "m3", "treatment": "ipal_sendiri", "handler": "", "own_permit": False},
            {"kind": "b3", "volume": 2, "unit": "ton", "treatment": "pihak_ketiga", "handler": "PT Pengolah Limbah Berizin", "own_permit": False},
        ],
    },  # fmt: skip
    "indi": {"h": {"score": "2.5", "assessment_year": 2025}},
    "rencana_pembangunan": {
        "h": {"commercial_start": "2027-06-01", "explanation": ""},
        "tahap": [{"stage": "pematangan_lahan", "pct_complete": 100}, {"stage": "pekerjaan_sipil", "pct_complete": 45}],
    },
    # Industrial estate
    "ki_investasi": {
        "h": {"planned_total": 5_000_000_000_000, "land": 1_200_000_000_000, "infrastructure": 800_000_000_000,
              "buildings": 150_000_000_000, "other": 20_000_000_000}
    },  # fmt: skip
    "ki_pembiayaan": {"h": {"unit": "persen", "own_capital": 40, "domestic_loans": 45, "foreign_loans": 15, "other": 0}},
    "ki_lahan": {
        "h": {"licensed_ha": 1200, "developed_ha": 900, "industrial_ha": 700, "sold_ha": 520, "available_ha": 150,
              "available_count": 60, "green_ha": 120}
    },  # fmt: skip
    "ki_sarana": {
        "sarana": [
            {"kind": "jalan", "capacity": 42, "unit": "km", "status": "beroperasi"},
            {"kind": "ipal", "capacity": 20000, "unit": "m3_hari", "status": "beroperasi"},
        ]
    },
    "ki_energi": {"h": {"electricity_mva": 300, "electricity_source": "PLN GI Cikarang", "gas_mmbtu": 500000, "gas_source": "PGN"}},
    "ki_air": {"h": {"capacity": 1.2, "capacity_unit": "m3_detik", "source": "Saluran Tarum Barat", "used": 0.9}},
    "ki_tenant": {
        "tenant": [
            {"name": "PT Indo Pangan", "nib": "0233010001824", "kbli_code": "10110", "land_ha": 5, "status": "beroperasi",
             "investment": 300_000_000_000, "workforce": 420, "ownership": "pmdn", "country": ""},
            {"name": "PT Nippon Parts Indonesia", "nib": "", "kbli_code": "29300", "land_ha": 12, "status": "konstruksi",
             "investment": 900_000_000_000, "workforce": 0, "ownership": "pma", "country": "JP"},
        ]
    },  # fmt: skip
}
ESTATE_WORKFORCE = {
    "h": {
        "prod_male_wni": 0, "prod_female_wni": 0, "prod_male_wna": 0, "prod_female_wna": 0,
        "nonprod_male_wni": 30, "nonprod_female_wni": 15, "nonprod_male_wna": 0, "nonprod_female_wna": 0,
        "total": 45, "explanation": "",
    }
}  # fmt: skip


def section_input(code: str, *, estate: bool = False, **changes) -> tuple[dict, dict]:
    """(header, tables) of a valid section; ``changes`` override header fields."""
    from reporting.sections.definitions import SECTION_HANDLERS

    source = copy.deepcopy(ESTATE_WORKFORCE if estate and code == "tenaga_kerja" else VALID[code])
    header = source.pop("h", None)
    if header is not None:
        header.update(changes)
    prefixes = [r.prefix for r in SECTION_HANDLERS[code].rows]
    return header, {p: source.get(p, []) for p in prefixes}


def post_section(client, report: Report, code: str, header=None, tables=None, *, lock_version=None, follow=False, **extra):
    report.refresh_from_db()
    data = form_data(header, tables)
    data["lock_version"] = str(report.lock_version if lock_version is None else lock_version)
    data.update(extra)
    return client.post(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": code}), data, follow=follow)


def fill_all(client, report: Report, *, estate: bool = False) -> None:
    for code in report.spec.sections:
        header, tables = section_input(code, estate=estate)
        if code == "tenaga_kerja" and report.spec.construction:
            header["planned_total"] = 600
        response = post_section(client, report, code, header, tables)
        assert response.status_code == 302, (code, _messages(response))


def submit(client, report: Report, *, lock_version=None, follow=False):
    report.refresh_from_db()
    lock = report.lock_version if lock_version is None else lock_version
    return client.post(reverse("reporting:report-submit", kwargs={"pk": report.pk}), {"lock_version": lock}, follow=follow)


def _messages(response) -> list[str]:
    import re

    html = response.content.decode()
    return re.findall(r'class="(?:invalid-feedback d-block|alert [^"]*)">([^<]*)<', html)
