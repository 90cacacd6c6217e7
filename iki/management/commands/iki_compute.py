"""Compute one IKI month for a reproducible audit (the contract in issue 6, docs/iki.md).

    python manage.py iki_compute --period YYYY-MM [--csv FILE] [--json]

With ``--csv`` the responses come from the file (several months allowed; the previous month feeds
panel consistency) and the GDP shares from data/manufacturing_gdp_share.csv: the database is
neither read nor written. Without it the month is computed from the database and stored.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from iki.csvio import PERIOD_RE, CsvError, read_gdp_groups, read_responses
from iki.engine import MonthResult, compute_month, previous_period


class Command(BaseCommand):
    help = "Hitung IKI satu bulan dari basis data (dan simpan) atau dari berkas CSV (tanpa menyentuh basis data)."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="bulan yang dihitung, YYYY-MM")
        parser.add_argument("--csv", dest="csv_file", help="berkas CSV jawaban (header period,respondent,kbli2,…)")
        parser.add_argument("--json", action="store_true", help="cetak satu objek JSON")

    def handle(self, *args, period: str, csv_file: str | None, json: bool, **options):
        if not PERIOD_RE.match(period):
            raise CommandError(f"--period harus berformat YYYY-MM (tertulis {period!r})")
        result = self._from_csv(period, Path(csv_file)) if csv_file else self._from_database(period)
        if json:
            self.stdout.write(_dumps(result.as_contract()))
        else:
            self._print_summary(result)

    def _from_csv(self, period: str, path: Path) -> MonthResult:
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                records = read_responses(handle)
        except FileNotFoundError:
            raise CommandError(f"berkas {path} tidak ditemukan") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"berkas {path} bukan teks UTF-8 ({exc.reason})") from None
        except CsvError as exc:
            raise CommandError(f"{path}: tidak dihitung, perbaiki dulu:\n" + "\n".join(exc.errors)) from None
        current = [r for r in records if r.period == period]
        if not current:
            raise CommandError(f"{path}: tidak ada jawaban untuk periode {period}")
        before = previous_period(period)
        _gdp_period, groups = read_gdp_groups(Path(settings.BASE_DIR) / "data" / "manufacturing_gdp_share.csv")
        return compute_month(period, current, previous=[r for r in records if r.period == before], gdp_groups=groups)

    def _from_database(self, period: str) -> MonthResult:
        from iki.services import IkiComputeError, iki_result_compute

        try:
            stored = iki_result_compute(actor=None, period=period, via="iki_compute")
        except IkiComputeError as exc:
            raise CommandError(str(exc)) from None
        return stored.month

    def _print_summary(self, result: MonthResult) -> None:
        out = self.stdout.write
        iki = "–" if result.iki is None else f"{result.iki:.2f}"
        out(f"IKI {result.period}: {iki} ({result.status}), {result.respondents} responden")
        if result.national:
            n = result.national
            out(f"  V1 pesanan {n.v_orders:.2f} · V2 produksi {n.v_production:.2f} · V3 persediaan {n.v_stock:.2f}")
        out(f"  subsektor ekspansi {result.expanding}, kontraksi {result.contracting}")
        if result.expanding_gdp_share is not None:
            out(f"  pangsa PDB subsektor ekspansi {result.expanding_gdp_share:.2f}%")
        if result.panel_consistency is not None:
            out(f"  konsistensi panel {result.panel_consistency:.2f}%")
        for s in result.subsectors:
            if s.respondents:
                value = "disembunyikan (<3 responden)" if s.iki is None else f"{s.iki:.2f} {s.status}"
                out(f"  KBLI {s.kbli2}: {value}, {s.respondents} responden")


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)
