"""Benchmark: median render time of the Pemda dashboard with 10,000+ factories in the territory,
beside an empty page's.

    python manage.py bench_pemda [--factories 10200] [--runs 9]

Inside a transaction that is rolled back (the database is left as it was): N factory accounts are
bulk-created across Jawa Barat's kab/kota (and 1,000 more in Jawa Timur), then the full request stack
(middleware, view, template) is timed through the test client for
- an empty page: the signed-in landing page (``core:dashboard``), nothing but the layout;
- the dashboard of a province office with no factory at all;
- the dashboard of the Jawa Barat office with the N factories, a third of them with a validated
  report (all four measures) in a bench period, which the dashboard is asked to show — cold (the cache
  emptied before every request) and warm (the reporting-rate tables served from the cache).
The query count of each is printed beside it (its flatness in N is asserted by tests/pemda).
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.core.signals import request_started
from django.db import close_old_connections, connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType, Company, Factory, Role, Scale, User, location_key
from reporting.models import Period, Report, ReportStatus
from reporting.sections import models as sections
from siinas.core.models import Kbli, Region


def populate_factories(count: int, *, regions: list[str], start: int = 0, created_at: dt.datetime | None = None) -> list[int]:
    """Create ``count`` factory accounts fast (bulk_create) spread over ``regions``, scales, types
    (1 in 10 an estate, 1 in 20 crossing kab/kota borders) and KBLI codes (1 in 3 with two).
    Used by this benchmark and by the query-budget tests. Returns the ids."""
    province_of = dict(Region.objects.filter(pk__in=regions).values_list("pk", "province_id"))
    kbli_codes = list(Kbli.objects.filter(level=Kbli.Level.KELOMPOK).order_by("code").values_list("code", flat=True)[:60])
    if not kbli_codes or len(province_of) != len(set(regions)):
        raise CommandError("Data referensi belum dimuat: jalankan manage.py load_reference dulu.")
    companies = Company.objects.bulk_create(
        [
            Company(name=f"PT Massal {start + i}", nib=f"{5000000000000 + start + i:013d}", npwp="013000000000000")
            for i in range(count)
        ],
        batch_size=2000,
    )
    scales = itertools.cycle([Scale.KECIL, Scale.MENENGAH, Scale.BESAR])
    types = itertools.cycle([AccountType.A] * 9 + [AccountType.B])
    factories = []
    for i, company in enumerate(companies):
        region = regions[i % len(regions)]
        address = f"Jalan Massal {start + i}"
        factories.append(
            Factory(
                company=company,
                name=f"Pabrik {start + i}",
                account_type=next(types),
                address=address,
                region_id=region,
                province_id=province_of[region],
                location_key=location_key(address, region),
                scale=next(scales),
                crosses_regency_border=(i % 20 == 0),
                workforce=10 + i % 500,
                email=f"massal{start + i}@contoh.co.id",
                created_at=created_at or timezone.now(),
            )
        )
    Factory.objects.bulk_create(factories, batch_size=2000)
    ids = list(Factory.objects.filter(company__in=[c.pk for c in companies]).order_by("pk").values_list("pk", flat=True))
    through = Factory.kbli.through
    links = [through(factory_id=pk, kbli_id=kbli_codes[i % len(kbli_codes)]) for i, pk in enumerate(ids)]
    links += [through(factory_id=pk, kbli_id=kbli_codes[(i + 7) % len(kbli_codes)]) for i, pk in enumerate(ids) if i % 3 == 0]
    through.objects.bulk_create(links, batch_size=5000)
    return ids


def populate_territory(in_jabar: int, elsewhere: int = 1000, *, created_at: dt.datetime | None = None) -> None:
    """``in_jabar`` accounts over 8 kab/kota of Jawa Barat (Kab. Bekasi included), ``elsewhere`` in Jawa Timur."""
    jabar = list(Region.objects.filter(province_id="32").order_by("code").values_list("pk", flat=True)[:8])
    if "32.16" not in jabar:
        jabar.append("32.16")
    populate_factories(in_jabar, regions=jabar, created_at=created_at)
    populate_factories(elsewhere, regions=["35.78", "35.15"], start=in_jabar, created_at=created_at)


def populate_reports(factory_ids: list[int], *, year: int = 2001) -> Period:
    """A bench period (far in the past) with validated reports and their four measures for the factories."""
    from reporting.services import semester_defaults

    period = Period.objects.create(period_type=Period.Type.SEMESTER, year=year, number=1, **semester_defaults(year, 1))
    submitted = timezone.make_aware(dt.datetime.combine(period.window_opens, dt.time(10)))
    Report.objects.bulk_create(
        [
            Report(
                factory_id=pk, period=period, report_type="industri_produksi", status=ReportStatus.VALIDATED,
                first_submitted_at=submitted, last_submitted_at=submitted, submitted_on_time=True,
            )
            for pk in factory_ids
        ],
        batch_size=2000,
    )  # fmt: skip
    ids = list(Report.objects.filter(period=period).values_list("pk", flat=True))
    sections.Workforce.objects.bulk_create([sections.Workforce(report_id=i, total=50 + i % 300) for i in ids], batch_size=2000)
    sections.Investment.objects.bulk_create(
        [
            sections.Investment(report_id=i, land=10**9, buildings=2 * 10**9, machinery=i % 7 * 10**9, other_fixed=0,
                                working_capital=10**8, ownership="pmdn", domestic_pct=100, foreign_pct=0)
            for i in ids
        ],
        batch_size=2000,
    )  # fmt: skip
    sections.ProductionRow.objects.bulk_create(
        [sections.ProductionRow(report_id=i, product="Produk", quantity=100, unit="ton", value=5 * 10**9) for i in ids], batch_size=2000
    )
    sections.SalesRow.objects.bulk_create(
        [sections.SalesRow(report_id=i, product="Produk", export_value=(i % 4) * 10**9) for i in ids], batch_size=2000
    )
    return period


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Ukur median waktu render dasbor Pemda dengan 10.000+ pabrik dibanding halaman kosong."

    def add_arguments(self, parser):
        parser.add_argument("--factories", type=int, default=10_200)
        parser.add_argument("--runs", type=int, default=9)

    def handle(self, *args, factories: int, runs: int, **options):
        if factories < 10_000 or runs < 1:
            raise CommandError("--factories minimal 10000 dan --runs minimal 1")
        # As Django's test runner does: a request must not close the connection holding the transaction.
        request_started.disconnect(close_old_connections)
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"]):
                self._run(factories, runs)
                raise _Rollback
        except _Rollback:
            pass
        finally:
            request_started.connect(close_old_connections)

    def _client(self, username: str, role: str, region: str | None) -> Client:
        user = User.objects.create(username=username, role=role, region_id=region, email=f"{username}@bench.invalid")
        client = Client()
        client.force_login(user)
        # Officers pass a TOTP step at login; mark the session as verified the way django-otp does.
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    def _time(self, client: Client, url: str, runs: int, *, cold: bool = True) -> tuple[float, int]:
        """Median time of ``runs`` requests; ``cold`` empties the cache before each (the reporting-rate
        tables are cached per territory and data version), so nothing computed earlier is reused."""
        response = client.get(url)  # warm-up: templates compiled
        if response.status_code != 200:
            raise CommandError(f"{url} menjawab {response.status_code}")
        timings = []
        for _ in range(runs):
            if cold:
                cache.clear()
            start = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - start)
        if cold:
            cache.clear()
        reset_queries()  # the request's own reset_queries must not cut the capture short
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return statistics.median(timings) * 1000, len(queries.captured_queries)

    def _run(self, total: int, runs: int) -> None:
        out = self.stdout.write
        empty_province = (
            Region.objects.filter(level=Region.Level.PROVINSI)
            .exclude(code__in=Factory.objects.values("province_id"))
            .exclude(code__in=["32", "35"])
            .order_by("code")
            .values_list("code", flat=True)
            .first()
        )
        if empty_province is None:
            raise CommandError("Tidak ada provinsi tanpa pabrik untuk pembanding kosong.")
        start = time.perf_counter()
        # Accounts older than the bench period, so each one owes its report (the reporting rate counts them).
        populate_territory(total, created_at=timezone.make_aware(dt.datetime(2000, 1, 1)))
        jabar_ids = list(Factory.objects.filter(province_id="32").order_by("pk").values_list("pk", flat=True))
        period = populate_reports(jabar_ids[::3])
        jabar_count = len(jabar_ids)
        out(f"database: {connection.vendor}; {total} factory accounts in Jawa Barat (+1000 in Jawa Timur) inserted in {time.perf_counter() - start:.1f} s")
        out(f"Jawa Barat now holds {jabar_count} accounts (all accounts: {Factory.objects.count()}); "
            f"{len(jabar_ids[::3])} validated reports with all four measures in {period}")

        jabar = self._client("bench_pemda_jabar", Role.PEMDA_PROV, "32")
        empty = self._client("bench_pemda_kosong", Role.PEMDA_PROV, empty_province)
        dashboard = f"{reverse('pemda:dashboard')}?periode={period.pk}"
        landing_ms, landing_q = self._time(jabar, reverse("core:dashboard"), runs)
        empty_ms, empty_q = self._time(empty, dashboard, runs)
        full_ms, full_q = self._time(jabar, dashboard, runs)
        warm_ms, warm_q = self._time(jabar, dashboard, runs, cold=False)
        out(f"runs: {runs} (median, full request through middleware and template)")
        out(f"empty page (signed-in landing page):                   {landing_ms:8.1f} ms  {landing_q:3d} queries")
        out(f"Pemda dashboard, territory without factories ({empty_province}):   {empty_ms:8.1f} ms  {empty_q:3d} queries")
        out(f"Pemda dashboard, Jawa Barat, {jabar_count} accounts, cold:  {full_ms:8.1f} ms  {full_q:3d} queries")
        out(f"Pemda dashboard, Jawa Barat, {jabar_count} accounts, warm:  {warm_ms:8.1f} ms  {warm_q:3d} queries  (rate and report values from cache)")
        out(f"ratio dashboard (10k, cold) / empty page: {full_ms / landing_ms:.1f}x; warm: {warm_ms / landing_ms:.1f}x")
        # An empty territory skips the queries whose id set is empty; the budget's flatness in the number of
        # rows is asserted by tests/pemda (same page, few rows vs 10,000+).
