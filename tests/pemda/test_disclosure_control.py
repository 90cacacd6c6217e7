"""Issue 17 §2, suppression where it protects someone: the officer's own accounts are never hidden from
it, and a magnitude cell dominated by one company is hidden even with five companies in it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Factory, Scale
from pemda.models import Category
from pemda.selectors import recap_figures
from pemda.selectors.reports import territory_report_totals
from reporting.models import ReportStatus
from reporting.sections import models as sections
from siinas.core.models import Region
from tests.helpers import login
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(dt.datetime(2024, 1, 1))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):  # S1 2026's window has closed
        yield


@pytest.fixture
def s1(db):
    return PeriodFactory(year=2026, number=1)


@pytest.fixture
def bekasi_of_two(cast, place):
    """Kab. Bekasi with two accounts, both Kecil: under the kab office's authority (factory_a moves out)."""
    Factory.objects.filter(pk=cast.factory_a.pk).update(region_id="32.15")
    return [place("32.16", Scale.KECIL, workforce=12), place("32.16", Scale.KECIL, workforce=30)]


def _validated(factory, period, *, export):
    report = ReportFactory(factory=factory, period=period, status=ReportStatus.VALIDATED, submitted_on_time=True)
    sections.Workforce.objects.create(report=report, total=100)
    sections.SalesRow.objects.create(report=report, product="Tepung", export_value=export)
    return report


def _card(body: str, title: str) -> str:
    return body.split(title, 1)[1].split("</div>", 2)[1]


def test_the_kab_office_sees_the_count_of_its_own_accounts(client, cast, bekasi_of_two):
    login(client, cast.pemda_kab_bekasi)
    response = client.get(reverse("pemda:dashboard"))
    context = response.context
    assert (context["accounts"]["total"], context["accounts"]["total_hidden"]) == (2, False)
    industry = next(row for row in context["accounts"]["rows"] if row["total"])
    assert not industry["total_hidden"] and not any(c.hidden for c in industry["cells"] if c.n)
    [bekasi] = context["by_region"]
    assert (bekasi.n, bekasi.values["workforce"], bekasi.magnitudes_hidden) == (2, 42, False)
    assert [(c.label, c.n, c.hidden) for c in context["by_scale"]] == [("Kecil", 2, False)]
    assert "—" not in _card(response.content.decode(), "Akun SIINas di wilayah")


def test_the_province_still_sees_those_two_accounts_suppressed(client, cast, bekasi_of_two):
    login(client, cast.pemda_jabar)  # Kecil factories are not the province's to list
    context = client.get(reverse("pemda:dashboard")).context
    bekasi = next(c for c in context["by_region"] if c.key == "32.16")
    assert bekasi.hidden and bekasi.magnitudes_hidden


def test_a_cell_of_five_with_one_exporter_at_95_percent_is_hidden_on_the_province_dashboard(client, cast, place, s1):
    for export in (95_000, 2_000, 1_000, 1_000, 1_000):  # Kab. Karawang: five Kecil exporters
        _validated(place("32.15", Scale.KECIL, created_at=LONG_AGO), s1, export=export)
    for _ in range(3):
        _validated(place("32.73", Scale.KECIL, created_at=LONG_AGO), s1, export=20_000)  # Kota Bandung
        _validated(place("32.71", Scale.KECIL, created_at=LONG_AGO), s1, export=30_000)  # Kota Bogor
    login(client, cast.pemda_jabar)
    response = client.get(reverse("pemda:dashboard"), {"periode": s1.pk})
    cells = response.context["aggregates"]["by_region"].cells
    assert cells["32.15"]["export"].n == 5 and cells["32.15"]["export"].hidden
    assert cells["32.73"]["export"].hidden  # the complementary cell: the total cannot give Karawang away
    assert not cells["32.71"]["export"].hidden and not cells["32.15"]["workforce"].hidden
    body = response.content.decode()
    assert "100.000" not in body and "100,000" not in body  # Karawang's export, in either locale


def test_a_recap_leaves_out_a_total_dominated_by_one_company(cast, place, s1):
    for export in (95_000, 2_000, 1_000, 1_000, 1_000):
        _validated(place("32.15", Scale.KECIL, created_at=LONG_AGO), s1, export=export)
    totals = territory_report_totals(cast.pemda_jabar, s1, account_type="A")
    assert totals["export"].n == 5 and totals["export"].hidden
    assert not totals["workforce"].hidden and totals["workforce"].values["sum"] == Decimal(500)
    figures, hidden = recap_figures(Region.objects.get(pk="32"), Category.REKAP_INDUSTRI, 2026, 1)
    labels = [f.label for f in figures]
    assert not any("ekspor" in label.lower() for label in labels)
    assert any("Tenaga kerja" in label and "laporan tervalidasi" in label for label in labels)
    assert hidden >= 1
