"""The public endpoints (issue 15 §2): IKI as published, and the industry statistics exactly as the public
page shows them — hidden cells null with their reason, never more."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from iki import services as iki_services
from informasi.selectors import MEASURES, industry_statistics
from reporting.models import Period
from tests.api.factories import bearer, token
from tests.api.public_data import MARCH, answer_month, published_month, statistics_semester, validated
from tests.reporting.factories import PeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def after_march():
    with time_machine.travel("2026-04-10 10:00 +0700", tick=False):
        yield


# --- IKI --------------------------------------------------------------------------------------------------


def test_a_published_month_equals_iki_compute_json_key_by_key(cast, client, after_march):
    published_month(cast)
    body = client.get("/api/v1/iki/2026-03").json()
    out = io.StringIO()
    call_command("iki_compute", period="2026-03", json=True, stdout=out)
    contract = json.loads(out.getvalue())
    assert list(body) == list(contract)  # exactly the keys, in the command's order
    for key in contract:
        if key != "subsectors":
            assert body[key] == contract[key], key
    assert [s["kbli2"] for s in body["subsectors"]] == [s["kbli2"] for s in contract["subsectors"]]
    for mine, theirs in zip(body["subsectors"], contract["subsectors"], strict=True):
        assert list(mine) == list(theirs)
        if theirs["status"] == "suppressed":
            # as on the public page: no number for a cell under 3 respondents, not even its respondent count
            assert mine == {**theirs, "respondents": None}
        else:
            assert mine == theirs
    suppressed = {s["kbli2"]: s for s in body["subsectors"]}["13"]
    assert suppressed["iki"] is None and suppressed["respondents"] is None and suppressed["status"] == "suppressed"
    assert body["iki"] is not None and body["respondents"] == 5


def test_an_unpublished_month_is_404_and_a_malformed_one_400(cast, client, after_march):
    published_month(cast)
    missing = client.get("/api/v1/iki/2026-02")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    for bad in ("2026-13", "2026-3", "maret"):
        response = client.get(f"/api/v1/iki/{bad}")
        assert response.status_code == 400, bad
        assert response.json()["error"]["details"][0]["field"] == "period"


def test_a_computed_but_unpublished_month_is_404(cast, client, after_march):
    published_month(cast)
    answer_month(date(2026, 2, 1))[0]
    call_command("iki_compute", period="2026-02", stdout=io.StringIO())  # the current figure, not a release
    assert client.get("/api/v1/iki/2026-02").status_code == 404


def test_the_month_list_is_newest_first_with_change_status_and_vintage(cast, client):
    published_month(cast, date(2026, 2, 1))
    published_month(cast, MARCH)
    with time_machine.travel("2026-04-10 10:00 +0700", tick=False):
        iki_services.iki_release_publish(actor=cast.verifier, period=MARCH, reason="Koreksi bobot", today=date(2026, 4, 10))
    results = client.get("/api/v1/iki/").json()["results"]
    assert [m["period"] for m in results] == ["2026-03", "2026-02"]
    march, february = results
    assert march["vintage"] == 2 and march["revised"] is True and february["revised"] is False
    assert march["previous_iki"] == february["iki"]
    assert march["change"] == round(march["iki"] - february["iki"], 2)
    assert march["status"] in ("ekspansi", "stabil", "kontraksi")
    assert march["trend"] in ("meningkat", "melambat", "membaik", "turun", "tetap")
    assert february["change"] is None and february["trend"] is None
    assert march["published_on"] == "2026-04-10"


def test_the_iki_series_as_csv_keeps_suppressed_subsectors_without_numbers(cast, client):
    published_month(cast)
    response = client.get("/api/v1/iki/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 + 23
    national = rows[0]
    assert national["kbli2"] == "" and national["responden"] == "5"
    textile = next(r for r in rows if r["kbli2"] == "13")
    assert textile["status"] == "suppressed" and textile["iki"] == textile["responden"] == ""


def test_public_answers_may_be_cached_by_anyone_but_a_token_caller_gets_no_store(cast, client):
    published_month(cast)
    anonymous = client.get("/api/v1/iki/2026-03")
    assert anonymous["Cache-Control"] == "public, max-age=300" and anonymous["ETag"]
    assert client.get("/api/v1/iki/2026-03", HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 304
    with_token = client.get("/api/v1/iki/2026-03", **bearer(token(cast.admin)[1]))
    assert with_token.status_code == 200 and with_token["Cache-Control"] == "private, no-store"


def test_the_month_list_keeps_a_flat_query_budget(cast, client, django_assert_max_num_queries):
    for month in range(1, 13):
        published_month(cast, date(2025, month, 1))
    with django_assert_max_num_queries(4):
        results = client.get("/api/v1/iki/").json()["results"]
    assert len(results) == 12


# --- Industry statistics ----------------------------------------------------------------------------------


@pytest.fixture
def semester(cast):
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        statistics_semester(cast)
        yield PeriodFactory(year=2026, number=1)


def _cells(body: dict) -> dict:
    return {line["key"]: line["cells"] for line in [*body["results"], body["total"]]}


def test_the_index_names_periods_dimensions_and_measures(client, semester):
    body = client.get("/api/v1/statistics/").json()
    assert body["periods"][0] == {"id": "2026-S1", "label": "Semester 1 2026", "start": "2026-01-01", "end": "2026-06-30"}
    assert [d["id"] for d in body["dimensions"]] == ["province", "kbli"]
    assert {"code": "32", "label": "Jawa Barat"} in body["dimensions"][0]["values"]
    assert [m["id"] for m in body["measures"]] == list(MEASURES)


def test_a_cell_of_fewer_than_3_companies_or_a_dominant_one_is_null_with_its_reason(client, semester):
    body = client.get("/api/v1/statistics/2026-S1").json()
    assert body["dimension"] == "province" and [line["key"] for line in body["results"]] == ["32", "35", "36"]
    cells = _cells(body)
    assert cells["36"]["workforce"] == {"value": None, "suppressed": "primary"}  # one company in Banten
    assert cells["36"]["establishments"] == {"value": None, "suppressed": "primary"}
    assert cells["35"]["production"] == {"value": None, "suppressed": "primary"}  # one of three holds 99.8 %
    # Banten's count would be the total minus the others: the smallest other cell goes with it
    assert cells["35"]["establishments"] == {"value": None, "suppressed": "secondary"}
    assert cells["32"]["establishments"] == {"value": 5, "suppressed": None}
    assert cells["32"]["workforce"]["value"] == 120 + sum(100 + i for i in range(4))
    # secondary suppression: Banten's workforce would be the total minus the others
    hidden = [key for key in ("32", "35") if cells[key]["workforce"]["suppressed"] == "secondary"]
    assert hidden and all(cells[key]["workforce"]["value"] is None for key in hidden)
    assert cells["total"]["workforce"]["value"] is not None


def test_the_api_serves_exactly_what_the_page_shows_for_the_same_filters(client, semester):
    for query in ({}, {"province": "32"}, {"kbli": "10"}, {"province": "35", "kbli": "25"}):
        body = client.get("/api/v1/statistics/2026-S1", query).json()
        page = client.get("/informasi-industri/", {"periode": semester.pk, "provinsi": query.get("province", ""), "kbli": query.get("kbli", "")})
        shown = [*page.context["rows"], page.context["total"]]
        lines = [*body["results"], body["total"]]
        assert [line["label"] for line in lines] == [row["label"] for row in shown], query
        for line, row in zip(lines, shown, strict=True):
            for cell in row["cells"]:
                mine = line["cells"][cell["measure"]]
                assert (mine["suppressed"] is not None) == cell["hidden"], (query, row["label"], cell["measure"])
                expected = None if cell["value"] is None else float(cell["value"])
                assert (None if mine["value"] is None else float(mine["value"])) == expected, (query, row["label"], cell["measure"])


def test_the_reason_of_each_hidden_cell_follows_the_selector(client, semester):
    body = client.get("/api/v1/statistics/2026-S1").json()
    table = industry_statistics(semester.pk)
    for row in table.published():
        line = _cells(body)[row["key"]]
        for measure in MEASURES:
            assert line[measure]["suppressed"] == row["reasons"].get(measure)


def test_a_province_is_shown_per_kbli_division(client, semester):
    body = client.get("/api/v1/statistics/2026-S1", {"province": "32"}).json()
    assert body["dimension"] == "kbli" and body["province"] == "32"
    assert [line["key"] for line in body["results"]] == ["10"]


def test_unknown_filters_are_400_and_an_unknown_period_404(client, semester):
    assert client.get("/api/v1/statistics/2026-S1", {"province": "99"}).json()["error"]["details"][0]["field"] == "province"
    assert client.get("/api/v1/statistics/2026-S1", {"kbli": "1"}).status_code == 400
    assert client.get("/api/v1/statistics/2031-S1").status_code == 404
    assert client.get("/api/v1/statistics/semester-1").status_code == 404


def test_the_statistics_table_as_csv_is_the_same_table(client, semester):
    response = client.get("/api/v1/statistics/2026-S1", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["kode"] for r in rows] == ["32", "35", "36", ""]
    banten = rows[2]
    assert banten["workforce"] == "" and banten["workforce_disembunyikan"] == "primary"


def test_the_statistics_table_keeps_a_flat_query_budget_with_many_reports(client, semester, django_assert_max_num_queries):
    for i in range(60):
        validated(semester, ("32.16", "35.78", "36.03", "31.71")[i % 4], workforce=10 + i, production=100 + i)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/api/v1/statistics/2026-S1", {"province": "32"}).status_code == 200
    for i in range(60):
        validated(semester, ("33.74", "34.71")[i % 2], ["13111"], workforce=10 + i, production=100 + i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/statistics/2026-S1", {"province": "32"}).status_code == 200


def test_a_quarter_period_is_named_with_q(semester):
    from api.public import period_code

    assert period_code(Period(period_type=Period.Type.QUARTER, year=2027, number=3)) == "2027-Q3"
