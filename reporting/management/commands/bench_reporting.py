"""Benchmark: save and submit a production report with 200 product rows and 200 raw-material rows.

Every request goes through the real views (test client, full middleware) inside one transaction
that is rolled back at the end, so the database is left as it was. Prints the median and p90 over
the runs and the query count of each step, beside an empty-view request for scale.
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from accounts.models import AccountType, Company, Factory, Role, Scale, User
from reporting.models import Period, Report
from reporting.services import semester_defaults
from siinas.core.models import Kbli, Region


def _empty(request):
    return HttpResponse("")


# The project's routes plus one view that does nothing: the floor any request pays.
urlpatterns = [path("__bench__/kosong/", _empty, name="bench-empty"), path("", include("siinas.urls"))]

ROWS = 200
FORM_ENCODED = "application/x-www-form-urlencoded"
TIMED = {"kapasitas": "save products", "bahan_baku": "save raw materials", "produksi": "save production"}


def _form(header: dict | None, tables: dict[str, list[dict]]) -> dict[str, str]:
    data: dict[str, str] = {}
    for name, value in (header or {}).items():
        data[f"h-{name}"] = str(value)
    for prefix, rows in tables.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{i}-{name}"] = str(value)
    return data


def _inputs(rows: int) -> dict[str, dict[str, str]]:
    products = [f"Produk uji {i:03d}" for i in range(rows)]
    return {
        "tenaga_kerja": _form(
            {"prod_male_wni": 100, "prod_female_wni": 80, "prod_male_wna": 0, "prod_female_wna": 0, "nonprod_male_wni": 15,
             "nonprod_female_wni": 5, "nonprod_male_wna": 0, "nonprod_female_wna": 0, "total": 200},
            {"wna": []},
        ),  # fmt: skip
        "investasi": _form(
            {"land": 1_000_000_000, "buildings": 2_000_000_000, "machinery": 3_000_000_000, "other_fixed": 0, "working_capital": 500_000_000,
             "ownership": "pmdn", "domestic_pct": 100, "foreign_pct": 0},
            {"asing": []},
        ),  # fmt: skip
        "lahan": _form(
            {"land_area_m2": 10000, "building_area_m2": 4000, "land_status": "milik", "latitude": "-6.3", "longitude": "107.1"}, {}
        ),
        "kapasitas": _form(
            None,
            {"produk": [{"name": p, "hs_code": "19059090", "kbli_code": "10710", "unit": "ton", "capacity": 1000} for p in products]},
        ),
        "bahan_baku": _form(
            None,
            {"bahan": [
                {"name": f"Bahan uji {i:03d}", "hs_code": "11010010", "kind": "baku", "origin": "impor" if i % 3 == 0 else "domestik",
                 "country": "AU" if i % 3 == 0 else "", "quantity": 50, "unit": "ton", "value": 25_000_000}
                for i in range(rows)
            ]},
        ),  # fmt: skip
        "mesin": _form(None, {"mesin": [{"name": "Oven", "count": 2, "country": "DE", "year_made": 2020, "condition": "baru",
                                          "capacity": 2, "capacity_unit": "ton_hari", "value": 900_000_000}]}),  # fmt: skip
        "energi": _form({"pln_kwh": 100000, "own_kwh": 0, "own_installed_kw": 0, "sold_kwh": 0}, {"bbm": [], "air": []}),
        "produksi": _form(
            None, {"produksi": [{"product": p, "quantity": 400, "unit": "ton", "value": 4_000_000_000} for p in products]}
        ),
        "pemasaran": _form(
            {"usd_rate": ""},
            {"penjualan": [{"product": products[0], "domestic_qty": 300, "domestic_value": 3_000_000_000, "export_qty": 0,
                            "export_value_usd": 0, "export_value": 0, "stock_change": 0}], "tujuan": []},
        ),  # fmt: skip
        "lingkungan": _form({"document": "sppl", "document_number": "SPPL/1/2020", "document_date": "2020-01-10"}, {"limbah": []}),
        "pengeluaran": _form({"wages": 1, "raw_materials": 1, "energy": 1, "other": 1}, {}),
        "indi": _form({}, {}),
    }


class Command(BaseCommand):
    help = "Median save and submit of a production report with 200 product and 200 raw-material rows."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--rows", type=int, default=ROWS)

    def handle(self, *args, runs: int, rows: int, **options):
        if not Kbli.objects.filter(code="10710").exists() or not Region.objects.filter(code="32.16").exists():
            raise CommandError("Reference data is missing: run `manage.py load_reference` first.")
        timings: dict[str, list[float]] = {}
        queries: dict[str, int] = {}
        with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]), transaction.atomic():
            client, factory = self._setup()
            inputs = _inputs(rows)
            for run in range(runs):
                self._measure(timings, queries, "empty view request", lambda: client.get("/__bench__/kosong/"))
                report = self._draft(factory, run)
                for code in report.spec.sections:
                    if code in TIMED:
                        label = f"{TIMED[code]} ({rows} rows)"
                        self._measure(timings, queries, label, lambda c=code, r=report: self._post(client, r, c, inputs[c]))
                    else:
                        self._post(client, report, code, inputs[code])
                report.refresh_from_db()
                url = reverse("reporting:report-submit", kwargs={"pk": report.pk})
                self._measure(
                    timings,
                    queries,
                    "submit",
                    lambda u=url, r=report: client.post(u, urlencode({"lock_version": r.lock_version}), content_type=FORM_ENCODED),
                    expect=302,
                )
                report.refresh_from_db()
                if report.status != "terkirim":
                    raise CommandError(f"run {run}: the report was not submitted ({report.status})")
            transaction.set_rollback(True)
        self._print(timings, queries, runs, rows)

    def _setup(self) -> tuple[Client, Factory]:
        company = Company.objects.create(name="PT Bench Reporting", nib="9999999999901", npwp="019999999999999")
        factory = Factory.objects.create(
            company=company, name="Pabrik Bench", account_type=AccountType.A, address="Jalan Bench 1",
            region=Region.objects.get(pk="32.16"), scale=Scale.BESAR, stage=Factory.Stage.PRODUCTION, email="bench@contoh.co.id",
        )  # fmt: skip
        factory.kbli.set(["10710"])
        user = User.objects.create(username="bench_reporting", role=Role.COMPANY, factory=factory)
        client = Client()
        client.force_login(user)
        return client, factory

    def _draft(self, factory: Factory, run: int) -> Report:
        year = 2200 + run  # a fresh period per run, far from any real one (rolled back anyway)
        period = Period.objects.create(period_type="semester", year=year, number=1, **semester_defaults(year, 1))
        return Report.objects.create(factory=factory, period=period, report_type="industri_produksi")

    def _post(self, client: Client, report: Report, code: str, data: dict[str, str]):
        report.refresh_from_db(fields=["lock_version"])
        payload = urlencode({**data, "lock_version": str(report.lock_version)})
        # Sent as a browser sends the section form (urlencoded, not multipart).
        response = client.post(
            reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": code}), payload, content_type=FORM_ENCODED
        )
        if response.status_code != 302:
            raise CommandError(f"section {code} did not save cleanly (HTTP {response.status_code})")
        return response

    def _measure(self, timings, queries, label: str, call, expect: int | None = None) -> None:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = call()
            elapsed = (time.perf_counter() - start) * 1000
        if expect is not None and response.status_code != expect:
            raise CommandError(f"{label}: HTTP {response.status_code}")
        timings.setdefault(label, []).append(elapsed)
        queries[label] = len(ctx.captured_queries)

    def _print(self, timings, queries, runs: int, rows: int) -> None:
        out = self.stdout
        out.write(f"bench_reporting — production report, {rows} product + {rows} raw-material rows, {runs} runs, {connection.vendor}")
        out.write(f"{'step':<34}{'median ms':>11}{'p90 ms':>9}{'queries':>9}")
        save_total = []
        for label, values in timings.items():
            ordered = sorted(values)
            p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
            out.write(f"{label:<34}{statistics.median(values):>11.1f}{p90:>9.1f}{queries[label]:>9}")
        steps = [k for k in timings if k != "empty view request"]
        for i in range(runs):
            save_total.append(sum(timings[k][i] for k in steps if len(timings[k]) > i))
        median = Decimal(statistics.median(save_total)).quantize(Decimal("0.1"))
        out.write(f"{'save all three + submit':<34}{median:>11}")
        out.write("target: each save and the submit ≤ 300 ms median; query counts do not depend on the number of rows.")
