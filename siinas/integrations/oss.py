"""OSS (Online Single Submission) behind a Protocol, with an offline implementation.

SIINas asks OSS about a NIB when a registration is validated (company name, NPWP, e-mail written in
the NIB, licences and their scale). The real OSS API needs a government network and credentials, so
development, tests and the embedded default use ``OfflineOss``, which answers from the portal's own
records and a small seed file. ``get_oss()`` picks the implementation from ``SIINAS_OSS_BACKEND``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings


@dataclass(frozen=True)
class OssLicence:
    number: str
    kbli: str
    scale: str  # kecil | menengah | besar
    issued_on: date | None = None


@dataclass(frozen=True)
class NibRecord:
    nib: str
    company_name: str
    npwp: str
    email: str
    licences: tuple[OssLicence, ...] = field(default_factory=tuple)


class OssUnavailable(RuntimeError):
    """OSS could not be reached; callers degrade to manual checking by the UPP officer."""


@runtime_checkable
class OssClient(Protocol):
    def lookup_nib(self, nib: str) -> NibRecord | None:
        """The NIB's record, or None when OSS does not know it. Raises OssUnavailable."""
        ...


class OfflineOss:
    """Answers from ``data/oss_offline.csv`` (demo NIBs) and then from companies already in SIINas."""

    def __init__(self, seed_file: Path | None = None):
        self.seed_file = seed_file or Path(settings.BASE_DIR) / "data" / "oss_offline.csv"

    def _seed(self) -> dict[str, NibRecord]:
        records: dict[str, NibRecord] = {}
        if not self.seed_file.exists():
            return records
        with self.seed_file.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                licence = OssLicence(number=row["licence_number"], kbli=row["kbli"], scale=row["scale"])
                existing = records.get(row["nib"])
                licences = (*existing.licences, licence) if existing else (licence,)
                records[row["nib"]] = NibRecord(
                    nib=row["nib"], company_name=row["company_name"], npwp=row["npwp"], email=row["email"], licences=licences
                )
        return records

    def lookup_nib(self, nib: str) -> NibRecord | None:
        if not (len(nib) == 13 and nib.isdigit()):
            return None
        record = self._seed().get(nib)
        if record:
            return record
        from accounts.models import Company

        company = Company.objects.filter(nib=nib).first()
        if company is None:
            return None
        email = company.factories.values_list("email", flat=True).first() or ""
        return NibRecord(nib=company.nib, company_name=company.name, npwp=company.npwp, email=email)


def get_oss() -> OssClient:
    backend = getattr(settings, "SIINAS_OSS_BACKEND", "offline")
    if backend == "offline":
        return OfflineOss()
    raise ValueError(f"unknown SIINAS_OSS_BACKEND {backend!r}")
