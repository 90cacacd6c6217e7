"""Report types are a declared registry: which types a factory owes, and the 13/2025 categories."""

from __future__ import annotations

import pytest

from accounts.models import AccountType, Factory, Scale
from reporting.registry import REPORT_TYPES, SECTIONS, report_types_owed
from tests.factories import FactoryAccountFactory

pytestmark = pytest.mark.django_db


def _owed(**kwargs) -> list[str]:
    return [t.code for t in report_types_owed(FactoryAccountFactory(**kwargs))]


def test_every_declared_section_exists_in_the_section_list():
    for spec in REPORT_TYPES.values():
        assert set(spec.sections) <= set(SECTIONS), spec.code


def test_industry_in_production_owes_the_production_report_of_its_category(reference_data):
    assert _owed(scale=Scale.BESAR) == ["industri_produksi"]
    assert _owed(scale=Scale.MENENGAH) == ["industri_produksi"]
    assert _owed(scale=Scale.KECIL) == ["industri_produksi_kecil"]


def test_menengah_besar_files_pengeluaran_and_indi_which_industri_kecil_does_not():
    small, large = REPORT_TYPES["industri_produksi_kecil"], REPORT_TYPES["industri_produksi"]
    assert set(large.sections) - set(small.sections) == {"pengeluaran", "indi"}
    assert large.sections[: len(small.sections)] == small.sections


def test_construction_and_estate_accounts_owe_their_own_types(reference_data):
    assert _owed(stage=Factory.Stage.CONSTRUCTION) == ["industri_pembangunan"]
    assert _owed(account_type=AccountType.B, stage=Factory.Stage.CONSTRUCTION) == ["kawasan_pembangunan"]
    assert _owed(account_type=AccountType.B) == ["kawasan_komersial"]
    assert _owed(account_type=AccountType.C) == []


def test_the_commercial_estate_report_is_the_construction_one_plus_tenants():
    assert REPORT_TYPES["kawasan_komersial"].sections == (*REPORT_TYPES["kawasan_pembangunan"].sections, "ki_tenant")


def test_construction_sections_carry_their_plan_titles():
    spec = REPORT_TYPES["industri_pembangunan"]
    assert spec.section_title("kapasitas") == "Rencana kapasitas produksi"
    assert REPORT_TYPES["industri_produksi"].section_title("kapasitas") == "Kapasitas produksi"
