"""The measures of validated reports, maintained (``ReportMeasures``): per validated report, the sums of
its workforce, investment (industry and estate), production and export sections — what the Pemda
dashboards and recaps aggregate — and its capacity utilisation (``_utilisation``, published on Informasi
Industri). Computing them on every cold view meant four correlated sums per
validated report (≈ 0.9 s for a province at 50,000 accounts); a validated report is locked, so they are
computed once.

Upkeep: reporting's status pipeline (``reporting.services._move``) calls ``refresh`` in the move's
transaction whenever a report enters or leaves Tervalidasi. ``rebuild`` recomputes every row from the
reports (the data migration, ``load_scale``, tests). Readers fall back to ``with_measures`` (the live
sums) for a validated report without a row (one written around the pipeline, e.g. by a test fixture).
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractMonth, ExtractYear, Round

from reporting.models import ReportStatus
from siinas.lib.versions import empty_for_rebuild

FIELDS = ("workforce", "investment_industry", "investment_estate", "production", "export", "utilisation")
FACTS = ("period_id", "factory_id", "report_type")  # the report's fixed facts, copied beside its measures


def _sum_subquery(model, expression) -> Subquery:
    """The per-report sum of ``expression`` over ``model`` rows, as a correlated subquery."""
    return Subquery(
        model.objects.filter(report_id=OuterRef("pk")).order_by().values("report_id").annotate(s=Sum(expression)).values("s")[:1]
    )


def _utilisation(apps) -> Round:
    """The report's capacity utilisation in percent (2 decimals), NULL when not computable.

    Per product line: production quantity / installed capacity for the period (the capacity is per year,
    so times the period's months / 12), the production row matched to the capacity row of the same report
    by name (case and outer spaces aside) and the same unit. The lines are combined as the mean of their
    ratios weighted by each line's production value (rupiah: the one scale every line shares; weighting by
    capacity would be Σ quantity / Σ capacity, a sum across units). Only lines with capacity > 0 and
    production value > 0 count; a report with none (no production, no capacity, units that differ) gets
    NULL. A correlated subquery on the report's production rows (index on report_id), so ``rebuild`` stays
    one statement; the numeric literals keep SQLite off integer division. The subquery names the reports
    table unaliased: use ``with_measures`` on a top-level report query, not inside another subquery."""
    production = apps.get_model("reporting", "ProductionRow")._meta.db_table
    capacity = apps.get_model("reporting", "CapacityProduct")._meta.db_table
    report = apps.get_model("reporting", "Report")._meta.db_table
    # the value-weighted mean of quantity / capacity-per-year (a fraction of a year's capacity)
    per_year = RawSQL(  # noqa: S611 (no value is formatted in, only the three table names)
        f"""(SELECT SUM(p.value * (1.0 * p.quantity / c.capacity)) / SUM(p.value)
             FROM {production} p JOIN {capacity} c ON c.report_id = p.report_id
              AND LOWER(TRIM(c.name)) = LOWER(TRIM(p.product)) AND c.unit = p.unit
             WHERE p.report_id = {report}.id AND c.capacity > 0 AND p.value > 0)""",  # noqa: S608
        [],
        output_field=DecimalField(),
    )
    months = (ExtractYear("period__end") - ExtractYear("period__start")) * 12 + ExtractMonth("period__end") - ExtractMonth("period__start") + 1
    return Round(per_year * 1200 / months, 2, output_field=DecimalField(max_digits=9, decimal_places=2))


def with_measures(reports: QuerySet, apps=global_apps) -> QuerySet:
    """``reports`` annotated with the live sums ``m_<field>`` (each an index look-up on its section table)."""
    get = apps.get_model
    return reports.order_by().annotate(
        m_workforce=_sum_subquery(get("reporting", "Workforce"), "total"),
        m_investment_industry=_sum_subquery(
            get("reporting", "Investment"), F("land") + F("buildings") + F("machinery") + F("other_fixed") + F("working_capital")
        ),
        m_investment_estate=_sum_subquery(
            get("reporting", "EstateInvestment"), F("land") + F("infrastructure") + F("buildings") + F("other")
        ),
        m_production=_sum_subquery(get("reporting", "ProductionRow"), "value"),
        m_export=_sum_subquery(get("reporting", "SalesRow"), "export_value"),
        m_utilisation=_utilisation(apps),
    )


def refresh(report_id: int, status: str) -> None:
    """Write the report's row when it is validated, delete it otherwise (the caller holds the report's
    row lock, inside its transaction)."""
    from reporting.models import Report, ReportMeasures

    if status != ReportStatus.VALIDATED:
        ReportMeasures.objects.filter(report_id=report_id).delete()
        return
    row = with_measures(Report.objects.filter(pk=report_id)).values(*FACTS, *(f"m_{f}" for f in FIELDS)).get()
    defaults = {fact: row[fact] for fact in FACTS} | {f: row[f"m_{f}"] for f in FIELDS}
    ReportMeasures.objects.update_or_create(report_id=report_id, defaults=defaults)


def complete(apps=global_apps) -> bool:
    """Whether every validated report has its stored row: rows exist only for validated reports (written
    on entering Tervalidasi, deleted on leaving it), so equal counts mean none is missing. Two index or
    table counts (≈ 8 ms at 50,000 accounts); readers that group the rows alone check it first and take
    the per-report path otherwise (a report written around the status pipeline, e.g. by a fixture)."""
    ReportMeasures = apps.get_model("reporting", "ReportMeasures")
    Report = apps.get_model("reporting", "Report")
    return ReportMeasures.objects.count() == Report.objects.filter(status=ReportStatus.VALIDATED).count()


@transaction.atomic
def rebuild(apps=global_apps) -> int:
    """Recompute every row from the validated reports; returns their number. On PostgreSQL the table is
    locked against writers first, so a validation running meanwhile waits and then writes its row."""
    ReportMeasures = apps.get_model("reporting", "ReportMeasures")
    Report = apps.get_model("reporting", "Report")
    empty_for_rebuild(ReportMeasures)
    # The copied facts exist from migration 0008 on (0006 rebuilds with the table as it was then).
    columns = {f.attname for f in ReportMeasures._meta.concrete_fields}
    facts = tuple(fact for fact in FACTS if fact in columns)
    # Likewise the utilisation from migration 0012 on.
    fields = tuple(f for f in FIELDS if f in columns)
    rows = with_measures(Report.objects.filter(status=ReportStatus.VALIDATED), apps).values_list(
        "pk", *facts, *(f"m_{f}" for f in fields)
    )
    batch, written = [], 0
    for pk, *values in rows.iterator(chunk_size=5000):
        batch.append(ReportMeasures(report_id=pk, **dict(zip(facts + fields, values, strict=True))))
        if len(batch) == 5000:
            ReportMeasures.objects.bulk_create(batch)
            written, batch = written + len(batch), []
    ReportMeasures.objects.bulk_create(batch)
    return written + len(batch)
