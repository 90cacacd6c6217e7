"""Statistical exchange (issue 15 §5): SDMX-CSV 2.0 data whose every dimension value is a code of its
dataflow's structure, and SDMX-ML 3.0 structure messages that parse and name every column of the data."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET

import pytest
import time_machine

from api.sdmx import NS
from informasi.selectors import industry_statistics
from tests.api.public_data import published_month, statistics_semester
from tests.reporting.factories import PeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(cast):
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        published_month(cast)
        statistics_semester(cast)
        yield


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.sdmx.data+csv; version=2.0.0")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def _structure(client, flow: str) -> ET.Element:
    response = client.get(f"/api/v1/sdmx/structure/{flow}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.sdmx.structure+xml; version=3.0.0")
    return ET.fromstring(response.content)  # noqa: S314 (the server under test wrote it)


def _codelists(root: ET.Element) -> dict[str, set[str]]:
    """Per dimension and attribute of the DSD: the codes of its codelist (None: not coded)."""
    lists = {cl.get("id"): {code.get("id") for code in cl.findall("str:Code", NS)} for cl in root.iter(f"{{{NS['str']}}}Codelist")}
    coded = {}
    for tag in ("Dimension", "TimeDimension", "Attribute"):
        for component in root.iter(f"{{{NS['str']}}}{tag}"):
            enumeration = component.find("str:LocalRepresentation/str:Enumeration", NS)
            coded[component.get("id")] = None if enumeration is None else lists[enumeration.text.rsplit(":", 1)[1].split("(")[0]]
    return coded


def _components(root: ET.Element) -> list[str]:
    return [c.get("id") for tag in ("Dimension", "TimeDimension", "Attribute", "Measure") for c in root.iter(f"{{{NS['str']}}}{tag}")]


@pytest.mark.parametrize("flow", ["DF_IKI", "DF_INDUSTRI"])
def test_every_dimension_value_is_a_code_of_the_structure_and_every_column_is_named(client, data, flow):
    root = _structure(client, flow)
    rows = _csv(client.get(f"/api/v1/sdmx/data/{flow}"))
    assert rows
    columns = list(rows[0])
    assert columns[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert set(columns[3:]) == set(_components(root))  # the structure names every column, and no other
    codes = _codelists(root)
    for row in rows:
        assert row["STRUCTURE"] == "dataflow" and row["STRUCTURE_ID"] == f"KEMENPERIN:{flow}(1.0)" and row["ACTION"] == "I"
        for column, allowed in codes.items():
            if allowed is not None:
                assert row[column] in allowed, (column, row[column])
    dataflow = root.find(".//str:Dataflow", NS)
    assert dataflow.get("id") == flow and dataflow.get("agencyID") == "KEMENPERIN" and dataflow.get("version") == "1.0"
    assert root.find(".//str:ConceptScheme", NS) is not None and root.find(".//str:DataStructure", NS) is not None


def test_a_confidential_cell_has_no_value_and_says_why(client, data):
    rows = _csv(client.get("/api/v1/sdmx/data/DF_INDUSTRI"))
    cell = {(r["REF_AREA"], r["KBLI"], r["MEASURE"]): r for r in rows if r["TIME_PERIOD"] == "2026-S1"}
    assert cell[("36", "_T", "WORKFORCE")]["OBS_VALUE"] == "" and cell[("36", "_T", "WORKFORCE")]["CONF_STATUS"] == "C"
    assert cell[("35", "_T", "ESTABLISHMENTS")]["OBS_VALUE"] == "" and cell[("35", "_T", "ESTABLISHMENTS")]["CONF_STATUS"] == "D"
    assert cell[("32", "_T", "ESTABLISHMENTS")]["OBS_VALUE"] == "5" and cell[("32", "_T", "ESTABLISHMENTS")]["CONF_STATUS"] == "F"
    assert cell[("ID", "_T", "ESTABLISHMENTS")]["OBS_VALUE"] == "9"
    assert all(r["FREQ"] == "S" for r in rows)


def test_the_sdmx_data_carry_exactly_the_page_table(client, data):
    period = PeriodFactory(year=2026, number=1)
    rows = _csv(client.get("/api/v1/sdmx/data/DF_INDUSTRI", {"period": "2026-S1", "province": "32"}))
    observed = {(r["REF_AREA"], r["KBLI"], r["MEASURE"].lower()): (r["OBS_VALUE"], r["CONF_STATUS"]) for r in rows}
    expected = {}
    for row in industry_statistics(period.pk, "32").published():
        for measure, value in row["values"].items():
            status = {"primary": "C", "secondary": "D"}.get(row["reasons"].get(measure), "F")
            if value is None and status == "F":
                continue  # nobody reported it: no observation
            key = ("32", "_T" if row["key"] == "total" else row["key"], measure)
            expected[key] = ("" if value is None else str(value), status)
    assert observed == expected


def test_the_iki_data_hide_a_suppressed_subsector_and_name_the_vintage(client, data):
    rows = _csv(client.get("/api/v1/sdmx/data/DF_IKI", {"startPeriod": "2026-01", "endPeriod": "2026-12"}))
    assert len(rows) == 24 * 5
    by_key = {(r["SUBSECTOR"], r["MEASURE"]): r for r in rows}
    assert by_key[("_T", "RESPONDENTS")]["OBS_VALUE"] == "5" and by_key[("_T", "IKI")]["CONF_STATUS"] == "F"
    assert by_key[("13", "IKI")]["OBS_VALUE"] == "" and by_key[("13", "RESPONDENTS")]["CONF_STATUS"] == "C"
    assert {r["RELEASE"] for r in rows} == {"1"} and {r["TIME_PERIOD"] for r in rows} == {"2026-03"}
    assert _csv(client.get("/api/v1/sdmx/data/DF_IKI", {"startPeriod": "2026-04"})) == []
    assert client.get("/api/v1/sdmx/data/DF_IKI", {"startPeriod": "2026-4"}).status_code == 400


def test_an_unknown_dataflow_is_a_json_404(client):
    response = client.get("/api/v1/sdmx/data/DF_RAHASIA")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_industry_data_keep_a_flat_query_budget_with_many_reports(client, data, django_assert_max_num_queries):
    from tests.api.public_data import validated

    period = PeriodFactory(year=2026, number=1)
    for i in range(40):
        validated(period, ("32.16", "35.78", "36.03", "31.71")[i % 4], workforce=10 + i, production=100 + i)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/api/v1/sdmx/data/DF_INDUSTRI", {"province": "32"}).status_code == 200
    for i in range(40):
        validated(period, ("33.74", "34.71")[i % 2], ["13111"], workforce=10 + i, production=100 + i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/sdmx/data/DF_INDUSTRI", {"province": "32"}).status_code == 200
