"""Registrasi Akun SIINas (public form): fields, NPWP/NIB checks, the NIB PDF, one account per
location, receipt, rate limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts import forms as account_forms
from accounts.models import Registration
from accounts.services import registration as registration_services
from siinas.core.models import AuditEvent
from siinas.lib import uploads
from tests.accounts.factories import NPWP_15, NPWP_16, make_registration, nib_upload, pdf_bytes
from tests.factories import FactoryAccountFactory

pytestmark = pytest.mark.django_db


def _data(**overrides) -> dict:
    data = {
        "company_name": "PT Sentosa Makmur",
        "business_kind": "industri",
        "factory_name": "Pabrik Cikarang",
        "region": "32.16",
        "address": "Jalan Industri Selatan 5",
        "npwp": NPWP_15,
        "nib": "1234567890123",
        "nib_file": nib_upload(),
        "email": "legal@sentosa.co.id",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def _errors(response) -> dict:
    return response.context["form"].errors


def test_the_receipt_page_and_email_show_id_date_company_and_email(reference_data, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), _data(), follow=True)
    registration = Registration.objects.get()
    page = response.content.decode()
    assert registration.number and f"#{registration.number}" in page
    assert "PT Sentosa Makmur" in page and "legal@sentosa.co.id" in page
    assert registration.submitted_at.astimezone().strftime("%Y") in page
    sent = mail.outbox[-1]
    assert sent.to == ["legal@sentosa.co.id"]
    assert f"#{registration.number}" in sent.body and "PT Sentosa Makmur" in sent.body and "WIB" in sent.body
    assert AuditEvent.objects.filter(action="accounts.registration.submitted", target_id=str(registration.pk)).exists()


def test_the_receipt_is_only_shown_to_the_browser_that_registered(reference_data, client):
    make_registration()
    response = client.get(reverse("accounts:register-receipt"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register")


@pytest.mark.parametrize("npwp", [NPWP_15, NPWP_16, "01.312.166.0-091.000"])
def test_a_valid_15_or_16_digit_npwp_is_accepted(npwp):
    assert account_forms.clean_npwp_value(npwp).isdigit()


@pytest.mark.parametrize(
    ("npwp", "message"),
    [
        ("013121661091000", account_forms.NPWP_INVALID),  # check digit wrong
        ("0016090525017000", account_forms.NPWP_INVALID),  # 16 digits, check digit wrong
        ("12345", account_forms.NPWP_LENGTH),
        ("01312166009100A", account_forms.NPWP_LENGTH),
    ],
)
def test_a_bad_npwp_is_refused_at_the_field(reference_data, client, npwp, message):
    response = client.post(reverse("accounts:register"), _data(npwp=npwp))
    assert _errors(response)["npwp"] == [message]
    assert not Registration.objects.exists()


@pytest.mark.parametrize("nib", ["123456789012", "12345678901234", "12345678901AB"])
def test_nib_must_be_13_digits(reference_data, client, nib):
    response = client.post(reverse("accounts:register"), _data(nib=nib))
    assert _errors(response)["nib"] == [account_forms.NIB_FORMAT]


def test_the_nib_file_is_checked_by_content_not_by_its_name(reference_data, client):
    fake = nib_upload("nib.pdf", b"%PDF-1.7 this is not really a pdf")
    response = client.post(reverse("accounts:register"), _data(nib_file=fake))
    assert _errors(response)["nib_file"] == [uploads.UPLOAD_NOT_PDF]
    picture = nib_upload("nib.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    response = client.post(reverse("accounts:register"), _data(nib_file=picture))
    assert _errors(response)["nib_file"] == [uploads.UPLOAD_NOT_PDF]
    # What the applicant typed is kept for the next try.
    assert response.context["form"]["company_name"].value() == "PT Sentosa Makmur"
    assert not Registration.objects.exists()


def test_the_nib_file_limit_is_64_mb_and_larger_is_refused(reference_data, client, settings):
    assert settings.UPLOAD_MAX_BYTES == 64 * 1024 * 1024
    settings.UPLOAD_MAX_BYTES = 1024  # the same check with a small limit, so the test stays light
    big = pdf_bytes(pages=40)
    assert len(big) > 1024
    response = client.post(reverse("accounts:register"), _data(nib_file=nib_upload(content=big)))
    assert _errors(response)["nib_file"] == [uploads.UPLOAD_TOO_LARGE % {"limit": 0}]


def test_a_large_upload_streams_to_disk_rather_than_memory():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * 1024 * 1024


def test_the_nib_file_is_stored_under_a_generated_name_outside_the_web_root(reference_data, client):
    client.post(reverse("accounts:register"), _data(nib_file=nib_upload("../../etc/NIB saya.pdf")))
    registration = Registration.objects.get()
    stored = Path(registration.nib_file.path)
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert "saya" not in stored.name and stored.suffix == ".pdf"
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))
    assert stored.read_bytes().startswith(b"%PDF-")


def test_location_is_required(reference_data, client):
    response = client.post(reverse("accounts:register"), _data(region="", address=""))
    assert _errors(response)["region"] == [account_forms.LOCATION_REQUIRED]
    assert _errors(response)["address"] == [account_forms.LOCATION_REQUIRED]


def test_the_same_location_of_a_pending_registration_is_refused(reference_data, client):
    make_registration(nib="1234567890123", address="Jalan Industri Selatan 5", region_id="32.16")
    response = client.post(reverse("accounts:register"), _data(address="JALAN  Industri Selatan, 5."))
    assert _errors(response)["address"] == [registration_services.LOCATION_PENDING]
    assert Registration.objects.count() == 1


def test_the_same_location_of_an_existing_account_is_refused(cast, client):
    response = client.post(
        reverse("accounts:register"),
        _data(nib=cast.factory_a.company.nib, address=cast.factory_a.address, region=cast.factory_a.region_id),
    )
    assert _errors(response)["address"] == [registration_services.LOCATION_HAS_ACCOUNT]
    assert not Registration.objects.exists()


def test_another_location_of_the_same_nib_is_allowed(cast, client):
    response = client.post(
        reverse("accounts:register"),
        _data(nib=cast.factory_a.company.nib, address="Jalan Lain 99, Cikarang Barat", region="32.16"),
    )
    assert response.status_code == 302
    assert Registration.objects.filter(nib=cast.factory_a.company.nib).count() == 1


def test_a_rejected_registration_does_not_block_registering_the_location_again(reference_data, client, cast):
    from accounts.services import registration_reject

    old = make_registration(nib="1234567890123", address="Jalan Industri Selatan 5", region_id="32.16")
    registration_reject(actor=cast.upp, registration_id=old.pk, reason="NIB buram")
    assert client.post(reverse("accounts:register"), _data()).status_code == 302


def test_the_captcha_is_required(reference_data, client):
    response = client.post(reverse("accounts:register"), _data(captcha_1="salah"))
    assert _errors(response)["captcha"] == [account_forms.CAPTCHA_INVALID]


def test_registration_is_rate_limited_per_address(reference_data, client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "siinas_registration": "2/h/ip"}
    for n in range(2):
        client.post(reverse("accounts:register"), _data(address=f"Jalan {n}"))
    response = client.post(reverse("accounts:register"), _data(address="Jalan 3"))
    assert response.status_code == 429
    assert Registration.objects.count() == 2


def test_a_factory_of_the_same_company_elsewhere_does_not_collide(cast):
    FactoryAccountFactory(company=cast.factory_a.company, address="Jalan Lain 1", region=cast.factory_a.region)
    assert registration_services._location_conflict(cast.factory_a.company.nib, "32.16|jalan lain 2") is None


def test_two_identical_submissions_at_the_same_instant_queue_once(reference_data, monkeypatch):
    """The pre-check can be raced; the partial unique constraint still refuses the twin at the field."""
    from django.core.exceptions import ValidationError

    from siinas.core.models import Region

    make_registration(nib="1234567890123", address="Jalan Kembar 1", region_id="32.16")
    monkeypatch.setattr(registration_services, "_location_conflict", lambda *args, **kwargs: None)
    data = {
        "company_name": "PT Kembar", "business_kind": "industri", "factory_name": "", "region": Region.objects.get(pk="32.16"),
        "address": "Jalan Kembar 1", "npwp": NPWP_15, "nib": "1234567890123", "email": "k@kembar.id",
    }
    with pytest.raises(ValidationError) as exc:
        registration_services.registration_submit(data=data, nib_file=nib_upload())
    assert exc.value.message_dict["address"] == [registration_services.LOCATION_PENDING]
    assert Registration.objects.filter(nib="1234567890123").count() == 1
