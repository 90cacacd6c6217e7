"""The verification demo: a non-reporting factory gets its SP1 letters, and loading twice sends nothing twice."""

import pytest
import time_machine
from django.core import mail

from accounts import demo as accounts_demo
from tests.helpers import committed
from verification import demo
from verification.models import WarningLetter

pytestmark = pytest.mark.django_db


def test_the_demo_sends_sp1_to_the_non_reporting_factory_once(reference_data):
    with time_machine.travel("2026-11-25 09:00 +0700", tick=False), committed():
        cast = accounts_demo.DemoCast()
        accounts_demo.seed(cast)
        demo.seed(cast)
        demo.seed(accounts_demo.DemoCast())
    letters = WarningLetter.objects.filter(factory=cast.factories["lalailapor"], sent_at__isnull=False)
    assert sorted(str(letter.period) for letter in letters) == ["Semester 1 2026", "Semester 2 2025"]
    assert all(letter.number.endswith("/SP1/PUSDATIN/XI/2026") and letter.pdf for letter in letters)
    assert len([m for m in mail.outbox if "lalailapor@demo.siinas.go.id" in m.to]) == 2
