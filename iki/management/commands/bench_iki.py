"""Benchmark: compute one IKI month of N responses from the database, beside one raw SQL aggregate.

    python manage.py bench_iki [--responses 30000] [--runs 7]

Everything happens inside a transaction that is rolled back: the database is left as it was. The
figures printed are medians over the runs. Target (issue 6): the engine path within 2× of the SQL.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import replace
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F

from accounts.models import AccountType, Company, Factory, Scale, location_key
from iki import selectors, services, tallies
from iki.engine import IKI_DIVISIONS, compute_from_tally, compute_month
from iki.models import IkiResponse, IkiTallyWeight
from iki.questions import FACTOR_QUESTIONS
from siinas.core.models import Kbli, Region

BENCH_MONTH = date(2001, 3, 1)  # far outside any real series; the window closed long ago

RAW_SQL = """
SELECT r.kbli2_id,
       COUNT(*),
       SUM(f.workforce),
       SUM(f.workforce * CASE r.orders WHEN 'meningkat' THEN 2 WHEN 'tetap' THEN 1 ELSE 0 END),
       SUM(f.workforce * CASE r.production WHEN 'meningkat' THEN 2 WHEN 'tetap' THEN 1 ELSE 0 END),
       SUM(f.workforce * CASE r.stock WHEN 'meningkat' THEN 2 WHEN 'tetap' THEN 1 ELSE 0 END)
FROM iki_ikiresponse r JOIN accounts_factory f ON f.id = r.factory_id
WHERE r.period = %s
GROUP BY r.kbli2_id
"""


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Ukur waktu perhitungan IKI satu bulan (N jawaban) dibanding satu agregat SQL mentah."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=30_000)
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--seed", type=int, default=6)

    def handle(self, *args, responses: int, runs: int, seed: int, **options):
        if responses < 3 or runs < 1:
            raise CommandError("--responses minimal 3 dan --runs minimal 1")
        try:
            with transaction.atomic():
                self._run(responses, runs, random.Random(seed))  # noqa: S311 — synthetic data
                raise _Rollback
        except _Rollback:
            pass

    def _populate(self, total: int, rng: random.Random) -> None:
        lines_per_factory = len(IKI_DIVISIONS)
        n_factories = -(-total // lines_per_factory)
        region = Region.objects.exclude(level=Region.Level.PROVINSI).order_by("code").first()
        if region is None:
            raise CommandError("Data referensi belum dimuat: jalankan manage.py load_reference dulu.")
        company = Company.objects.create(name="PT Bench IKI", nib="0000000000000", npwp="000000000000000")
        factories = Factory.objects.bulk_create(
            [
                Factory(
                    company=company,
                    name=f"Bench {i}",
                    account_type=AccountType.A,
                    address=f"Jalan Bench {i}",
                    region=region,
                    province_id=region.province_id,
                    location_key=location_key(f"Jalan Bench {i}", region.code),
                    scale=Scale.MENENGAH,
                    workforce=rng.randint(5, 5000),
                    email=f"bench{i}@bench.invalid",
                )
                for i in range(n_factories)
            ]
        )
        if not factories[0].pk:
            factories = list(Factory.objects.filter(company=company).order_by("pk"))
        if Kbli.objects.filter(code__in=IKI_DIVISIONS).count() != len(IKI_DIVISIONS):
            raise CommandError("Data referensi KBLI belum lengkap: jalankan manage.py load_reference dulu.")
        answers = ("meningkat", "tetap", "menurun")
        outlooks = ("optimis", "tidak_berubah", "pesimis")
        rows = []
        before = selectors.previous_month(BENCH_MONTH)
        # This month's lines, and last month's for panel consistency (every tenth line is new this month).
        lines = [(BENCH_MONTH, i) for i in range(total)] + [(before, i) for i in range(total) if i % 10]
        for month, i in lines:
            factory = factories[i // lines_per_factory]
            division = IKI_DIVISIONS[i % lines_per_factory]
            picks = {name: rng.choice(answers) for name in ("general", "orders", "production", "stock")}
            picks["outlook"] = rng.choice(outlooks)
            factors = {}
            for answer, factors_field, _other, choices, neutral in FACTOR_QUESTIONS:
                if picks[answer] != neutral:
                    factors[factors_field] = rng.sample([c for c, _l in choices if c != "lainnya"], k=rng.choice((1, 2)))
            response = IkiResponse(
                factory=factory,
                period=month,
                kbli2_id=division,
                main_product="bench",
                official_name="bench",
                official_position="bench",
                official_phone="0",
                official_email="bench@bench.invalid",
                **picks,
                **factors,
            )
            response.set_factor_bits()  # bulk_create skips save(), which derives these two
            response.answered_previous_month = month == BENCH_MONTH and bool(i % 10)
            rows.append(response)
        IkiResponse.objects.bulk_create(rows, batch_size=2000)
        for month in (before, BENCH_MONTH):
            tallies.rebuild(month)  # bulk_create skips save(), which keeps the running tally

    def _time_interleaved(self, paths: dict, runs: int) -> dict[str, tuple[float, object]]:
        """Median ms per path. Each round runs every path once, so a change in machine load during
        the benchmark falls on all paths alike instead of on whichever block ran then."""
        timings: dict[str, list[float]] = {name: [] for name in paths}
        values: dict[str, object] = {}
        for _ in range(runs):
            for name, fn in paths.items():
                start = time.perf_counter()
                values[name] = fn()
                timings[name].append(time.perf_counter() - start)
        return {name: (statistics.median(t) * 1000, values[name]) for name, t in timings.items()}

    def _run(self, total: int, runs: int, rng: random.Random) -> None:
        out = self.stdout.write
        start = time.perf_counter()
        self._populate(total, rng)
        out(
            f"database: {connection.vendor}; {total} responses for {BENCH_MONTH:%Y-%m} (and 90 % of those lines the month"
            f" before, for panel consistency) inserted in {time.perf_counter() - start:.1f} s"
        )

        months = [BENCH_MONTH, selectors.previous_month(BENCH_MONTH)]
        _period, groups = selectors.gdp_groups()

        def engine_path():
            # what the job runs: the month's running tally (23 rows + weight check), then the pure engine
            return compute_from_tally(selectors.month_tally(BENCH_MONTH), gdp_groups=groups or None)

        def scan_path():
            # the previous job path: the month's tally aggregated in one SQL scan, then the pure engine
            return compute_from_tally(selectors.month_tally_scan(BENCH_MONTH), gdp_groups=groups or None)

        def tally_sql_only():
            # the tally's own scan alone (V sums + q1/q5 counts + factor counts + panel), no Python
            adapt = connection.ops.adapt_datefield_value
            with connection.cursor() as cursor:
                cursor.execute(selectors.tally_sql(), [adapt(BENCH_MONTH)])
                return cursor.fetchall()

        def records_path():
            # what a CSV audit runs, fed from the database: every row read as a record
            records = selectors.response_records(months)
            return compute_month(f"{BENCH_MONTH:%Y-%m}", records, previous=records, gdp_groups=groups or None)

        def raw_sql():
            with connection.cursor() as cursor:
                cursor.execute(RAW_SQL, [BENCH_MONTH])
                return cursor.fetchall()

        def service_path():
            return services.iki_result_compute(actor=None, period=BENCH_MONTH, via="bench_iki")

        # one warm-up of each, so neither side pays for cold caches
        engine_path()
        raw_sql()
        figures = self._time_interleaved(
            {"sql": raw_sql, "engine": engine_path, "scan": scan_path, "tally_sql": tally_sql_only, "records": records_path, "service": service_path},
            runs,
        )
        sql_ms, sql_rows = figures["sql"]
        engine_ms, result = figures["engine"]
        scan_ms, from_scan = figures["scan"]
        tally_sql_ms, _rows = figures["tally_sql"]
        records_ms, from_records = figures["records"]
        service_ms, _outcome = figures["service"]
        # the two paths must agree before their times mean anything
        sql_total = sum(r[1] for r in sql_rows)
        if sql_total != result.respondents:
            raise CommandError(f"engine counted {result.respondents} responses, SQL {sql_total}")
        if replace(from_records, previous_iki=None, change=None) != result or from_scan != result:
            raise CommandError("the tally path and the records path disagree")
        # Not the common case, shown so the figure above is not read as the only one: a tenth of the
        # responding factories' weights changed after they answered (e.g. a report accepted since),
        # so the computation re-reads those factories' lines to correct them.
        factory_ids = sorted(IkiTallyWeight.objects.filter(period=BENCH_MONTH).values_list("factory_id", flat=True))
        Factory.objects.filter(pk__in=factory_ids[::10]).update(workforce=F("workforce") + 1)
        stale_ms, from_stale = self._time_interleaved({"stale": engine_path}, runs)["stale"]
        if from_stale != scan_path():
            raise CommandError("the weight correction changed the result")
        ratio = engine_ms / sql_ms if sql_ms else float("inf")
        out(f"runs: {runs}, interleaved (median of each path)")
        out(f"raw SQL aggregate (V sums per KBLI):             {sql_ms:8.1f} ms")
        out(f"engine from DB (running tally + compute all):    {engine_ms:8.1f} ms   ratio {ratio:.2f}x")
        out(f"  … with 10 % of factories' weights changed:     {stale_ms:8.1f} ms   ratio {stale_ms / sql_ms:.2f}x")
        out(f"scan path (tally in one SQL scan + compute all): {scan_ms:8.1f} ms   ratio {scan_ms / sql_ms:.2f}x")
        out(f"one raw SQL aggregate with the same outputs:      {tally_sql_ms:8.1f} ms   ratio {tally_sql_ms / sql_ms:.2f}x")
        out(f"records path (read every row + compute all):     {records_ms:8.1f} ms   ratio {records_ms / sql_ms:.2f}x")
        out(f"service (read + compute + store + audit):        {service_ms:8.1f} ms")
        out(f"IKI {result.period}: {result.iki} ({result.respondents} responses, panel {result.panel_consistency} %)")
        same_outputs = engine_ms / tally_sql_ms if tally_sql_ms else float("inf")
        out(("TARGET MET" if ratio <= 2 else "TARGET MISSED") + f": engine within 2x of the bare V-sum SQL aggregate ({ratio:.2f}x)")
        out(
            ("TARGET MET" if same_outputs <= 2 else "TARGET MISSED")
            + f": engine within 2x of one raw SQL aggregate computing the same outputs ({same_outputs:.2f}x)"
        )
