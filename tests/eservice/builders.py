"""Builders for e-service tests and the authorization table: valid answers per service, real uploads,
and applications brought to a given status through the real services (never by setting fields)."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Factory, Scale
from eservice import directory_services as ds
from eservice import services
from eservice.catalog import get_service
from eservice.models import Application, DirectoryProduct, Inquiry, Status
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory, company_user


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "dokumen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def _future(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# Valid answers per service, as the form posts them (rows as a formset with the "rows" prefix).
FIELDS: dict[str, dict[str, str]] = {
    "e-licensing": {
        "kind": "ekspor",
        "purpose": "Ekspor tepung terigu ke Malaysia",
        "port": "Tanjung Priok",
        "valid_from": _future(1),
        "valid_until": _future(180),
    },
    "iomki": {
        "activity": "keduanya",
        "shifts": "2",
        "workforce_total": "420",
        "workforce_on_site": "300",
        "health_officer": "Dr. Sari Wulandari",
        "distribution_area": "Jabodetabek dan Jawa Barat",
        "vehicles": "12",
        "health_protocol": "on",
    },
    "industri-hijau": {
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
        "smk3": "on",
        "proper_rating": "biru",
        "csr_programmes": "Bank sampah desa",
        "score_production": "78",
        "score_management": "81",
    },
    "restrukturisasi-mesin": {
        "programme_year": "2026",
        "production_purpose": "Peningkatan kapasitas pengemasan",
        "supplier_name": "PT Mesin Nusantara",
    },
    "tkdn-ik": {
        "product_name": "Baut baja M10",
        "brand": "LogamKu",
        "specification": "Baut baja karbon, galvanis",
        "hs_code": "731815",
        "annual_capacity": "200.000 buah",
    },
    "tkdn": {
        "product_name": "Tepung terigu protein tinggi",
        "brand": "Cakra",
        "hs_code": "110100",
        "specification": "Protein 13%, kemasan 25 kg",
        "annual_capacity": "120.000 ton",
        "product_count": "3",
        "verifier": "sucofindo",
        "procurement_use": "Pengadaan bahan makanan pemerintah",
    },
    "vki": {
        "product_group": "kain",
        "material": "Benang poliester",
        "material_hs_code": "540233",
        "installed_capacity": "1000",
        "realised_production": "800",
        "material_need": "900",
        "domestic_supply": "600",
        "import_need": "250",
        "machines": "120",
        "workforce": "160",
    },
}

ROWS: dict[str, list[dict[str, str]]] = {
    "e-licensing": [
        {
            "hs_code": "110100",
            "description": "Tepung terigu",
            "quantity": "5000",
            "unit": "ton",
            "country": "Malaysia",
        }
    ],
    "restrukturisasi-mesin": [
        {
            "name": "Mesin pengemas otomatis",
            "brand": "MN-200",
            "origin": "dalam_negeri",
            "purchase_date": "2026-01-15",
            "quantity": "2",
            "unit_price": "100000000",
        },
        {
            "name": "Timbangan digital",
            "brand": "TD-5",
            "origin": "impor",
            "purchase_date": "2026-01-20",
            "quantity": "1",
            "unit_price": "50000000",
        },
    ],
    "tkdn-ik": [
        {"component": "Kawat baja", "category": "bahan", "domestic_cost": "600", "foreign_cost": "200"},
        {"component": "Upah", "category": "tenaga_kerja", "domestic_cost": "150", "foreign_cost": "0"},
        {"component": "Listrik", "category": "btlp", "domestic_cost": "50", "foreign_cost": "0"},
    ],
}


def post_data(service: str, **overrides: str) -> dict[str, str]:
    data = dict(FIELDS[service])
    rows = ROWS.get(service)
    if rows is not None:
        data.update(
            {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "1"}
        )
        data["rows-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            data.update({f"rows-{i}-{k}": v for k, v in row.items()})
    data.update(overrides)
    return data


def payload(service: str) -> dict:
    """The JSON the engine stores for the valid answers above (built by the real form)."""
    from eservice.forms import ServiceEntry

    entry = ServiceEntry(get_service(service), data=post_data(service))
    assert entry.is_valid(), (entry.form.errors, entry.formset and entry.formset.errors)
    return entry.payload()


def textile_factory() -> Factory:
    """A textile mill (KBLI 13121) for VKI; reviewed by a validator holding division 13."""
    return FactoryAccountFactory(
        company__name="PT Tenun Priangan",
        name="Pabrik Majalaya",
        region=Region.objects.get(pk="32.04"),
        scale=Scale.MENENGAH,
        kbli_codes=["13121"],
    )


def applicant(factory: Factory, username: str):
    return company_user(factory, username)


def application_in(status: str, *, user, service: str = "e-licensing", reviewer=None) -> Application:
    """An application of ``user``'s factory brought to ``status`` through the real services."""
    application = services.application_create(actor=user, service_code=service, data=payload(service))
    if status == Status.DRAFT:
        return application
    for spec in get_service(service).required_documents():
        services.document_add(
            actor=user, application=application, kind=spec.code, upload=pdf_upload(f"{spec.code}.pdf")
        )
    if status == "lengkap":  # a draft with every required document, ready to submit
        return application
    application = services.application_submit(actor=user, application=application)
    if status == Status.SUBMITTED:
        return application
    application = services.application_start_review(actor=reviewer, application=application)
    if status == Status.IN_REVIEW:
        return application
    if status == Status.NEEDS_REVISION:
        return services.application_return(actor=reviewer, application=application, note="Lengkapi data.")
    approve = status == Status.APPROVED
    decision = {}
    if approve and get_service(service).decision_form is not None:
        decision = DECISIONS[service]
    services.application_decide(
        actor=reviewer,
        application=application,
        approve=approve,
        note="" if approve else "Tidak memenuhi syarat.",
        decision_data=decision,
    )
    application.refresh_from_db()
    return application


DECISIONS = {
    "e-licensing": {"valid_until": _future(180)},
    "iomki": {"valid_until": _future(180)},
    "vki": {
        "verified_capacity": "950.00",
        "verified_import_need": "200.00",
        "verification_method": "lapangan",
        "verification_date": timezone.localdate().isoformat(),
    },
}


def decision_post(service: str) -> dict[str, str]:
    return {f"keputusan-{k}": v for k, v in DECISIONS.get(service, {}).items()}


# --- Directory -------------------------------------------------------------------------------------


def published_supplier(
    user, *, products: tuple[tuple[str, str, str], ...] = (("Tepung terigu", "110100", "10110"),), **flags
):
    """Publish ``user``'s factory with the given products (name, HS, KBLI) and profile switches."""
    data = {"is_published": True, **flags}
    profile = ds.profile_save(actor=user, data=data)
    from siinas.core.models import Kbli

    for name, hs, kbli in products:
        ds.product_save(
            actor=user,
            data={
                "name": name,
                "hs_code": hs,
                "kbli": Kbli.objects.get(code=kbli) if kbli else None,
                "is_published": True,
            },
        )
    return profile


def third_company():
    factory = FactoryAccountFactory(
        company__name="PT Kemasan Jaya",
        name="Pabrik Tangerang",
        region=Region.objects.get(pk="36.03"),
        kbli_codes=["22220"],
    )
    return applicant(factory, f"kemasan{factory.pk}")


def thread_between(buyer_user, supplier_user) -> Inquiry:
    profile = published_supplier(supplier_user, products=(("Kantong plastik", "392321", ""),))
    return ds.inquiry_send(
        actor=buyer_user, supplier=profile, subject="Penawaran kantong", body="Mohon penawaran 10.000 buah."
    )


def own_product(user) -> DirectoryProduct:
    ds.profile_save(actor=user, data={})
    return ds.product_save(
        actor=user, data={"name": "Produk rahasia", "hs_code": "110100", "is_published": False}
    )
