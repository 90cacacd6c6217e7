"""Stored aggregates for the early-warning tests, written directly (like a fixture written around the
pipelines): IKI results, validated-report measures and IOMKI weekly reports, on fixed dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from eservice.models import Application, WeeklyReport
from iki.models import IkiResult
from reporting.models import ReportMeasures, ReportStatus
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory, ReportFactory

FIRST_MONTH = dt.date(2024, 1, 1)
MONDAY = dt.date(2026, 3, 2)
STEADY = [52.1, 51.4, 52.8, 53.0, 51.9, 52.5, 51.2, 52.9, 52.3, 51.7, 52.6, 52.0]
STABLE = STEADY
NEAR_50 = [50.6, 50.2, 51.0, 50.4, 50.8, 50.1, 50.9, 50.3, 50.7, 50.5, 50.2, 50.8]


def months(n: int, start: dt.date = FIRST_MONTH) -> list[dt.date]:
    out, month = [], start
    for _ in range(n):
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def iki_results(subsector_values: dict[str, Sequence[float | None]], *, respondents: int = 12) -> list[dt.date]:
    """One ``IkiResult`` per month; ``None`` is a suppressed month of that subsector. The national index
    is a steady 51–53 (its link to the subsectors does not matter to the detector)."""
    length = max(len(v) for v in subsector_values.values())
    periods = months(length)
    for i, period in enumerate(periods):
        subsectors = []
        for code, values in subsector_values.items():
            value = values[i]
            subsectors.append(
                {
                    "kbli2": code,
                    "iki": value,
                    "respondents": respondents if value is not None else 2,
                    "status": "suppressed" if value is None else ("ekspansi" if value >= 50 else "kontraksi"),
                }
            )
        shown = [s["iki"] for s in subsectors if s["iki"] is not None]
        national = STEADY[i % len(STEADY)]
        IkiResult.objects.create(
            period=period,
            iki=national,
            status="ekspansi" if national >= 50 else "kontraksi",
            respondents=respondents * len(shown),
            payload={"subsectors": subsectors},
        )
    return periods


def iki_results_append(values: dict[str, float], *, respondents: int = 12) -> dt.date:
    """The month after the newest stored one, with these subsector values."""
    newest = IkiResult.objects.order_by("-period").first()
    period = (newest.period + dt.timedelta(days=32)).replace(day=1)
    subsectors = [
        {"kbli2": code, "iki": v, "respondents": respondents, "status": "ekspansi" if v >= 50 else "kontraksi"}
        for code, v in values.items()
    ]
    national = 52.0
    IkiResult.objects.create(
        period=period, iki=national, status="ekspansi", respondents=respondents * len(values), payload={"subsectors": subsectors}
    )
    return period


def factories(n: int, *, region: str = "32.16", kbli: str = "10110") -> list:
    from siinas.core.models import Region

    return [FactoryAccountFactory(region=Region.objects.get(pk=region), kbli_codes=[kbli]) for _ in range(n)]


def validated(factory, *, year: int, number: int = 1, production=None, workforce=None, export=None) -> ReportMeasures:
    """A validated report of ``factory`` with its stored measures."""
    period = PeriodFactory(year=year, number=number)
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.VALIDATED)
    return ReportMeasures.objects.create(
        report=report,
        period=period,
        factory=factory,
        report_type=report.report_type,
        production=production,
        workforce=workforce,
        export=export,
    )


def permit(factory, user, n: int) -> Application:
    return Application.objects.create(
        factory=factory,
        service="iomki",
        status="disetujui",
        number=f"IOMKI/EWS/{n}",
        decided_at=timezone.now(),
        created_by=user,
    )


def weekly(application: Application, user, *, week: dt.date, operating: bool = True, utilisation: float = 80) -> WeeklyReport:
    return WeeklyReport.objects.create(
        application=application,
        week_start=week,
        operating=operating,
        workforce_on_site=50,
        utilisation_pct=utilisation,
        submitted_by=user,
    )


@dataclass
class Material:
    months: list[dt.date]
    weeks: list[dt.date]


def material(cast) -> Material:
    """A territory with early-warning material: IKI with a contracting food subsector, three Bekasi food
    factories whose production fell 30 % year on year, two Surabaya metal factories (too few to show) and
    four Bekasi IOMKI permits that mostly stopped operating in the latest week."""
    months = iki_results(
        {
            "10": [*STABLE, *STABLE[:6], 48.5, 47.9, 47.2],  # three months of contraction, and a sharp fall
            "24": [*STABLE, *STABLE[:9]],  # stable
            "25": [*NEAR_50, *NEAR_50[:5], 49.6, None, 49.8, 49.7],  # a suppressed month breaks the streak
        }
    )
    for i, factory in enumerate(factories(3, region="32.16", kbli="10110")):
        validated(factory, year=2025, production=1000 + i, workforce=50)
        validated(factory, year=2026, production=700 + i, workforce=50)
    for factory in factories(2, region="35.78", kbli="25111"):
        validated(factory, year=2025, production=1000)
        validated(factory, year=2026, production=100)
    newcomer = factories(1, region="32.16", kbli="10110")[0]
    validated(newcomer, year=2026, production=1)  # not in the panel: no report a year earlier
    weeks = [MONDAY + dt.timedelta(weeks=k) for k in range(10)]
    for n, factory in enumerate(factories(4, region="32.16", kbli="10110")):
        application = permit(factory, cast.company_a, n)
        for week in weeks[:-1]:
            weekly(application, cast.company_a, week=week)
        weekly(application, cast.company_a, week=weeks[-1], operating=n == 0, utilisation=80 if n == 0 else 0)
    return Material(months=months, weeks=weeks)
