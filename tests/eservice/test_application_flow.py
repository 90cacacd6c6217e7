"""The application engine end to end through the views, with e-Licensing as the example service:
draft → documents → Diajukan → Diperiksa → Perlu Perbaikan → Diajukan again → Disetujui/Ditolak,
comments, status history visible to the company, e-mail notices and the PDF decision letter."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from eservice import services
from eservice.models import Application, ApplicationDocument, Status, StatusChange
from siinas.core.models import AuditEvent
from tests.eservice import builders as b
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _create(client, service="e-licensing", **overrides):
    return client.post(
        reverse("eservice:application-create", args=[service]), b.post_data(service, **overrides)
    )


def _upload(client, application, kind="surat_permohonan", upload=None):
    url = reverse("eservice:document-upload", args=[application.pk])
    return client.post(url, {"kind": kind, "file": upload or b.pdf_upload()})


def test_a_company_saves_a_draft_then_uploads_and_submits(client, cast, django_capture_on_commit_callbacks):
    login(client, cast.company_a)
    response = _create(client)
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "eservice:application-detail", args=[application.pk]
    )
    assert application.status == Status.DRAFT and application.number is None
    assert application.data["kind"] == "ekspor" and application.data["rows"][0]["hs_code"] == "110100"

    assert _upload(client, application).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("eservice:application-submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.number.startswith("LIC-")
    submission = StatusChange.objects.get(application=application, to_status=Status.SUBMITTED)
    assert submission.snapshot["data"]["port"] == "Tanjung Priok"
    assert "surat_permohonan" in submission.snapshot["documents"]
    to_company = [m for m in mail.outbox if cast.factory_a.email in m.to]
    assert len(to_company) == 1 and "Diajukan" in to_company[0].subject


def test_submitting_without_the_required_documents_is_refused_with_their_names(client, cast):
    login(client, cast.company_a)
    _create(client)
    application = Application.objects.get()
    response = client.post(reverse("eservice:application-submit", args=[application.pk]), follow=True)
    assert "Dokumen wajib belum diunggah: Surat permohonan bermeterai." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_bad_field_keeps_the_input_and_says_why_in_indonesian(client, cast):
    login(client, cast.company_a)
    response = _create(client, valid_until=b.FIELDS["e-licensing"]["valid_from"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tanggal akhir harus sesudah tanggal mulai." in body
    assert "Tanjung Priok" in body  # the user's input is kept
    assert not Application.objects.exists()


def test_a_document_is_checked_by_content_not_by_name(client, cast):
    login(client, cast.company_a)
    application = b.application_in(Status.DRAFT, user=cast.company_a)
    fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _upload(client, application, upload=fake)
    assert response.status_code == 400
    # The surat permohonan accepts PDF only, and the message says so (not "PDF, JPG, PNG atau XLSX").
    assert "Jenis berkas tidak diizinkan. Unggah PDF." in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_a_new_upload_of_the_same_kind_keeps_the_earlier_one(client, cast):
    login(client, cast.company_a)
    application = b.application_in(Status.DRAFT, user=cast.company_a)
    _upload(client, application, upload=b.pdf_upload("versi1.pdf"))
    _upload(client, application, upload=b.pdf_upload("versi2.pdf"))
    names = list(application.documents.values_list("original_name", flat=True))
    assert sorted(names) == ["versi1.pdf", "versi2.pdf"]
    response = client.get(reverse("eservice:application-detail", args=[application.pk]))
    assert "versi2.pdf" in response.content.decode()


def test_whole_flow_return_for_revision_resubmit_and_approve_with_letter(
    client, cast, django_capture_on_commit_callbacks
):
    company, officer = client, Client()
    login(company, cast.company_a)
    login(officer, cast.validator_pangan)
    application = b.application_in("lengkap", user=cast.company_a)
    company.post(reverse("eservice:application-submit", args=[application.pk]))

    officer.post(reverse("eservice:application-start-review", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and application.reviewer == cast.validator_pangan

    # The officer must say what to fix.
    response = officer.post(reverse("eservice:application-return", args=[application.pk]), {"note": "  "})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(
            reverse("eservice:application-return", args=[application.pk]),
            {"note": "Lampirkan kontrak pembeli."},
        )
    application.refresh_from_db()
    assert application.status == Status.NEEDS_REVISION
    assert "Lampirkan kontrak pembeli." in mail.outbox[-1].body

    page = company.get(reverse("eservice:application-detail", args=[application.pk])).content.decode()
    assert "Lampirkan kontrak pembeli." in page and "Ajukan ulang" in page

    # The company fixes and resubmits; the number stays, a second snapshot is written.
    number = application.number
    company.post(
        reverse("eservice:application-edit", args=[application.pk]),
        b.post_data("e-licensing", port="Tanjung Perak"),
    )
    _upload(company, application, kind="kontrak")
    company.post(reverse("eservice:application-submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.number == number
    snapshots = StatusChange.objects.filter(application=application, to_status=Status.SUBMITTED).order_by(
        "pk"
    )
    assert [s.snapshot["data"]["port"] for s in snapshots] == ["Tanjung Priok", "Tanjung Perak"]

    officer.post(reverse("eservice:application-start-review", args=[application.pk]))
    decide = reverse("eservice:application-decide", args=[application.pk])
    valid_until = b.DECISIONS["e-licensing"]["valid_until"]
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(decide, {"outcome": "approve", "note": "", **b.decision_post("e-licensing")})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.valid_until.isoformat() == valid_until
    assert application.letter_number.startswith("LIC/SK/")
    assert "Surat keputusan dapat diunduh" in mail.outbox[-1].body

    history = [c.to_status for c in application.history.all()]
    assert history == [
        "konsep",
        "diajukan",
        "diperiksa",
        "perlu_perbaikan",
        "diajukan",
        "diperiksa",
        "disetujui",
    ]

    letter = company.get(reverse("eservice:decision-letter", args=[application.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(
        action="eservice.application.disetujui", target_id=str(application.pk)
    ).exists()


def test_a_rejection_needs_a_reason_and_issues_no_letter(client, cast):
    login(client, cast.validator_pangan)
    application = b.application_in(Status.IN_REVIEW, user=cast.company_a, reviewer=cast.validator_pangan)
    decide = reverse("eservice:application-decide", args=[application.pk])
    response = client.post(decide, {"outcome": "reject", "note": ""})
    assert response.status_code == 400
    assert str(services.NOTE_REQUIRED) in response.content.decode()
    client.post(decide, {"outcome": "reject", "note": "HS tidak sesuai kegiatan usaha."})
    application.refresh_from_db()
    assert application.status == Status.REJECTED and application.letter_number is None
    assert client.get(reverse("eservice:decision-letter", args=[application.pk])).status_code == 404


def test_an_approval_needs_a_validity_date_in_the_future(client, cast):
    login(client, cast.validator_pangan)
    application = b.application_in(Status.IN_REVIEW, user=cast.company_a, reviewer=cast.validator_pangan)
    decide = reverse("eservice:application-decide", args=[application.pk])
    response = client.post(decide, {"outcome": "approve", "keputusan-valid_until": "2020-01-01"})
    assert response.status_code == 400
    assert str(services.VALID_UNTIL_PAST) in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_illegal_moves_raise_and_change_nothing(cast):
    application = b.application_in(Status.SUBMITTED, user=cast.company_a, reviewer=cast.validator_pangan)
    with pytest.raises(services.ValidationError):
        services.application_decide(
            actor=cast.validator_pangan, application=application, approve=True, note=""
        )
    with pytest.raises(services.ValidationError):
        services.application_submit(actor=cast.company_a, application=application)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_submitted_application_cannot_be_edited(client, cast):
    login(client, cast.company_a)
    application = b.application_in(Status.SUBMITTED, user=cast.company_a, reviewer=cast.validator_pangan)
    assert client.get(reverse("eservice:application-edit", args=[application.pk])).status_code == 403
    response = _upload(client, application)
    assert response.status_code == 403


def test_comments_go_both_ways_and_the_company_sees_the_history(client, cast):
    application = b.application_in(Status.IN_REVIEW, user=cast.company_a, reviewer=cast.validator_pangan)
    officer = Client()
    login(officer, cast.validator_pangan)
    officer.post(reverse("eservice:comment-add", args=[application.pk]), {"body": "Kapan barang dikapalkan?"})
    login(client, cast.company_a)
    client.post(reverse("eservice:comment-add", args=[application.pk]), {"body": "Minggu depan."})
    page = client.get(reverse("eservice:application-detail", args=[application.pk])).content.decode()
    assert page.index("Kapan barang dikapalkan?") < page.index("Minggu depan.")
    assert "Diperiksa" in page


def test_an_officer_viewing_an_application_is_audited(client, cast):
    application = b.application_in(Status.SUBMITTED, user=cast.company_a, reviewer=cast.validator_pangan)
    login(client, cast.admin)
    client.get(reverse("eservice:application-detail", args=[application.pk]))
    assert AuditEvent.objects.filter(
        action="eservice.application.view", actor=cast.admin, target_id=str(application.pk)
    ).exists()


def test_officers_never_see_drafts(client, cast):
    application = b.application_in(Status.DRAFT, user=cast.company_a)
    for officer in (cast.validator_pangan, cast.admin):
        login(client, officer)
        assert client.get(reverse("eservice:application-detail", args=[application.pk])).status_code == 404


def test_the_officers_who_may_decide_are_told_of_a_submission(cast, django_capture_on_commit_callbacks):
    application = b.application_in("lengkap", user=cast.company_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=cast.company_a, application=application)
    officer_mails = [m for m in mail.outbox if "menunggu pemeriksaan" in m.body]
    # e-Licensing is reviewed by validators; only the one holding KBLI 10 is in scope of Pabrik Bekasi.
    assert [m.to for m in officer_mails] == [[cast.validator_pangan.email]]


def test_only_the_examining_officer_decides_until_another_takes_over(client, cast):
    from tests.factories import officer

    application = b.application_in(Status.IN_REVIEW, user=cast.company_a, reviewer=cast.validator_pangan)
    colleague = officer("validator_pangan_2", "validator", divisions=["10"])
    login(client, colleague)
    page = client.get(reverse("eservice:application-detail", args=[application.pk])).content.decode()
    assert "Ambil alih" in page and reverse("eservice:application-decide", args=[application.pk]) not in page
    assert (
        client.post(reverse("eservice:application-return", args=[application.pk]), {"note": "x"}).status_code
        == 403
    )
    assert client.get(reverse("eservice:application-decide", args=[application.pk])).status_code == 403

    client.post(reverse("eservice:application-take-over", args=[application.pk]))
    application.refresh_from_db()
    assert application.reviewer == colleague and application.status == Status.IN_REVIEW
    assert AuditEvent.objects.filter(
        action="eservice.application.take_over", extra__previous="validator_pangan"
    ).exists()
    assert client.get(reverse("eservice:application-decide", args=[application.pk])).status_code == 200
    login(client, cast.validator_pangan)
    assert client.get(reverse("eservice:application-decide", args=[application.pk])).status_code == 403


def test_only_an_application_under_review_can_be_taken_over(client, cast):
    application = b.application_in(Status.SUBMITTED, user=cast.company_a, reviewer=cast.validator_pangan)
    login(client, cast.validator_pangan)
    response = client.post(reverse("eservice:application-take-over", args=[application.pk]), follow=True)
    assert str(services.NOT_IN_REVIEW) in response.content.decode()
    application.refresh_from_db()
    assert application.reviewer is None


def test_a_rejection_e_mails_the_company_with_the_reason(cast, django_capture_on_commit_callbacks):
    application = b.application_in(Status.IN_REVIEW, user=cast.company_a, reviewer=cast.validator_pangan)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=cast.validator_pangan, application=application, approve=False, note="Kuota ekspor habis."
        )
    message = mail.outbox[-1]
    assert "Ditolak" in message.subject and cast.factory_a.email in message.to
    assert "Kuota ekspor habis." in message.body
    assert "Kuota ekspor habis." in message.alternatives[0].content


def test_a_company_discards_a_draft_and_its_files(client, cast, django_capture_on_commit_callbacks):
    application = b.application_in("lengkap", user=cast.company_a)
    stored = application.documents.get().file.name
    storage = ApplicationDocument.file.field.storage
    assert storage.exists(stored)
    login(client, cast.company_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("eservice:application-discard", args=[application.pk]))
    assert response.status_code == 302 and not Application.objects.exists()
    assert not storage.exists(stored)
    assert AuditEvent.objects.filter(
        action="eservice.application.discard", target_id=str(application.pk)
    ).exists()


def test_a_submitted_application_cannot_be_discarded(client, cast):
    application = b.application_in(Status.SUBMITTED, user=cast.company_a, reviewer=cast.validator_pangan)
    login(client, cast.company_a)
    assert client.post(reverse("eservice:application-discard", args=[application.pk])).status_code == 403
    with pytest.raises(services.ValidationError):
        services.application_discard(actor=cast.company_a, application=application)
    assert Application.objects.filter(pk=application.pk).exists()
