"""load_scale (the national-scale data set) and bench_pages (every main page measured), at a tiny size."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from accounts.models import Factory, Role, User
from eservice.models import Application, DirectoryProfile
from iki import selectors as iki_selectors
from iki.engine import compute_month, tally
from iki.models import IkiResponse, IkiResult
from reporting.models import Period, Report, ReportEvent, ReportMeasures, ReportSection, ReportVersion
from reporting.sections.models import CapacityProduct, Material
from siinas.core import scale
from siinas.core.models import AuditEvent
from siinas.core.scale import bench, checks

TINY = 60


class _Undo(Exception):
    pass


def _load(factories: int = TINY, seed: int = scale.DEFAULT_SEED) -> str:
    out = io.StringIO()
    call_command("load_scale", "--factories", str(factories), "--seed", str(seed), stdout=out)
    return out.getvalue()


def test_load_scale_is_deterministic_and_has_the_national_shapes(reference_data):
    try:
        with transaction.atomic():
            _load()
            first = scale.checksum()
            raise _Undo
    except _Undo:
        pass
    assert not Factory.objects.exists()
    output = _load()
    assert scale.checksum() == first  # same seed, same content
    assert "20 sampled reports pass the submit checks" in output

    # accounts: every factory has its company user; officers of every role with a TOTP device
    assert Factory.objects.count() == TINY
    assert User.objects.filter(role=Role.COMPANY, factory__isnull=False).count() == TINY
    assert Factory.objects.values("province_id").distinct().count() >= 8
    assert set(Factory.objects.values_list("scale", flat=True)) == {"kecil", "menengah", "besar"}
    for role in (
        Role.VERIFIER,
        Role.VALIDATOR,
        Role.PEMDA_PROV,
        Role.PEMDA_KAB,
        Role.ADMIN,
        Role.UPP,
        Role.KL,
    ):
        officer = User.objects.filter(role=role).first()
        assert officer is not None and officer.totpdevice_set.filter(confirmed=True).exists()
    assert User.objects.filter(role=Role.PEMDA_PROV).count() == 38

    # reports: four semesters, every status, resubmissions, roughly the national proportions
    assert Period.objects.count() == 4
    statuses = set(Report.objects.values_list("status", flat=True))
    assert statuses >= {"terkirim", "pengembalian", "terverifikasi", "tervalidasi"}
    filed = Report.objects.exclude(status="konsep").count()
    assert 0.45 * TINY * 4 <= filed <= 0.75 * TINY * 4  # 113k of 200k account-periods at 50k
    versions = ReportVersion.objects.count()
    assert filed < versions <= 1.2 * filed
    assert ReportEvent.objects.filter(action=ReportEvent.Action.RESUBMITTED).exists()
    assert ReportSection.objects.filter(state="lengkap").count() > 8 * filed
    # pre-filled drafts: stock sections copied and waiting for confirmation, flow sections never copied
    waiting = ReportSection.objects.filter(state="perlu_konfirmasi")
    assert waiting.exists() and set(waiting.values_list("prefilled", flat=True)) == {True}
    assert not waiting.filter(code__in=["bahan_baku", "energi", "produksi", "pemasaran", "pengeluaran"]).exists()
    rows = CapacityProduct.objects.count() + Material.objects.count()
    assert rows > 10 * filed
    # the copy skips the status pipeline: load_scale rebuilt the validated reports' stored measures
    validated = Report.objects.filter(status="tervalidasi")
    assert set(ReportMeasures.objects.values_list("report_id", flat=True)) == set(validated.values_list("pk", flat=True))
    assert validated.exists()

    # IKI: twelve months with their results; the running tally equals the responses read one by one
    months = sorted(IkiResponse.objects.order_by().values_list("period", flat=True).distinct())
    assert len(months) == 12 and IkiResult.objects.count() == 12
    assert 4 <= IkiResponse.objects.filter(period=months[-1]).count() <= 40  # ~10,000 at 50k
    month = months[-1]
    records = iki_selectors.response_records([iki_selectors.previous_month(month), month])
    label = f"{month:%Y-%m}"
    assert iki_selectors.month_tally(month) == tally(label, records, records)
    _gdp_period, groups = iki_selectors.gdp_groups()
    expected = compute_month(label, records, previous=records, gdp_groups=groups or None).as_contract()
    out = io.StringIO()
    call_command("iki_compute", "--period", label, "--json", stdout=out)
    computed = json.loads(out.getvalue())
    for key in (
        "iki",
        "v_orders",
        "v_production",
        "v_stock",
        "respondents",
        "panel_consistency",
        "subsectors",
    ):
        assert computed[key] == json.loads(json.dumps(expected[key], default=float)), key

    # e-services and directory, scaled with a floor
    assert Application.objects.count() == 14
    assert DirectoryProfile.objects.count() == 6

    # the sample passes the project's submit checks (the command checked it; so does a second look)
    checked, problems = checks.check_sample(20)
    assert checked == 20 and problems == {}

    with pytest.raises(CommandError, match="already holds"):
        _load()


def test_load_scale_refuses_production(reference_data, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        _load()
    assert not Factory.objects.exists()


def test_bench_pages_measures_every_page_on_the_tiny_data_set(reference_data, tmp_path):
    _load(factories=20)
    draft = bench.pick_subjects()["draft"]
    audit_rows = AuditEvent.objects.count()
    target = tmp_path / "bench.json"
    call_command("bench_pages", "--runs", "1", "--json", str(target), stdout=io.StringIO())
    data = json.loads(target.read_text())
    assert set(data) == {"pages", "minimal_ms", "jobs"}
    assert data["minimal_ms"] > 0
    # The Pemda refreshes a worker runs behind the cold dashboards, apart from the pages.
    assert [job["name"] for job in data["jobs"]][:3] == [
        "Pemda province dashboard figures (worker job)",
        "Pemda province KBLI figures (worker job)",
        "Pemda kab dashboard figures (worker job)",
    ]
    assert [job["name"].split(",")[0] for job in data["jobs"]][3:5] == [
        "Pemda company export CSV file (worker job)",
        "Pemda company export XLSX file (worker job)",
    ]
    # Pohon Industri's kept aggregate recomputed (analisis.pohon.kept), the last job.
    assert data["jobs"][-1]["name"] == "Pohon Industri aggregate (worker job)"
    # Posisi Anda's cut points recomputed by a worker, one job per KBLI division of the company.
    position_jobs = [job["name"] for job in data["jobs"]][5:-1]
    assert position_jobs and all(
        name.startswith("Posisi Anda cut points KBLI") and name.endswith("(worker job)") for name in position_jobs
    )
    assert all(job["queries"] > 0 and job["median_ms"] > 0 for job in data["jobs"])
    names = [page["name"] for page in data["pages"]]
    assert len(names) == 48 and len(set(names)) == 48  # 47 on main, and Pohon Industri from KBLI 10, cold
    assert {"Posisi Anda (company), data moved", "Posisi Anda (company), cold"} <= set(names)
    assert "Informasi Industri (public)" in names
    assert "section form, 5 rows" in names and "section form, 50 rows" in names
    for page in data["pages"]:
        assert set(page) == {"name", "queries", "median_ms", "ratio"}
        assert page["queries"] > 0 and page["median_ms"] > 0
    # Every page answered as expected (200; 302 after the draft save): the command stops at the first
    # one that does not. The draft saves and the officers' audited views were rolled back.
    draft.refresh_from_db()
    assert draft.lock_version == bench.pick_subjects()["draft"].lock_version
    assert AuditEvent.objects.count() == audit_rows
