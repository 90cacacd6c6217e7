"""Benchmark: the reporting-rate page and the compliance planner with many factory accounts.

    python manage.py bench_reporting_rate [--factories 10000] [--runs 5]

Inside a transaction that is rolled back (the database is left as it was): N factory accounts are
bulk-created over ten kab/kota of five provinces, half of them with a submitted report for a
throw-away period. Printed, for each grouping of the rate page: the median time of the full request
(middleware, view, template) and its query count — which must not grow with N — and the time the
daily planner takes to decide SP1 for the N/2 accounts without a report (rows rolled back too).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountType, Company, Factory, Role, Scale, User, location_key
from reporting.models import Period, Report, ReportStatus
from siinas.core.models import Kbli, Region
from verification.services.compliance import compliance_plan


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the reporting-rate page and the compliance planner with many factory accounts (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--factories", type=int, default=10000)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, factories: int, runs: int, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_reporting_rate is refused under SIINAS_ENV=production.")
        regions = list(Region.objects.exclude(level=Region.Level.PROVINSI).filter(province_id__in=["31", "32", "33", "35", "36"])
                       .order_by("code").values_list("pk", "province_id")[:10])  # fmt: skip
        kbli = list(Kbli.objects.filter(level=Kbli.Level.KELOMPOK).order_by("code").values_list("pk", flat=True)[:40])
        if len(regions) < 10 or not kbli:
            raise CommandError("Data referensi belum dimuat: jalankan manage.py load_reference dulu.")
        try:
            with transaction.atomic():
                self._run(factories, runs, regions, kbli)
                raise Rollback
        except Rollback:
            pass

    def _run(self, count, runs, regions, kbli):
        long_ago = timezone.now() - dt.timedelta(days=800)
        period = Period.objects.create(
            period_type=Period.Type.QUARTER, year=1999, number=4, start=dt.date(1999, 10, 1), end=dt.date(1999, 12, 31),
            window_opens=timezone.localdate() - dt.timedelta(days=60), window_closes=timezone.localdate() - dt.timedelta(days=1),
        )  # fmt: skip
        officer = User.objects.create(username="bench_rate_admin", role=Role.ADMIN, is_staff=True)
        device = TOTPDevice.objects.create(user=officer, name="bench", confirmed=True)
        client = Client()
        client.force_login(officer)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # officers pass two-factor before any page
        session.save()
        url = reverse("verification:reporting-rate")

        def measure(by: str) -> tuple[float, int]:
            timings, queries = [], 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(url, {"period": period.pk, "by": by})
                    timings.append(time.perf_counter() - start)
                if response.status_code != 200:
                    raise CommandError(f"rate page answered {response.status_code}")
                queries = len(ctx.captured_queries)
            return statistics.median(timings) * 1000, queries

        empty = {by: measure(by) for by in ("province", "region", "kbli", "report_type")}
        companies = Company.objects.bulk_create(
            (Company(name=f"PT Bench {i}", nib=f"{4000000000000 + i:013d}", npwp="013000000000000") for i in range(count)), batch_size=2000
        )
        rows = []
        for i, company in enumerate(companies):
            region, province = regions[i % len(regions)]
            address = f"Jalan Bench {i}"
            rows.append(Factory(company=company, name=f"Pabrik {i}", account_type=AccountType.A, address=address, region_id=region,
                                province_id=province, location_key=location_key(address, region),
                                scale=(Scale.KECIL, Scale.MENENGAH, Scale.BESAR)[i % 3], email=f"bench{i}@contoh.co.id",
                                created_at=long_ago))  # fmt: skip
        made = Factory.objects.bulk_create(rows, batch_size=2000)
        Factory.kbli.through.objects.bulk_create(
            (Factory.kbli.through(factory_id=f.pk, kbli_id=kbli[i % len(kbli)]) for i, f in enumerate(made)), batch_size=5000
        )
        now = timezone.now()
        Report.objects.bulk_create(
            (Report(factory=f, period=period, report_type="industri_produksi_kecil" if f.scale == Scale.KECIL else "industri_produksi",
                    status=ReportStatus.SUBMITTED, first_submitted_at=now, last_submitted_at=now, submitted_on_time=True)
             for f in made[::2]),
            batch_size=2000,
        )  # fmt: skip
        self.stdout.write(f"reporting rate, {count} factory accounts (median of {runs}, full request):")
        self.stdout.write(f"  {'grouping':<12} {'empty ms':>9} {'queries':>8} {'full ms':>9} {'queries':>8}")
        for by, (ms0, q0) in empty.items():
            ms, q = measure(by)
            self.stdout.write(f"  {by:<12} {ms0:>9.1f} {q0:>8} {ms:>9.1f} {q:>8}")
        start = time.perf_counter()
        planned = compliance_plan(today=timezone.localdate())
        self.stdout.write(f"compliance planner: {len(planned)} SP1 rows planned in {(time.perf_counter() - start) * 1000:.0f} ms")
