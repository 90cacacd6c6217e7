"""Large exports are asked for and built by a worker; the owner downloads them from "Ekspor saya"
(siinas.core.export_jobs). Exports up to SYNC_ROWS rows are still answered directly."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role, Scale
from siinas.core import export_jobs
from siinas.core.models import ExportJob, OutboxMessage
from tests.helpers import login

pytestmark = pytest.mark.django_db

CSV_EXPORT = reverse("pemda:company-export", kwargs={"fmt": "csv"})
XLSX_EXPORT = reverse("pemda:company-export", kwargs={"fmt": "xlsx"})


@pytest.fixture
def small_limit(monkeypatch):
    """Exports of more than 1 row go to a worker (the real limit is 1,000)."""
    monkeypatch.setattr(export_jobs, "SYNC_ROWS", 1)


@pytest.fixture
def jabar(client, cast, place):
    for region in ("32.16", "32.16", "32.73", "32.73"):
        place(region, Scale.BESAR)
    login(client, cast.pemda_jabar)
    return client


def _ask(client, url, query="", capture=None):
    with capture(execute=True):
        return client.post(url, {"q": query})


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_an_export_within_the_limit_is_answered_directly(jabar):
    response = jabar.get(CSV_EXPORT)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert not ExportJob.objects.exists()


def test_a_large_export_asks_first_and_writes_nothing(jabar, small_limit):
    response = jabar.get(CSV_EXPORT, {"region": "32.16"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "disiapkan di latar belakang" in body and 'name="q" value="region=32.16"' in body
    assert not ExportJob.objects.exists()


def test_asking_builds_the_file_for_ekspor_saya_with_the_same_rows_as_a_direct_download(
    jabar, cast, small_limit, django_capture_on_commit_callbacks, monkeypatch
):
    response = _ask(jabar, CSV_EXPORT, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("core:exports")
    job = ExportJob.objects.get()
    assert (job.owner, job.status, job.fmt) == (cast.pemda_jabar, ExportJob.Status.DONE, "csv")
    assert OutboxMessage.objects.filter(name="core.build_export").count() == 1
    listing = jabar.get(reverse("core:exports")).content.decode()
    assert "siap diunduh" in listing and reverse("core:export-download", args=[job.pk]) in listing
    download = jabar.get(reverse("core:export-download", args=[job.pk]))
    built = _csv_rows(b"".join(download.streaming_content))
    assert download["Content-Type"].startswith("text/csv") and download["Cache-Control"] == "private, no-store"
    monkeypatch.setattr(export_jobs, "SYNC_ROWS", 1000)
    direct = _csv_rows(jabar.get(CSV_EXPORT).content)
    assert built == direct and len(built) - 1 == job.rows


def test_a_built_xlsx_holds_the_rows(jabar, small_limit, django_capture_on_commit_callbacks):
    _ask(jabar, XLSX_EXPORT, "region=32.73", capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    content = b"".join(jabar.get(reverse("core:export-download", args=[job.pk])).streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.max_row - 1 == job.rows == 2


def test_nobody_else_sees_or_downloads_an_export(jabar, cast, small_limit, django_capture_on_commit_callbacks):
    _ask(jabar, CSV_EXPORT, capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    for other in (cast.pemda_kab_bekasi, cast.verifier, cast.admin):
        client = Client()
        login(client, other)
        assert client.get(reverse("core:export-download", args=[job.pk])).status_code == 404
        assert job.title not in client.get(reverse("core:exports")).content.decode()


def test_asking_again_while_it_is_being_built_gives_the_same_export(jabar, small_limit):
    jabar.post(CSV_EXPORT, {"q": ""})  # not delivered: the worker has not taken it yet
    jabar.post(CSV_EXPORT, {"q": ""})
    assert ExportJob.objects.filter(status=ExportJob.Status.PENDING).count() == 1
    page = jabar.get(reverse("core:exports")).content.decode()
    assert 'hx-trigger="every 3s"' in page  # refreshes itself until it is ready


def test_one_person_has_at_most_a_few_exports_waiting(jabar, monkeypatch):
    monkeypatch.setattr(export_jobs, "SYNC_ROWS", 0)
    monkeypatch.setattr(export_jobs, "MAX_OPEN", 2)
    for region in ("32.16", "32.73"):
        jabar.post(CSV_EXPORT, {"q": f"region={region}"})
    response = jabar.post(CSV_EXPORT, {"q": ""}, follow=True)
    assert ExportJob.objects.count() == 2
    assert "Masih ada 2 ekspor yang sedang disiapkan" in response.content.decode()


def test_a_job_lost_with_its_worker_can_be_asked_for_again(jabar, small_limit):
    jabar.post(CSV_EXPORT, {"q": ""})
    ExportJob.objects.update(status=ExportJob.Status.RUNNING, created_at=timezone.now() - dt.timedelta(hours=1))
    jabar.post(CSV_EXPORT, {"q": ""})
    assert sorted(ExportJob.objects.values_list("status", flat=True)) == [ExportJob.Status.FAILED, ExportJob.Status.PENDING]


def test_the_worker_applies_the_owners_scope_as_it_is_when_it_builds(jabar, cast, small_limit):
    jabar.post(CSV_EXPORT, {"q": ""})
    job = ExportJob.objects.get()
    type(cast.pemda_jabar).objects.filter(pk=cast.pemda_jabar.pk).update(role=Role.VERIFIER, region=None)
    assert export_jobs.build(job.pk) is False
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "tidak berlaku lagi" in job.error and not job.file


def test_a_job_is_built_once(jabar, small_limit):
    jabar.post(CSV_EXPORT, {"q": ""})
    job = ExportJob.objects.get()
    assert export_jobs.build(job.pk) is True
    assert export_jobs.build(job.pk) is False  # delivered twice: the second finds it done


def test_old_exports_are_deleted_with_their_files(jabar, small_limit):
    jabar.post(CSV_EXPORT, {"q": ""})
    job = ExportJob.objects.get()
    export_jobs.build(job.pk)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    ExportJob.objects.update(created_at=timezone.now() - dt.timedelta(days=export_jobs.KEEP_DAYS + 1))
    assert export_jobs.prune() == 1
    assert not ExportJob.objects.exists() and not storage.exists(name)
