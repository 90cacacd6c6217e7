"""Loading the reference data shipped in data/ (see data/SOURCES.md for provenance)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import holidays as holiday_calendars
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from siinas.core.models import GdpShare, Holiday, Kbli, Region

DATA_DIR = Path(settings.BASE_DIR) / "data"
KBLI_LEVEL_ORDER = ["kategori", "golongan_pokok", "golongan", "subgolongan", "kelompok"]


@dataclass
class LoadResult:
    regions: int
    kbli: int
    gdp_shares: int
    holidays: int


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _load_regions() -> int:
    rows = _rows("regions.csv")
    objs = [
        Region(code=r["code"], name=r["name"], level=r["level"], province_id=r["parent_code"] or None)
        for r in sorted(rows, key=lambda r: (r["level"] != "provinsi", r["code"]))
    ]
    Region.objects.bulk_create(objs, update_conflicts=True, unique_fields=["code"], update_fields=["name", "level", "province"])
    return len(objs)


def _load_kbli() -> int:
    rows = _rows("kbli_2020.csv")
    rows.sort(key=lambda r: (KBLI_LEVEL_ORDER.index(r["level"]), r["code"]))
    objs = []
    for r in rows:
        code = r["code"]
        objs.append(
            Kbli(
                code=code,
                title=r["title"],
                level=r["level"],
                parent_id=r["parent_code"] or None,
                division_id=code[:2] if r["level"] != "kategori" else None,
            )
        )
    Kbli.objects.bulk_create(
        objs, update_conflicts=True, unique_fields=["code"], update_fields=["title", "level", "parent", "division"]
    )
    return len(objs)


def _load_gdp_shares() -> int:
    count = 0
    for r in _rows("manufacturing_gdp_share.csv"):
        value = r["pdb_adhb_trillion_idr"]
        share, _ = GdpShare.objects.update_or_create(
            period=r["period"],
            subsector_no=int(r["bps_subsector_no"]),
            defaults={
                "period_type": r["period_type"],
                "subsector": r["subsector"],
                "share_pct": Decimal(r["share_of_nonmigas_manufacturing_pct"]),
                "value_trillion_idr": Decimal(value) if value else None,
                "flag": r["flag"],
                "source_url": r["source_url"],
            },
        )
        share.divisions.set([c for c in r["kbli_2020_divisions_derived"].split(";") if c])
        count += 1
    return count


def _load_holidays(years: range) -> int:
    """Indonesian national holidays from the offline ``holidays`` calendar; admins edit the table after."""
    calendar = holiday_calendars.country_holidays("ID", years=years, language="id")
    existing = set(Holiday.objects.filter(date__year__in=list(years)).values_list("date", flat=True))
    new = [Holiday(date=d, name=str(n)[:200]) for d, n in sorted(calendar.items()) if d not in existing]
    Holiday.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def reference_data_load(*, today: date | None = None) -> LoadResult:
    """Insert or refresh every reference table. Idempotent: running it twice changes nothing."""
    # The Jakarta date (TIME_ZONE), not the process's local one: date.today() follows the TZ variable.
    year = (today or timezone.localdate()).year
    return LoadResult(
        regions=_load_regions(),
        kbli=_load_kbli(),
        gdp_shares=_load_gdp_shares(),
        holidays=_load_holidays(range(year - 1, year + 2)),
    )
