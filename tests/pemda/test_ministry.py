"""The ministry (admin, Pusdatin verifier) sees every region's sent information and a national overview."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from pemda.models import Category, Submission
from pemda.selectors import national_overview
from pemda.services import submission_create
from tests.helpers import login

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def _sent(officer, category):
    s = submission_create(actor=officer, category=category, year=YEAR, semester=2)
    Submission.objects.filter(pk=s.pk).update(status="terkirim", submitted_at=timezone.now(), submitted_by=officer, text="Isi.")
    return s


def test_the_overview_counts_each_provinces_offices(cast):
    _sent(cast.pemda_jabar, Category.PERWILAYAHAN)
    _sent(cast.pemda_jabar, Category.HAMBATAN)
    _sent(cast.pemda_kab_bekasi, Category.EKONOMI)
    submission_create(actor=cast.pemda_jabar, category=Category.SARANA, year=YEAR, semester=2)  # draft: not counted
    rows = {r["region"].code: r for r in national_overview(YEAR, 2)}
    assert len(rows) == 38
    assert (rows["32"]["province_sent"], rows["32"]["regency_offices"], rows["32"]["regency_sent"]) == (2, 1, 1)
    assert rows["32"]["regencies_total"] == 27
    assert (rows["32"]["accounts"], rows["35"]["accounts"]) == (1, 1)
    assert rows["35"]["province_sent"] == 0
    assert national_overview(YEAR, 1)[0]["province_sent"] == 0


def test_the_ministry_page_lists_sent_information_filtered_by_province_and_category(client, cast):
    jabar = _sent(cast.pemda_jabar, Category.PERWILAYAHAN)
    bekasi = _sent(cast.pemda_kab_bekasi, Category.EKONOMI)
    draft = submission_create(actor=cast.pemda_jabar, category=Category.SARANA, year=YEAR, semester=2)
    login(client, cast.verifier)
    url = reverse("pemda:ministry-overview")
    listed = {s.pk for s in client.get(url, {"periode": f"{YEAR}-2"}).context["submissions"].object_list}
    assert listed == {jabar.pk, bekasi.pk}
    assert draft.pk not in listed
    by_category = client.get(url, {"periode": f"{YEAR}-2", "provinsi": "32", "kategori": Category.EKONOMI})
    assert {s.pk for s in by_category.context["submissions"].object_list} == {bekasi.pk}
    assert {s.pk for s in client.get(url, {"periode": f"{YEAR}-2", "provinsi": "35"}).context["submissions"].object_list} == set()


def test_the_overview_draws_the_reporting_rate_on_the_province_map(client, cast):
    import json

    from reporting.models import ReportStatus
    from tests.informasi.html import read
    from tests.reporting.factories import PeriodFactory, ReportFactory

    period = PeriodFactory(year=YEAR, number=1)  # its window opened last year, whatever today is
    ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
    login(client, cast.verifier)
    page = read(client.get(reverse("pemda:ministry-overview"), {"periode_laporan": period.pk}).content.decode())
    regions = json.loads(page.scripts["overview-rate-map"])["regions"]
    assert [(r["code"], r["value"]) for r in regions] == [("32", 100.0), ("35", 0.0)]
    assert page.figures[0]["data-province-map"] == "overview-rate-map"
