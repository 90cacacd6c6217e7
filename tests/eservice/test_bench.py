"""The benchmark prints its figures and leaves the database as it found it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from eservice.models import Application, DirectoryProfile

pytestmark = pytest.mark.django_db


def test_bench_eservice_prints_figures_and_rolls_back(reference_data):
    out = io.StringIO()
    call_command("bench_eservice", suppliers=30, applications=30, runs=1, stdout=out)
    text = out.getvalue()
    assert "30 profil terbit (90 produk), 30 permohonan e-Licensing" in text
    assert "kata kunci 'tepung'" in text and "Antrean validator (50 baris)" in text
    assert not DirectoryProfile.objects.exists() and not Application.objects.exists()
