"""Analisis sektor industri routes (issue 18 §1): public, protected aggregates only; no role sees more
than anonymous does (tests/analisis/test_sector_pages.py checks what the pages and downloads contain)."""

from tests.authz.table import Route


def _period(cast) -> dict:
    """A semester whose filing window opened long ago (the pages need one)."""
    from tests.reporting.factories import PeriodFactory

    PeriodFactory(year=2025, number=1)
    return {}


def _subsector(cast) -> dict:
    return {**_period(cast), "kbli2": "10"}


ROUTES = [
    Route("analisis:sector-list", public=True, setup=_period, note="aggregates through analisis.sector.selectors"),
    Route(
        "analisis:sector-list-download",
        public=True,
        setup=lambda cast: {**_period(cast), "fmt": "csv"},
        note="exactly the list's table; anonymous downloads rate-limited per address",
    ),
    Route("analisis:sector-detail", public=True, setup=_subsector, note="one subsector; unknown KBLI division → 404"),
    Route(
        "analisis:sector-detail-download",
        public=True,
        setup=lambda cast: {**_subsector(cast), "table": "kelompok", "fmt": "xlsx"},
        note="one table of the subsector page, exactly as shown",
    ),
]
