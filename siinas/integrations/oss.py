"""OSS (Online Single Submission, BKPM) behind a Protocol: a live HTTP client and an offline one.

SIINas asks OSS about a NIB when a company registers (to pre-fill the form) and after a registration is
submitted (does OSS know the NIB; do the name, NPWP and e-mail match). ``get_oss()`` picks the
implementation from ``SIINAS_OSS_BACKEND``: ``http`` (the OSS RBA ``inqueryNIB`` service, configured by
``SIINAS_OSS_*``, docs/operations.md) or ``offline`` (the embedded default and the tests: a seed file plus
whatever the caller already knows, passed in as a plain function).

Everything returned is plain data; this module imports no app (docs/decisions.md).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from django.conf import settings

from siinas.integrations.http import HttpConfig, IntegrationUnavailable, JsonClient


@dataclass(frozen=True)
class OssLicence:
    number: str
    kbli: str
    scale: str  # kecil | menengah | besar (mikro is reported as kecil)
    name: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class NibRecord:
    nib: str
    company_name: str
    npwp: str
    email: str
    address: str = ""
    scale: str = ""  # kecil | menengah | besar, "" when OSS does not say
    kbli: tuple[str, ...] = ()
    licences: tuple[OssLicence, ...] = field(default_factory=tuple)


class OssUnavailable(IntegrationUnavailable):
    """OSS could not be reached; callers degrade to manual checking by the UPP officer."""


@runtime_checkable
class OssClient(Protocol):
    def lookup_nib(self, nib: str, *, fresh: bool = False) -> NibRecord | None:
        """The NIB's record, or None when OSS does not know it (or the NIB is malformed).
        ``fresh`` skips the cache of answers. Raises ``OssUnavailable``."""
        ...


NIB_PATTERN = re.compile(r"\d{13}")

# OSS "skala_usaha": 01 mikro, 02 kecil, 03 menengah, 04 besar (text forms also seen).
_SCALES = {
    "01": "kecil", "02": "kecil", "03": "menengah", "04": "besar",
    "mikro": "kecil", "usaha mikro": "kecil", "kecil": "kecil", "usaha kecil": "kecil",
    "menengah": "menengah", "usaha menengah": "menengah", "besar": "besar", "usaha besar": "besar",
}  # fmt: skip
_SCALE_ORDER = {"": 0, "kecil": 1, "menengah": 2, "besar": 3}


def _scale(value: Any) -> str:
    return _SCALES.get(str(value or "").strip().lower(), "")


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def parse_inquery_nib(status: int, body: Any) -> NibRecord | None:
    """The one place that reads OSS's answer (``responinqueryNIB``, OSS RBA API v5; docs/decisions.md).

    ``kode`` 200 with ``dataNIB`` is a record; ``kode`` 404 (or HTTP 404) is "NIB not known". Any other
    shape raises ``ValueError``/``KeyError``/``TypeError`` (the caller reports it as unavailable).
    """
    if status == 404 and not isinstance(body, dict):
        return None
    answer = body["responinqueryNIB"]
    kode = int(answer["kode"])
    if kode == 404 or (kode == 200 and not answer.get("dataNIB")):
        return None
    if kode != 200:
        raise ValueError(f"OSS kode {kode}: {answer.get('keterangan', '')}")
    data = answer["dataNIB"]
    if not isinstance(data, dict):
        raise TypeError("dataNIB is not an object")
    projects = data.get("data_proyek") or []
    kbli_by_project = {str(p.get("id_proyek", "")): _text(p.get("kbli")) for p in projects}
    kbli = tuple(dict.fromkeys(_text(p.get("kbli")) for p in projects if p.get("kbli")))
    licences = tuple(
        OssLicence(
            number=_text(item.get("nomor_izin") or item.get("id_izin")),
            kbli=_text(item.get("kbli")) or kbli_by_project.get(str(item.get("id_proyek", "")), ""),
            scale=_scale(item.get("skala_usaha")) or _scale(data.get("skala_usaha")),
            name=_text(item.get("nama_izin")),
            issued_on=_date(item.get("tgl_izin")),
        )
        for item in (data.get("data_checklist") or [])
        if item.get("nomor_izin") or item.get("id_izin")
    )
    scale = _scale(data.get("skala_usaha"))
    if not scale:
        scales = [_scale(p.get("skala_usaha")) for p in projects]
        scale = max(scales, key=_SCALE_ORDER.__getitem__, default="")
    nib = _text(data["nib"])
    if not NIB_PATTERN.fullmatch(nib):
        raise ValueError("dataNIB.nib is not 13 digits")
    return NibRecord(
        nib=nib,
        company_name=_text(data.get("nama_perseroan")),
        npwp=re.sub(r"\D", "", str(data.get("npwp_perseroan") or "")),
        email=_text(data.get("email_perusahaan")).lower(),
        address=_text(data.get("alamat_perseroan")),
        scale=scale,
        kbli=kbli,
        licences=licences,
    )


class HttpOss:
    """OSS RBA ``inqueryNIB`` over HTTP (``POST {"INQUERYNIB": {"nib": ...}}``)."""

    def __init__(self, config: HttpConfig):
        self.client = JsonClient(config)

    def lookup_nib(self, nib: str, *, fresh: bool = False) -> NibRecord | None:
        if not NIB_PATTERN.fullmatch(nib or ""):
            return None
        try:
            return self.client.call(
                key=nib,
                payload={"INQUERYNIB": {"nib": nib}},
                parse=parse_inquery_nib,
                found=lambda record: record is not None,
                fresh=fresh,
            )
        except IntegrationUnavailable as exc:
            raise OssUnavailable(str(exc)) from exc


KnownLookup = Callable[[str], "NibRecord | None"]


class OfflineOss:
    """Answers from ``data/oss_offline.csv`` (demo NIBs), then from ``known`` — a plain function the
    caller passes (accounts passes "the companies already in SIINas"), so this module needs no model."""

    def __init__(self, seed_file: Path | None = None, *, known: KnownLookup | None = None):
        self.seed_file = seed_file or Path(settings.BASE_DIR) / "data" / "oss_offline.csv"
        self.known = known

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
                    nib=row["nib"],
                    company_name=row["company_name"],
                    npwp=row["npwp"],
                    email=row["email"],
                    address=row.get("address", ""),
                    scale=max((lic.scale for lic in licences), key=lambda s: _SCALE_ORDER.get(s, 0)),
                    kbli=tuple(dict.fromkeys(lic.kbli for lic in licences)),
                    licences=licences,
                )
        return records

    def lookup_nib(self, nib: str, *, fresh: bool = False) -> NibRecord | None:
        if not NIB_PATTERN.fullmatch(nib or ""):
            return None
        record = self._seed().get(nib)
        if record is None and self.known is not None:
            record = self.known(nib)
        return record


def get_oss(*, known: KnownLookup | None = None) -> OssClient:
    """The configured OSS client. ``known`` is used by the offline client only."""
    backend = settings.SIINAS_OSS_BACKEND
    if backend == "offline":
        return OfflineOss(known=known)
    if backend == "http":
        return HttpOss(HttpConfig.from_settings("oss", settings.SIINAS_OSS))
    raise ValueError(f"unknown SIINAS_OSS_BACKEND {backend!r}")
