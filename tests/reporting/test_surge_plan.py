"""The load test's surge starts reports as companies now do (pre-fill asks, issue 16 §5): the plan confirms
the carried-over sections and types the flows, and keeps those steps for the HTTP replay (bench/plan.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from bench.plan import _passes_after_start, _start_like_a_company
from reporting.models import Report, ReportSection
from tests.reporting.test_prefill import FLOWS, STOCK, _accepted

pytestmark = pytest.mark.django_db


def test_a_started_report_passes_once_its_sections_are_confirmed_and_its_flows_typed(cast, previous_period, period, in_window):
    source = _accepted(Client(), cast, previous_period)
    steps = _passes_after_start(cast.factory_a, cast.company_a, period, "industri_produksi", source)
    assert steps is not None
    assert steps["confirm"] == STOCK and list(steps["flows"]) == FLOWS
    assert all(steps["flows"][code] for code in FLOWS)  # last semester's figures, as form fields
    assert not Report.objects.filter(period=period).exists()  # tried in a savepoint, nothing kept


def test_the_steps_are_what_a_company_would_do(cast, previous_period, period, in_window):
    source = _accepted(Client(), cast, previous_period)
    report, _steps = _start_like_a_company(cast.factory_a, cast.company_a, period, "industri_produksi", source)
    states = set(report.sections.values_list("state", flat=True))
    assert states == {ReportSection.State.VALID}
