"""Every main page measured the same way: ``manage.py bench_pages`` (issue 14).

Each page is requested through Django's test client in-process (full middleware, view, template),
signed in as the role that uses it (officers with their TOTP step passed, as ``tests.helpers.login``
does). Per page: one warm-up request (its status is checked), ``runs`` timed requests, each followed
by a request of the minimal signed-in page (the portal's front page ``core:home`` requested signed in: the
layout, the menu and a paragraph; ``core:dashboard`` became the home page with its to-dos in issue 16)
so that both see the same machine load, then one more request whose queries are counted. *Cold*
pages empty the cache before every request; the Pemda dashboards' cold views also find the data moved
since their territory's figures were kept, and run as deployed with a worker (``pemda.figures``: the page
shows the kept figures and asks for a refresh). What that refresh costs the worker is printed apart, as
*jobs* (no ratio: no one waits for them). Everything happens inside a transaction that is rolled
back, so the draft save and the audit rows of officers' views leave no trace.

The subjects are picked from the data by fixed rules (``pick_subjects``), so any data set with
reports, officers and Pemda offices can be measured — the one ``load_scale`` makes is meant for it.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.core.signals import request_started
from django.db import close_old_connections, connection, reset_queries, transaction
from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery, Value
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import Factory, Role, User
from eservice.models import DirectoryProduct
from reporting.models import EDITABLE_STATUSES, Report, ReportStatus
from reporting.sections import models as section_models
from reporting.sections.base import values_to_data
from reporting.sections.definitions import SECTION_HANDLERS
from siinas.core.scale import bench_api

MINIMAL = "minimal signed-in page"


class BenchError(Exception):
    pass


@dataclass
class Page:
    name: str
    client: Client
    url: str
    cold: bool = False
    post: Callable[[], dict] | None = None  # builds the POST body (read before each request, not timed)
    expect: int = 200
    prepare: Callable[[], None] | None = None  # run before each request, not timed


@dataclass
class Result:
    name: str
    queries: int
    median_ms: float
    ratio: float = 0.0


@dataclass
class Run:
    runs: int
    results: list[Result] = field(default_factory=list)
    minimal_ms: float = 0.0
    subjects: dict[str, str] = field(default_factory=dict)
    jobs: list[Result] = field(default_factory=list)  # worker jobs behind pages (not pages: no ratio target)

    def as_json(self) -> dict:
        return {
            "pages": [
                {"name": r.name, "queries": r.queries, "median_ms": r.median_ms, "ratio": r.ratio}
                for r in self.results
            ],
            "minimal_ms": self.minimal_ms,
            "jobs": [{"name": r.name, "queries": r.queries, "median_ms": r.median_ms} for r in self.jobs],
        }


def signed_in(user: User | None) -> Client:
    """A client signed in as ``user`` (anonymous for None), past the TOTP step for officers."""
    client = Client()
    if user is None:
        return client
    # Without writing the user's last_login: several benchmarks may run at once, each in one transaction
    # rolled back at its end, and the row lock of that update would hold one back for another's whole run.
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    try:
        client.force_login(user)
    finally:
        user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
    if user.needs_two_factor:
        device = user.totpdevice_set.filter(confirmed=True).first() or user.totpdevice_set.create(
            name="bench", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _rows(model) -> Subquery:
    return Subquery(
        model.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def _abs(expression) -> Func:
    return Func(expression, function="ABS", output_field=IntegerField())


def _first(queryset, what: str):
    found = queryset.first()
    if found is None:
        raise BenchError(f"no {what} in this database: load one with manage.py load_scale")
    return found


def pick_subjects() -> dict:
    """The users, reports and query words every page is measured with (fixed rules, same data → same picks).

    The company pages use the editable production report whose tables are nearest to 5 products and
    50 materials (load_scale always makes one); the review page the oldest waiting KBLI-10 production
    report of the latest period; Pemda pages the offices whose territory holds most accounts."""
    draft = _first(
        Report.objects.filter(status__in=EDITABLE_STATUSES, report_type="industri_produksi")
        .annotate(materials=_rows(section_models.Material), products=_rows(section_models.CapacityProduct))
        .filter(materials__isnull=False, products__isnull=False)
        .annotate(distance=_abs(Value(50) - F("materials")) + _abs(Value(5) - F("products")))
        .order_by("distance", "-period__start", "pk"),
        "editable production report with product and material rows",
    )  # fmt: skip
    company = _first(
        User.objects.filter(factory_id=draft.factory_id, role=Role.COMPANY, is_active=True).order_by("pk"),
        "company user",
    )
    review = _first(
        Report.objects.filter(status=ReportStatus.SUBMITTED, report_type="industri_produksi", factory__kbli__division_id="10")
        .order_by("-period__start", "last_submitted_at", "pk"),
        "submitted KBLI-10 production report",
    )  # fmt: skip
    verifier = _first(
        User.objects.filter(role=Role.VERIFIER, is_active=True).order_by("username"), "verifier"
    )
    validator = _first(
        User.objects.filter(role=Role.VALIDATOR, is_active=True, kbli_divisions="10").order_by("username"),
        "KBLI-10 validator",
    )
    province = _busiest(Role.PEMDA_PROV, "province_id")
    kab = _busiest(Role.PEMDA_KAB, "region_id")
    words = Counter(
        name.split()[0].lower()
        for name in DirectoryProduct.objects.filter(
            is_published=True, profile__is_published=True
        ).values_list("name", flat=True)
    )
    word = min(words.items(), key=lambda kv: (-kv[1], kv[0]))[0] if words else "industri"
    return {
        "draft": draft, "company": company, "review": review, "verifier": verifier, "validator": validator,
        "pemda_prov": province, "pemda_kab": kab, "word": word,
    }  # fmt: skip


def _busiest(role: str, column: str) -> User:
    """The Pemda officer of that level whose territory holds the most factory accounts."""
    counts = dict(Factory.objects.order_by().values_list(column).annotate(n=Count("pk")))
    officers = list(User.objects.filter(role=role, is_active=True).order_by("username"))
    if not officers:
        raise BenchError(f"no {role} officer in this database")
    return max(officers, key=lambda u: (counts.get(u.region_id, 0), -officers.index(u)))


def pages(subjects: dict) -> list[Page]:
    draft, review = subjects["draft"], subjects["review"]
    company = signed_in(subjects["company"])
    verifier = signed_in(subjects["verifier"])
    validator = signed_in(subjects["validator"])
    prov = signed_in(subjects["pemda_prov"])
    kab = signed_in(subjects["pemda_kab"])
    public = signed_in(None)
    products = section_models.CapacityProduct.objects.filter(report=draft).count()
    materials = section_models.Material.objects.filter(report=draft).count()
    rate = reverse("verification:reporting-rate")
    province, region = subjects["pemda_kab"].region.province_id, subjects["pemda_kab"].region_id
    materials_url = reverse("reporting:section-edit", args=[draft.pk, "bahan_baku"])

    def draft_save() -> dict:
        handler = SECTION_HANDLERS["bahan_baku"]
        data = values_to_data(handler, draft.spec, handler.load(draft))
        body = dict(data.lists())
        body["lock_version"] = str(Report.objects.values_list("lock_version", flat=True).get(pk=draft.pk))
        return body

    return [
        Page("company home (Tugas saya)", company, reverse("core:dashboard")),
        Page("company dashboard", company, reverse("reporting:dashboard")),
        Page("report page (company)", company, reverse("reporting:report-detail", args=[draft.pk])),
        Page(
            f"section form, {products} rows",
            company,
            reverse("reporting:section-edit", args=[draft.pk, "kapasitas"]),
        ),
        Page(f"section form, {materials} rows", company, materials_url),
        Page(f"draft save (POST, {materials} rows)", company, materials_url, post=draft_save, expect=302),
        Page("verifier queue", verifier, reverse("verification:verifier-queue")),
        Page("validator queue", validator, reverse("verification:validator-queue")),
        Page("review page (KBLI 10)", verifier, reverse("verification:review", args=[review.pk])),
        Page("reporting rate, national by province", verifier, rate),
        Page("reporting rate, by KBLI", verifier, f"{rate}?by=kbli"),
        Page("reporting rate, province by kab/kota", verifier, f"{rate}?by=region&province={province}"),
        Page(
            "reporting rate, kab/kota by factory",
            verifier,
            f"{rate}?by=factory&province={province}&region={region}",
        ),
        # Cold: the cache empty and the data moved since the territory's figures were kept, so the page
        # shows the kept figures and asks a worker for fresh ones (pemda.figures); what the worker then
        # does is measured as a job (``_measure_jobs``).
        Page("Pemda province dashboard, cold", prov, reverse("pemda:dashboard"), cold=True, prepare=_figures_moved),
        Page("Pemda province dashboard, warm", prov, reverse("pemda:dashboard")),
        Page(
            "Pemda province KBLI rates fragment, cold",
            prov,
            reverse("pemda:dashboard-kbli-rates"),
            cold=True,
            prepare=_figures_moved,
        ),
        Page("Pemda kab dashboard, cold", kab, reverse("pemda:dashboard"), cold=True, prepare=_figures_moved),
        Page("Pemda kab dashboard, warm", kab, reverse("pemda:dashboard")),
        Page("Pemda company list", prov, reverse("pemda:company-list")),
        Page("Pemda company export CSV", prov, reverse("pemda:company-export", args=["csv"])),
        Page("Pemda company export XLSX", prov, reverse("pemda:company-export", args=["xlsx"])),
        Page("IKI officer dashboard", verifier, reverse("iki:officer-dashboard")),
        Page("IKI public release", public, reverse("iki:release")),
        Page("Informasi Industri (public)", public, reverse("informasi:statistics")),
        Page("Informasi Industri (public), cold", public, reverse("informasi:statistics"), cold=True),
        Page(
            "Informasi Industri (public), province by KBLI, cold",
            public,
            f"{reverse('informasi:statistics')}?provinsi={province}",
            cold=True,
        ),
        Page("e-service review queue", validator, reverse("eservice:review-queue")),
        Page(
            f"directory search '{subjects['word']}'",
            public,
            f"{reverse('eservice:directory')}?q={subjects['word']}",
        ),
        *bench_api.api_pages(subjects, Page),
        # Data dan Informasi (issue 18): public aggregates cold and warm, and a company's own position.
        Page("Analisis sektor list (public), cold", public, reverse("analisis:sector-list"), cold=True),
        Page("Analisis sektor list (public), warm", public, reverse("analisis:sector-list")),
        Page("Analisis sektor KBLI 10 (public), cold", public, reverse("analisis:sector-detail", args=["10"]), cold=True),
        Page("Analisis sektor KBLI 10 (public), warm", public, reverse("analisis:sector-detail", args=["10"])),
        # Cold: the cache empty, the data moved since the aggregate was kept and this process has not read
        # the kept row yet (a new process): the page parses the row, shows it and asks a worker for a fresh
        # one (analisis.pohon.kept); what the worker then does is measured as a job.
        Page("Pohon Industri (public), cold", public, reverse("analisis:pohon"), cold=True, prepare=_pohon_moved),
        Page("Pohon Industri (public), warm", public, reverse("analisis:pohon")),
        Page("Pohon Industri from KBLI 10 (public), cold", public, f"{reverse('analisis:pohon')}?kbli=10", cold=True, prepare=_pohon_moved),
        Page("Pohon Industri from KBLI 10 (public), warm", public, f"{reverse('analisis:pohon')}?kbli=10"),
        Page("Pohon Industri search (public), warm", public, f"{reverse('analisis:pohon')}?cari={subjects['word']}"),
        Page("Posisi Anda (company)", company, reverse("analisis:position")),
        # The reports moved since the groups' cut points were kept: the page bands against the kept ones and
        # asks a worker for fresh ones (analisis.position; the worker's part is measured as a job). Cold: the
        # cache emptied (flushed), so the page computes the cut points itself.
        Page(
            "Posisi Anda (company), data moved",
            company,
            reverse("analisis:position"),
            prepare=lambda: _position_moved(subjects["company"]),
        ),
        Page("Posisi Anda (company), cold", company, reverse("analisis:position"), cold=True),
    ]


def _figures_moved() -> None:
    """The data moved since every territory's figures were kept (as at a deadline, every few seconds)."""
    from pemda.models import TerritoryFigures

    TerritoryFigures.objects.update(version="moved")


def _pohon_moved() -> None:
    """The data moved since Pohon Industri's aggregate was kept, and this process has not read it yet."""
    from analisis.models import KeptTree
    from analisis.pohon import kept

    KeptTree.objects.update(version="moved")
    kept.forget()


def _position_groups(user) -> tuple[Any, list[str]]:
    """The period and KBLI divisions of the company's Posisi Anda."""
    from accounts.models import Factory
    from analisis.position import factory_position
    from siinas.core.models import Kbli

    factory = Factory.objects.get(pk=user.factory_id)
    period = factory_position(factory).period
    divisions = sorted({d for d in Kbli.objects.filter(factories=factory).values_list("division_id", flat=True) if d})
    return period, divisions


def _position_moved(user) -> None:
    """The reports moved since the company's groups' cut points were kept, longer ago than the fresh window."""
    from analisis import position

    period, divisions = _position_groups(user)
    for division in divisions:
        key = position._cuts_key(period.pk, division)
        kept = cache.get(key)
        if kept is not None:
            kept.update(version="moved", at=kept["at"] - position.CACHE_SECONDS)
            cache.set(key, kept, position.KEPT_SECONDS)
        cache.delete(f"analisis:position:refresh:{period.pk}:{division}")  # every run asks again


def _measure_position_job(result: Run, runs: int, subjects: dict, log: Callable[[str], None]) -> None:
    """What a worker does when a page found a division's Posisi Anda cut points stale."""
    from analisis import position
    from reporting.selectors import reports_data_version

    period, divisions = _position_groups(subjects["company"])
    for division in divisions:
        name = f"Posisi Anda cut points KBLI {division} (worker job)"
        times = []
        for _ in range(runs + 1):  # the first warms the database's buffers
            start = time.perf_counter()
            position.compute_division_cuts(period, division, reports_data_version())
            times.append((time.perf_counter() - start) * 1000)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            position.compute_division_cuts(period, division, reports_data_version())
        result.jobs.append(Result(name, len(queries.captured_queries), round(statistics.median(times[1:]), 1)))
        log(f"  {name:<44} {len(queries.captured_queries):4d} queries {statistics.median(times[1:]):9.1f} ms")


def _request(page: Page):
    if page.prepare is not None:
        page.prepare()
    if page.cold:
        cache.clear()
    if page.post is not None:
        return page.client.post(page.url, page.post())
    return page.client.get(page.url)


def _timed(page: Page) -> float:
    body = page.post() if page.post is not None else None
    if page.prepare is not None:
        page.prepare()
    if page.cold:
        cache.clear()
    start = time.perf_counter()
    response = page.client.post(page.url, body) if body is not None else page.client.get(page.url)
    elapsed = time.perf_counter() - start
    if response.status_code != page.expect:
        raise BenchError(f"{page.name}: {page.url} answered {response.status_code}, expected {page.expect}")
    return elapsed * 1000


def _measure_jobs(result: Run, runs: int, subjects: dict, log: Callable[[str], None]) -> None:
    """What workers do behind pages: the refresh of a territory's kept figures (``pemda.figures.compute``,
    cache empty) and the building of a large export file (``pemda.selectors.company_export_file``)."""
    from pemda import figures
    from pemda.selectors import reports

    period = reports.pick_period(reports.reporting_periods(), None)
    for name, user, part in (
        ("Pemda province dashboard figures (worker job)", subjects["pemda_prov"], figures.DASHBOARD),
        ("Pemda province KBLI figures (worker job)", subjects["pemda_prov"], figures.KBLI),
        ("Pemda kab dashboard figures (worker job)", subjects["pemda_kab"], figures.DASHBOARD),
    ):
        times = []
        for _ in range(runs + 1):  # the first compiles nothing but warms the database's buffers
            cache.clear()
            start = time.perf_counter()
            figures.compute(user, part, period)
            times.append((time.perf_counter() - start) * 1000)
        cache.clear()
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            figures.compute(user, part, period)
        result.jobs.append(Result(name, len(queries.captured_queries), round(statistics.median(times[1:]), 1)))
        log(f"  {name:<44} {len(queries.captured_queries):4d} queries {statistics.median(times[1:]):9.1f} ms")
    # An export over ``export_jobs.SYNC_ROWS`` rows is built by a worker: the file the officer downloads.
    from pemda.selectors.territory import company_export_file

    for fmt in ("csv", "xlsx"):
        name = f"Pemda company export {fmt.upper()} file (worker job)"
        times = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            company_export_file(subjects["pemda_prov"], fmt, "")
            times.append((time.perf_counter() - start) * 1000)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            _filename, rows, _content, _type = company_export_file(subjects["pemda_prov"], fmt, "")
        result.jobs.append(Result(f"{name}, {rows} rows", len(queries.captured_queries), round(statistics.median(times[1:]), 1)))
        log(f"  {name:<44} {len(queries.captured_queries):4d} queries {statistics.median(times[1:]):9.1f} ms")


def _measure_pohon_job(result: Run, runs: int, log: Callable[[str], None]) -> None:
    """Pohon Industri's kept aggregate recomputed and stored (``analisis.pohon.kept.refresh_stale`` with the
    data moved): what the worker does after a page found it stale."""
    from analisis.models import KeptTree
    from analisis.pohon import kept

    name = "Pohon Industri aggregate (worker job)"
    times = []
    for _ in range(min(runs, 3)):  # seconds each: three are enough for a median
        KeptTree.objects.update(version="moved")
        start = time.perf_counter()
        kept.refresh_stale()
        times.append((time.perf_counter() - start) * 1000)
    KeptTree.objects.update(version="moved")
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        kept.refresh_stale()
    result.jobs.append(Result(name, len(queries.captured_queries), round(statistics.median(times), 1)))
    log(f"  {name:<44} {len(queries.captured_queries):4d} queries {statistics.median(times):9.1f} ms")


def measure(
    runs: int, *, log: Callable[[str], None] = lambda line: None, only: str = "", migrate: bool = False
) -> Run:
    """Measure every page ``runs`` times (``only``: just the pages whose name contains it, case-insensitive);
    the database is left exactly as it was. ``migrate``: apply the code's migrations the data set lacks
    first, inside the same rolled-back transaction (a branch measured on a set migrated to main)."""
    result = Run(runs=runs)
    # As Django's test runner does: a request must not close the connection that holds the transaction.
    request_started.disconnect(close_old_connections)
    try:
        # As deployed: a worker refreshes the Pemda dashboards' kept figures (pemda.figures), Posisi Anda's
        # cut points (analisis.position) and Pohon Industri's kept aggregate (analisis.pohon.kept).
        with transaction.atomic(), override_settings(
            ALLOWED_HOSTS=["testserver"],
            PEMDA_FIGURES_IN_BACKGROUND=True,
            POSITION_CUTS_IN_BACKGROUND=True,
            ANALISIS_POHON_IN_BACKGROUND=True,
        ):
            if migrate:
                _migrate_inside(log)
            _measure(result, runs, log, only.casefold())
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        cache.clear()
    return result


def _migrate_inside(log: Callable[[str], None]) -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        log("migrations applied inside the rolled-back transaction: " + ", ".join(f"{m.app_label}.{m.name}" for m, _b in plan))
        executor.migrate(executor.loader.graph.leaf_nodes(), plan=plan)


def _measure(result: Run, runs: int, log: Callable[[str], None], only: str = "") -> None:
    subjects = pick_subjects()
    result.subjects = {
        "company": subjects["company"].username, "report": str(subjects["draft"].pk), "review": str(subjects["review"].pk),
        "verifier": subjects["verifier"].username, "validator": subjects["validator"].username,
        "pemda_prov": subjects["pemda_prov"].username, "pemda_kab": subjects["pemda_kab"].username, "word": subjects["word"],
    }  # fmt: skip
    minimal = Page(MINIMAL, signed_in(subjects["company"]), reverse("core:home"))
    minimal_times: list[float] = []
    _timed(minimal)
    for page in pages(subjects):
        if only and only not in page.name.casefold():
            continue
        response = _request(page)  # warm-up: templates compiled, caches of warm pages filled
        if response.status_code != page.expect:
            raise BenchError(
                f"{page.name}: {page.url} answered {response.status_code}, expected {page.expect}"
            )
        times = []
        for _ in range(runs):
            times.append(_timed(page))
            minimal_times.append(_timed(minimal))
        if page.prepare is not None:
            page.prepare()
        if page.cold:
            cache.clear()
        body = page.post() if page.post is not None else None
        reset_queries()  # the request's own reset must not cut the capture short
        with CaptureQueriesContext(connection) as queries:
            page.client.post(page.url, body) if body is not None else page.client.get(page.url)
        result.results.append(
            Result(page.name, len(queries.captured_queries), round(statistics.median(times), 1))
        )
        log(
            f"  {page.name:<44} {len(queries.captured_queries):4d} queries {statistics.median(times):9.1f} ms"
        )
    if not only or "pemda" in only or "job" in only:
        _measure_jobs(result, runs, subjects, log)
    if not only or "posisi" in only or "job" in only:
        _measure_position_job(result, runs, subjects, log)
    if not only or "pohon" in only or "job" in only:
        _measure_pohon_job(result, runs, log)
    result.minimal_ms = round(statistics.median(minimal_times), 1)
    for item in result.results:
        item.ratio = round(item.median_ms / result.minimal_ms, 1) if result.minimal_ms else 0.0
