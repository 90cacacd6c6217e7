"""The report status pipeline: verify, validate and Pengembalian Data, each with its timeline entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting import services
from reporting.models import TRANSITIONS, Report, ReportEvent, ReportStatus
from siinas.core.models import AuditEvent
from tests.reporting.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast):
    return ReportFactory(factory=cast.factory_a, status=ReportStatus.SUBMITTED)


def test_the_pipeline_is_declared_for_every_status():
    assert set(TRANSITIONS) == set(ReportStatus.values)
    assert TRANSITIONS[ReportStatus.VALIDATED] == frozenset()
    assert TRANSITIONS[ReportStatus.RETURNED] == {ReportStatus.SUBMITTED}


def test_verify_then_validate_writes_the_timeline_and_audit(cast, submitted):
    report = services.report_verify(actor=cast.verifier, report=submitted)
    assert report.status == ReportStatus.VERIFIED and report.verified_at is not None
    assert report.lock_version == submitted.lock_version + 1
    report = services.report_validate(actor=cast.validator_pangan, report=report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.VALIDATED
    events = list(submitted.events.values_list("action", "from_status", "to_status", "actor__username"))
    assert events == [
        (ReportEvent.Action.VERIFIED, "terkirim", "terverifikasi", "verifikator"),
        (ReportEvent.Action.VALIDATED, "terverifikasi", "tervalidasi", "validator_pangan"),
    ]
    actions = set(AuditEvent.objects.filter(target_id=str(report.pk)).values_list("action", flat=True))
    assert {"reporting.report_verified", "reporting.report_validated"} <= actions


def test_an_illegal_move_raises_and_changes_nothing(cast, submitted):
    with pytest.raises(ValidationError) as exc:
        services.report_validate(actor=cast.validator_pangan, report=submitted)
    assert "Terkirim" in exc.value.messages[0] and "Tervalidasi" in exc.value.messages[0]
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    draft = ReportFactory(factory=cast.factory_b, report_type="industri_produksi_kecil")
    with pytest.raises(ValidationError):
        services.report_verify(actor=cast.verifier, report=draft)
    assert not ReportEvent.objects.exists()


def test_a_validated_report_is_locked(cast, submitted):
    services.report_verify(actor=cast.verifier, report=submitted)
    services.report_validate(actor=cast.admin, report=submitted)
    with pytest.raises(ValidationError):
        services.report_return(actor=cast.admin, report=submitted, comments={"produksi": "Cek lagi."})


def test_only_officers_with_the_capability_move_the_report(cast, submitted):
    with pytest.raises(PermissionDenied):
        services.report_verify(actor=cast.company_a, report=submitted)
    with pytest.raises(PermissionDenied):
        services.report_verify(actor=cast.validator_pangan, report=submitted)
    verified = services.report_verify(actor=cast.verifier, report=submitted)
    with pytest.raises(PermissionDenied):
        services.report_validate(actor=cast.validator_logam, report=verified)  # not its KBLI division
    with pytest.raises(PermissionDenied):
        services.report_return(actor=cast.verifier, report=verified, comments={"produksi": "x"})


def test_return_needs_a_comment_for_every_returned_section(cast, submitted):
    with pytest.raises(ValidationError) as exc:
        services.report_return(actor=cast.verifier, report=submitted, comments={"produksi": "  ", "investasi": "Nilai?"})
    assert exc.value.message_dict == {"produksi": [services.RETURN_NEEDS_COMMENT]}
    with pytest.raises(ValidationError) as exc:
        services.report_return(actor=cast.verifier, report=submitted, comments={})
    assert services.RETURN_NEEDS_SECTION in exc.value.message_dict["__all__"]
    with pytest.raises(ValidationError) as exc:
        services.report_return(actor=cast.verifier, report=submitted, comments={"ki_tenant": "Tenant?"})
    assert "ki_tenant" in exc.value.message_dict
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_return_records_each_section_comment_on_the_timeline(cast, submitted):
    report = services.report_return(
        actor=cast.verifier, report=submitted, comments={"produksi": "Satuan produksi keliru.", "tenaga_kerja": "Total?"}
    )
    assert report.status == ReportStatus.RETURNED and report.is_editable
    comments = dict(report.events.exclude(section="").values_list("section", "comment"))
    assert comments == {"produksi": "Satuan produksi keliru.", "tenaga_kerja": "Total?"}


def test_the_validator_returns_a_verified_report(cast, submitted):
    verified = services.report_verify(actor=cast.verifier, report=submitted)
    report = services.report_return(actor=cast.validator_pangan, report=verified, comments={"investasi": "Bukti?"})
    assert report.status == ReportStatus.RETURNED


def test_standard_semester_periods_have_the_regulation_windows(cast):
    s1, s2 = services.period_create_semesters(actor=cast.admin, year=2027)
    assert (s1.window_opens.isoformat(), s1.window_closes.isoformat()) == ("2027-07-01", "2027-08-31")
    assert (s2.start.isoformat(), s2.end.isoformat()) == ("2027-07-01", "2027-12-31")
    assert (s2.window_opens.isoformat(), s2.window_closes.isoformat()) == ("2028-01-01", "2028-02-29")
    s1.window_closes = s1.window_closes.replace(day=15)
    s1.save()
    again = services.period_create_semesters(actor=cast.admin, year=2027)
    assert again[0].window_closes.day == 15  # an admin's change is kept

