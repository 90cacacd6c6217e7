"""Compute one IKI month for a reproducible audit (the contract in issue 6, docs/iki.md).

    python manage.py iki_compute --period YYYY-MM [--csv FILE] [--json]
    python manage.py iki_compute --period YYYY-MM --vintage N [--json]

With ``--csv`` the responses come from the file (several months allowed; the previous month feeds
panel consistency) and the GDP shares from data/manufacturing_gdp_share.csv: the database is
neither read nor written. Without it the month is computed from the database and stored (the
current figure, "angka terkini"; the published release is not touched). With ``--vintage N`` the
published release vintage N is recomputed from its frozen inputs alone and compared with its
published figures: exit status 0 when they are equal to the digit, 1 otherwise; nothing is written
(docs/statistics.md).
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
        parser.add_argument("--period", "--month", dest="period", required=True, help="bulan yang dihitung, YYYY-MM")
        parser.add_argument("--csv", dest="csv_file", help="berkas CSV jawaban (header period,respondent,kbli2,…)")
        parser.add_argument("--json", action="store_true", help="cetak satu objek JSON")
        parser.add_argument(
            "--vintage", type=int, help="audit: hitung ulang rilis ke-N dari masukan yang dibekukan dan bandingkan (status keluar 0/1)"
        )

    def handle(self, *args, period: str, csv_file: str | None, json: bool, vintage: int | None = None, **options):
        if not PERIOD_RE.match(period):
            raise CommandError(f"--period harus berformat YYYY-MM (tertulis {period!r})")
        if vintage is not None:
            if csv_file:
                raise CommandError("--vintage menghitung ulang dari masukan rilis yang dibekukan; jangan dipakai bersama --csv")
            return self._audit(period, vintage, as_json=json)
        result = self._from_csv(period, Path(csv_file)) if csv_file else self._from_database(period)
        if json:
            self.stdout.write(_dumps(result.as_contract()))
        else:
            self._print_summary(result)
            if not csv_file:
                self._print_published(period)

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

    def _audit(self, period: str, number: int, *, as_json: bool) -> None:
        """Recompute a published vintage from its frozen inputs; read-only."""
        from iki import vintages
        from iki.models import IkiRelease
        from iki.selectors import parse_period

        release = IkiRelease.objects.filter(period=parse_period(period), vintage=number).first()
        if release is None:
            raise CommandError(f"rilis ke-{number} periode {period} tidak ada")
        label = f"IKI {period} rilis ke-{number}"
        if vintages.digest(release.inputs) != release.inputs_sha256:
            raise CommandError(f"{label}: masukan yang dibekukan tidak cocok dengan SHA-256 yang tersimpan (diubah setelah terbit)", returncode=1)
        result = vintages.compute(release.inputs)
        recomputed = _canonical(result.as_stored())
        published = _canonical(release.payload)
        differences = sorted(key for key in set(recomputed) | set(published) if recomputed.get(key) != published.get(key))
        if result.iki != release.iki and "iki" not in differences:
            differences.insert(0, "iki")
        if as_json:
            self.stdout.write(_dumps(result.as_contract()))
        verdict = self.stdout.write if not as_json else self.stderr.write
        verdict(
            f"{label} (diterbitkan {release.published_at:%Y-%m-%d}, SHA-256 {release.inputs_sha256[:12]}…): "
            f"terbit {release.iki:.2f}, dihitung ulang {result.iki:.2f}"
        )
        if differences:
            raise CommandError(f"{label}: TIDAK SAMA — berbeda pada {', '.join(differences)}", returncode=1)
        verdict(f"{label}: SAMA — setiap angka yang terbit dihasilkan kembali persis")

    def _print_published(self, period: str) -> None:
        """Beside the current figure, what the public sees (it changes only with a revision)."""
        from iki.models import IkiRelease
        from iki.selectors import parse_period

        newest = IkiRelease.objects.filter(period=parse_period(period)).order_by("-vintage").first()
        if newest is not None:
            self.stdout.write(
                f"  angka terbit (rilis ke-{newest.vintage}, {newest.published_at:%Y-%m-%d}): {newest.iki:.2f};"
                f" audit: iki_compute --period {period} --vintage {newest.vintage}"
            )

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


def _canonical(payload: dict) -> dict:
    """The payload as stored in the database (JSON round trip), so both sides compare alike."""
    return json.loads(json.dumps(payload, sort_keys=True))


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)
