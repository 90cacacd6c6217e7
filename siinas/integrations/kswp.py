"""KSWP (Konfirmasi Status Wajib Pajak, DJP) behind a Protocol: a live HTTP client and an offline one.

After a registration is submitted SIINas asks KSWP for the NPWP's status; the UPP queue shows it next to
the OSS match. ``get_kswp()`` picks the implementation from ``SIINAS_KSWP_BACKEND`` (``http`` or
``offline``), as ``siinas.integrations.oss`` does. Plain data only; no app is imported.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils import timezone

from siinas.integrations.http import HttpConfig, IntegrationUnavailable, JsonClient

VALID = "valid"
INVALID = "tidak_valid"
UNKNOWN = "tidak_dikenal"
STATUSES = (VALID, INVALID, UNKNOWN)


@dataclass(frozen=True)
class KswpStatus:
    npwp: str
    status: str  # valid | tidak_valid | tidak_dikenal
    name: str  # the taxpayer's name when KSWP gives it, else ""
    checked_at: datetime

    @property
    def is_valid(self) -> bool:
        return self.status == VALID


class KswpUnavailable(IntegrationUnavailable):
    """KSWP could not be reached; the officer checks the NPWP by hand."""


@runtime_checkable
class KswpClient(Protocol):
    def check_npwp(self, npwp: str, *, fresh: bool = False) -> KswpStatus:
        """The NPWP's status. Raises ``KswpUnavailable``."""
        ...


def _digits(npwp: str) -> str:
    return re.sub(r"\D", "", npwp or "")


def _checked_at(value: Any) -> datetime:
    if value:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            moment = None
        if moment is not None:
            return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
    return timezone.now()


def parse_kswp(npwp: str) -> Callable[[int, Any], KswpStatus]:
    """The one place that reads KSWP's answer (shape assumed in docs/decisions.md, "KSWP"):

    ``{"status": 200, "message": ..., "data": {"npwp", "nama", "status_wp": "VALID"|"TIDAK VALID",
    "tanggal_konfirmasi"}}``; ``status`` 404, HTTP 404 or ``data: null`` is an NPWP KSWP does not know.
    Any other shape raises (the caller reports it as unavailable).
    """

    def parse(status: int, body: Any) -> KswpStatus:
        if status == 404 and not isinstance(body, dict):
            return KswpStatus(npwp=npwp, status=UNKNOWN, name="", checked_at=timezone.now())
        code = int(body["status"])
        data = body.get("data")
        if code == 404 or (code == 200 and not data):
            return KswpStatus(npwp=npwp, status=UNKNOWN, name="", checked_at=timezone.now())
        if code != 200:
            raise ValueError(f"KSWP status {code}: {body.get('message', '')}")
        if not isinstance(data, dict):
            raise TypeError("data is not an object")
        flag = " ".join(str(data["status_wp"]).upper().replace("_", " ").split())
        state = {"VALID": VALID, "TIDAK VALID": INVALID, "INVALID": INVALID}[flag]
        return KswpStatus(
            npwp=_digits(str(data.get("npwp") or npwp)),
            status=state,
            name=" ".join(str(data.get("nama") or "").split()),
            checked_at=_checked_at(data.get("tanggal_konfirmasi")),
        )

    return parse


class HttpKswp:
    """DJP KSWP confirmation over HTTP (``POST {"npwp": ..., "kd_layanan": ...}``)."""

    def __init__(self, config: HttpConfig, *, service_code: str = ""):
        self.client = JsonClient(config)
        self.service_code = service_code

    def check_npwp(self, npwp: str, *, fresh: bool = False) -> KswpStatus:
        number = _digits(npwp)
        if len(number) not in (15, 16):
            return KswpStatus(npwp=number, status=UNKNOWN, name="", checked_at=timezone.now())
        payload = {"npwp": number, **({"kd_layanan": self.service_code} if self.service_code else {})}
        try:
            return self.client.call(
                key=number, payload=payload, parse=parse_kswp(number), found=lambda s: s.status != UNKNOWN, fresh=fresh
            )
        except IntegrationUnavailable as exc:
            raise KswpUnavailable(str(exc)) from exc


KnownNpwp = Callable[[str], "str | None"]


class OfflineKswp:
    """Answers from ``data/kswp_offline.csv`` (demo NPWPs), then "valid" for an NPWP ``known`` names
    (accounts passes "NPWPs of companies with a SIINas account"), else "tidak dikenal"."""

    def __init__(self, seed_file: Path | None = None, *, known: KnownNpwp | None = None):
        self.seed_file = seed_file or Path(settings.BASE_DIR) / "data" / "kswp_offline.csv"
        self.known = known

    def _seed(self) -> dict[str, tuple[str, str]]:
        if not self.seed_file.exists():
            return {}
        with self.seed_file.open(encoding="utf-8", newline="") as handle:
            return {row["npwp"]: (row["status"], row["name"]) for row in csv.DictReader(handle)}

    def check_npwp(self, npwp: str, *, fresh: bool = False) -> KswpStatus:
        number = _digits(npwp)
        now = timezone.now()
        seed = self._seed()
        # A company's 15-digit NPWP and its 16-digit form (a leading 0) are the same taxpayer.
        alternative = number[1:] if len(number) == 16 and number.startswith("0") else "0" + number
        if seeded := seed.get(number) or seed.get(alternative):
            return KswpStatus(npwp=number, status=seeded[0], name=seeded[1], checked_at=now)
        name = self.known(number) if self.known is not None else None
        if name is not None:
            return KswpStatus(npwp=number, status=VALID, name=name, checked_at=now)
        return KswpStatus(npwp=number, status=UNKNOWN, name="", checked_at=now)


def get_kswp(*, known: KnownNpwp | None = None) -> KswpClient:
    """The configured KSWP client. ``known`` is used by the offline client only."""
    backend = settings.SIINAS_KSWP_BACKEND
    if backend == "offline":
        return OfflineKswp(known=known)
    if backend == "http":
        values = settings.SIINAS_KSWP
        return HttpKswp(HttpConfig.from_settings("kswp", values), service_code=values.get("service_code") or "")
    raise ValueError(f"unknown SIINAS_KSWP_BACKEND {backend!r}")
