"""A non-reporting factory walks from the reminders through SP1, SP2 and SP3 to the sanction list."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from pypdf import PdfReader

from reporting.models import ReportStatus
from tests.helpers import committed
from tests.reporting.factories import ReportFactory
from tests.verification.conftest import at
from verification.models import Reminder, WarningLetter
from verification.selectors import sanction_recommendations
from verification.tasks import run_compliance

pytestmark = pytest.mark.django_db


def run_on(day: dt.date) -> None:
    with time_machine.travel(at(day), tick=False), committed():
        run_compliance.delay()


def pdf_text(letter) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(letter.pdf.open("rb")).pages).split())


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_a_factory_that_never_reports_gets_reminders_then_sp1_sp2_sp3_then_the_sanction_list(cast, period):
    a, b = cast.factory_a, cast.factory_b

    run_on(dt.date(2027, 8, 10))
    assert not mail.outbox, "nothing is due 21 days before the window closes"

    run_on(dt.date(2027, 8, 17))
    assert set(Reminder.objects.filter(level="H-14").values_list("factory_id", flat=True)) == {a.pk, b.pk}
    assert "14 hari" in mails_to(a.email)[0].subject

    # factory_b reports; it drops out of every later step.
    with time_machine.travel(at(dt.date(2027, 8, 20)), tick=False):
        ReportFactory(factory=b, period=period, report_type="industri_produksi_kecil", status=ReportStatus.SUBMITTED)

    run_on(dt.date(2027, 8, 28))
    assert list(Reminder.objects.filter(level="H-3").values_list("factory_id", flat=True)) == [a.pk]

    run_on(dt.date(2027, 8, 31))
    run_on(dt.date(2027, 9, 1))
    sp1 = WarningLetter.objects.get(level="SP1")
    assert sp1.factory == a and sp1.number == "0001/SP1/PUSDATIN/IX/2027"
    assert sp1.issued_on == dt.date(2027, 9, 1) and sp1.deadline == dt.date(2027, 10, 1)
    letter_mail = mails_to(a.email)[-1]
    assert sp1.number in letter_mail.subject
    filename, content, mimetype = letter_mail.attachments[0]
    assert mimetype == "application/pdf" and content == sp1.pdf.open("rb").read()

    run_on(dt.date(2027, 9, 30))
    assert not WarningLetter.objects.filter(level="SP2").exists(), "SP2 waits one month after SP1"
    run_on(dt.date(2027, 10, 1))
    sp2 = WarningLetter.objects.get(level="SP2")
    assert sp2.number == "0001/SP2/PUSDATIN/X/2027"

    run_on(dt.date(2027, 11, 1))
    sp3 = WarningLetter.objects.get(level="SP3")
    assert sp3.deadline == dt.date(2027, 12, 1)
    assert "peringatan terakhir" in pdf_text(sp3)

    run_on(dt.date(2027, 11, 30))
    assert not sanction_recommendations(today=dt.date(2027, 11, 30)).exists()
    run_on(dt.date(2028, 1, 15))
    assert WarningLetter.objects.count() == 3, "at most three letters"
    assert [letter.factory for letter in sanction_recommendations(today=dt.date(2027, 12, 1))] == [a]

    assert WarningLetter.objects.filter(factory=b).count() == 0
    assert len(mails_to(b.email)) == 1, "factory_b got only the first reminder"
    assert len(mails_to(a.email)) == 5, "H-14, H-3, SP1, SP2, SP3"


def test_submitting_after_sp1_stops_the_sequence_and_clears_the_case(cast, period):
    run_on(dt.date(2027, 9, 1))
    assert WarningLetter.objects.filter(factory=cast.factory_a, level="SP1", sent_at__isnull=False).exists()
    with time_machine.travel(at(dt.date(2027, 9, 20)), tick=False):
        ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    run_on(dt.date(2027, 10, 1))
    run_on(dt.date(2027, 11, 1))
    assert not WarningLetter.objects.filter(factory=cast.factory_a, level__in=["SP2", "SP3"]).exists()


def test_the_letter_pdf_names_the_addressee_period_legal_basis_and_deadline(cast, period):
    run_on(dt.date(2027, 9, 1))
    letter = WarningLetter.objects.get(factory=cast.factory_a)
    text = pdf_text(letter)
    assert len(PdfReader(letter.pdf.open("rb")).pages) == 1, "one page on letterhead"
    for expected in (
        "KEMENTERIAN PERINDUSTRIAN",
        letter.number,
        "PT Indo Pangan",
        "Pabrik Bekasi",
        "Semester 1 2027",
        "Nomor 3 Tahun 2014",
        "1 Oktober 2027",
    ):
        assert expected in text, expected


def test_an_account_registered_after_the_window_closed_is_not_warned(cast, period):
    from tests.factories import FactoryAccountFactory

    with time_machine.travel(at(dt.date(2027, 9, 5)), tick=False):
        late = FactoryAccountFactory(kbli_codes=["10110"])
    run_on(dt.date(2027, 9, 6))
    assert not WarningLetter.objects.filter(factory=late).exists()
    assert WarningLetter.objects.filter(factory=cast.factory_a).exists()
