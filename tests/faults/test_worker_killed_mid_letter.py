"""A worker killed at any step of a warning letter (issue 12 §2): nothing has left the system, the number is
not used, no file is left behind, and the next run issues the letter with the next free number, once."""

from __future__ import annotations

import datetime as dt
import smtplib
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from siinas.core import outbox
from siinas.core.models import OutboxMessage
from tests.verification.conftest import _today_before_the_window, at  # noqa: F401 — its autouse pin of today
from verification.models import WarningLetter
from verification.services import compliance

pytestmark = pytest.mark.django_db
SP1_DAY = dt.date(2027, 9, 1)


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so no ``except Exception`` in the code can swallow it."""


def _after(target, name, monkeypatch):
    real = getattr(target, name)

    def dies_after(*args, **kwargs):
        real(*args, **kwargs)
        raise Killed(f"killed after {name}")

    monkeypatch.setattr(target, name, dies_after)


STEPS = {
    "numbered": lambda mp: _after(compliance, "_next_number", mp),
    "pdf rendered": lambda mp: _after(compliance, "render_pdf", mp),
    "pdf stored": lambda mp: _after(compliance.private_storage, "save", mp),
    "row saved": lambda mp: _after(WarningLetter, "save", mp),
    "e-mail queued": lambda mp: _after(compliance, "queue_email", mp),
    "audited, before the commit": lambda mp: _after(compliance, "audit", mp),
}


def _stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def two_letters(cast, period):
    with time_machine.travel(at(SP1_DAY), tick=False):
        notices = compliance.compliance_plan(today=SP1_DAY)
    assert [n.kind for n in notices] == ["letter", "letter"]
    return [n.pk for n in notices]


@pytest.mark.parametrize("step", list(STEPS))
def test_a_letter_killed_at_any_step_leaves_nothing_and_its_number_is_issued_once(
    step, two_letters, monkeypatch, django_capture_on_commit_callbacks
):
    first, second = two_letters
    with monkeypatch.context() as mp:
        STEPS[step](mp)
        with (
            time_machine.travel(at(SP1_DAY), tick=False),
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(Killed),
        ):
            compliance.warning_letter_send(letter_id=first)

    letter = WarningLetter.objects.get(pk=first)
    assert letter.sent_at is None and letter.number is None and not letter.pdf
    assert not OutboxMessage.objects.exists() and mail.outbox == [], "nothing left the system"
    assert _stored_files() == [], "no orphaned PDF"

    with time_machine.travel(at(SP1_DAY), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert compliance.warning_letter_send(letter_id=second)
        assert compliance.warning_letter_send(letter_id=first)
    numbers = dict(WarningLetter.objects.values_list("pk", "number"))
    assert numbers == {second: "0001/SP1/PUSDATIN/IX/2027", first: "0002/SP1/PUSDATIN/IX/2027"}
    assert sorted(m.attachments[0][0] for m in mail.outbox) == ["0001-SP1-PUSDATIN-IX-2027.pdf", "0002-SP1-PUSDATIN-IX-2027.pdf"]
    assert len(_stored_files()) == 2


def test_a_file_left_by_a_hard_kill_is_overwritten_by_the_retry_not_added_to(two_letters, django_capture_on_commit_callbacks):
    """A real SIGKILL runs no clean-up: the PDF's name is fixed by the letter id, so the retry replaces it."""
    first, _ = two_letters
    letter = WarningLetter.objects.get(pk=first)
    compliance.private_storage.save(compliance.letter_pdf_path(letter), compliance.ContentFile(b"%PDF-half"))
    with time_machine.travel(at(SP1_DAY), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert compliance.warning_letter_send(letter_id=first)
    letter.refresh_from_db()
    assert letter.pdf.name == compliance.letter_pdf_path(letter)
    assert len(_stored_files()) == 1 and letter.pdf.read().startswith(b"%PDF-1")


def test_a_mail_outage_after_the_commit_delays_the_letter_but_never_renumbers_it(
    two_letters, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    first, _ = two_letters
    real = EmailBackend.send_messages

    def refused(self, messages):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr(EmailBackend, "send_messages", refused)
    with time_machine.travel(at(SP1_DAY), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert compliance.warning_letter_send(letter_id=first)
    letter = WarningLetter.objects.get(pk=first)
    message = OutboxMessage.objects.get(dedupe_key=f"letter-{first}")
    assert letter.number == "0001/SP1/PUSDATIN/IX/2027" and message.status == "pending" and not mail.outbox

    monkeypatch.setattr(EmailBackend, "send_messages", real)
    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1)):
        outbox.deliver_due()
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][0] == "0001-SP1-PUSDATIN-IX-2027.pdf"
    assert WarningLetter.objects.get(pk=first).number == "0001/SP1/PUSDATIN/IX/2027"


def test_a_letter_cancelled_by_a_late_report_removes_a_file_an_earlier_crash_left(two_letters, cast, period):
    from reporting.models import ReportStatus
    from tests.reporting.factories import ReportFactory

    letter = WarningLetter.objects.get(factory=cast.factory_a)
    compliance.private_storage.save(compliance.letter_pdf_path(letter), compliance.ContentFile(b"%PDF-half"))
    ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    with time_machine.travel(at(SP1_DAY), tick=False):
        assert compliance.warning_letter_send(letter_id=letter.pk) is False
    letter.refresh_from_db()
    assert letter.cancelled_at is not None and letter.number is None
    assert _stored_files() == []
