"""A national-scale data set for measuring SIINas (issue 14): ``manage.py load_scale``.

At ``factories=50_000`` (the default): 50,000 factory accounts over the 38 provinces and their
kab/kota, each with its company user; four semesters with about 183,000 expected and 113,000 filed
reports (drafts, returned, resubmitted, verified, validated), about 30 product and material rows each
and 121,000 versions; twelve IKI months of about 10,000 responses with their running tallies and
stored results; 4,000 e-service applications; 5,000 directory profiles; officers of every role.
``factories=N`` scales all of it (the officers stay as they are). Deterministic for a seed.

Written with COPY on PostgreSQL (bulk_create elsewhere) in one transaction, which a failed check
rolls back: a sample of the generated reports must pass the project's own submit checks
(``siinas/core/scale/checks.py``).
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Factory, User
from eservice.directory_services import directory_search_refresh
from eservice.models import Application
from iki import weights
from iki.models import IkiResponse
from iki.services import iki_results_compute_due
from reporting import measures
from reporting.models import Report
from siinas.core.models import Kbli, Region
from siinas.core.scale import checks, people, programmes
from siinas.core.scale import sections as gen
from siinas.core.scale.reports import ReportWriter, latest_periods
from siinas.core.scale.sink import Sink
from siinas.lib.audit import audit
from verification import peers

DEFAULT_FACTORIES = 50_000
DEFAULT_SEED = 14
APPLICATIONS_PER_FACTORY = 4_000 / 50_000
PROFILES_PER_FACTORY = 5_000 / 50_000
SAMPLE_SIZE = 20


class ScaleRefused(Exception):
    """The database or the settings do not allow loading the data set."""


class ScaleCheckFailed(Exception):
    """Generated reports the project's own checks refuse (nothing was kept)."""

    def __init__(self, problems: dict[int, list[str]]):
        self.problems = problems
        lines = [f"report {pk}: {'; '.join(found[:3])}" for pk, found in list(problems.items())[:5]]
        super().__init__(
            f"{len(problems)} generated report(s) refused by the submit checks:\n" + "\n".join(lines)
        )


@dataclass
class Summary:
    factories: int
    seed: int
    seconds: float = 0.0
    phases: list[tuple[str, float]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    reports: dict[str, int] = field(default_factory=dict)
    iki: dict[str, int] = field(default_factory=dict)
    applications: dict[str, int] = field(default_factory=dict)
    profiles: int = 0
    checked: int = 0
    shapes: dict[str, Counter] = field(default_factory=dict)
    officers: list[str] = field(default_factory=list)


def refusal() -> str | None:
    if settings.PRODUCTION:
        return "load_scale is refused under SIINAS_ENV=production."
    existing = Factory.objects.count()
    if existing:
        return (f"the database already holds {existing} factory account(s); load_scale fills an empty database "
                "(a new one: migrate, then load_reference).")  # fmt: skip
    if not Region.objects.exists() or not Kbli.objects.filter(level=Kbli.Level.KELOMPOK).exists():
        return "reference data missing: run manage.py load_reference first."
    return None


def load(
    *,
    factories: int = DEFAULT_FACTORIES,
    seed: int = DEFAULT_SEED,
    log: Callable[[str], None] = lambda line: None,
) -> Summary:
    """Generate and write the data set; raise ScaleRefused or ScaleCheckFailed (then nothing is kept)."""
    reason = refusal()
    if reason:
        raise ScaleRefused(reason)
    summary = Summary(factories=factories, seed=seed)
    started = time.perf_counter()
    mark = started

    def phase(name: str) -> None:
        nonlocal mark
        now_ = time.perf_counter()
        summary.phases.append((name, now_ - mark))
        log(f"  {name:<44} {now_ - mark:7.1f} s")
        mark = now_

    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic(), _without_row_triggers():
        sink = Sink()
        periods = latest_periods(today)
        cast = people.make_factories(sink, factories, seed, now=now, oldest_close=periods[0].window_closes)
        sink.flush()
        _reset_sequences(sink)
        people.make_officers(cast, now=now)
        summary.officers = sorted(cast.officers)
        phase(f"{factories} factory accounts, users, officers")
        writer = ReportWriter(sink, cast, seed, periods, now=now)
        for k, period in enumerate(periods):
            writer.write_period(k)
            phase(f"reports of {period}")
        sink.flush()
        phase("reports written")
        # the copy skipped ReportVersion.save and the status pipeline, which keep these three
        peers.rebuild()
        weights.rebuild()
        measures.rebuild()
        phase("KBLI peer sums, accepted workforce, validated reports' measures (rebuilt)")
        months = programmes.closed_months(today)
        summary.iki = programmes.write_iki(sink, cast, seed, months)
        iki_results_compute_due(today=today)
        phase(f"IKI {months[0]:%Y-%m}..{months[-1]:%Y-%m}, tallies and results")
        count = max(14, round(factories * APPLICATIONS_PER_FACTORY))
        summary.applications = programmes.write_eservice(sink, cast, seed, count, now=now)
        summary.profiles = programmes.write_directory(
            sink,
            cast,
            seed,
            max(3, round(factories * PROFILES_PER_FACTORY)),
            lambda f: _products(f, seed, today),
        )
        sink.finish()
        directory_search_refresh()  # the stored search documents of the profiles just copied in
        phase("e-services, directory")
        summary.rows = sink.counts()
        summary.reports = dict(writer.stats)
        summary.shapes = _shapes(cast)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE"
                )  # planner statistics for the new rows (the checks' queries need them)
            phase("ANALYZE")
        summary.checked, problems = checks.check_sample(SAMPLE_SIZE)
        phase(f"submit checks on {summary.checked} sampled reports")
        if problems:
            raise ScaleCheckFailed(problems)
        audit(
            "core.scale_loaded",
            actor="sistem (load_scale)",
            factories=factories,
            seed=seed,
            rows=summary.rows,
        )
    phase("commit")
    summary.seconds = time.perf_counter() - started
    return summary


@contextmanager
def _without_row_triggers():
    """On PostgreSQL, skip the per-row foreign-key triggers while loading (``session_replication_role``):
    every key is assigned by the generator itself, and checking 7 million of them at commit would cost
    minutes. Needs a superuser; without one the load simply runs with the checks."""
    if connection.vendor != "postgresql":
        yield
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    except DatabaseError:
        yield
        return
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def _reset_sequences(sink: Sink) -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(sink.tables)):
            cursor.execute(sql)


def _products(f: people.FactoryRow, seed: int, today) -> list[tuple[str, str, str]]:
    profile = gen.industry_profile(random.Random(f"{seed}:profile:{f.index}"), f, today)  # noqa: S311 — synthetic data
    return [(p.name, p.kbli, p.hs) for p in profile.products]


def _shapes(cast: people.Cast) -> dict[str, Counter]:
    factories = cast.factories
    return {
        "province": Counter(f.province for f in factories),
        "scale": Counter(f.scale for f in factories if f.account_type == "A"),
        "account_type": Counter(f.account_type for f in factories),
        "stage": Counter(f.stage for f in factories if f.account_type in ("A", "B")),
        "division": Counter(f.divisions[0] for f in factories if f.divisions),
        "kbli_lines": Counter({"lines": sum(len(f.kbli) for f in factories)}),
    }


def checksum() -> str:
    """A digest of the generated content by natural keys (no ids, no timestamps): the same seed and
    size give the same digest on any database, on any day of the same periods."""
    digest = hashlib.sha256()
    for rows in (
        Factory.objects.order_by("company__nib", "name").values_list(
            "company__nib", "name", "region_id", "scale", "account_type", "stage", "status", "workforce"
        ),
        Report.objects.order_by(
            "factory__company__nib", "factory__name", "period__start", "report_type"
        ).values_list(
            "factory__company__nib",
            "factory__name",
            "period__year",
            "period__number",
            "report_type",
            "status",
            "lock_version",
        ),
        Report.objects.order_by(
            "factory__company__nib", "factory__name", "period__start", "report_type", "versions__number"
        ).values_list("factory__company__nib", "versions__number", "versions__on_time"),
        IkiResponse.objects.order_by(
            "factory__company__nib", "factory__name", "period", "kbli2_id"
        ).values_list(
            "factory__company__nib",
            "period",
            "kbli2_id",
            "general",
            "orders",
            "production",
            "stock",
            "outlook",
            "orders_factor_bits",
        ),
        Application.objects.order_by("factory__company__nib", "service", "status", "id").values_list(
            "factory__company__nib", "service", "status"
        ),
        User.objects.filter(username__startswith=people.PREFIX)
        .order_by("username")
        .values_list("username", "role", "region_id"),
    ):
        for row in rows.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
    return digest.hexdigest()
