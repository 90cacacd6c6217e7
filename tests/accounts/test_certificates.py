"""Bukti Kepemilikan Akun: the PDF with the spec's text and a QR whose signed token opens the public
check page; re-issue supersedes, revoke shows revoked, a forged or altered token is not valid."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from django.conf import settings
from django.core import signing
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AccountCertificate
from accounts.services import certificate_issue, certificate_revoke, certificate_token
from accounts.services.certificates import CERTIFICATE_SALT
from siinas.core.models import AuditEvent
from tests.factories import FactoryAccountFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _qr_urls(pdf: bytes) -> list[str]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    urls = []
    for image in page.images:
        urls += [barcode.text for barcode in zxingcpp.read_barcodes(image.image.convert("L"))]
    return urls


def _state(client, url: str) -> str:
    response = client.get(url)
    html = response.content.decode()
    return next(s for s in ("valid", "superseded", "revoked", "invalid") if f'data-state="{s}"' in html)


def test_the_pdf_has_the_spec_text_and_a_qr_that_opens_the_check_page(cast, client):
    login(client, cast.admin)
    client.post(reverse("accounts:certificate-issue", args=[cast.factory_a.pk]))
    certificate = AccountCertificate.objects.get(factory=cast.factory_a)
    response = client.get(reverse("accounts:certificate-pdf", args=[certificate.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    flat = " ".join(text.split())
    assert "Kementerian Perindustrian menyatakan bahwa perusahaan di bawah ini" in flat
    assert "PT Indo Pangan" in flat and "0233010001824" in flat and "Jalan Melati 4" in flat
    assert "telah memiliki akun SIINas" in flat
    (url,) = _qr_urls(response.content)
    assert url == settings.SIINAS_BASE_URL + reverse("accounts:certificate-check", kwargs={"token": certificate_token(certificate)})
    public = client.__class__()
    page = public.get(url.removeprefix(settings.SIINAS_BASE_URL))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-state="valid"' in html
    assert "PT Indo Pangan" in html and "0233010001824" in html and "Jalan Melati 4" in html


def test_the_company_downloads_its_own_current_certificate(cast, client):
    certificate_issue(actor=cast.admin, factory=cast.factory_a)
    login(client, cast.company_a)
    response = client.get(reverse("accounts:certificate-own"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert _qr_urls(response.content)


def test_reissuing_supersedes_the_old_certificate(cast, client):
    first = certificate_issue(actor=cast.admin, factory=cast.factory_a)
    second = certificate_issue(actor=cast.admin, factory=cast.factory_a)
    first.refresh_from_db()
    assert first.status == AccountCertificate.Status.SUPERSEDED and second.version == first.version + 1
    assert _state(client, reverse("accounts:certificate-check", args=[certificate_token(first)])) == "superseded"
    assert _state(client, reverse("accounts:certificate-check", args=[certificate_token(second)])) == "valid"
    assert AuditEvent.objects.filter(action="accounts.certificate.issued", actor=cast.admin).count() == 2


def test_a_revoked_certificate_shows_as_revoked(cast, client):
    certificate = certificate_issue(actor=cast.admin, factory=cast.factory_a)
    login(client, cast.admin)
    empty = client.post(reverse("accounts:certificate-revoke", args=[certificate.pk]), {"reason": ""}, follow=True)
    assert "Alasan pencabutan wajib diisi." in empty.content.decode()
    client.post(reverse("accounts:certificate-revoke", args=[certificate.pk]), {"reason": "Pabrik tutup"})
    certificate.refresh_from_db()
    assert certificate.status == AccountCertificate.Status.REVOKED and certificate.revoked_by == cast.admin
    public = client.__class__()
    assert _state(public, reverse("accounts:certificate-check", args=[certificate_token(certificate)])) == "revoked"
    assert AuditEvent.objects.filter(action="accounts.certificate.revoked", extra__reason="Pabrik tutup").exists()
    with pytest.raises(Exception):  # noqa: B017 — cannot be revoked twice
        certificate_revoke(actor=cast.admin, certificate=certificate, reason="lagi")


def test_a_tampered_or_forged_token_is_not_valid(cast, client):
    certificate = certificate_issue(actor=cast.admin, factory=cast.factory_a)
    other = certificate_issue(actor=cast.admin, factory=FactoryAccountFactory())
    token = certificate_token(certificate)
    value, signature = token.rsplit(":", 1)
    signer = signing.Signer(salt=CERTIFICATE_SALT)
    altered_id = signer.sign_object({"c": other.pk, "v": certificate.version}).rsplit(":", 1)[0] + ":" + signature
    forged = signing.Signer(salt=CERTIFICATE_SALT, key="kunci-palsu-" * 5).sign_object({"c": certificate.pk, "v": certificate.version})
    unknown_version = signer.sign_object({"c": certificate.pk, "v": 99})
    for bad in (value[:-1] + "x:" + signature, altered_id, forged, unknown_version, "bukan-token"):
        response = client.get(reverse("accounts:certificate-check", args=[bad]))
        assert response.status_code == 404
        html = response.content.decode()
        assert 'data-state="invalid"' in html and "PT Indo Pangan" not in html


def test_the_admin_certificate_list_keeps_a_flat_query_budget(cast, client, django_assert_max_num_queries):
    for _ in range(30):
        certificate_issue(actor=cast.admin, factory=FactoryAccountFactory())
    login(client, cast.admin)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:certificate-admin"))
    assert response.status_code == 200 and len(response.context["page"]) == 32


def test_the_admin_can_search_by_nib(cast, client):
    login(client, cast.admin)
    response = client.get(reverse("accounts:certificate-admin"), {"q": "0233010001824"})
    assert [f.pk for f in response.context["page"]] == [cast.factory_a.pk]
