"""Computing and storing a month: the job after the window closes, the officers' recompute, the
command's database mode, and the workforce weight."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from iki import selectors, services, tasks
from iki.models import IkiPeriod, IkiResult
from siinas.core.models import AuditEvent
from tests.factories import FactoryAccountFactory
from tests.helpers import login
from tests.iki.conftest import MARCH, make_response

pytestmark = pytest.mark.django_db
FEBRUARY = date(2026, 2, 1)


def test_the_stored_month_reproduces_the_worked_example(respondents, clock):
    respondents()
    clock(date(2026, 3, 24))
    outcome = services.iki_result_compute(actor=None, period="2026-03")
    stored = IkiResult.objects.get(period=MARCH)
    assert stored.iki == Decimal("43.33") and stored.status == "kontraksi" and stored.respondents == 3
    assert stored.payload["v_orders"] == 55.56 and stored.payload["v_production"] == 22.22 and stored.payload["v_stock"] == 44.44
    food = next(s for s in stored.payload["subsectors"] if s["kbli2"] == "10")
    assert food["iki"] == 43.33 and food["status"] == "kontraksi"
    assert stored.payload["dominant_factors"]["orders"] == [{"factor": "nilai_tukar", "count": 2, "pct": 100.0}]
    assert outcome.result == stored


def test_the_weight_comes_from_the_latest_accepted_semester_report_before_the_profile(respondents, clock, monkeypatch):
    a, b, c = respondents()
    # The reporting app's contract: factory id → workforce of its latest accepted report.
    monkeypatch.setattr(selectors, "workforce_from_latest_accepted_reports", lambda ids: {b.pk: 50, c.pk: 300})
    clock(date(2026, 3, 24))
    records = {r.respondent: r.workforce for r in selectors.response_records([MARCH])}
    assert records == {str(a.pk): 100, str(b.pk): 50, str(c.pk): 300}
    stored = services.iki_result_compute(actor=None, period="2026-03").result
    # A 100 (meningkat, tetap, menurun), B 50 (tetap, menurun, tetap), C 300 (menurun, meningkat, meningkat)
    # V1 = 125/450, V2 = 350/450, V3 = 325/450; IKI = (62.5 + 105 + 65)/450
    assert (stored.payload["v_orders"], stored.payload["v_production"], stored.payload["v_stock"]) == (27.78, 77.78, 72.22)
    assert stored.iki == Decimal("51.67") and stored.status == "ekspansi"


def test_a_month_cannot_be_computed_while_its_window_is_open(respondents, clock):
    respondents()
    clock(date(2026, 3, 23))
    with pytest.raises(services.IkiComputeError, match="masih dapat diisi sampai 23 Maret 2026"):
        services.iki_result_compute(actor=None, period="2026-03")
    assert not IkiResult.objects.exists()


def test_a_month_without_responses_is_not_stored(reference_data, clock):
    clock(date(2026, 3, 24))
    with pytest.raises(services.IkiComputeError, match="Belum ada jawaban kuesioner untuk periode 2026-03"):
        services.iki_result_compute(actor=None, period="2026-03")


def test_the_job_stores_each_closed_month_once(respondents, clock):
    respondents(FEBRUARY)
    respondents(MARCH)
    clock(date(2026, 3, 20))
    assert tasks.compute_closed_months.delay().get() == ["2026-02"]
    clock(date(2026, 3, 24))
    assert tasks.compute_closed_months.delay().get() == ["2026-03"]
    events = AuditEvent.objects.filter(action__startswith="iki.result").count()
    assert tasks.compute_closed_months.delay().get() == []
    assert AuditEvent.objects.filter(action__startswith="iki.result").count() == events
    assert list(IkiResult.objects.order_by("period").values_list("period", flat=True)) == [FEBRUARY, MARCH]
    march = IkiResult.objects.get(period=MARCH)
    assert march.payload["change"] == 0.0 and march.payload["previous_iki"] == 43.33


def test_the_job_follows_a_window_moved_by_the_admin(respondents, clock):
    respondents(MARCH)
    IkiPeriod.objects.create(month=MARCH, opens_on=date(2026, 3, 12), closes_on=date(2026, 3, 27))
    clock(date(2026, 3, 25))
    assert services.iki_results_compute_due() == []
    clock(date(2026, 3, 28))
    assert services.iki_results_compute_due() == ["2026-03"]


def test_the_beat_schedule_runs_the_job_nightly():
    from siinas.celery import app

    entry = app.conf.beat_schedule["iki-compute-closed-months"]
    assert entry["task"] == "iki.compute_closed_months" == tasks.compute_closed_months.name
    assert entry["schedule"].hour == {0} and entry["schedule"].minute == {30}


def test_an_officer_recomputes_on_demand_and_it_is_audited(client, cast, respondents, clock):
    a, _b, _c = respondents()
    clock(date(2026, 3, 24))
    services.iki_results_compute_due()
    # a workforce correction after the job ran
    a.workforce = 1000
    a.save()
    login(client, cast.verifier)
    response = client.post(reverse("iki:result-recompute", kwargs={"period": "2026-03"}), follow=True)
    assert response.status_code == 200
    stored = IkiResult.objects.get(period=MARCH)
    assert stored.computed_by == cast.verifier and stored.iki != Decimal("43.33")
    event = AuditEvent.objects.get(action="iki.result_recomputed")
    assert event.actor == cast.verifier
    assert event.extra["previous_value"] == "43.33" and event.extra["iki"] == str(stored.iki) and event.extra["via"] == "petugas"


def test_a_recompute_of_an_open_month_is_refused_with_a_message(client, cast, respondents, clock):
    respondents()
    clock(date(2026, 3, 20))
    login(client, cast.admin)
    response = client.post(reverse("iki:result-recompute", kwargs={"period": "2026-03"}), follow=True)
    assert "masih dapat diisi sampai 23 Maret 2026" in response.content.decode()
    assert not IkiResult.objects.exists()


def test_the_command_without_csv_computes_from_the_database_and_stores(respondents, clock):
    respondents()
    clock(date(2026, 4, 2))
    out = io.StringIO()
    call_command("iki_compute", "--period", "2026-03", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["iki"] == 43.33 and printed["respondents"] == 3
    assert IkiResult.objects.get(period=MARCH).iki == Decimal("43.33")
    assert AuditEvent.objects.get(action="iki.result_computed").actor_label == "sistem (iki_compute)"


def test_the_command_on_the_database_refuses_an_open_month(respondents, clock):
    respondents()
    clock(date(2026, 3, 15))
    with pytest.raises(CommandError, match="masih dapat diisi"):
        call_command("iki_compute", "--period", "2026-03")


def test_panel_consistency_and_gdp_share_from_the_database(reference_data, clock):
    factories = [FactoryAccountFactory(kbli_codes=["12011"], workforce=10) for _ in range(4)]
    for f in factories[:2]:
        make_response(f, FEBRUARY, "12", orders="meningkat")
    for f in factories[1:]:
        make_response(f, MARCH, "12", orders="meningkat", orders_factors=["pesanan_domestik"])
    clock(date(2026, 3, 24))
    stored = services.iki_result_compute(actor=None, period=MARCH).result
    assert stored.payload["panel_consistency"] == 33.33  # one of three answered in February
    assert stored.gdp_period == "2022-Q1"
    assert stored.payload["expanding"] == 1
    assert stored.payload["expanding_gdp_share"] == 4.57  # KBLI 12 is a whole BPS group
