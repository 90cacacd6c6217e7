"""Demo e-service applications and business-matching entries for the demo factories.

Everything goes through the real services (so numbers, history, audit and e-mails to the console are
as in use). Idempotent: a factory that already has e-service applications or a directory profile is
left alone.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.demo import DemoCast
from eservice import directory_services as ds
from eservice import services
from eservice.catalog import get_service
from eservice.forms import ServiceEntry
from eservice.models import Application, DirectoryProfile, Status
from siinas.core.models import Kbli


def _pdf(title: str) -> ContentFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return ContentFile(buffer.getvalue(), name=f"{title}.pdf")


def _answers(service: str, fields: dict, rows: list[dict] | None = None) -> dict:
    data = dict(fields)
    if rows:
        data.update(
            {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "1"}
        )
        data["rows-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            data.update({f"rows-{i}-{k}": v for k, v in row.items()})
    entry = ServiceEntry(get_service(service), data=data)
    if not entry.is_valid():
        raise ValueError(
            f"demo answers for {service} are invalid: {entry.form.errors} {entry.formset and entry.formset.errors}"
        )
    return entry.payload()


def _application(
    user, service: str, answers: dict, *, until: str, reviewer=None, decision=None, note=""
) -> Application:
    application = services.application_create(actor=user, service_code=service, data=answers)
    if until == Status.DRAFT:
        return application
    for spec in get_service(service).required_documents():
        services.document_add(actor=user, application=application, kind=spec.code, upload=_pdf(spec.code))
    application = services.application_submit(actor=user, application=application)
    if until == Status.SUBMITTED:
        return application
    application = services.application_start_review(actor=reviewer, application=application)
    if until == Status.IN_REVIEW:
        return application
    if until == Status.NEEDS_REVISION:
        return services.application_return(actor=reviewer, application=application, note=note)
    return services.application_decide(
        actor=reviewer,
        application=application,
        approve=until == Status.APPROVED,
        note=note,
        decision_data=decision or {},
    )


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _seed_applications(cast: DemoCast) -> None:
    users = cast.users
    pangan, tekstil = users["validator_pangan"], users["validator_tekstil"]

    licence = _answers(
        "e-licensing",
        {
            "kind": "ekspor",
            "purpose": "Ekspor tepung terigu ke Malaysia",
            "port": "Tanjung Priok",
            "valid_from": _in_days(1),
            "valid_until": _in_days(365),
        },
        [
            {
                "hs_code": "110100",
                "description": "Tepung terigu",
                "quantity": "5000",
                "unit": "ton",
                "country": "Malaysia",
            }
        ],
    )
    _application(
        users["indopangan"],
        "e-licensing",
        licence,
        until=Status.APPROVED,
        reviewer=pangan,
        decision={"valid_until": _in_days(365)},
        note="Sesuai dengan kapasitas produksi.",
    )

    iomki = _answers(
        "iomki",
        {
            "activity": "keduanya",
            "shifts": "3",
            "workforce_total": "420",
            "workforce_on_site": "320",
            "health_officer": "dr. Sari Wulandari",
            "distribution_area": "Jabodetabek, Jawa Barat",
            "vehicles": "14",
            "health_protocol": "on",
        },
    )
    permit = _application(
        users["indopangan"],
        "iomki",
        iomki,
        until=Status.APPROVED,
        reviewer=pangan,
        decision={"valid_until": _in_days(180)},
    )
    services.weekly_report_submit(
        actor=users["indopangan"],
        application=permit,
        week_start=timezone.localdate(),
        operating=True,
        workforce_on_site=310,
        utilisation_pct=78,
        positive_cases=0,
        obstacles="Pasokan gandum terlambat 2 hari.",
    )

    tkdn = _answers(
        "tkdn",
        {
            "product_name": "Tepung terigu protein tinggi",
            "brand": "Cakra",
            "hs_code": "110100",
            "specification": "Protein 13%, kemasan 25 kg",
            "annual_capacity": "120.000 ton",
            "product_count": "2",
            "verifier": "sucofindo",
            "procurement_use": "Pengadaan bahan pangan pemerintah",
        },
    )
    _application(users["indopangan"], "tkdn", tkdn, until=Status.SUBMITTED)  # waits in the verifier's queue

    green = _answers(
        "industri-hijau",
        {
            "data_year": "2025",
            "main_product": "Tepung terigu",
            "production_volume": "120000",
            "production_unit": "ton",
            "material_efficiency_pct": "96.5",
            "energy_intensity": "0.85",
            "water_intensity": "1.2",
            "renewable_energy_pct": "12",
            "waste_recycled_pct": "70",
            "iso14001": "on",
            "proper_rating": "biru",
            "score_production": "78",
            "score_management": "81",
        },
    )
    _application(users["indopangan"], "industri-hijau", green, until=Status.DRAFT)

    machines = _answers(
        "restrukturisasi-mesin",
        {
            "programme_year": str(timezone.localdate().year),
            "production_purpose": "Peningkatan kapasitas pengemasan mi",
            "supplier_name": "PT Mesin Nusantara",
        },
        [
            {
                "name": "Mesin pengemas otomatis",
                "brand": "MN-200",
                "origin": "dalam_negeri",
                "purchase_date": _in_days(-30),
                "quantity": "2",
                "unit_price": "185000000",
            },
            {
                "name": "Timbangan digital",
                "brand": "TD-5",
                "origin": "impor",
                "purchase_date": _in_days(-30),
                "quantity": "1",
                "unit_price": "42000000",
            },
        ],
    )
    _application(users["indopangan2"], "restrukturisasi-mesin", machines, until=Status.SUBMITTED)

    capability = _answers(
        "vki",
        {
            "product_group": "kain",
            "material": "Benang poliester",
            "material_hs_code": "540233",
            "installed_capacity": "2400",
            "realised_production": "1900",
            "material_need": "2000",
            "domestic_supply": "1500",
            "import_need": "450",
            "machines": "140",
            "workforce": "160",
        },
    )
    _application(
        users["majutekstil"],
        "vki",
        capability,
        until=Status.NEEDS_REVISION,
        reviewer=tekstil,
        note="Lampirkan laporan realisasi produksi per bulan.",
    )

    small = _answers(
        "tkdn-ik",
        {
            "product_name": "Baut baja M10",
            "brand": "SinarBaut",
            "specification": "Baut baja karbon galvanis",
            "hs_code": "731815",
            "annual_capacity": "200.000 buah",
        },
        [
            {"component": "Kawat baja", "category": "bahan", "domestic_cost": "1200", "foreign_cost": "300"},
            {
                "component": "Upah langsung",
                "category": "tenaga_kerja",
                "domestic_cost": "400",
                "foreign_cost": "0",
            },
            {
                "component": "Listrik dan penyusutan",
                "category": "btlp",
                "domestic_cost": "150",
                "foreign_cost": "0",
            },
        ],
    )
    _application(users["sinarlogam"], "tkdn-ik", small, until=Status.DRAFT)


DIRECTORY = {
    # user key: (profile fields, products as (name, description, HS, KBLI, capacity, published))
    "indopangan": (
        {
            "description": "Produsen tepung terigu dan mi kering untuk industri makanan.",
            "publish_region": True,
            "publish_kbli": True,
            "publish_scale": True,
            "contact_name": "Bagian Penjualan",
            "contact_email": "penjualan@indopangan.co.id",
            "publish_contact": True,
        },
        [
            (
                "Tepung terigu protein tinggi",
                "Untuk roti dan mi, kemasan 25 kg",
                "110100",
                "10616",
                "120.000 ton/tahun",
                True,
            ),
            ("Mi kering", "Mi telur kering, kemasan 200 g", "190230", "10740", "8.000 ton/tahun", True),
        ],
    ),
    "majutekstil": (
        {
            "description": "Pertenunan kain poliester dan konveksi kemeja.",
            "publish_region": True,
            "publish_kbli": True,
        },
        [
            (
                "Kain tenun poliester",
                "Lebar 150 cm, berbagai warna",
                "540752",
                "13121",
                "2.400 ton/tahun",
                True,
            ),
            (
                "Kemeja kerja",
                "Seragam kerja katun-poliester",
                "620520",
                "14111",
                "300.000 potong/tahun",
                True,
            ),
        ],
    ),
    "sinarlogam": (
        {
            "description": "Bengkel baut, mur dan komponen logam presisi.",
            "publish_region": True,
            "publish_scale": True,
            "contact_phone": "031-8430000",
            "publish_contact": True,
        },
        [
            ("Baut dan mur baja", "M6–M20, galvanis", "731815", "25952", "200.000 buah/tahun", True),
            ("Prototipe komponen khusus", "Belum dipasarkan", "732690", "", "", False),
        ],
    ),
}


def _seed_directory(cast: DemoCast) -> None:
    for key, (profile_fields, products) in DIRECTORY.items():
        user = cast.users[key]
        ds.profile_save(
            actor=user,
            data={"is_published": True, **profile_fields},
        )
        for name, description, hs, kbli, capacity, published in products:
            ds.product_save(
                actor=user,
                data={
                    "name": name,
                    "description": description,
                    "hs_code": hs,
                    "capacity": capacity,
                    "kbli": Kbli.objects.filter(code=kbli).first() if kbli else None,
                    "is_published": published,
                },
            )
    supplier = cast.users["sinarlogam"].factory.directory_profile
    inquiry = ds.inquiry_send(
        actor=cast.users["majutekstil"],
        supplier=supplier,
        product=supplier.products.filter(is_published=True).first(),
        subject="Baut M10 untuk rangka mesin tenun",
        body="Mohon penawaran 5.000 buah baut M10 galvanis, kirim ke Bandung.",
    )
    ds.inquiry_reply(
        actor=cast.users["sinarlogam"], inquiry=inquiry, body="Bisa, Rp 2.100/buah, kirim 2 minggu."
    )


def seed(cast: DemoCast) -> None:
    factories = [cast.users[k].factory_id for k in ("indopangan", "indopangan2", "majutekstil", "sinarlogam")]
    if not Application.objects.filter(factory_id__in=factories).exists():
        _seed_applications(cast)
    if not DirectoryProfile.objects.filter(factory_id__in=factories).exists():
        _seed_directory(cast)
