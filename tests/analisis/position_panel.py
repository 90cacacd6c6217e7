"""Panels of validated reports for the Posisi Anda tests: factories of one KBLI group with the stored
measures the status pipeline writes (ReportMeasures) and the two section tables the position reads
(Pemasaran sales rows, Energi)."""

from __future__ import annotations

from decimal import Decimal

from reporting.models import ReportMeasures, ReportStatus
from reporting.sections.models import Energy, SalesRow
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory


def validated_report(
    factory, period, *, production, workforce=None, utilisation=None, domestic=None, export=None, kwh=None
):
    """A validated periodic report of ``factory`` for ``period`` with its stored measures and sections."""
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.VALIDATED)
    ReportMeasures.objects.create(
        report=report, period=period, factory=factory, report_type=report.report_type,
        workforce=workforce, production=None if production is None else Decimal(production),
        utilisation=None if utilisation is None else Decimal(utilisation),
    )  # fmt: skip
    if domestic is not None or export is not None:
        SalesRow.objects.create(
            report=report,
            product="Produk",
            domestic_value=Decimal(domestic or 0),
            export_value=Decimal(export or 0),
        )
    if kwh is not None:
        Energy.objects.create(report=report, pln_kwh=Decimal(kwh))
    return report


def member(period, *, kbli=("10110",), factory=None, previous=None, **values):
    """A factory of the panel (a new company unless ``factory`` is given) with a validated report of
    ``period``; ``previous``: its production value a year earlier (a validated report of that semester)."""
    factory = factory or FactoryAccountFactory(kbli_codes=list(kbli))
    validated_report(factory, period, **values)
    if previous is not None:
        last_year = PeriodFactory(year=period.year - 1, number=period.number)
        validated_report(factory, last_year, production=previous)
    return factory
