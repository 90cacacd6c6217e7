"""``industry_statistics``: the aggregates equal a plain Python reference, and nothing that would disclose
one company is shown (count rule, dominance rule, secondary suppression)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
import time_machine

from informasi.selectors import (
    DOMINANCE_SHARE,
    FRESH_ENOUGH_SECONDS,
    MAGNITUDES,
    division_statistics,
    industry_statistics,
)
from reporting.models import ReportMeasures
from tests.reporting.factories import PeriodFactory

pytestmark = pytest.mark.django_db


def _reference(period, *, key, keep=lambda factory: True):
    """Per group: companies, and per measure (n, sum, largest) from the stored rows, in Python."""
    per_factory: dict[int, dict[str, Decimal]] = defaultdict(dict)
    factories = {}
    for row in ReportMeasures.objects.filter(period=period).select_related("factory"):
        factories[row.factory_id] = row.factory
        values = per_factory[row.factory_id]
        investment = None
        if row.investment_industry is not None or row.investment_estate is not None:
            investment = (row.investment_industry or 0) + (row.investment_estate or 0)
        for measure, value in (("workforce", row.workforce), ("investment", investment), ("production", row.production), ("export", row.export)):
            if value is not None:
                values[measure] = values.get(measure, 0) + Decimal(value)
    groups: dict[str, dict] = {}
    for factory_id, values in per_factory.items():
        factory = factories[factory_id]
        if not keep(factory):
            continue
        for group in key(factory):
            cell = groups.setdefault(group, {"establishments": 0, **{m: [] for m in MAGNITUDES}})
            cell["establishments"] += 1
            for measure, value in values.items():
                cell[measure].append(value)
    return {
        group: {"establishments": cell["establishments"], **{m: (len(v), sum(v, Decimal(0)), max(v, default=Decimal(0))) for m in MAGNITUDES for v in [cell[m]]}}
        for group, cell in groups.items()
    }


def _figures(table):
    return {
        row.key: {"establishments": row.cells["establishments"].n, **{m: (row.cells[m].n, row.cells[m].total, row.cells[m].top1) for m in MAGNITUDES}}
        for row in table.rows
    }


@pytest.fixture
def spread(validated, period):
    """Companies in Jawa Barat (divisions 10 and 13, one in both), Jawa Timur and Banten, and a report of
    another period that must not count."""
    for i in range(5):
        validated("32.16", ["10110"], workforce=10 + i, investment_industry=1000 + i, production=500 + 10 * i, export=50 + i)
    both = validated("32.73", ["10110", "13111"], workforce=7, investment_estate=300, production=90)
    validated("32.73", factory=both, report_type="kawasan_komersial", workforce=3, investment_industry=20)  # summed with its other report
    for i in range(4):
        validated("32.15", ["13111"], workforce=20 + i, production=200 + i)
    for i in range(3):
        validated("35.78", ["25111"], workforce=5 + i, investment_industry=700 + i, export=30 + i)
    validated("36.03", ["10110"], workforce=99, production=1)
    validated("32.16", ["10110"], report_period=PeriodFactory(year=2025, number=2), workforce=1000)


def test_province_figures_equal_the_python_reference(spread, period):
    table = industry_statistics(period.pk)
    assert _figures(table) == _reference(period, key=lambda f: [f.province_id])
    assert [row.key for row in table.rows] == ["32", "35", "36"]
    assert table.rows[0].label == "Jawa Barat"
    assert table.total.cells["establishments"].n == 14
    assert table.total.cells["workforce"].total == sum(10 + i for i in range(5)) + 10 + sum(20 + i for i in range(4)) + 18 + 99


def test_division_figures_of_a_province_equal_the_python_reference(spread, period):
    table = industry_statistics(period.pk, province="32")
    divisions = lambda f: {k.division_id for k in f.kbli.all()}  # noqa: E731
    assert _figures(table) == _reference(period, key=divisions, keep=lambda f: f.province_id == "32")
    assert table.rows[0].cells["establishments"].n == 6  # five in Kab. Bekasi and the one in both divisions
    assert table.total.cells["establishments"].n == 10  # that one counted once in the province's total


def test_a_division_filter_keeps_only_companies_registered_in_it(spread, period):
    table = industry_statistics(period.pk, division="13")
    in_13 = lambda f: f.kbli.filter(division_id="13").exists()  # noqa: E731
    assert _figures(table) == _reference(period, key=lambda f: [f.province_id], keep=in_13)


def test_a_cell_of_fewer_than_three_companies_is_hidden_with_a_secondary_partner(spread, period):
    table = industry_statistics(period.pk)
    rows = {row.key: row for row in table.rows}
    assert rows["36"].cells["workforce"].hidden  # one company in Banten
    # Banten alone could be recovered from the total: the smallest other cell (Jawa Timur, 3) goes too; the
    # pair (99 + 18, two companies 91 % of it) is still dominated, so Jawa Barat is hidden as well.
    assert rows["35"].cells["workforce"].hidden and rows["32"].cells["workforce"].hidden
    assert table.total.cells["workforce"].shown is not None
    assert not rows["32"].cells["establishments"].hidden  # counts follow the count rule alone
    published = {row["key"]: row for row in table.published()}
    assert published["36"]["values"]["workforce"] is None and "workforce" in published["36"]["hidden"]


def test_a_cell_dominated_by_one_company_is_hidden_even_with_many_companies(validated, period):
    for _ in range(4):
        validated("32.16", production=10)
    validated("32.16", production=1000)  # 1000 / 1040 > 85 %
    for _ in range(3):
        validated("35.78", production=100)
    for _ in range(3):
        validated("33.01", production=100)
    table = industry_statistics(period.pk)
    rows = {row.key: row.cells["production"] for row in table.rows}
    assert rows["32"].n == 5 and rows["32"].top1 > DOMINANCE_SHARE * rows["32"].total
    assert rows["32"].hidden
    # Jawa Barat = total − the others: one more cell is hidden so that it cannot be recovered.
    assert sum(cell.hidden for cell in rows.values()) == 2
    assert not table.rows[0].cells["establishments"].hidden  # counts are not magnitudes: 5 companies stay shown


def test_the_hidden_cells_together_must_not_be_dominated_either(validated, period):
    validated("32.16", export=1000)
    validated("32.16", export=1)
    validated("32.16", export=1)
    for _ in range(3):
        validated("35.78", export=10)
    for _ in range(3):
        validated("33.01", export=20)
    table = industry_statistics(period.pk)
    cells = {row.key: row.cells["export"] for row in table.rows}
    assert cells["32"].hidden
    # Jawa Barat would be total − the rest. Hiding other provinces with it cannot help: any sum with it
    # stays dominated by the one company (1000 of 1032, of 1092), so the total is hidden instead and
    # nothing hidden can be worked out from what is shown.
    assert table.total.cells["export"].hidden


def test_a_measure_nobody_reported_is_empty_not_hidden(validated, period):
    for _ in range(3):
        validated("32.16", workforce=5)
    row = industry_statistics(period.pk).rows[0]
    assert row.cells["export"].empty and not row.cells["export"].hidden and row.cells["export"].shown is None


def test_the_figures_are_cached_and_follow_the_data_within_two_minutes(validated, period, django_assert_num_queries):
    for _ in range(3):
        validated("32.16", workforce=5)
    industry_statistics(period.pk)
    with django_assert_num_queries(1):  # the data version; the grouped rows and their labels come from the cache
        industry_statistics(period.pk)
    validated("32.16", workforce=5)  # a new report moves the version
    assert industry_statistics(period.pk).rows[0].cells["workforce"].n == 3  # computed moments ago: still served
    with time_machine.travel(dt.timedelta(seconds=FRESH_ENOUGH_SECONDS + 1)):
        assert industry_statistics(period.pk).rows[0].cells["workforce"].n == 4


def test_the_province_total_equals_its_own_query(spread, period):
    """The national total is added up from the provinces' rows (a company is in one province)."""
    from informasi.selectors import PROVINCE, _grouped, _sum_of

    rows = _grouped(period.pk, PROVINCE, None, None)
    assert [_sum_of(rows)] == _grouped(period.pk, None, None, None)


def test_a_province_hidden_nationally_stays_hidden_in_its_kbli_table(validated, period):
    """Jawa Timur is shown in its own right (3 companies) but hidden nationally as Banten's secondary
    partner: its KBLI table must not give its total back, neither as the total row nor as the sum of rows.
    Jawa Barat, shown nationally, is shown in its own table too."""
    for i in range(10):
        validated("32.16", workforce=30 + i)
    for i in range(3):
        validated("35.78", ["25111"], workforce=5 + i)
    for i in range(3):
        validated("33.01", workforce=40 + i)
    validated("36.03", workforce=99)
    national = {row.key: row.cells["workforce"] for row in industry_statistics(period.pk).rows}
    # Banten (1 company); Jawa Timur with it (the pair is dominated by Banten's one); Jawa Tengah with them
    assert national["36"].hidden and national["35"].hidden and national["33"].hidden and not national["32"].hidden
    jatim = industry_statistics(period.pk, province="35")
    assert jatim.total.cells["workforce"].hidden
    assert [row.cells["workforce"].hidden for row in jatim.rows] == [True]
    jabar = industry_statistics(period.pk, province="32")
    assert not jabar.total.cells["workforce"].hidden and not jabar.rows[0].cells["workforce"].hidden


def test_a_provinces_kbli_table_total_is_its_row_of_the_national_table(spread, period):
    """Read from the national table instead of a query of its own: the same figures."""
    from informasi.selectors import _grouped, industry_statistics

    table = industry_statistics(period.pk, province="32")
    own = _grouped(period.pk, None, "32", None)[0][1:]
    cells = table.total.cells
    assert cells["establishments"].n == own[0]
    assert (cells["workforce"].n, cells["workforce"].total, cells["workforce"].top1) == (own[1], own[2], own[3])


# --- Capacity utilisation: a mean of the companies' ratios, the count rule alone -----------------------


def _utilisation_reference(period, key) -> dict[str, tuple[int, Decimal]]:
    """Per group: companies with a utilisation and the mean of their utilisations (a company's reports of
    the period averaged first), in Python."""
    per_factory: dict[int, list[Decimal]] = defaultdict(list)
    factories = {}
    for row in ReportMeasures.objects.filter(period=period, utilisation__isnull=False).select_related("factory"):
        factories[row.factory_id] = row.factory
        per_factory[row.factory_id].append(row.utilisation)
    groups: dict[str, list[Decimal]] = defaultdict(list)
    for factory_id, values in per_factory.items():
        for group in key(factories[factory_id]):
            groups[group].append(sum(values) / len(values))
    return {group: (len(v), (sum(v) / len(v)).quantize(Decimal("0.01"))) for group, v in groups.items()}


@pytest.fixture
def utilised(validated, period):
    """Jawa Barat: 4 companies with a utilisation (one with two reports, averaged), one without; Jawa
    Timur: 3, in divisions 10 and 13; Banten: 2 (hidden)."""
    for u in ("40.50", "61.25", "99.99"):
        validated("32.16", ["10110"], workforce=1, utilisation=u)
    twice = validated("32.73", ["10110", "13111"], utilisation="30")
    validated("32.73", factory=twice, report_type="kawasan_komersial", utilisation="51")  # its mean: 40.5
    validated("32.16", ["10110"], workforce=5)  # no capacity section: not among the companies averaged
    for u in ("10", "20", "33.33"):
        validated("35.78", ["13111"], utilisation=u)
    for u in ("70", "80"):
        validated("36.03", ["10110"], utilisation=u)
    validated("32.16", ["10110"], report_period=PeriodFactory(year=2025, number=2), utilisation="1")


def _utilisations(table):
    return {row.key: (row.cells["utilisation"].n, row.cells["utilisation"].total) for row in [*table.rows, table.total]}


def test_utilisation_per_province_equals_the_python_reference(utilised, period):
    table = industry_statistics(period.pk)
    reference = _utilisation_reference(period, key=lambda f: [f.province_id])
    reference["total"] = _utilisation_reference(period, key=lambda f: ["total"])["total"]
    assert _utilisations(table) == reference
    assert reference["32"] == (4, Decimal("60.56"))  # (40.50 + 61.25 + 99.99 + 40.5) / 4 = 60.56


def test_utilisation_per_division_equals_the_python_reference(utilised, period):
    table = industry_statistics(period.pk, "32")
    reference = _utilisation_reference(period, key=lambda f: sorted({k.division_id for k in f.kbli.all()}) if f.province_id == "32" else [])
    reference["total"] = _utilisation_reference(period, key=lambda f: ["total"] if f.province_id == "32" else [])["total"]
    assert _utilisations(table) == reference


def test_a_utilisation_cell_of_two_companies_is_hidden_with_a_partner_as_mean_times_n_adds_up(utilised, period):
    table = industry_statistics(period.pk)
    shown = {row["key"]: row["values"]["utilisation"] for row in table.published()}
    hidden = {row["key"] for row in table.published() if "utilisation" in row["hidden"]}
    # Banten's two companies; the national mean × 9 minus the shown provinces' mean × n would give Banten's
    # back, so the smallest other cell (Jawa Timur) is hidden with it.
    assert hidden == {"36", "35"}
    assert shown["36"] is None and shown["35"] is None and shown["32"] is not None and shown["total"] is not None


def test_a_division_total_hidden_among_the_divisions_is_hidden_on_its_own_page_too(validated, period):
    """National total − the other divisions' totals would give a hidden division back: where the table by
    division (published by the sector analysis) hides a division's total as the partner of another hidden
    one, the page filtered to that division hides its total as well (and a province cell with it)."""
    validated("32.16", ["12011"], workforce=50)  # the only tobacco company: KBLI 12 is hidden (primary)
    for region, workforce in (("32.16", 10), ("35.78", 11), ("33.01", 12)):
        validated(region, ["13111"], workforce=workforce)  # three small textile companies: its partner
        validated(region, ["10110"], workforce=400)
        validated(region, ["25111"], workforce=500)
    by_division = {row.key: row.cells["workforce"] for row in division_statistics(period.pk).rows}
    assert by_division["12"].hidden and by_division["12"].primary
    assert by_division["13"].hidden and not by_division["13"].primary
    textile = industry_statistics(period.pk, division="13")
    assert textile.total.cells["workforce"].hidden
    assert sum(row.cells["workforce"].hidden for row in textile.rows if not row.cells["workforce"].empty) != 1
