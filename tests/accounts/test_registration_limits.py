"""The public registration form spends nothing on a request it will refuse anyway (issue 13 §3): the rate
limit comes before any check, and the NIB PDF is parsed only once the captcha and every other field are
valid."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Registration
from accounts.views.auth import RATE_LIMITED
from tests.accounts.factories import nib_upload
from tests.accounts.test_registration import _data as registration_post
from tests.core import upload_corpus as corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_parses(monkeypatch):
    """Counts the PDF parses: every ``pypdf.PdfReader`` made while the test runs (the expensive step)."""
    import pypdf

    calls = []

    class CountingReader(pypdf.PdfReader):
        def __init__(self, *args, **kwargs):
            calls.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pypdf, "PdfReader", CountingReader)
    return calls


@pytest.fixture(scope="module")
def large_pdf() -> bytes:
    return corpus.large_pdf(megabytes=8)


def _data(pdf: bytes, **overrides) -> dict:
    """The public form's valid post (tests/accounts/test_registration.py) with ``pdf`` as the NIB."""
    return registration_post(nib_file=nib_upload("NIB.pdf", pdf), **overrides)


def test_a_wrong_captcha_with_a_large_valid_pdf_never_parses_the_pdf(reference_data, client, pdf_parses, large_pdf):
    response = client.post(reverse("accounts:register"), _data(large_pdf, captcha_1="salah"))
    assert response.status_code == 200
    assert "captcha" in response.context["form"].errors
    assert "nib_file" not in response.context["form"].errors
    assert pdf_parses == []
    assert not Registration.objects.exists()


def test_another_invalid_field_also_leaves_the_pdf_unparsed(reference_data, client, pdf_parses, large_pdf):
    response = client.post(reverse("accounts:register"), _data(large_pdf, nib="123"))
    assert "nib" in response.context["form"].errors
    assert pdf_parses == []


def test_an_oversized_file_is_refused_by_its_size_alone(reference_data, client, settings, pdf_parses, large_pdf):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    response = client.post(reverse("accounts:register"), _data(large_pdf, captcha_1="salah"))
    errors = response.context["form"].errors
    assert errors["nib_file"] == ["Ukuran berkas melebihi batas 1 MB."] and "captcha" in errors
    assert pdf_parses == []


def test_a_rate_limited_client_is_refused_before_any_check(reference_data, client, settings, pdf_parses, large_pdf):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "siinas_registration": "1/h/ip"}
    client.post(reverse("accounts:register"), _data(corpus.pdf(), captcha_1="salah"))
    pdf_parses.clear()
    response = client.post(reverse("accounts:register"), _data(large_pdf))
    assert response.status_code == 429
    assert pdf_parses == []
    assert RATE_LIMITED in response.content.decode()
    # What was typed is shown again, unvalidated.
    assert response.context["form"]["company_name"].value() == "PT Sentosa Makmur"
    assert not response.context["form"].is_bound
    assert not Registration.objects.exists()


def test_the_pdf_is_parsed_once_when_everything_else_is_valid(reference_data, client, pdf_parses, large_pdf):
    response = client.post(reverse("accounts:register"), _data(large_pdf))
    assert response.status_code == 302
    assert len(pdf_parses) == 1
    assert Registration.objects.get().nib_file.name.endswith(".pdf")


def test_a_pdf_with_javascript_is_refused_at_the_field(reference_data, client):
    response = client.post(reverse("accounts:register"), _data(corpus.pdf_with_open_action_javascript()))
    assert response.context["form"].errors["nib_file"] == [
        "Dokumen PDF ini berisi JavaScript atau aksi otomatis, yang tidak diterima. "
        "Simpan ulang sebagai PDF biasa (mis. Cetak ke PDF) lalu unggah lagi."
    ]
    assert response.context["form"]["company_name"].value() == "PT Sentosa Makmur"
    assert not Registration.objects.exists()


def test_an_encrypted_pdf_is_refused_at_the_field_with_its_own_message(reference_data, client):
    response = client.post(reverse("accounts:register"), _data(corpus.encrypted_pdf()))
    assert response.context["form"].errors["nib_file"] == [
        "Dokumen PDF ini terenkripsi atau dilindungi password, sehingga tidak dapat diperiksa. "
        "Unggah PDF tanpa enkripsi (mis. simpan ulang dengan Cetak ke PDF)."
    ]


def test_the_upp_officer_downloads_the_nib_as_an_attachment(reference_data, client, cast):
    from tests.accounts.factories import make_registration
    from tests.helpers import login

    registration = make_registration()
    login(client, cast.upp)
    response = client.get(reverse("accounts:registration-nib-file", args=[registration.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="NIB-{registration.nib}.pdf"'
    assert response["Content-Type"] == "application/pdf"
