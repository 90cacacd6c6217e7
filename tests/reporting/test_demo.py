"""The demo reports are created through the real services, in every status, and loading twice changes nothing."""

from __future__ import annotations

import pytest
import time_machine

from accounts import demo as accounts_demo
from accounts.demo import DemoCast
from reporting import demo
from reporting.models import Report

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-25 10:00 +0700", tick=False)
def test_demo_reports_cover_every_status_and_are_idempotent(reference_data):
    cast = DemoCast()
    accounts_demo.seed(cast)
    demo.seed(cast)
    statuses = dict(Report.objects.values_list("factory__name", "status").filter(period__year=2025))
    assert statuses == {
        "Pabrik Bekasi": "tervalidasi",
        "Pabrik Bandung": "terverifikasi",
        "Bengkel Rungkut": "pengembalian",
        "Kawasan Cikarang": "terverifikasi",
    }
    current = Report.objects.filter(period__year=2026, period__number=1)
    assert dict(current.values_list("factory__name", "status")) == {
        "Pabrik Bekasi": "konsep",
        "Pabrik Karawang": "terkirim",
        "Pabrik Cilegon": "konsep",
    }
    prefilled = current.get(factory__name="Pabrik Bekasi")
    assert prefilled.prefilled_from is not None
    states = dict(prefilled.sections.values_list("code", "state"))
    assert states and set(states.values()) == {"perlu_konfirmasi"}  # stock sections wait; flows start empty
    assert "produksi" not in states
    count = Report.objects.count()
    demo.seed(cast)
    assert Report.objects.count() == count
