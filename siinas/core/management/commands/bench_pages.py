"""Benchmark: every main page — queries, median time, ratio to a minimal signed-in page (issue 14).

    python manage.py bench_pages [--runs 5] [--json FILE] [--only TEXT] [--migrate]

Meant for the data set of ``manage.py load_scale``. Pages are requested in-process through the test
client, inside a transaction that is rolled back; how and with whom: siinas/core/scale/bench.py.
``--json FILE`` writes ``{"pages": [{"name", "queries", "median_ms", "ratio"}], "minimal_ms"}`` and, beside
them, ``"jobs": [{"name", "queries", "median_ms"}]`` (worker jobs behind pages).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from siinas.core.scale import bench


class Command(BaseCommand):
    help = "Ukur setiap halaman utama: jumlah kueri, median waktu dan rasio terhadap halaman minimal."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="permintaan terukur per halaman (bawaan 5)")
        parser.add_argument(
            "--json", dest="json_path", metavar="FILE", help="tulis hasil sebagai JSON ke FILE"
        )
        parser.add_argument(
            "--only", default="", metavar="TEXT", help="hanya halaman yang namanya memuat TEXT (mis. 'pemda')"
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="terapkan migrasi kode yang belum ada di basis data, di dalam transaksi yang dibatalkan",
        )

    def handle(self, *args, runs: int, json_path: str | None, only: str, migrate: bool = False, **options):
        if runs < 1:
            raise CommandError("--runs minimal 1")
        out = self.stdout.write
        out(
            f"bench_pages: {runs} run(s) per page on {connection.vendor} ({connection.settings_dict['NAME']})"
        )
        try:
            run = bench.measure(runs, log=out, only=only, migrate=migrate)
        except bench.BenchError as exc:
            raise CommandError(str(exc)) from exc
        out("subjects: " + ", ".join(f"{k}={v}" for k, v in run.subjects.items()))
        out("")
        out(f"{'page':<44} {'queries':>7} {'median ms':>10} {'x minimal':>10}")
        for r in run.results:
            out(f"{r.name:<44} {r.queries:>7} {r.median_ms:>10.1f} {r.ratio:>9.1f}x")
        out(f"{bench.MINIMAL:<44} {'':>7} {run.minimal_ms:>10.1f} {1:>9.1f}x")
        if run.jobs:
            out("")
            out(f"{'worker job (no one waits for it)':<44} {'queries':>7} {'median ms':>10}")
            for r in run.jobs:
                out(f"{r.name:<44} {r.queries:>7} {r.median_ms:>10.1f}")
        if json_path:
            path = Path(json_path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(run.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            out(f"written: {path}")
