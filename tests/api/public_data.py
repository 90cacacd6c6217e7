"""Data for the public endpoints' tests and their harness routes: a published IKI month and a semester of
validated reports (idempotent: the harness calls a route's setup once per caller)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from iki import services as iki_services
from iki.models import IkiRelease
from reporting.models import ReportMeasures, ReportStatus
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory
from tests.iki.conftest import make_response
from tests.reporting.factories import PeriodFactory, ReportFactory

MARCH = date(2026, 3, 1)
AFTER_MARCH = date(2026, 4, 1)  # March's window (12th–23rd) has closed

# KBLI 10: factory_a and three more (published); KBLI 13: two respondents (suppressed, fewer than 3).
PANEL = (
    ("10110", 317, "meningkat", "menurun", "meningkat"),
    ("10110", 264, "meningkat", "tetap", "tetap"),
    ("10750", 394, "menurun", "meningkat", "menurun"),
    ("13111", 85, "tetap", "menurun", "meningkat"),
    ("13111", 120, "meningkat", "meningkat", "tetap"),
)


def answer_month(month: date, *, first=None) -> list:
    """Responses of the panel for ``month`` (``first``: the factory answering the first line)."""
    factories = []
    for i, (kbli, workforce, orders, production, stock) in enumerate(PANEL):
        factory = first if (i == 0 and first is not None) else FactoryAccountFactory(kbli_codes=[kbli], workforce=workforce)
        make_response(factory, month, kbli[:2], orders=orders, production=production, stock=stock, orders_factors=["nilai_tukar"])
        factories.append(factory)
    return factories


def published_month(cast, month: date = MARCH) -> dict:
    """``month`` answered (factory_a among the respondents) and published as vintage 1."""
    if not IkiRelease.objects.filter(period=month).exists():
        answer_month(month, first=cast.factory_a)
        iki_services.iki_release_publish(actor=None, period=month, via="job", today=date(month.year + (month.month == 12), month.month % 12 + 1, 1))
    return {"period": f"{month:%Y-%m}"}


def validated(period, region: str, kbli=("10110",), *, factory=None, **values):
    """A factory with one validated report of ``period`` and its stored measures (as the pipeline writes them)."""
    factory = factory or FactoryAccountFactory(region=Region.objects.get(pk=region), kbli_codes=list(kbli))
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.VALIDATED)
    ReportMeasures.objects.create(
        report=report, period_id=period.pk, factory=factory, report_type=report.report_type,
        **{k: (Decimal(v) if k != "workforce" else v) for k, v in values.items()},
    )  # fmt: skip
    return factory


def statistics_semester(cast) -> dict:
    """Semester 1 2026: Jawa Barat 5 companies (factory_a among them), Jawa Timur 3 (one dominates
    production), Banten 1 (fewer than 3: hidden, with a secondary partner)."""
    period = PeriodFactory(year=2026, number=1)
    if not ReportMeasures.objects.filter(period=period).exists():
        validated(period, "32.16", factory=cast.factory_a, workforce=120, production=5000, export=400)
        for i in range(4):
            validated(period, "32.16", workforce=100 + i, production=4000 + 10 * i, export=300 + i)
        validated(period, "35.78", ["25111"], workforce=50, production=90000, export=10)
        for i in range(2):
            validated(period, "35.78", ["25111"], workforce=40 + i, production=100 + i, export=12 + i)
        validated(period, "36.03", workforce=30, production=700, export=5)
    return {"period": "2026-S1"}
