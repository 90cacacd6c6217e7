"""E-service documents are stored and served as what their content is (issue 13 §4): a PDF sent as
``laporanfdp.exe`` is kept and downloaded as ``laporanfdp.pdf``, always as an attachment; each document
kind's refusal lists only the types it takes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eservice.models import ApplicationDocument, Status
from tests.core import upload_corpus as corpus
from tests.eservice import builders as b
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _upload(client, application, kind: str, name: str, data: bytes):
    url = reverse("eservice:document-upload", args=[application.pk])
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="application/x-msdownload")})


def test_a_pdf_named_exe_is_stored_and_downloaded_as_a_pdf_attachment(client, cast):
    login(client, cast.company_a)
    application = b.application_in(Status.DRAFT, user=cast.company_a)
    assert _upload(client, application, "surat_permohonan", "laporanfdp.exe", corpus.pdf()).status_code == 302
    document = ApplicationDocument.objects.get()
    assert document.file.name.endswith(".pdf") and document.original_name == "laporanfdp.pdf"
    response = client.get(reverse("eservice:document-download", args=[application.pk, document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporanfdp.pdf"'


def test_a_kind_that_takes_pdf_or_xlsx_says_so_and_refuses_a_jar(client, cast):
    login(client, cast.company_a)
    application = b.application_in(Status.DRAFT, user=cast.company_a)
    response = _upload(client, application, "kontrak", "kontrak.xlsx", corpus.jar())
    assert response.status_code == 400
    assert "Berkas bukan lembar kerja Excel (XLSX) yang valid." in response.content.decode()
    response = _upload(client, application, "kontrak", "kontrak.png", corpus.png())
    assert "Jenis berkas tidak diizinkan. Unggah PDF atau XLSX." in response.content.decode()
    assert _upload(client, application, "kontrak", "kontrak.xlsx", corpus.xlsx()).status_code == 302
    assert list(ApplicationDocument.objects.values_list("content_kind", flat=True)) == ["xlsx"]
