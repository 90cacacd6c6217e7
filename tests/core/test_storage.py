"""Private files go through ``STORAGES["private"]`` only (issue 14 §5, docs/scaling.md): with Django's
``InMemoryStorage`` swapped in (nothing on disk: code that opened a stored file by its path would fail), uploads, downloads, warning
letters with their e-mail attachment, generated public documents and certificates all work, and nothing
is written under ``PRIVATE_MEDIA_ROOT``. The S3 switch is configuration only."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.urls import reverse

from accounts.models import AccountCertificate
from accounts.services.certificates import certificate_issue
from pemda.models import Category, Submission
from pemda.services import submission_create
from siinas.lib.generated import stored_document
from siinas.lib.uploads import private_storage
from tests.eservice.builders import pdf_upload
from tests.helpers import committed, login
from tests.reporting.factories import PeriodFactory
from tests.verification.conftest import TODAY, at
from verification.models import WarningLetter
from verification.tasks import run_compliance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_memory_private_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    yield
    assert not os.path.exists(settings.PRIVATE_MEDIA_ROOT) or not any(os.scandir(settings.PRIVATE_MEDIA_ROOT))


def test_the_handle_resolves_to_the_configured_backend():
    assert private_storage.exists("x") is False
    assert isinstance(private_storage._wrapped, InMemoryStorage)
    # Its "path" names no file on disk: code that opened a stored file by path would fail below.
    private_storage.save("uji/a.txt", ContentFile(b"a"))
    assert not os.path.exists(private_storage.path("uji/a.txt"))


def test_an_upload_is_stored_and_downloaded_through_the_storage(client, cast):
    submission = submission_create(
        actor=cast.pemda_jabar, category=Category.HAMBATAN, year=dt.date.today().year - 1, semester=2
    )
    login(client, cast.pemda_jabar)
    response = client.post(
        reverse("pemda:attachment-upload", kwargs={"pk": submission.pk}), {"title": "Peta", "file": pdf_upload()}
    )
    assert response.status_code == 302
    attachment = Submission.objects.get(pk=submission.pk).attachments.get()
    assert private_storage.exists(attachment.file.name)
    download = client.get(reverse("pemda:attachment-download", kwargs={"pk": attachment.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_warning_letter_is_stored_mailed_and_downloaded_through_the_storage(client, cast):
    with time_machine.travel(TODAY.timestamp(), tick=True):
        PeriodFactory(year=2027, number=1)
        with time_machine.travel(at(dt.date(2027, 9, 1)), tick=False), committed():
            run_compliance.delay()
        letter = WarningLetter.objects.get(factory=cast.factory_a)
        assert letter.sent_at and private_storage.exists(letter.pdf.name)
        with private_storage.open(letter.pdf.name, "rb") as handle:
            assert handle.read().startswith(b"%PDF-")
        attached = [a for m in mail.outbox for a in m.attachments if getattr(a, "filename", a[0]).endswith(".pdf")]
        assert attached, "the letter's e-mail carries the PDF read from the storage"
        login(client, cast.company_a)
        response = client.get(reverse("verification:letter-download", args=[letter.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_generated_public_document_is_rendered_once_into_the_storage():
    calls = []

    def render():
        calls.append(1)
        return b"%PDF-1.4 rilis"

    assert stored_document("uji", key="rilis-2026-10", suffix="pdf", render=render) == b"%PDF-1.4 rilis"
    assert stored_document("uji", key="rilis-2026-10", suffix="pdf", render=render) == b"%PDF-1.4 rilis"
    assert len(calls) == 1
    assert private_storage.listdir("generated/uji")[1]


def test_a_certificate_is_rendered_without_any_file(client, cast):
    certificate_issue(actor=cast.admin, factory=cast.factory_a)
    login(client, cast.admin)
    certificate = AccountCertificate.objects.get(factory=cast.factory_a)
    response = client.get(reverse("accounts:certificate-pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def _settings_value(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SIINAS_ENV", "DEBUG"}}
    result = subprocess.run(  # noqa: S603 — our own settings module
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "siinas.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_siinas_storage_s3_puts_private_files_in_a_private_bucket_by_configuration_alone():
    out = _settings_value(
        "from siinas.lib.uploads import private_storage as s; "
        "s._setup(); print(type(s._wrapped).__name__, s.bucket_name, s.endpoint_url, s.default_acl, "
        "s.querystring_auth, s.location)",
        SIINAS_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="siinas-private",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
    )
    assert out == "S3Storage siinas-private http://minio:9000 private True private"


def test_pgbouncer_and_replica_switches():
    out = _settings_value(
        "d = settings.DATABASES; print(d['default'].get('DISABLE_SERVER_SIDE_CURSORS'), "
        "d['replica']['HOST'], d['replica']['TEST']['MIRROR'], d['replica']['DISABLE_SERVER_SIDE_CURSORS'], settings.DATABASE_ROUTERS)",
        DATABASE_URL="postgres://siinas@pgbouncer:6432/siinas",
        DB_POOLER="pgbouncer",
        DATABASE_REPLICA_URL="postgres://siinas@replica:5432/siinas",
    )
    assert out == "True replica default True ['siinas.lib.replica.ReplicaRouter']"
    assert _settings_value("print(settings.DATABASE_ROUTERS, list(settings.DATABASES))") == "[] ['default']"


def test_backup_refuses_to_archive_an_empty_folder_when_files_are_in_a_bucket(settings, tmp_path):
    from django.core.management import CommandError, call_command

    settings.SIINAS_STORAGE = "s3"
    with pytest.raises(CommandError, match="bucket"):
        call_command("backup", output=tmp_path / "cadangan")
