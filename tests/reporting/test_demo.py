"""The demo reports are created through the real services, in every status, and loading twice changes nothing."""

from __future__ import annotations

import pytest
import time_machine

from accounts import demo as accounts_demo
from accounts.demo import DemoCast
from reporting import demo
from reporting.models import Report

pytestmark = pytest.mark.django_db

README_ACCOUNTS = ["indopangan", "indopangan2", "majutekstil", "sinarlogam", "kawasanbekasi", "bajabaru"]


def _statuses(year: int, number: int) -> dict[str, str]:
    reports = Report.objects.filter(period__year=year, period__number=number, factory__users__username__in=README_ACCOUNTS)
    return dict(reports.values_list("factory__users__username", "status"))


@time_machine.travel("2026-11-25 10:00 +0700", tick=False)
def test_demo_reports_cover_every_status_and_are_idempotent(reference_data):
    cast = DemoCast()
    accounts_demo.seed(cast)
    demo.seed(cast)
    # The README's accounts: one state each in the last closed semester and the one before ...
    assert _statuses(2025, 2) == {
        "indopangan": "tervalidasi",
        "indopangan2": "tervalidasi",
        "majutekstil": "terverifikasi",
        "sinarlogam": "pengembalian",
        "kawasanbekasi": "terverifikasi",
    }
    assert _statuses(2026, 1) == {"indopangan": "konsep", "indopangan2": "terkirim", "bajabaru": "konsep"}
    prefilled = Report.objects.get(period__year=2026, period__number=1, factory__users__username="indopangan")
    assert prefilled.prefilled_from is not None
    states = dict(prefilled.sections.values_list("code", "state"))
    assert states and set(states.values()) == {"perlu_konfirmasi"}  # stock sections wait; flows start empty
    assert "produksi" not in states
    # ... and validated history before that; the generated accounts file the four semesters with a mix.
    assert set(_statuses(2025, 1).values()) == {"tervalidasi"}
    assert set(Report.objects.values_list("status", flat=True)) == {"konsep", "terkirim", "pengembalian", "terverifikasi", "tervalidasi"}
    assert Report.objects.filter(submitted_on_time=False).exists()
    count = Report.objects.count()
    demo.seed(cast)
    assert Report.objects.count() == count
