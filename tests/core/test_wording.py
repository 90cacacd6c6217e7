"""One term per concept, Indonesian first (issue 16 §9; the glossary is docs/glossary.md)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from siinas.core.models import Region
from siinas.lib.bounds import WHOLE_NUMBER_ONLY, bound

pytestmark = pytest.mark.django_db


def test_the_login_page_says_username_and_password_as_the_rest_of_the_portal(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert re.search(r'for="id_username"[^>]*>\s*Username', html), "not Django's 'Nama pengguna'"
    assert re.search(r'for="id_password"[^>]*>\s*Password', html), "not Django's 'Sandi'"
    assert "Sandi" not in html and "Nama pengguna" not in html


def test_a_whole_number_field_asks_for_a_whole_number_not_for_zero_decimal_places():
    field = bound(forms.DecimalField(max_digits=20, decimal_places=0))
    with translation.override("id"), pytest.raises(forms.ValidationError) as refused:
        field.clean(Decimal("12.5"))
    assert refused.value.messages == [str(WHOLE_NUMBER_ONLY)]
    assert "0 angka desimal" not in refused.value.messages[0]


def test_every_select_offers_the_same_empty_choice_in_indonesian():
    field = forms.ModelChoiceField(queryset=Region.objects.none(), required=False)
    with translation.override("id"):
        assert str(field.empty_label) == "— pilih —"



def test_the_password_pages_say_password_not_sandi(client, cast):
    """Django's own labels, help texts and validator messages are worded by the project (accounts/wording.py)."""
    from tests.helpers import login

    login(client, cast.company_a)
    url = reverse("accounts:password-change")
    html = client.get(url).content.decode()
    assert "Password lama" in html and "Konfirmasi password baru" in html and "Password paling sedikit 8 karakter" in html
    refused = client.post(url, {"old_password": "salah", "new_password1": "123", "new_password2": "124"}).content.decode()
    assert "Password lama salah" in refused
    for page in (html, refused):
        assert not re.search(r"(?i)\bsandi\b", page), [line for line in page.splitlines() if re.search(r"(?i)\bsandi\b", line)]
