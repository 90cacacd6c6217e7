"""Informasi Industri routes: public (no login), protected aggregates only; no role sees more than
anonymous does (tests/informasi/test_page.py checks what the page and downloads contain)."""

from tests.authz.table import Route


def _period(cast) -> dict:
    """A semester whose filing window opened long ago (the page and downloads need one)."""
    from tests.reporting.factories import PeriodFactory

    PeriodFactory(year=2025, number=1)
    return {}


ROUTES = [
    Route("informasi:statistics", public=True, setup=_period, note="aggregates through informasi.selectors._protect"),
    Route(
        "informasi:statistics-download",
        public=True,
        setup=lambda cast: {**_period(cast), "fmt": "csv"},
        note="exactly the page's protected table; anonymous downloads rate-limited per address",
    ),
]
