"""A small set of validated reports with stored measures, spread over provinces and KBLI divisions."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from reporting.models import ReportMeasures, ReportStatus
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory


@pytest.fixture(autouse=True)
def _clock():
    # Semester 1 2026's window has opened (1 July 2026): the page offers it.
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        yield


@pytest.fixture
def period(reference_data):
    return PeriodFactory(year=2026, number=1)


@pytest.fixture
def validated(period):
    """``validated("32.16", ["10110"], workforce=10, production=100)`` → a factory with one validated report
    of ``period`` and its stored measures (as the status pipeline writes them)."""

    def make(region: str, kbli=("10110",), *, report_period=None, report_type="industri_produksi", factory=None, **values):
        factory = factory or FactoryAccountFactory(region=Region.objects.get(pk=region), kbli_codes=list(kbli))
        report = ReportFactory(factory=factory, period=report_period or period, status=ReportStatus.VALIDATED, report_type=report_type)
        ReportMeasures.objects.create(
            report=report, period_id=report.period_id, factory=factory, report_type=report_type,
            **{k: (Decimal(v) if k != "workforce" else v) for k, v in values.items()},
        )  # fmt: skip
        return factory

    return make
