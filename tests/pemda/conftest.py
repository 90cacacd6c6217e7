"""Pemda fixtures: factories placed around the cast's officers, and a bulk territory of 10,000+."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from accounts.models import AccountType, Factory, Scale
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory
from tests.pemda.bulk import populate_ten_thousand


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The territory's reporting rate is cached; each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def place(reference_data):
    """``place("32.16", "kecil", kbli=["10110"])`` → a factory account in that kab/kota."""

    def make(region: str, scale: str = Scale.KECIL, *, account_type: str = AccountType.A, kbli=("10110",), **extra) -> Factory:
        return FactoryAccountFactory(
            region=Region.objects.get(pk=region), scale=scale, account_type=account_type, kbli_codes=list(kbli), **extra
        )

    return make


@pytest.fixture
def ten_thousand(cast):
    """10,200 accounts: most in Jawa Barat (several kab/kota, Kab. Bekasi included), some in Jawa Timur."""
    populate_ten_thousand()
    return Factory.objects.count()


@pytest.fixture
def pdf_upload():
    def make(name: str = "lampiran.pdf"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        writer = PdfWriter()
        writer.add_blank_page(width=72, height=72)
        buffer = io.BytesIO()
        writer.write(buffer)
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")

    return make
