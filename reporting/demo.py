"""Demo semester reports (deterministic for a given date; refused in production by load_demo).

Periods: the two semesters of last year and this year. Reports go through the real services (every
section saved and checked, submitted as an immutable version), then verification moves some along.
Idempotent: a report that exists is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict
from django.utils import timezone

from accounts.demo import DemoCast
from reporting import services
from reporting.models import Period, Report, ReportVersion
from reporting.sections.definitions import SECTION_HANDLERS


def _q(header: dict | None = None, **tables: list[dict]) -> dict[str, object]:
    return {"h": header or {}, **tables}


def _industry(kbli: str, products: list[str], scale: float) -> dict[str, dict]:
    """Valid input of every industry section for one factory, sized by ``scale``."""
    n = lambda value: round(value * scale)  # noqa: E731
    rows = [{"name": p, "hs_code": "", "kbli_code": kbli, "unit": "ton", "capacity": n(10000)} for p in products]
    return {
        "tenaga_kerja": _q(
            {"prod_male_wni": n(200), "prod_female_wni": n(150), "prod_male_wna": 0, "prod_female_wna": 0,
             "nonprod_male_wni": n(40), "nonprod_female_wni": n(30), "nonprod_male_wna": 0, "nonprod_female_wna": 0,
             "total": n(200) + n(150) + n(40) + n(30), "planned_total": n(500)},
            wna=[],
        ),  # fmt: skip
        "investasi": _q(
            {"land": n(10_000_000_000), "buildings": n(25_000_000_000), "machinery": n(40_000_000_000), "other_fixed": 0,
             "working_capital": n(6_000_000_000), "ownership": "pmdn", "domestic_pct": 100, "foreign_pct": 0},
            asing=[],
        ),  # fmt: skip
        "lahan": _q({"land_area_m2": n(40000), "building_area_m2": n(15000), "land_status": "milik", "latitude": "-6.3", "longitude": "107.1"}),
        "kapasitas": _q(produk=rows),
        "bahan_baku": _q(
            bahan=[{"name": "Bahan baku utama", "hs_code": "", "kind": "baku", "origin": "domestik", "country": "", "quantity": n(8000),
                    "unit": "ton", "value": n(200_000_000_000)}]
        ),  # fmt: skip
        "mesin": _q(
            mesin=[{"name": "Lini produksi", "count": 2, "country": "DE", "year_made": 2019, "condition": "baru", "capacity": n(20),
                    "capacity_unit": "ton_hari", "value": n(9_000_000_000)}]
        ),  # fmt: skip
        "energi": _q({"pln_kwh": n(1_500_000), "own_kwh": 0, "own_installed_kw": 0, "sold_kwh": 0}, bbm=[], air=[{"source": "pdam", "volume_m3": n(40000)}]),
        "produksi": _q(produksi=[{"product": p, "quantity": n(4000), "unit": "ton", "value": n(300_000_000_000)} for p in products]),
        "pemasaran": _q(
            {"usd_rate": ""},
            penjualan=[{"product": p, "domestic_qty": n(3800), "domestic_value": n(280_000_000_000), "export_qty": 0,
                        "export_value_usd": 0, "export_value": 0, "stock_change": 0} for p in products],
            tujuan=[],
        ),  # fmt: skip
        "pengeluaran": _q({"wages": n(20_000_000_000), "raw_materials": n(200_000_000_000), "energy": n(3_000_000_000), "other": n(5_000_000_000)}),
        "lingkungan": _q({"document": "ukl_upl", "document_number": "660/45/DLH/2019", "document_date": "2019-05-02"}, limbah=[]),
        "indi": _q({"score": "2.1", "assessment_year": 2024}),
        "rencana_pembangunan": _q(
            {"commercial_start": (timezone.localdate() + dt.timedelta(days=400)).isoformat()},
            tahap=[{"stage": "pematangan_lahan", "pct_complete": 100}, {"stage": "pekerjaan_sipil", "pct_complete": 35}],
        ),
    }


ESTATE = {
    "tenaga_kerja": _q(
        {"prod_male_wni": 0, "prod_female_wni": 0, "prod_male_wna": 0, "prod_female_wna": 0, "nonprod_male_wni": 30,
         "nonprod_female_wni": 15, "nonprod_male_wna": 0, "nonprod_female_wna": 0, "total": 45},
        wna=[],
    ),  # fmt: skip
    "ki_investasi": _q({"planned_total": 5_000_000_000_000, "land": 1_200_000_000_000, "infrastructure": 800_000_000_000, "buildings": 150_000_000_000, "other": 0}),
    "ki_pembiayaan": _q({"unit": "persen", "own_capital": 40, "domestic_loans": 60, "foreign_loans": 0, "other": 0}),
    "ki_lahan": _q({"licensed_ha": 1200, "developed_ha": 900, "industrial_ha": 700, "sold_ha": 520, "available_ha": 150, "available_count": 60, "green_ha": 120}),
    "ki_sarana": _q(sarana=[{"kind": "jalan", "capacity": 42, "unit": "km", "status": "beroperasi"}, {"kind": "ipal", "capacity": 20000, "unit": "m3_hari", "status": "beroperasi"}]),
    "ki_energi": _q({"electricity_mva": 300, "electricity_source": "PLN", "gas_mmbtu": 500000, "gas_source": "PGN"}),
    "ki_air": _q({"capacity": "1.2", "capacity_unit": "m3_detik", "source": "Saluran Tarum Barat", "used": "0.9"}),
    "ki_tenant": _q(
        tenant=[{"name": "PT Indo Pangan", "nib": "0233010001824", "kbli_code": "10110", "land_ha": 5, "status": "beroperasi",
                 "investment": 300_000_000_000, "workforce": 420, "ownership": "pmdn", "country": ""}]
    ),  # fmt: skip
}


def _data(section: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in section["h"].items():
        data[f"h-{name}"] = str(value)
    for prefix, rows in section.items():
        if prefix == "h":
            continue
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{i}-{name}"] = str(value)
    return data


def _filed(user, factory, period: Period, report_type: str, inputs: dict[str, dict]) -> Report | None:
    """Start, fill every section and submit; None when the report already exists (idempotent)."""
    if Report.objects.filter(factory=factory, period=period, report_type=report_type).exists():
        return None
    report = Report.objects.create(factory=factory, period=period, report_type=report_type)
    for code in report.spec.sections:
        section = inputs.get(code) or {"h": {}, **{r.prefix: [] for r in SECTION_HANDLERS[code].rows}}
        result = services.section_save(actor=user, report=report, code=code, data=_data(section), lock_version=report.lock_version)
        if result.state != "lengkap":
            raise RuntimeError(f"demo data for {code} does not pass its checks: {result.forms.errors_json()}")
    result = services.report_submit(actor=user, report=report, lock_version=report.lock_version)
    # Demo only: as if it had been filed on the tenth day of the window.
    inside = timezone.make_aware(dt.datetime.combine(period.window_opens + dt.timedelta(days=9), dt.time(10)))
    Report.objects.filter(pk=report.pk).update(first_submitted_at=inside, last_submitted_at=inside, submitted_on_time=True)
    ReportVersion.objects.filter(report=report).update(created_at=inside, on_time=True)
    report.refresh_from_db()
    return result.report if result else report


def seed(cast: DemoCast) -> None:
    today = timezone.localdate()
    periods = []
    for year in (today.year - 1, today.year):
        periods += services.period_create_semesters(actor=None, year=year)
    opened = sorted((p for p in periods if p.window_opens <= today), key=lambda p: p.window_opens)
    if len(opened) < 2:
        return
    previous, current = opened[-2], opened[-1]
    users, factories = cast.users, cast.factories
    verifier, validator = users["verifikator"], users["validator_pangan"]

    # PT Indo Pangan Bekasi: last period validated; this period started, pre-filled from it.
    pangan = _filed(users["indopangan"], factories["indopangan"], previous, "industri_produksi",
                    _industry("10110", ["Daging sapi beku", "Sosis sapi"], 1.0))  # fmt: skip
    if pangan is not None:
        pangan = services.report_verify(actor=verifier, report=pangan)
        services.report_validate(actor=validator, report=pangan)
        services.report_start(actor=users["indopangan"], factory=factories["indopangan"], period=current, report_type="industri_produksi")
    # PT Indo Pangan Karawang: submitted this period, waiting for verification.
    _filed(users["indopangan2"], factories["indopangan2"], current, "industri_produksi", _industry("10710", ["Roti tawar"], 0.2))
    # PT Maju Tekstil: verified last period, waiting for the sector validator.
    tekstil = _filed(users["majutekstil"], factories["majutekstil"], previous, "industri_produksi", _industry("13111", ["Benang katun"], 0.4))
    if tekstil is not None:
        services.report_verify(actor=verifier, report=tekstil)
    # CV Sinar Logam (Industri Kecil): returned for correction (Pengembalian Data).
    logam = _filed(users["sinarlogam"], factories["sinarlogam"], previous, "industri_produksi_kecil", _industry("25111", ["Pintu besi"], 0.01))
    if logam is not None:
        services.report_return(
            actor=verifier, report=logam, comments={"produksi": "Nilai produksi pintu besi tampak terlalu rendah; mohon periksa satuannya."}
        )
    # Kawasan Cikarang: commercial-stage estate report verified.
    kawasan = _filed(users["kawasanbekasi"], factories["kawasanbekasi"], previous, "kawasan_komersial", ESTATE)
    if kawasan is not None:
        services.report_verify(actor=verifier, report=kawasan)
    # PT Baja Baru (construction): a draft for this period.
    if not Report.objects.filter(factory=factories["bajabaru"], period=current).exists():
        draft = services.report_start(actor=users["bajabaru"], factory=factories["bajabaru"], period=current, report_type="industri_pembangunan")
        data = _industry("24101", ["Baja lembaran"], 1.0)
        for code in ("tenaga_kerja", "investasi", "lahan"):
            services.section_save(actor=users["bajabaru"], report=draft, code=code, data=_data(data[code]), lock_version=draft.lock_version)
