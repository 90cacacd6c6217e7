"""Data Lainnya: filed at any time; a kejadian luar biasa notifies the sector validators and the Pemda."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role, Scale
from reporting.models import OtherData
from reporting.services import incident_recipients
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory, company_user, officer
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf()


def _post(client, **extra):
    data = {"kind": "kejadian_luar_biasa", "title": "Kebakaran gudang", "description": "Gudang bahan baku terbakar.", "event_date": "2026-07-14"}
    data.update(extra)
    return client.post(reverse("reporting:other-list"), data)


def test_an_incident_e_mails_the_sector_validators_and_the_pemda_with_authority(client, cast, django_capture_on_commit_callbacks):
    login(client, cast.company_a)
    attachment = SimpleUploadedFile("foto.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, attachments=[attachment])
    assert response.status_code == 302
    item = OtherData.objects.get()
    assert item.notified_at is not None and item.attachments.count() == 1
    assert len(mail.outbox) == 1
    # factory_a: KBLI 10 → validator_pangan; Besar in Jawa Barat → the province, not Kabupaten Bekasi
    assert sorted(mail.outbox[0].to) == sorted([cast.validator_pangan.email, cast.pemda_jabar.email])
    assert "kejadian luar biasa" in mail.outbox[0].subject and "Kebakaran gudang" in mail.outbox[0].body


def test_a_small_factory_incident_goes_to_the_kabupaten(cast):
    small = FactoryAccountFactory(region=Region.objects.get(pk="32.16"), scale=Scale.KECIL, kbli_codes=["25111"])
    assert [u.username for u in incident_recipients(small)] == ["pemda_kab_bekasi", "validator_logam"]


def test_the_incident_notice_is_queued_with_the_filing_and_survives_a_mail_outage(client, cast, monkeypatch):
    """The notice is an outbox row written in the filing's transaction: with the mail server down the
    filing still succeeds, and the notice goes out once the server is back (issue 12)."""
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    from siinas.core import outbox
    from siinas.core.models import OutboxMessage

    def down(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    login(client, cast.company_a)
    assert _post(client).status_code == 302
    message = OutboxMessage.objects.get(name="reporting-incident")
    assert OtherData.objects.get().notified_at is not None
    outbox.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 1 and not mail.outbox
    monkeypatch.undo()
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    outbox.deliver_due()
    assert len(mail.outbox) == 1 and "Kebakaran gudang" in mail.outbox[0].body


def test_additional_data_notifies_nobody_and_an_incident_needs_its_date(client, cast, django_capture_on_commit_callbacks):
    login(client, cast.company_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, kind="data_tambahan", event_date="").status_code == 302
    assert not mail.outbox
    response = _post(client, event_date="")
    assert "Isi tanggal kejadian luar biasa." in response.content.decode()
    assert OtherData.objects.count() == 1


def test_an_attachment_is_checked_by_content(client, cast):
    login(client, cast.company_a)
    fake = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _post(client, attachments=[fake])
    assert "Jenis berkas tidak diizinkan" in response.content.decode()
    assert not OtherData.objects.exists()


def test_officers_in_scope_read_it_and_the_read_is_audited(client, cast):
    from siinas.core.models import AuditEvent

    item = OtherData.objects.create(factory=cast.factory_a, kind="klarifikasi", title="Koreksi satuan", description="Ton, bukan kg.")
    login(client, cast.validator_pangan)
    assert "Koreksi satuan" in client.get(reverse("reporting:other-detail", kwargs={"pk": item.pk})).content.decode()
    assert AuditEvent.objects.filter(action="reporting.other_data_viewed", actor=cast.validator_pangan).exists()
    login(client, officer("validator_lain", Role.VALIDATOR, divisions=["13"]))
    assert client.get(reverse("reporting:other-detail", kwargs={"pk": item.pk})).status_code == 404
    login(client, company_user(cast.factory_b, "logam2"))
    assert client.get(reverse("reporting:other-detail", kwargs={"pk": item.pk})).status_code == 404
