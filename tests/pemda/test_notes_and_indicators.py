"""Reminders and assistance notes (recorded, e-mailed), and the Kepmendagri 050-3708/2020 indicators
counted from the documents the office produced through SIINas."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Scale
from pemda.models import Category, MonitoringNote, RegionalDocument, Submission
from pemda.selectors import indicator_documents, indicator_summary
from pemda.services import NOTE_MESSAGE_REQUIRED, note_send, submission_create
from siinas.core.models import AuditEvent
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _send(client, factory, kind: str = "pengingat", message: str = "Mohon sampaikan laporan Semester 2."):
    return client.post(reverse("pemda:note-send", kwargs={"pk": factory.pk}), {"kind": kind, "message": message})


def test_a_reminder_is_recorded_and_emailed_to_the_factory(client, cast, django_capture_on_commit_callbacks):
    login(client, cast.pemda_jabar)
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, cast.factory_a)
    assert response.status_code == 302
    note = MonitoringNote.objects.get()
    assert (note.factory, note.region_id, note.kind, note.sent_by) == (cast.factory_a, "32", "pengingat", cast.pemda_jabar)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.factory_a.email]
    assert "Mohon sampaikan laporan Semester 2." in mail.outbox[0].body
    assert "Jawa Barat" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="pemda.note_send", target_id=str(cast.factory_a.pk)).exists()


def test_an_empty_message_is_refused_at_the_field_and_nothing_is_sent(client, cast):
    login(client, cast.pemda_jabar)
    response = _send(client, cast.factory_a, message="   ")
    assert response.status_code == 400
    assert response.context["note_form"].errors["message"]
    assert not MonitoringNote.objects.exists() and not mail.outbox


def test_the_service_itself_refuses_a_blank_message(cast):
    with pytest.raises(ValidationError) as excinfo:
        note_send(actor=cast.pemda_jabar, factory=cast.factory_a, kind="asistensi", message=" \n ")
    assert excinfo.value.message_dict == {"message": [NOTE_MESSAGE_REQUIRED]}
    assert not MonitoringNote.objects.exists()


def test_a_note_cannot_go_to_a_factory_outside_the_authority(client, cast):
    login(client, cast.pemda_kab_bekasi)
    assert _send(client, cast.factory_a).status_code == 404  # Besar: the province's
    assert _send(client, cast.factory_b).status_code == 404  # another province
    assert not MonitoringNote.objects.exists() and not mail.outbox


def test_each_sub_activity_counts_its_own_documents(client, cast, place):
    kecil = place("32.16", Scale.KECIL)
    year = timezone.localdate().year
    login(client, cast.pemda_kab_bekasi)
    # .01 — information sent (a draft does not count)
    for category in (Category.PERWILAYAHAN, Category.HAMBATAN):
        s = submission_create(actor=cast.pemda_kab_bekasi, category=category, year=year - 1, semester=2)
        s.text = "Uraian."
        s.save()
        client.post(reverse("pemda:submission-submit", kwargs={"pk": s.pk}))
    submission_create(actor=cast.pemda_kab_bekasi, category=Category.INVESTASI, year=year - 1, semester=2)
    # .02 — a publication; .03 — a compliance recap and two notes
    client.post(reverse("pemda:document-create"), {"kind": "publikasi", "title": "Statistik industri Kab. Bekasi"})
    client.post(reverse("pemda:document-create"), {"kind": "kepatuhan", "title": "Rekap kepatuhan semester 2"})
    _send(client, kecil)
    _send(client, kecil, kind="asistensi", message="Cara mengisi bagian Investasi.")

    summary = {row["code"]: row for row in indicator_summary(indicator_documents(cast.pemda_kab_bekasi.region, year))}
    assert summary["3.31.04.1.01.01"]["count"] == 2
    assert summary["3.31.04.1.01.02"]["count"] == 1
    assert summary["3.31.04.1.01.03"]["count"] == 3
    assert {d.document_type for d in summary["3.31.04.1.01.03"]["documents"]} == {
        "Rekap kepatuhan penyampaian data",
        "Pengingat penyampaian laporan",
        "Catatan asistensi",
    }
    # Another office's documents and another year's never count.
    assert indicator_documents(cast.pemda_jabar.region, year) == []
    assert indicator_documents(cast.pemda_kab_bekasi.region, year - 1) == []


def test_the_indicator_export_lists_exactly_the_documents_behind_the_counts(client, cast, place):
    kecil = place("32.16", Scale.KECIL)
    login(client, cast.pemda_kab_bekasi)
    _send(client, kecil)
    client.post(reverse("pemda:document-create"), {"kind": "publikasi", "title": "Statistik industri"})
    year = timezone.localdate().year

    response = client.get(reverse("pemda:indicator-export", kwargs={"fmt": "csv"}), {"tahun": year})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Kode sub kegiatan", "Sub kegiatan", "Jenis dokumen"]
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("3.31.04.1.01.02", "Publikasi statistik industri daerah"),
        ("3.31.04.1.01.03", "Pengingat penyampaian laporan"),
    ]
    number = RegionalDocument.objects.get().number
    assert number == f"PUB/32.16/{year}/0001" and rows[1][3] == number

    workbook = load_workbook(io.BytesIO(client.get(reverse("pemda:indicator-export", kwargs={"fmt": "xlsx"}), {"tahun": year}).content))
    assert workbook.active.max_row == 3


def test_the_indicator_page_shows_the_counts_with_their_documents(client, cast):
    s = submission_create(actor=cast.pemda_jabar, category=Category.EKONOMI, year=timezone.localdate().year - 1, semester=2)
    Submission.objects.filter(pk=s.pk).update(status="terkirim", submitted_at=timezone.now(), submitted_by=cast.pemda_jabar)
    login(client, cast.pemda_jabar)
    response = client.get(reverse("pemda:indicators"))
    body = response.content.decode()
    assert response.context["summary"][0]["count"] == 1
    assert reverse("pemda:submission-detail", kwargs={"pk": s.pk}) in body


def test_a_publication_holds_aggregates_only(client, cast, place):
    for _ in range(3):
        place("32.15", Scale.BESAR, workforce=100)
    # Kota Bandung: 2 companies, hidden with Bekasi's 1 (factory_a, 420: not dominant beside these two)
    place("32.73", Scale.KECIL, workforce=200)
    place("32.73", Scale.KECIL, workforce=200)
    login(client, cast.pemda_jabar)
    client.post(reverse("pemda:document-create"), {"kind": "publikasi", "title": "Statistik"})
    document = RegionalDocument.objects.get()
    text = str(document.content)
    assert "PT Indo Pangan" not in text and cast.factory_a.company.nib not in text
    by_region = next(t for t in document.content["tables"] if t["title"] == "Akun per kabupaten/kota")
    assert ["Kabupaten Karawang", 3, 300.0] in by_region["rows"]
    # factory_a alone: hidden, although the province lists it (a publication has no viewer rule)
    assert ["Kabupaten Bekasi", None, None] in by_region["rows"]
    assert ["Kota Bandung", None, None] in by_region["rows"]
    response = client.get(reverse("pemda:document-detail", kwargs={"pk": document.pk}))
    assert response.status_code == 200 and "Kabupaten Karawang" in response.content.decode()


def test_a_document_is_also_a_pdf_for_the_performance_report(client, cast):
    login(client, cast.pemda_jabar)
    client.post(reverse("pemda:document-create"), {"kind": "kepatuhan", "title": "Rekap kepatuhan"})
    document = RegionalDocument.objects.get()
    response = client.get(reverse("pemda:document-pdf", kwargs={"pk": document.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert document.number.replace("/", "-") in response["Content-Disposition"]
