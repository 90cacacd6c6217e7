"""The company dashboard, starting a report, and periods as admin-editable data."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting import services
from reporting.models import Period, Report
from reporting.registry import REPORT_TYPES
from reporting.selectors import version_diff
from tests.helpers import login
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_each_owed_report_per_opened_period_with_its_status(client, cast, period, previous_period, in_window):
    PeriodFactory(year=2026, number=2)  # window opens January 2027: not listed yet
    ReportFactory(factory=cast.factory_a, period=previous_period, status="tervalidasi")
    login(client, cast.company_a)
    body = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Semester 1 2026" in body and "Semester 2 2025" in body and "Semester 2 2026" not in body
    assert "dibuka" in body and "Mulai mengisi" in body and "Tervalidasi" in body and "tepat waktu" in body


def test_a_report_not_sent_by_the_end_of_the_window_shows_as_overdue(client, cast, period):
    login(client, cast.company_a)
    with time_machine.travel("2026-09-05 09:00 +0700", tick=False):
        login(client, cast.company_a)
        body = client.get(reverse("reporting:dashboard")).content.decode()
    assert "belum dikirim — lewat batas" in body and "table-overdue" in body


def test_a_company_starts_only_the_reports_it_owes_and_only_once_the_window_opened(cast, period, in_window):
    with pytest.raises(ValidationError) as exc:
        services.report_start(actor=cast.company_b, factory=cast.factory_b, period=period, report_type="industri_produksi")
    assert "tidak wajib" in exc.value.messages[0]
    later = PeriodFactory(year=2026, number=2)
    with pytest.raises(ValidationError) as exc:
        services.report_start(actor=cast.company_a, factory=cast.factory_a, period=later, report_type="industri_produksi")
    assert exc.value.messages[0] == services.PERIOD_NOT_OPEN % {"period": later}
    first = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    again = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    assert first == again and Report.objects.count() == 1


def test_a_period_checks_its_own_shape(db):
    quarter = Period(period_type="triwulan", year=2027, number=4, start="2027-10-01", end="2027-12-31",
                     window_opens="2028-01-01", window_closes="2028-01-31")  # fmt: skip
    quarter.full_clean()
    semester = Period(period_type="semester", year=2027, number=3, start="2027-07-01", end="2027-12-31",
                      window_opens="2027-06-01", window_closes="2027-06-30")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        semester.full_clean()
    assert set(exc.value.message_dict) == {"number"}
    semester.number = 2
    with pytest.raises(ValidationError) as exc:
        semester.full_clean()
    assert "window_opens" in exc.value.message_dict


def test_the_diff_lists_added_and_removed_rows():
    spec = REPORT_TYPES["industri_produksi"]
    row = {"name": "Mesin pembeku", "count": 4, "country": "DE", "year_made": 2019, "condition": "baru", "capacity": "5",
           "capacity_unit": "ton_hari", "value": "8000000000"}  # fmt: skip
    old = {"sections": {"mesin": {"fields": None, "rows": {"mesin": [row]}}}}
    new = {"sections": {"mesin": {"fields": None, "rows": {"mesin": [row, dict(row, name="Oven")]}}}}
    changes = version_diff(spec, old, new)
    assert [(c.where, c.before, c.after) for c in changes] == [("Mesin dan peralatan #2", "—", "Oven, 4, Jerman")]
    assert [(c.before, c.after) for c in version_diff(spec, new, old)] == [("Oven, 4, Jerman", "—")]
