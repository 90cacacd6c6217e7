"""The load test in bench/ (issue 14 §4): its locustfile loads, its plan picks real people and pages, and
the surge's duplicate check counts what was made twice. The load itself is run by bench/run.sh."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import resolve
from django.utils import timezone

from bench import checks
from bench.plan import build_plan, spread
from reporting.models import ReportStatus, ReportVersion
from siinas.core.models import OutboxMessage
from siinas.core.scale.people import totp_key
from tests.reporting.factories import PeriodFactory, ReportFactory

ROOT = Path(__file__).resolve().parents[2]
LOCUST = importlib.util.find_spec("locust") is not None

# Run in a child process: importing locust monkey-patches the standard library (gevent), which must not
# happen inside the test process.
PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import bench.locustfile as lf
html = '''<form method="post" action="/laporan/7/kirim/"><input type="hidden" name="csrfmiddlewaretoken" value="tok">
<input type="hidden" name="lock_version" value="3"><input type="checkbox" name="h-ok" checked><input type="checkbox" name="h-no">
<select name="h-unit"><option value="kg">kg</option><option value="ton" selected>ton</option></select>
<textarea name="h-note">
catatan</textarea><template><input name="b-__prefix__-x" value="blank"></template>
<button type="submit" name="simpan">Simpan</button></form>'''
form = lf.form_with(html, action_end="/kirim/")
print(json.dumps({
    "classes": sorted(n for n in ("Company", "Verifier", "Validator", "Pemda", "Public", "SurgeCompany") if hasattr(lf, n)),
    "totp": lf.totp(sys.argv[2], at=1_800_000_000),
    "fields": form["fields"],
}))
"""


@pytest.mark.skipif(not LOCUST, reason="locust is not installed (dev extra)")
def test_the_locustfile_loads_parses_forms_and_computes_the_officers_codes():
    key = totp_key("skala_verifikator_01")
    done = subprocess.run(  # noqa: S603 — our own interpreter and probe
        [sys.executable, "-c", PROBE, str(ROOT), key], capture_output=True, text=True, timeout=120, check=True
    )
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["classes"] == ["Company", "Pemda", "Public", "SurgeCompany", "Validator", "Verifier"]
    # The same code django-otp's TOTPDevice accepts (SHA-1, 30-second steps, 6 digits).
    assert probe["totp"] == _django_otp_code(key, 1_800_000_000)
    assert probe["fields"] == [
        ["csrfmiddlewaretoken", "tok"], ["lock_version", "3"], ["h-ok", "on"], ["h-unit", "ton"], ["h-note", "catatan"],
    ]  # fmt: skip


def _django_otp_code(key_hex: str, at: int) -> str:
    from django_otp.oath import TOTP

    counter = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6)
    counter.time = at
    return str(counter.token()).zfill(6)


def test_spread_takes_ids_at_even_steps():
    assert spread(list(range(10)), 3) == [0, 3, 6]
    assert spread([1, 2], 5) == [1, 2]
    assert spread([], 3) == []


def test_the_plan_signs_in_real_people_on_pages_that_exist(cast):
    period = PeriodFactory(year=2026, number=1)
    report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.DRAFT)
    plan = build_plan(companies=5)
    assert plan["period"] == str(period)
    assert [c["username"] for c in plan["companies"]] == ["indopangan"]
    assert plan["companies"][0]["report"] == f"/laporan/{report.pk}/"
    assert len(plan["companies"][0]["sections"]) == len(report.spec.sections)
    assert {v["username"] for v in plan["verifiers"]} == {"verifikator"}
    assert {v["username"] for v in plan["validators"]} == {"validator_pangan", "validator_logam"}
    assert {p["username"] for p in plan["pemda"]} == {"pemda_jabar", "pemda_kab_bekasi"}
    assert plan["verifiers"][0]["totp_key"] == totp_key("verifikator")
    urls = [u for u in plan["urls"].values() if isinstance(u, str)] + plan["companies"][0]["sections"]
    for url in urls:
        resolve(url.split("?")[0])  # every URL is a route of the project
    json.dumps(plan)  # what run.sh hands to locust


def _version(report, number: int, when: dt.datetime) -> ReportVersion:
    version = ReportVersion.objects.create(
        report=report, number=number, data={}, content_hash=f"{report.pk:032d}{number:032d}", on_time=False, created_at=when
    )
    OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.EMAIL, name=checks.RECEIPT_MAIL, recipients=["a@contoh.co.id"],
        dedupe_key=f"report-receipt-{version.pk}", created_at=when,
    )  # fmt: skip
    return version


def test_the_surge_check_counts_nothing_when_each_report_was_submitted_once(cast):
    since = timezone.now() - dt.timedelta(minutes=5)
    before = ReportFactory(factory=cast.factory_a, period=PeriodFactory(year=2025, number=2), status=ReportStatus.SUBMITTED)
    _version(before, 1, since - dt.timedelta(days=30))  # made before the surge
    surged = ReportFactory(factory=cast.factory_a, period=PeriodFactory(year=2026, number=1), status=ReportStatus.SUBMITTED)
    _version(surged, 1, timezone.now())
    other = ReportFactory(factory=cast.factory_b, period=PeriodFactory(year=2026, number=1), status=ReportStatus.SUBMITTED)
    _version(other, 1, timezone.now())

    counts = checks.surge_duplicates(since=since)

    assert counts == {"reports": 0, "versions": 0, "receipts": 0, "receipt_mails": 0, "outbox": 0, "receipts_missing": 0}
    assert checks.made_since(since=since)["versions"] == 2


def test_the_surge_check_counts_a_second_receipt_for_one_submission(cast):
    since = timezone.now() - dt.timedelta(minutes=5)
    surged = ReportFactory(factory=cast.factory_a, period=PeriodFactory(year=2026, number=1), status=ReportStatus.SUBMITTED)
    _version(surged, 1, timezone.now())
    _version(surged, 2, timezone.now())  # a double click that made a second version and its Tanda Terima
    lost = ReportFactory(factory=cast.factory_b, period=PeriodFactory(year=2026, number=1), status=ReportStatus.SUBMITTED)
    ReportVersion.objects.create(report=lost, number=1, data={}, content_hash="f" * 64, on_time=False)  # no receipt e-mail

    counts = checks.surge_duplicates(since=since)

    assert counts["receipts"] == 1
    assert counts["receipts_missing"] == 1
    assert counts["reports"] == counts["versions"] == counts["outbox"] == 0
    # The generic count finds any key held twice (the constraints keep these at 0 in the real tables).
    assert checks.duplicates(ReportVersion.objects.all(), ("report_id",)) == 1


def test_the_check_command_fails_on_a_duplicate(cast, capsys):
    from bench.__main__ import main

    since = timezone.now() - dt.timedelta(minutes=5)
    surged = ReportFactory(factory=cast.factory_a, period=PeriodFactory(year=2026, number=1), status=ReportStatus.SUBMITTED)
    _version(surged, 1, timezone.now())
    assert main(["check", "--since", since.isoformat()]) == 0
    _version(surged, 2, timezone.now())
    assert main(["check", "--since", since.isoformat()]) == 1
    assert "FAILED" in capsys.readouterr().out
