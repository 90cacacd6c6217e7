"""`manage.py iki_compute --period YYYY-MM --csv FILE [--json]`: the contract others script against."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

HEADER = "period,respondent,kbli2,workforce,general,orders,production,stock,outlook\n"
WORKED = (
    "2023-04,A,10,100,meningkat,meningkat,tetap,menurun,optimis\n"
    "2023-04,B,10,300,tetap,tetap,menurun,tetap,tidak_berubah\n"
    "2023-04,C,10,50,menurun,menurun,meningkat,meningkat,pesimis\n"
)
CONTRACT_KEYS = {
    "period", "iki", "v_orders", "v_production", "v_stock", "respondents", "subsectors", "expanding",
    "contracting", "expanding_gdp_share", "panel_consistency", "general", "outlook",
}


def run(tmp_path, body: str, *args: str) -> str:
    path = tmp_path / "jawaban.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    out = io.StringIO()
    call_command("iki_compute", "--period", "2023-04", "--csv", str(path), *args, stdout=out)
    return out.getvalue()


def test_json_output_has_exactly_the_contract_keys_and_the_worked_example(tmp_path):
    result = json.loads(run(tmp_path, WORKED, "--json"))
    assert set(result) == CONTRACT_KEYS
    assert result["period"] == "2023-04"
    assert result["iki"] == 43.33
    assert (result["v_orders"], result["v_production"], result["v_stock"]) == (55.56, 22.22, 44.44)
    assert result["respondents"] == 3
    food = next(s for s in result["subsectors"] if s["kbli2"] == "10")
    assert food == {"kbli2": "10", "iki": 43.33, "respondents": 3, "status": "kontraksi"}
    assert result["expanding"] == 0 and result["contracting"] == 1
    assert result["expanding_gdp_share"] == 0.0
    assert result["general"] == {"meningkat": 33.33, "tetap": 33.33, "menurun": 33.33}
    assert result["outlook"] == {"optimis": 33.33, "tidak_berubah": 33.33, "pesimis": 33.33}
    assert result["panel_consistency"] is None


def test_a_subsector_under_3_respondents_is_null_and_suppressed(tmp_path):
    body = WORKED + "2023-04,D,25,40,tetap,meningkat,meningkat,meningkat,optimis\n"
    result = json.loads(run(tmp_path, body, "--json"))
    metal = next(s for s in result["subsectors"] if s["kbli2"] == "25")
    assert metal == {"kbli2": "25", "iki": None, "respondents": 1, "status": "suppressed"}
    empty = next(s for s in result["subsectors"] if s["kbli2"] == "33")
    assert empty["iki"] is None and empty["status"] == "suppressed" and empty["respondents"] == 0


def test_the_previous_month_in_the_file_feeds_panel_consistency_only(tmp_path):
    march = (
        "2023-03,A,10,100,tetap,menurun,menurun,menurun,pesimis\n"
        "2023-03,B,11,300,tetap,menurun,menurun,menurun,pesimis\n"
        "2023-03,C,10,50,tetap,menurun,menurun,menurun,pesimis\n"
        "2023-01,B,10,300,tetap,tetap,tetap,tetap,pesimis\n"
    )
    result = json.loads(run(tmp_path, march + WORKED, "--json"))
    assert result["respondents"] == 3
    assert result["iki"] == 43.33
    assert result["panel_consistency"] == 66.67  # A/10 and C/10 answered in March, B/10 did not


def test_expanding_share_uses_the_shipped_gdp_shares(tmp_path):
    body = "".join(f"2023-04,{r},12,10,meningkat,meningkat,meningkat,meningkat,optimis\n" for r in "XYZ")
    result = json.loads(run(tmp_path, body, "--json"))
    assert result["expanding"] == 1
    assert result["expanding_gdp_share"] == 4.57  # tobacco, latest BPS quarter in data/ (2022-Q1)


def test_without_json_it_prints_a_readable_summary(tmp_path):
    out = run(tmp_path, WORKED)
    assert "IKI 2023-04: 43.33 (kontraksi), 3 responden" in out
    assert "V1 pesanan 55.56" in out


@pytest.mark.django_db
def test_with_csv_the_database_is_neither_read_nor_written(tmp_path, django_assert_num_queries):
    with django_assert_num_queries(0):
        run(tmp_path, WORKED, "--json")


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("2023-04,D,10,abc,tetap,tetap,tetap,tetap,optimis\n", "baris 5: workforce harus bilangan bulat"),
        ("2023-04,D,10,5,tetap,naik,tetap,tetap,optimis\n", "baris 5: orders harus meningkat|tetap|menurun"),
        ("2023-04,D,19,5,tetap,tetap,tetap,tetap,optimis\n", "baris 5: kbli2 harus salah satu dari 23"),
        ("2023-4,D,10,5,tetap,tetap,tetap,tetap,optimis\n", "baris 5: period harus berformat YYYY-MM"),
        ("2023-04,D,10,5,tetap,tetap,tetap,tetap,yakin\n", "baris 5: outlook harus optimis|tidak_berubah|pesimis"),
        ("2023-04,,10,5,tetap,tetap,tetap,tetap,optimis\n", "baris 5: respondent kosong"),
        ("2023-04,D,10,5,tetap,tetap\n", "baris 5: harus 9 kolom"),
        ("2023-04,A,10,5,tetap,tetap,tetap,tetap,optimis\n", "baris 5: respondent 'A' sudah menjawab untuk KBLI 10 periode 2023-04 di baris 2"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_computed(tmp_path, bad_row, message):
    out = io.StringIO()
    path = tmp_path / "jawaban.csv"
    path.write_text(HEADER + WORKED + bad_row, encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("iki_compute", "--period", "2023-04", "--csv", str(path), "--json", stdout=out)
    assert message in str(excinfo.value)
    assert out.getvalue() == ""


def test_every_bad_line_is_listed(tmp_path):
    body = WORKED + "2023-04,D,10,-1,tetap,tetap,tetap,tetap,optimis\n" + "2023-04,E,10,5,tetap,tetap,tetap,tetap,??\n"
    with pytest.raises(CommandError) as excinfo:
        run(tmp_path, body, "--json")
    assert "baris 5" in str(excinfo.value) and "baris 6" in str(excinfo.value)


def test_a_wrong_header_is_refused(tmp_path):
    path = tmp_path / "jawaban.csv"
    path.write_text("period,respondent,kbli,workforce\n2023-04,A,10,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="baris 1: header harus persis period,respondent,kbli2"):
        call_command("iki_compute", "--period", "2023-04", "--csv", str(path))


def test_a_period_missing_from_the_file_is_refused(tmp_path):
    path = tmp_path / "jawaban.csv"
    path.write_text(HEADER + WORKED.replace("2023-04", "2023-05"), encoding="utf-8")
    with pytest.raises(CommandError, match="tidak ada jawaban untuk periode 2023-04"):
        call_command("iki_compute", "--period", "2023-04", "--csv", str(path))


def test_a_malformed_period_argument_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--period harus berformat YYYY-MM"):
        call_command("iki_compute", "--period", "April 2023", "--csv", str(tmp_path / "x.csv"))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("iki_compute", "--period", "2023-04", "--csv", str(tmp_path / "tidak-ada.csv"))
