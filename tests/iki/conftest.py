"""IKI fixtures: a clock inside (or outside) the questionnaire window and response builders."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from iki.models import IkiResponse
from tests.factories import FactoryAccountFactory

JAKARTA = ZoneInfo("Asia/Jakarta")
MARCH = date(2026, 3, 1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


@pytest.fixture
def clock(time_machine):
    """Move the clock: ``clock(date(2026, 3, 15))`` (10:00 WIB that day)."""

    def move(day: date, hour: int = 10):
        time_machine.move_to(at(day, hour), tick=False)

    return move


@pytest.fixture
def window_open(clock):
    clock(date(2026, 3, 15))


def answers(**overrides) -> dict:
    """A complete, valid questionnaire as the form posts it."""
    data = {
        "kbli2": "10",
        "operating_commercially": "ya",
        "main_product": "Daging sapi beku",
        "official_name": "Siti Rahma",
        "official_position": "Manajer Pabrik",
        "official_phone": "081234567890",
        "official_email": "siti@indopangan.co.id",
        "general": "meningkat",
        "orders": "meningkat",
        "orders_factors": ["pesanan_domestik", "nilai_tukar"],
        "orders_other": "",
        "production": "tetap",
        "production_factors": [],
        "production_other": "",
        "stock": "menurun",
        "stock_factors": ["penjualan"],
        "stock_other": "",
        "outlook": "optimis",
        "outlook_factors": ["pasar"],
        "outlook_other": "",
    }
    data.update(overrides)
    return data


def service_data(**overrides) -> dict:
    """The same answers as the form's cleaned data (what the service receives)."""
    data = answers(**overrides)
    data["operating_commercially"] = data["operating_commercially"] == "ya"
    data.setdefault("power_of_attorney", None)
    return data


def make_response(factory, period: date, kbli2: str = "10", *, orders="tetap", production="tetap", stock="tetap", **extra):
    """A stored response, built directly (test set-up, not the behaviour under test)."""
    fields = {
        "main_product": "Produk uji",
        "official_name": "Pejabat Uji",
        "official_position": "Direktur",
        "official_phone": "0211234567",
        "official_email": "pejabat@contoh.co.id",
        "general": "tetap",
        "orders": orders,
        "production": production,
        "stock": stock,
        "outlook": "tidak_berubah",
    }
    fields.update(extra)
    return IkiResponse.objects.create(factory=factory, period=period, kbli2_id=kbli2, **fields)


@pytest.fixture
def respondents(reference_data):
    """The spec's worked example as three factories in KBLI 10 (workforce 100, 300, 50)."""

    def build(period: date = MARCH):
        a = FactoryAccountFactory(kbli_codes=["10110"], workforce=100)
        b = FactoryAccountFactory(kbli_codes=["10750"], workforce=300)
        c = FactoryAccountFactory(kbli_codes=["10110"], workforce=50)
        make_response(a, period, orders="meningkat", production="tetap", stock="menurun", orders_factors=["nilai_tukar"])
        make_response(b, period, orders="tetap", production="menurun", stock="tetap")
        make_response(c, period, orders="menurun", production="meningkat", stock="meningkat", orders_factors=["nilai_tukar"])
        return a, b, c

    return build


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
