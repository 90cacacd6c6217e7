"""Builders for accounts tests (and the authorization table)."""

from __future__ import annotations

import io
import itertools

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Registration
from siinas.core.models import Region

_seq = itertools.count(1)

# Valid NPWPs (check digit per python-stdnum): the old 15-digit form and the 16-digit form.
NPWP_15 = "013121660091000"
NPWP_16 = "0016090524017000"


def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def nib_upload(name: str = "nib.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes(), content_type="application/pdf")


def make_registration(**overrides) -> Registration:
    """A pending registration stored as the public form would store it (NIB PDF in private storage)."""
    n = next(_seq)
    fields = {
        "company_name": f"PT Registrasi Uji {n}",
        "business_kind": Registration.BusinessKind.INDUSTRY,
        "factory_name": "Pabrik Utama",
        "region": Region.objects.get(pk="32.16"),
        "address": f"Jalan Uji Registrasi {n}",
        "npwp": NPWP_15,
        "nib": f"{8100000000000 + n:013d}",
        "email": f"registrasi{n}@contoh.co.id",
        "submitted_at": timezone.now(),
    }
    fields.update(overrides)
    registration = Registration(**fields)
    registration.nib_file.save("nib.pdf", ContentFile(pdf_bytes()), save=False)
    registration.save()
    registration.number = f"REGTEST-{registration.pk:05d}"
    registration.save(update_fields=["number"])
    return registration
