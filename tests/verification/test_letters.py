"""Officers list and download every letter; a company sees its own; the sanction list."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from siinas.core.models import AuditEvent
from tests.helpers import committed, login
from tests.verification.conftest import at, bulk_factories
from verification.models import WarningLetter
from verification.tasks import run_compliance

pytestmark = pytest.mark.django_db


@pytest.fixture
def sp1_sent(cast, period):
    with time_machine.travel(at(dt.date(2027, 9, 1)), tick=False), committed():
        run_compliance.delay()
    return {letter.factory_id: letter for letter in WarningLetter.objects.all()}


def test_a_company_lists_and_downloads_only_its_own_letters(client, cast, sp1_sent):
    mine, theirs = sp1_sent[cast.factory_a.pk], sp1_sent[cast.factory_b.pk]
    login(client, cast.company_a)
    assert list(client.get(reverse("verification:letter-list")).context["page"]) == [mine]
    response = client.get(reverse("verification:letter-download", args=[mine.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(reverse("verification:letter-download", args=[theirs.pk])).status_code == 404


def test_officers_list_every_letter_and_their_downloads_are_audited(client, cast, sp1_sent):
    login(client, cast.verifier)
    assert set(client.get(reverse("verification:letter-list")).context["page"]) == set(sp1_sent.values())
    assert list(client.get(reverse("verification:letter-list"), {"tingkat": "SP2"}).context["page"]) == []
    letter = sp1_sent[cast.factory_a.pk]
    client.get(reverse("verification:letter-download", args=[letter.pk]))
    assert AuditEvent.objects.filter(action="verification.letter_downloaded", actor=cast.verifier, target_id=str(letter.pk)).exists()


def test_the_letter_list_keeps_a_flat_query_budget(client, cast, period, django_assert_max_num_queries):
    now = timezone.now()
    WarningLetter.objects.bulk_create(
        WarningLetter(factory=f, period=period, level="SP1", number=f"{i + 1:04d}/SP1/PUSDATIN/IX/2027",
                      issued_on=dt.date(2027, 9, 1), deadline=dt.date(2027, 10, 1), sent_at=now, pdf=f"surat-peringatan/{i}.pdf")
        for i, f in enumerate(bulk_factories(300, tag="l"))
    )  # fmt: skip
    login(client, cast.verifier)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("verification:letter-list"), {"page": 3})
    assert response.status_code == 200 and response.context["page"].paginator.count == 300


def test_the_sanction_list_shows_cases_past_the_sp3_deadline_and_exports_csv(client, cast, period):
    for day in (dt.date(2027, 9, 1), dt.date(2027, 10, 1), dt.date(2027, 11, 1)):
        with time_machine.travel(at(day), tick=False), committed():
            run_compliance.delay()
    with time_machine.travel(at(dt.date(2027, 11, 15)), tick=False):
        login(client, cast.verifier)
        assert list(client.get(reverse("verification:sanction-list")).context["cases"]) == []
    with time_machine.travel(at(dt.date(2027, 12, 2)), tick=False):
        login(client, cast.verifier)
        cases = list(client.get(reverse("verification:sanction-list")).context["cases"])
        assert {case.factory for case in cases} == {cast.factory_a, cast.factory_b}
        csv = client.get(reverse("verification:sanction-list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "PT Indo Pangan" in csv and "/SP3/PUSDATIN/XI/2027" in csv
