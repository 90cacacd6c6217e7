"""Contract tests for external systems: every implementation of a Protocol must pass them (style.md §15).

The live clients run against a real HTTP server on 127.0.0.1 playing back answers shaped like each
system's API (tests/core/recordings); the offline clients answer from their seed files."""

from __future__ import annotations

from datetime import datetime

import pytest

from siinas.integrations.http import HttpConfig
from siinas.integrations.kswp import (
    INVALID,
    UNKNOWN,
    VALID,
    HttpKswp,
    KswpClient,
    KswpStatus,
    OfflineKswp,
    get_kswp,
)
from siinas.integrations.oss import HttpOss, NibRecord, OfflineOss, OssClient, get_oss
from tests.core.fake_server import Answer, http_settings, recording

KNOWN_OFFLINE_NIB = "0233010001824"
KNOWN_RECORDED_NIB = "9120001234567"


def _oss_responder(request: dict) -> Answer:
    nib = request["INQUERYNIB"]["nib"]
    return Answer(body=recording("oss_inquery_nib_found.json" if nib == KNOWN_RECORDED_NIB else "oss_inquery_nib_not_found.json"))


@pytest.fixture(params=["offline", "http"])
def oss(request) -> tuple[OssClient, str]:
    if request.param == "offline":
        return get_oss(), KNOWN_OFFLINE_NIB
    fake = request.getfixturevalue("fake_server")
    fake.responder = _oss_responder
    return HttpOss(HttpConfig.from_settings("oss", http_settings(fake.url))), KNOWN_RECORDED_NIB


def test_the_configured_client_satisfies_the_protocol(oss):
    client, _nib = oss
    assert isinstance(client, OssClient)


def test_a_known_nib_returns_its_company_npwp_kbli_and_licences(oss):
    client, nib = oss
    record = client.lookup_nib(nib)
    assert isinstance(record, NibRecord)
    assert record.nib == nib
    assert record.company_name.startswith("PT ")
    assert record.npwp.isdigit() and len(record.npwp) in (15, 16)
    assert "@" in record.email
    assert record.kbli and all(code.isdigit() and len(code) == 5 for code in record.kbli)
    assert record.scale in {"kecil", "menengah", "besar"}
    assert record.licences and all(lic.number for lic in record.licences)
    assert record.address


def test_an_unknown_or_malformed_nib_returns_none(oss):
    client, _nib = oss
    assert client.lookup_nib("1111111111111") is None
    assert client.lookup_nib("12ab") is None


def test_the_offline_client_reads_the_demo_seed():
    record = get_oss().lookup_nib(KNOWN_OFFLINE_NIB)
    assert record.company_name == "PT Indo Pangan"
    assert {lic.scale for lic in record.licences} == {"besar", "menengah"}
    assert record.scale == "besar"
    assert record.kbli == ("10110", "10710")


def test_the_offline_client_also_answers_from_the_lookup_its_caller_passes(tmp_path):
    known = NibRecord(nib="8100000000042", company_name="CV Logam Surabaya", npwp="013121660091000", email="a@b.id")
    client = OfflineOss(seed_file=tmp_path / "none.csv", known=lambda nib: known if nib == known.nib else None)
    assert client.lookup_nib("8100000000042") == known
    assert client.lookup_nib("8100000000043") is None


def test_the_recorded_oss_answer_is_read_field_by_field(fake_server):
    fake_server.responder = _oss_responder
    record = HttpOss(HttpConfig.from_settings("oss", http_settings(fake_server.url))).lookup_nib(KNOWN_RECORDED_NIB)
    assert record.company_name == "PT Sumber Rejeki Pangan"  # spaces collapsed
    assert record.npwp == "013121660091000"  # dots and dashes dropped
    assert record.email == "kontak@sumberrejeki.co.id"
    assert record.scale == "menengah"  # skala_usaha 03
    assert record.kbli == ("10710", "10740")
    assert [(lic.number, lic.kbli, str(lic.issued_on)) for lic in record.licences] == [
        ("IUI/9120001234567/2021/001", "10710", "2021-03-02"),
        ("SS/9120001234567/2021/002", "10740", "2021-04-10"),
    ]
    request = fake_server.requests[0]
    assert request["json"] == {"INQUERYNIB": {"nib": KNOWN_RECORDED_NIB}}
    assert request["headers"]["user_key"] == "kunci-uji"


# --- KSWP ----------------------------------------------------------------------------------------

RECORDED_NPWP = "013121660091000"


def _kswp_responder(request: dict) -> Answer:
    return Answer(body=recording("kswp_valid.json" if request["npwp"] == RECORDED_NPWP else "kswp_not_found.json"))


@pytest.fixture(params=["offline", "http"])
def kswp(request) -> tuple[KswpClient, str]:
    if request.param == "offline":
        return get_kswp(), "013000005000000"
    fake = request.getfixturevalue("fake_server")
    fake.responder = _kswp_responder
    return HttpKswp(HttpConfig.from_settings("kswp", http_settings(fake.url))), RECORDED_NPWP


def test_the_configured_kswp_client_satisfies_the_protocol(kswp):
    client, _npwp = kswp
    assert isinstance(client, KswpClient)


def test_a_known_npwp_is_valid_with_its_name_and_time(kswp):
    client, npwp = kswp
    status = client.check_npwp(npwp)
    assert isinstance(status, KswpStatus)
    assert status.status == VALID and status.is_valid
    assert status.name.startswith("PT ")
    assert isinstance(status.checked_at, datetime) and status.checked_at.tzinfo is not None


def test_an_unknown_npwp_is_tidak_dikenal(kswp):
    client, _npwp = kswp
    assert client.check_npwp("0016090524017000").status == UNKNOWN
    assert client.check_npwp("12").status == UNKNOWN


def test_an_invalid_npwp_is_reported_as_tidak_valid(fake_server):
    fake_server.script(Answer(body=recording("kswp_invalid.json")))
    status = HttpKswp(HttpConfig.from_settings("kswp", http_settings(fake_server.url))).check_npwp(RECORDED_NPWP)
    assert status.status == INVALID
    assert status.checked_at.isoformat() == "2026-11-30T09:15:00+07:00"
    assert OfflineKswp().check_npwp("019999999999000").status == INVALID


def test_the_offline_kswp_calls_an_npwp_its_caller_knows_valid(tmp_path):
    client = OfflineKswp(seed_file=tmp_path / "none.csv", known=lambda npwp: "CV Logam" if npwp == RECORDED_NPWP else None)
    assert client.check_npwp(RECORDED_NPWP).status == VALID
    assert client.check_npwp("0016090524017000").status == UNKNOWN
