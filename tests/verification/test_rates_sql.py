"""The reporting rate grouped in SQL gives exactly what the Python grouping it replaced gave.

``reference_rate_table`` below is the former implementation (one ``report_types_owed`` call per account,
grouping in Python), kept as the reference: on a varied population (every account type, stage, scale and
status, estates crossing a border or not, accounts registered after the window, accounts in several
divisions, without KBLI, with a line outside any division; reports of owed and no-longer-owed types in
every status, non-periodic ones, another period's) both must give the same rows, labels, order, drill
links, details and totals, for every dimension and filter and each officer role.
"""

import datetime as dt
import random
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import AccountType, Factory, Scale
from reporting.models import Report, ReportStatus
from reporting.registry import REPORT_TYPES, report_types_owed
from siinas.core.models import Kbli, Region
from tests.factories import FactoryAccountFactory
from tests.reporting.factories import PeriodFactory
from verification import rates
from verification.rates import (
    RateRow,
    RateTable,
    Unit,
    _drill,
    _Labels,
    _population,
    individual_q,
    owed_type_case,
    rate_table,
)

pytestmark = pytest.mark.django_db

PERIODIC = [code for code, spec in REPORT_TYPES.items() if spec.periodic]


# --- The reference: the former Python implementation ---------------------------------------------------


def reference_rate_table(*, user, period, by, filters=None) -> RateTable:
    filters = {k: v for k, v in (filters or {}).items() if v}
    population = _population(user, period, filters)
    if by == "factory":
        population = population.filter(individual_q(user))
    factories = {
        row["pk"]: row
        for row in population.values(
            "pk", "name", "company__name", "account_type", "stage", "scale",
            "region_id", "region__name", "province_id", "province__name",
        )
    }  # fmt: skip
    units: dict[tuple[int, str], Unit] = {}
    for pk, row in factories.items():
        for spec in report_types_owed(SimpleNamespace(**row)):
            units[(pk, spec.code)] = Unit(pk, spec.code)
    reports = Report.objects.filter(period=period, factory_id__in=population.values("pk"), report_type__in=PERIODIC)
    for factory_id, report_type, status, first, on_time in reports.values_list(
        "factory_id", "report_type", "status", "first_submitted_at", "submitted_on_time"
    ):
        unit = units.get((factory_id, report_type))
        if unit is None:
            if first is None:
                continue
            unit = units[(factory_id, report_type)] = Unit(factory_id, report_type)
        unit.status = status
        unit.submitted = first is not None
        unit.on_time = bool(on_time)
        unit.validated = status == ReportStatus.VALIDATED
    if filters.get("report_type"):
        units = {k: u for k, u in units.items() if u.report_type == filters["report_type"]}

    divisions: dict[int, list[str]] = defaultdict(list)
    titles: dict[str, str] = {}
    if by == "kbli":
        lines = Factory.kbli.through.objects.filter(factory_id__in=population.values("pk")).values_list(
            "factory_id", "kbli__division_id", "kbli__division__title"
        )
        for factory_id, division, title in lines:
            if division and division not in divisions[factory_id]:
                divisions[factory_id].append(division)
                titles[division] = title

    rows: dict[str, RateRow] = {}
    total = RateRow(key="", label="Jumlah")
    labels = _Labels(titles)
    for unit in units.values():
        factory = factories[unit.factory_id]
        total.add(unit)
        for key, label, detail in _reference_keys(by, unit, factory, divisions, labels):
            if key not in rows:
                rows[key] = RateRow(key=key, label=label, detail=detail, drill=_drill(by, key, filters))
            rows[key].add(unit)
    ordered = sorted(rows.values(), key=lambda r: (r.label if by == "factory" else r.key))
    return RateTable(period=period, by=by, rows=ordered, total=total)


def _reference_keys(by, unit, factory, divisions, labels):
    if by == "province":
        yield factory["province_id"], factory["province__name"], {}
    elif by == "region":
        yield factory["region_id"], factory["region__name"], {}
    elif by == "kbli":
        for division in divisions.get(unit.factory_id) or ["—"]:
            yield division, labels.divisions.get(division, labels.no_kbli), {}
    elif by == "report_type":
        yield unit.report_type, labels.types[unit.report_type], {}
    else:
        yield (
            f"{unit.factory_id}:{unit.report_type}",
            f"{factory['company__name']} — {factory['name']}",
            {"report_type": labels.types[unit.report_type], "region": factory["region__name"], "status": labels.statuses[unit.status]},
        )


# --- The varied population ------------------------------------------------------------------------------


def _varied(period, other_period, seed: int = 14) -> None:
    """About 160 accounts over three kab/kota of two provinces and their reports."""
    rng = random.Random(seed)
    regions = [Region.objects.get(pk=code) for code in ("32.16", "32.04", "35.78")]
    kelompok = list(Kbli.objects.filter(level=Kbli.Level.KELOMPOK, division_id__in=["10", "11", "13", "25"]).order_by("code"))
    by_division = defaultdict(list)
    for k in kelompok:
        by_division[k.division_id].append(k)
    outside = Kbli.objects.filter(division__isnull=True).exclude(level=Kbli.Level.GOLONGAN_POKOK).first()
    after_window = timezone.make_aware(dt.datetime.combine(period.window_closes + dt.timedelta(days=20), dt.time(9)))
    statuses = list(ReportStatus.values)
    for i in range(160):
        account_type = rng.choices(AccountType.values, weights=[70, 15, 10, 5])[0]
        factory = FactoryAccountFactory(
            company__name=f"PT Ragam {i:03d}",
            name=f"Lokasi {i:03d}",
            account_type=account_type,
            region=rng.choice(regions),
            scale=rng.choice(Scale.values),
            stage=rng.choice(Factory.Stage.values),
            status=Factory.Status.SUSPENDED if rng.random() < 0.06 else Factory.Status.ACTIVE,
            crosses_regency_border=account_type == AccountType.B and rng.random() < 0.5,
        )
        if rng.random() < 0.05:
            Factory.objects.filter(pk=factory.pk).update(created_at=after_window)
        lines = []
        shape = rng.random()
        if shape < 0.1:
            lines = []  # no KBLI
        elif shape < 0.15 and outside is not None:
            lines = [outside] + ([rng.choice(kelompok)] if rng.random() < 0.5 else [])
        else:
            first = rng.choice(kelompok)
            lines = [first]
            if rng.random() < 0.3:
                lines.append(rng.choice(by_division[first.division_id]))  # same division
            if rng.random() < 0.25:
                lines.append(rng.choice(kelompok))  # maybe another division
        factory.kbli.set({k.code: k for k in lines}.values())
        owed = [s.code for s in report_types_owed(factory)]
        for report_period in (period, other_period):
            if rng.random() < 0.3:
                continue
            types = set()
            if owed and rng.random() < 0.8:
                types.add(owed[0])
            if rng.random() < 0.2:
                types.add(rng.choice([*PERIODIC, "data_lainnya"]))  # no longer owed, or non-periodic
            for report_type in types:
                status = rng.choice(statuses)
                first = None if status == ReportStatus.DRAFT else timezone.make_aware(
                    dt.datetime.combine(report_period.window_opens + dt.timedelta(days=rng.randint(0, 90)), dt.time(10))
                )
                Report.objects.create(
                    factory=factory, period=report_period, report_type=report_type, status=status,
                    first_submitted_at=first, last_submitted_at=first,
                    submitted_on_time=None if first is None else rng.random() < 0.7,
                )  # fmt: skip


def _shape(table: RateTable):
    def row(r: RateRow):
        return (r.key, str(r.label), r.expected, r.submitted, r.on_time, r.validated, r.drill, r.detail)

    return [row(r) for r in table.rows], row(table.total)[2:6]


@pytest.fixture
def varied(cast, period):
    _varied(period, PeriodFactory(year=2026, number=2))
    return period


FILTERS = [
    {},
    {"province": "32"},
    {"province": "32", "region": "32.16"},
    {"kbli": "10"},
    {"kbli": "25", "province": "35"},
    *({"report_type": code} for code in PERIODIC),
    {"province": "32", "report_type": "industri_produksi"},
]
ROLES = ["verifier", "admin", "validator_pangan", "validator_logam", "pemda_jabar", "pemda_kab_bekasi"]


@pytest.mark.parametrize("role", ROLES)
def test_the_sql_table_equals_the_python_reference_for_every_dimension_and_filter(cast, varied, role):
    user = getattr(cast, role)
    compared = 0
    for by in rates.DIMENSIONS:
        for filters in FILTERS:
            new = _shape(rate_table(user=user, period=varied, by=by, filters=filters))
            old = _shape(reference_rate_table(user=user, period=varied, by=by, filters=filters))
            assert new == old, (role, by, filters)
            compared += bool(old[0])
    assert compared > 10, "the fixture gives non-empty tables"


def test_the_fixture_covers_the_hard_cases(cast, varied):
    reports = Report.objects.filter(period=varied)
    owed = dict(Factory.objects.annotate(o=owed_type_case()).values_list("pk", "o"))
    not_owed = [r for r in reports if owed[r.factory_id] != r.report_type]
    assert any(r.first_submitted_at for r in not_owed) and any(not r.first_submitted_at for r in not_owed)
    multi = Factory.kbli.through.objects.values("factory_id").distinct().count()
    assert multi and Factory.objects.filter(kbli__isnull=True).exists()
    assert Factory.objects.filter(kbli__division__isnull=True, kbli__isnull=False).exists()
    table = reference_rate_table(user=cast.verifier, period=varied, by="kbli")
    assert "—" in {r.key for r in table.rows}


def test_owed_type_in_sql_follows_the_registry_for_every_type_stage_and_scale(reference_data):
    for account_type in AccountType.values:
        for stage in Factory.Stage.values:
            for scale in Scale.values:
                factory = FactoryAccountFactory(account_type=account_type, stage=stage, scale=scale)
                expected = [s.code for s in report_types_owed(factory)]
                got = Factory.objects.filter(pk=factory.pk).annotate(o=owed_type_case()).values_list("o", flat=True).get()
                assert ([got] if got else []) == expected, (account_type, stage, scale)
