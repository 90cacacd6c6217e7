"""A service form reads and shows numbers in the page's language, like the report forms (issue 16 §3)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from eservice.models import Application
from tests.eservice import builders as b
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _value(page: str, name: str) -> str:
    return re.search(rf'<input [^>]*name="{name}"[^>]*value="([^"]*)"', page).group(1)


def test_grouped_numbers_and_decimal_commas_are_read_and_shown_again_grouped(client, cast):
    login(client, cast.company_a)
    data = b.post_data("industri-hijau", production_volume="1.200.000", energy_intensity="0,85", data_year="2025")
    response = client.post(reverse("eservice:application-create", args=["industri-hijau"]), data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    application = Application.objects.filter(service="industri-hijau").latest("pk")
    assert application.data["production_volume"] == "1200000" and application.data["energy_intensity"] == "0.85"
    page = client.get(reverse("eservice:application-edit", args=[application.pk])).content.decode()
    assert _value(page, "production_volume") == "1.200.000"
    assert _value(page, "energy_intensity") == "0,85"
    assert _value(page, "data_year") == "2025"  # a year is not grouped
    assert 'data-decimal-mark=","' in page


def test_a_number_written_in_the_other_language_gets_the_message_at_its_field(client, cast):
    login(client, cast.company_a)
    data = b.post_data("iomki", workforce_total="1,200.5")
    page = client.post(reverse("eservice:application-create", args=["iomki"]), data).content.decode()
    assert "Masukkan bilangan bulat, misalnya 1.234.567." in page
    assert not Application.objects.filter(service="iomki").exists()
