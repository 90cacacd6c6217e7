"""Many factory accounts, fast (bulk_create): the same builder the benchmark uses."""

from __future__ import annotations

from pemda.management.commands.bench_pemda import populate_territory


def populate_ten_thousand() -> None:
    """10,000 accounts in Jawa Barat (Kab. Bekasi included) and 1,000 in Jawa Timur."""
    populate_territory(10_000)
