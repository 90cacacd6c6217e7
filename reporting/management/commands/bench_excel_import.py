"""Benchmark: import a 2,000-row table from Excel, and download it back as a template (issue 16 §1).

    python manage.py bench_excel_import [--runs 5] [--rows 2000]

Through the real views (test client, full middleware), inside one transaction rolled back at the end:
each run opens a fresh draft, uploads a file of ``--rows`` products (the capacity table: the form, the
KBLI rule and the duplicate rule run on every row) and downloads the section's template with those
rows. Prints the median and p90 and the query count of each step, and the file's size.
"""

from __future__ import annotations

import statistics
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import spreadsheet
from reporting.management.commands import bench_reporting
from reporting.sections import models as sm
from siinas.core.models import Kbli, Region


def _file(rows: int) -> bytes:
    """The capacity sheet as the template writes it (numbers as number cells), filled with ``rows`` products."""
    from reporting.registry import REPORT_TYPES

    tables = spreadsheet.tables_for(REPORT_TYPES["industri_produksi"], ["kapasitas"])
    cells = [[f"Produk uji {i:04d}", "19059090", "10710", "ton", 1000 + i] for i in range(rows)]
    return spreadsheet.workbook_bytes(tables, {"produk": cells}, heading=["bench"])


class Command(BaseCommand):
    help = "Median time to import a 2,000-row table from Excel through the upload page, and to download its template."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--rows", type=int, default=spreadsheet.MAX_ROWS)

    def handle(self, *args, runs: int, rows: int, **options):
        if runs < 1 or not 1 <= rows <= spreadsheet.MAX_ROWS:
            raise CommandError(f"--runs ≥ 1 and 1 ≤ --rows ≤ {spreadsheet.MAX_ROWS}")
        if not Kbli.objects.filter(code="10710").exists() or not Region.objects.filter(code="32.16").exists():
            raise CommandError("Reference data is missing: run `manage.py load_reference` first.")
        content = _file(rows)
        timings: dict[str, list[float]] = {}
        queries: dict[str, int] = {}
        helper = bench_reporting.Command()
        with (
            override_settings(ROOT_URLCONF=bench_reporting.__name__, ALLOWED_HOSTS=["testserver"]),
            transaction.atomic(),
        ):
            client, factory = helper._setup()
            for run in range(runs):
                self._measure(
                    timings, queries, "empty view request", lambda: client.get("/__bench__/kosong/"), 200
                )
                report = helper._draft(factory, run)
                url = reverse("reporting:section-excel", kwargs={"pk": report.pk, "code": "kapasitas"})
                self._measure(
                    timings,
                    queries,
                    f"import {rows} rows (upload page)",
                    lambda u=url: client.post(u, {"berkas": SimpleUploadedFile("bench.xlsx", content)}),
                    302,
                )
                if sm.CapacityProduct.objects.filter(report=report).count() != rows:
                    raise CommandError(f"run {run}: the rows were not imported")
                url = reverse(
                    "reporting:section-excel-template", kwargs={"pk": report.pk, "code": "kapasitas"}
                )
                self._measure(
                    timings, queries, f"template with {rows} rows", lambda u=url: client.get(u), 200
                )
            transaction.set_rollback(True)
        out = self.stdout.write
        out(
            f"bench_excel_import — capacity table, {rows} rows, file {len(content) / 1024:.0f} KB, {runs} runs, {connection.vendor}"
        )
        out(f"{'step':<34}{'median ms':>11}{'p90 ms':>9}{'queries':>9}")
        for label, values in timings.items():
            ordered = sorted(values)
            p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
            out(f"{label:<34}{statistics.median(values):>11.1f}{p90:>9.1f}{queries[label]:>9}")

    def _measure(self, timings, queries, label: str, call, expect: int) -> None:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = call()
            elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != expect:
            raise CommandError(f"{label}: HTTP {response.status_code}")
        timings.setdefault(label, []).append(elapsed)
        queries[label] = len(ctx.captured_queries)
