"""Loading the reference data shipped in data/ (see data/SOURCES.md for provenance); the admin's
announcements on the home page."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import holidays as holiday_calendars
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from siinas.core.models import Announcement, AnnouncementRole, GdpShare, Holiday, Kbli, Region
from siinas.lib.audit import audit

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


# --- Announcements (issue 16 §6): the admin's notices on the home page ----------------------------

ANNOUNCEMENT_ENDS_BEFORE_START = gettext_noop("Tanggal akhir tidak boleh sebelum tanggal mulai tampil.")
ANNOUNCEMENT_NO_ROLE = gettext_noop("Pilih sedikitnya satu peran penerima pengumuman.")
ANNOUNCEMENT_UNKNOWN_ROLE = gettext_noop("Peran tidak dikenal: %(role)s.")


@transaction.atomic
def announcement_save(
    *,
    actor: User,
    announcement: Announcement | None = None,
    title: str,
    body: str,
    roles: Iterable[str],
    starts_on: date,
    ends_on: date,
    request=None,
) -> Announcement:
    """Admin. Creates an announcement (``announcement`` None) or replaces an existing one's text, roles
    and dates. Raises ValidationError at the field for an end before the start, no role or an unknown one."""
    roles = sorted(set(roles))
    if not roles:
        raise ValidationError({"roles": _(ANNOUNCEMENT_NO_ROLE)})
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationError({"roles": _(ANNOUNCEMENT_UNKNOWN_ROLE) % {"role": ", ".join(unknown)}})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _(ANNOUNCEMENT_ENDS_BEFORE_START)})
    created = announcement is None
    if created:
        announcement = Announcement(created_by=actor)
    announcement.title = title.strip()
    announcement.body = body.strip()
    announcement.starts_on = starts_on
    announcement.ends_on = ends_on
    announcement.updated_at = timezone.now()
    announcement.full_clean(exclude=["created_by"])
    announcement.save()
    announcement.audience.all().delete()
    AnnouncementRole.objects.bulk_create(
        AnnouncementRole(announcement=announcement, role=role) for role in roles
    )
    audit(
        "core.announcement.created" if created else "core.announcement.changed",
        actor=actor,
        target=announcement,
        request=request,
        roles=roles,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
    )
    return announcement


@transaction.atomic
def announcement_delete(*, actor: User, announcement: Announcement, request=None) -> None:
    """Admin. Removes an announcement (it leaves every home page at once)."""
    audit(
        "core.announcement.deleted",
        actor=actor,
        target=announcement,
        request=request,
        title=announcement.title,
    )
    announcement.delete()
