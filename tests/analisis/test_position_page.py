"""The Posisi Anda page and its downloads: the own factory only, bands without anybody else's values, the
roles, and a query budget that does not grow with the comparison group."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from analisis.position import MEASURES, MIN_GROUP, export_table, factory_position, group_values
from reporting.models import ReportStatus
from tests.analisis.position_panel import member
from tests.helpers import login
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

URL = reverse("analisis:position")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):  # Semester 1 2026's window has opened
        yield


@pytest.fixture
def period(reference_data):
    return PeriodFactory(year=2026, number=1)


OWN = {
    "production": 2_300_000_000,
    "workforce": 50,
    "utilisation": "64.00",
    "domestic": 1_500_000_000,
    "export": 500_000_000,
    "kwh": 40_000,
    "previous": 2_000_000_000,
}


def _group(period, size):
    for i in range(size):
        member(
            period, production=(i + 1) * 300_000_000, workforce=20 + i, utilisation=f"{40 + i}.50",
            domestic=(i + 2) * 100_000_000, export=i * 10_000_000, kwh=10_000 + 997 * i, previous=(i + 2) * 200_000_000,
        )  # fmt: skip


def test_the_company_sees_its_bands_after_its_report_is_validated(client, cast, period):
    _group(period, MIN_GROUP)
    member(period, factory=cast.factory_a, **OWN)
    html = login(client, cast.company_a).get(URL).content.decode()
    assert "Posisi Anda" in html and 'id="position-table"' in html
    position = factory_position(cast.factory_a)
    assert all(row.band for row in position.rows)
    for row in position.rows:
        assert str(row.band_label) in html
    assert "Lapor, lalu lihat posisi Anda" not in html


def test_a_company_that_has_not_filed_is_sent_to_its_report(client, cast, period):
    _group(period, MIN_GROUP)
    html = login(client, cast.company_a).get(URL).content.decode()
    assert "Lapor, lalu lihat posisi Anda" in html and 'id="position-table"' not in html
    assert reverse("reporting:dashboard") in html
    report = ReportFactory(factory=cast.factory_a, period=period)  # a draft: its own link
    html = client.get(URL).content.decode()
    assert reverse("reporting:report-detail", args=[report.pk]) in html
    assert client.get(reverse("analisis:position-download", args=["csv"])).status_code == 404


def test_a_filed_report_is_said_to_wait_for_validation(client, cast, period):
    ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.VERIFIED)
    html = login(client, cast.company_a).get(URL).content.decode()
    assert 'id="position-waiting"' in html and "setelah laporan divalidasi" in html


def test_company_b_sees_its_own_factory_never_company_a(client, cast, period):
    _group(period, MIN_GROUP)
    member(period, factory=cast.factory_a, **OWN)
    html = login(client, cast.company_b).get(URL).content.decode()
    assert str(cast.factory_b) in html and str(cast.factory_a) not in html
    assert 'id="position-table"' not in html  # company_b has filed nothing
    assert client.get(reverse("analisis:position-download", args=["csv"])).status_code == 404


@pytest.mark.parametrize(
    "role", ["verifier", "validator_pangan", "pemda_jabar", "pemda_kab_bekasi", "admin", "upp", "kl"]
)
def test_officers_are_refused(client, cast, role):
    login(client, getattr(cast, role))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("analisis:position-download", args=["csv"])).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_downloads_are_the_page_table(client, cast, period):
    _group(period, MIN_GROUP)
    member(period, factory=cast.factory_a, **OWN)
    login(client, cast.company_a)
    header, rows = export_table(factory_position(cast.factory_a))
    response = client.get(reverse("analisis:position-download", args=["csv"]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('posisi-anda-2026-1.csv"')
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == header and len(lines) == 1 + len(rows) == 1 + 2 * len(MEASURES)
    assert [line[4] for line in lines[1:]] == [str(row[4]) for row in rows]
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("analisis:position-download", args=["xlsx"])).content)
    )
    sheet = list(workbook.active.iter_rows(values_only=True))
    assert list(sheet[0]) == header and len(sheet) == 1 + len(rows)
    assert client.get(reverse("analisis:position-download", args=["pdf"])).status_code == 404


def test_the_page_keeps_a_flat_query_budget_with_a_large_group(
    client, cast, period, django_assert_max_num_queries
):
    member(period, factory=cast.factory_a, **OWN)
    _group(period, MIN_GROUP)
    login(client, cast.company_a)
    with django_assert_max_num_queries(25) as few:
        assert client.get(URL).status_code == 200
    _group(period, 60)
    cache.clear()  # the group's cut points computed again, now over 75 companies
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200


# --- No other company's value: generated panels with a dominant firm -----------------------------------------

FIRM = st.fixed_dictionaries(
    {
        "production": st.integers(min_value=1, max_value=10**6).map(lambda v: v * 1_000),
        "workforce": st.integers(min_value=1, max_value=900),
        "utilisation": st.integers(min_value=0, max_value=10_000).map(lambda v: f"{v // 100}.{v % 100:02d}"),
        "domestic": st.integers(min_value=0, max_value=10**6).map(lambda v: v * 1_000),
        "export": st.integers(min_value=0, max_value=10**6).map(lambda v: v * 1_000),
        "kwh": st.integers(min_value=0, max_value=10**7),
        "previous": st.integers(min_value=1, max_value=10**6).map(lambda v: v * 1_000),
    }
)


def _shown_forms(value: Decimal | None, code: str) -> set[str]:
    """How a measure's value would read on the page (Indonesian and English grouping) and in the CSV."""
    if value is None:
        return set()
    spec = MEASURES[code]
    value = value.quantize(Decimal(1).scaleb(-spec.places))
    forms = {str(value)}
    for language in ("id", "en"):
        with translation.override(language):
            forms.add(str(floatformat(value, spec.fmt)))
    return forms


def _numbers(text: str) -> set[str]:
    """Every number printed in ``text``, whole ("46.000.000" is one number, not also "0.00")."""
    return {token.rstrip(".,") for token in re.findall(r"-?\d[\d.,]*", text)}


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    others=st.lists(FIRM, min_size=MIN_GROUP - 3, max_size=MIN_GROUP + 6),
    dominant=st.integers(min_value=50, max_value=1000),
)
def test_no_other_company_value_is_shown(client, cast, period, others, dominant):
    """Panels around the group minimum, one firm dominating production (× ``dominant``): neither the page
    nor the CSV contains any other firm's measure, in any of the forms the page or the CSV would print."""
    login(client, cast.company_a)
    cache.clear()  # each example's own panel (the groups' cut points are cached per period and division)
    with transaction.atomic():
        big = {
            **others[0],
            "production": others[0]["production"] * dominant,
            "previous": others[0]["previous"] * dominant,
        }
        factories = [member(period, **firm) for firm in [big, *others[1:]]]
        member(period, factory=cast.factory_a, **OWN)
        values, _companies, _codes = group_values(period, ["10"])
        own_forms = set().union(*(_shown_forms(values[cast.factory_a.pk][code], code) for code in MEASURES))
        other_forms = {
            form
            for factory in factories
            for code in MEASURES
            for form in _shown_forms(values[factory.pk][code], code)
        }
        assume(not (own_forms & other_forms))
        other_forms |= {str(f["production"]) for f in [big, *others[1:]]}
        html = client.get(URL).content.decode()
        download = client.get(reverse("analisis:position-download", args=["csv"])).content.decode("utf-8-sig")
        # Whole numbers under 10,000 are also what the page prints of itself (counts, years, the minimum).
        other_forms = {f for f in other_forms if not (f.lstrip("-").isdigit() and abs(int(f)) < 10_000)}
        leaked = sorted(other_forms & _numbers(html + download))
        assert not leaked, leaked
        transaction.set_rollback(True)


def test_a_sent_report_points_its_company_to_its_position(client, cast, period):
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    html = (
        login(client, cast.company_a)
        .get(reverse("reporting:report-detail", args=[report.pk]))
        .content.decode()
    )
    assert 'id="position-link"' in html and URL in html
    draft = ReportFactory(factory=cast.factory_a, period=PeriodFactory(year=2025, number=2))
    html = client.get(reverse("reporting:report-detail", args=[draft.pk])).content.decode()
    assert 'id="position-link"' not in html
