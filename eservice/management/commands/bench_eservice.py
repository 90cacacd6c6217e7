"""Benchmark: directory search and the officer review queue with many rows.

    python manage.py bench_eservice [--suppliers 5000] [--applications 5000] [--runs 9]

Inside a transaction that is rolled back (the database is left as it was): N published directory
profiles with three products each (one unpublished) and M submitted e-Licensing applications are
bulk-created, then the median time and the query count are printed for
- directory searches (keyword, KBLI, HS code, province, and all together) through the selector, using
  PostgreSQL full-text search or the SQLite fallback, whichever the database is;
- the public directory page and the validator's review queue page through the full request stack.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountType, Company, Factory, Role, Scale, User
from eservice.directory_selectors import card, directory_search
from eservice.directory_services import directory_search_refresh
from eservice.models import Application, DirectoryProduct, DirectoryProfile, Status
from siinas.core.models import Kbli, Region

WORDS = ["tepung", "gula", "baut", "kain", "kemasan", "minyak", "pupuk", "semen", "kertas", "sabun"]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time directory search and the review queue with many rows (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--suppliers", type=int, default=5000)
        parser.add_argument("--applications", type=int, default=5000)
        parser.add_argument("--runs", type=int, default=9)

    def handle(self, *args, **options):
        if not Kbli.objects.filter(code="10110").exists():
            raise CommandError("Data referensi belum dimuat: jalankan manage.py load_reference dulu.")
        try:
            with transaction.atomic():
                self._populate(options["suppliers"], options["applications"])
                self._measure(options["runs"])
                raise _Rollback
        except _Rollback:
            pass

    def _populate(self, suppliers: int, applications: int) -> None:
        regions = list(
            Region.objects.exclude(level=Region.Level.PROVINSI)
            .filter(province_id__in=["31", "32", "33", "35", "36"])
            .values_list("pk", "province_id")
        )
        # Every sixth 5-digit KBLI: the bench spans all manufacturing divisions, not only food.
        kbli = list(Kbli.objects.filter(level=Kbli.Level.KELOMPOK).values_list("code", flat=True))[::6]
        companies = Company.objects.bulk_create(
            [
                Company(name=f"PT Bench {i}", nib=f"{6100000000000 + i:013d}", npwp="013000000000000")
                for i in range(suppliers)
            ],
            batch_size=2000,
        )
        factories = Factory.objects.bulk_create(
            [
                Factory(
                    company=c,
                    name="Pabrik",
                    account_type=AccountType.A,
                    address=f"Jalan Bench {i}",
                    location_key=f"bench|{i}",
                    region_id=regions[i % len(regions)][0],
                    province_id=regions[i % len(regions)][1],
                    scale=Scale.MENENGAH,
                    email=f"bench{i}@contoh.co.id",
                )
                for i, c in enumerate(companies)
            ],
            batch_size=2000,
        )
        Factory.kbli.through.objects.bulk_create(
            [
                Factory.kbli.through(factory_id=f.pk, kbli_id=kbli[i % len(kbli)])
                for i, f in enumerate(factories)
            ],
            batch_size=5000,
        )
        profiles = DirectoryProfile.objects.bulk_create(
            [
                DirectoryProfile(
                    factory=f,
                    is_published=True,
                    display_name=f"PT Bench {i}",
                    description=f"Produsen {WORDS[i % 10]} dan {WORDS[(i + 3) % 10]}",
                    publish_region=i % 2 == 0,
                    publish_kbli=True,
                )
                for i, f in enumerate(factories)
            ],
            batch_size=2000,
        )
        DirectoryProduct.objects.bulk_create(
            [
                DirectoryProduct(
                    profile=p,
                    name=f"{WORDS[(i + k) % 10]} mutu {k}",
                    hs_code=f"{1101 + (i + k) % 50:04d}00",
                    kbli_id=kbli[(i + k) % len(kbli)],
                    is_published=k != 2,
                )
                for i, p in enumerate(profiles)
                for k in range(3)
            ],
            batch_size=5000,
        )
        directory_search_refresh()
        applicant = User.objects.create(username="bench_applicant", role=Role.COMPANY, factory=factories[0])
        now = timezone.now()
        food = [f for i, f in enumerate(factories) if kbli[i % len(kbli)].startswith("10")] or factories
        Application.objects.bulk_create(
            [
                Application(
                    factory=food[i % len(food)],
                    service="e-licensing",
                    status=Status.SUBMITTED,
                    number=f"LIC-BENCH-{i:07d}",
                    created_by=applicant,
                    submitted_at=now,
                    last_submitted_at=now,
                )
                for i in range(applications)
            ],
            batch_size=2000,
        )
        self.stdout.write(
            f"{suppliers} profil terbit ({suppliers * 3} produk), {applications} permohonan e-Licensing"
        )

    def _time(self, runs: int, fn) -> tuple[float, int]:
        timings = []
        queries = 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                fn()
                timings.append((time.perf_counter() - start) * 1000)
            queries = len(captured)
        return statistics.median(timings), queries

    def _measure(self, runs: int) -> None:
        engine = "PostgreSQL full-text" if connection.vendor == "postgresql" else "SQLite icontains"
        self.stdout.write(f"Pencarian direktori ({engine}), median {runs} kali, 20 kartu pertama:")
        cases = {
            "kata kunci 'tepung'": {"q": "tepung"},
            "dua kata 'gula kemasan'": {"q": "gula kemasan"},
            "KBLI 10": {"kbli": "10"},
            "HS 1101": {"hs": "1101"},
            "provinsi 32": {"province": "32"},
            "semua filter": {"q": "tepung", "kbli": "10", "hs": "11", "province": "32"},
        }
        for label, params in cases.items():
            ms, queries = self._time(runs, lambda p=params: [card(x) for x in directory_search(**p)[:20]])
            count = directory_search(**params).count()
            self.stdout.write(f"  {label:<26} {ms:8.1f} ms  {queries:2d} kueri  {count:6d} hasil")
        client = Client()
        ms, queries = self._time(runs, lambda: client.get(reverse("eservice:directory"), {"q": "tepung"}))
        self.stdout.write(f"Halaman direktori publik      {ms:8.1f} ms  {queries:2d} kueri")
        validator = User.objects.create(username="bench_validator", role=Role.VALIDATOR)
        validator.kbli_divisions.set(["10", "11"])
        device = TOTPDevice.objects.create(user=validator, name="bench", confirmed=True)
        client.force_login(validator)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # as if the TOTP step was passed
        session.save()
        response = client.get(reverse("eservice:review-queue"))
        if response.status_code != 200:
            raise CommandError(f"review queue answered {response.status_code}")
        ms, queries = self._time(runs, lambda: client.get(reverse("eservice:review-queue")))
        self.stdout.write(f"Antrean validator (50 baris)  {ms:8.1f} ms  {queries:2d} kueri")
