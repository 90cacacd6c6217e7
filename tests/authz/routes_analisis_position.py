"""Posisi Anda routes (issue 18 §2): company users only, each sees its own factory (there is no factory in
the URL, so another company's position cannot even be asked for); officers 403, anonymous to login.
What the page and downloads contain is tested in tests/analisis/test_position_page.py."""

from __future__ import annotations

from decimal import Decimal

from tests.authz.table import Route

COMPANIES = frozenset({"company", "other_company"})


def _validated_a(cast) -> dict:
    """A validated report of factory_a (company_a) with its stored measures, for a semester long past."""
    from reporting.models import ReportMeasures, ReportStatus
    from tests.reporting.factories import PeriodFactory, ReportFactory

    period = PeriodFactory(year=2025, number=1)
    if ReportMeasures.objects.filter(factory=cast.factory_a, period=period).exists():
        return {}  # setup runs once per role in the same test
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.VALIDATED)
    ReportMeasures.objects.create(
        report=report, period=period, factory=cast.factory_a, report_type=report.report_type,
        workforce=100, production=Decimal(5_000_000_000), utilisation=Decimal("70.00"),
    )  # fmt: skip
    return {}


ROUTES = [
    Route(
        "analisis:position",
        allow=COMPANIES,
        setup=_validated_a,
        note="own factory only; others' values never shown",
    ),
    Route(
        "analisis:position-download",
        allow=frozenset({"company"}),
        hide=frozenset({"other_company"}),
        setup=lambda cast: {**_validated_a(cast), "fmt": "csv"},
        note="the own factory's table; 404 while the factory has no position to show (company_b here)",
    ),
]
