"""Issue 3, "Done when": a registration filed through the views (with the upload) is approved by a
UPP user and its e-mailed credentials log in — and the first thing asked is a new password."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Registration, User
from tests.accounts.factories import NPWP_16, nib_upload
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_a_registration_filed_through_the_views_is_approved_and_its_credentials_log_in(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:register"),
            {
                "company_name": "PT Sentosa Makmur Pangan",
                "business_kind": "industri",
                "factory_name": "Pabrik Cikarang",
                "region": "32.16",
                "address": "Jalan Industri Selatan 5 Blok JJ",
                "npwp": NPWP_16,
                "nib": "1234567890123",
                "nib_file": nib_upload("NIB OSS.pdf"),
                "email": "legal@sentosa.co.id",
                "captcha_0": "x",
                "captcha_1": "PASSED",
            },
        )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register-receipt")
    registration = Registration.objects.get(nib="1234567890123")
    receipt = client.get(response["Location"]).content.decode()
    assert f"#{registration.number}" in receipt and "legal@sentosa.co.id" in receipt
    assert mail.outbox[-1].to == ["legal@sentosa.co.id"] and registration.number in mail.outbox[-1].subject

    upp = login(client.__class__(), cast.upp)
    assert registration.company_name in upp.get(reverse("accounts:registration-queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        decided = upp.post(reverse("accounts:registration-approve", args=[registration.pk]), {"account_type": "A"})
    assert decided.status_code == 302

    credentials = mail.outbox[-1]
    assert credentials.to == ["legal@sentosa.co.id"]
    username = re.search(r"(?:Username|Nama pengguna): (\S+)", credentials.body).group(1)
    password = re.search(r"Password sekali pakai: (\S+)", credentials.body).group(1)
    user = User.objects.get(username=username)
    assert user.factory.company.nib == "1234567890123" and user.factory.account_type == "A"

    company = client.__class__()
    signed_in = company.post(reverse("accounts:login"), {"username": username, "password": password})
    assert signed_in.status_code == 302
    landing = company.get(reverse("core:dashboard"))
    assert landing.status_code == 302 and landing["Location"].startswith(reverse("accounts:password-change"))

    changed = company.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": "Pabrik#Cikarang9", "new_password2": "Pabrik#Cikarang9"},
    )
    assert changed.status_code == 302
    assert company.get(reverse("core:dashboard")).status_code == 200
    assert company.get(reverse("accounts:profile")).status_code == 200
