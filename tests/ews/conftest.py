"""A territory with early-warning material: IKI with a contracting food subsector, three Bekasi food
factories whose production fell 30 % year on year, two Surabaya metal factories (too few to show) and
four Bekasi IOMKI permits that mostly stopped operating in the latest week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.ews import builders as b

STABLE = b.STEADY
NEAR_50 = [50.6, 50.2, 51.0, 50.4, 50.8, 50.1, 50.9, 50.3, 50.7, 50.5, 50.2, 50.8]


@dataclass
class Material:
    months: list[dt.date]
    weeks: list[dt.date]


@pytest.fixture
def material(cast) -> Material:
    months = b.iki_results(
        {
            "10": [*STABLE, *STABLE[:6], 48.5, 47.9, 47.2],  # three months of contraction, and a sharp fall
            "24": [*STABLE, *STABLE[:9]],  # stable
            "25": [*NEAR_50, *NEAR_50[:5], 49.6, None, 49.8, 49.7],  # a suppressed month breaks the streak
        }
    )
    for i, factory in enumerate(b.factories(3, region="32.16", kbli="10110")):
        b.validated(factory, year=2025, production=1000 + i, workforce=50)
        b.validated(factory, year=2026, production=700 + i, workforce=50)
    for factory in b.factories(2, region="35.78", kbli="25111"):
        b.validated(factory, year=2025, production=1000)
        b.validated(factory, year=2026, production=100)
    newcomer = b.factories(1, region="32.16", kbli="10110")[0]
    b.validated(newcomer, year=2026, production=1)  # not in the panel: no report a year earlier
    weeks = [b.MONDAY + dt.timedelta(weeks=k) for k in range(10)]
    for n, factory in enumerate(b.factories(4, region="32.16", kbli="10110")):
        permit = b.permit(factory, cast.company_a, n)
        for week in weeks[:-1]:
            b.weekly(permit, cast.company_a, week=week)
        b.weekly(permit, cast.company_a, week=weeks[-1], operating=n == 0, utilisation=80 if n == 0 else 0)
    return Material(months=months, weeks=weeks)
