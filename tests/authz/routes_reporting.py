"""Semester reports: who reaches which page (company_a owns every object the routes open)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from tests.authz.table import Route

COMPANIES = frozenset({"company", "other_company"})
READERS = frozenset({"company", "verifier", "validator", "pemda_prov", "admin"})
OUT_OF_SCOPE = frozenset({"other_company", "validator_other", "pemda_kab"})
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"


def _period():
    from tests.reporting.factories import PeriodFactory

    return PeriodFactory(year=2026, number=1)


def _draft(cast) -> dict:
    from reporting.models import Report

    report, _ = Report.objects.get_or_create(factory=cast.factory_a, period=_period(), report_type="industri_produksi")
    return {"pk": report.pk}


def _section(cast, code: str) -> dict:
    return {**_draft(cast), "code": code}


def _to_confirm(cast) -> dict:
    """A draft of factory_a whose Kapasitas produksi waits for confirmation (reset for every role)."""
    from reporting.models import ReportSection

    kwargs = _section(cast, "kapasitas")
    ReportSection.objects.update_or_create(
        report_id=kwargs["pk"], code="kapasitas", defaults={"state": ReportSection.State.TO_CONFIRM, "prefilled": True}
    )
    return kwargs


def _submitted(cast) -> dict:
    """A submitted report of factory_a with two versions (so the diff has something to compare)."""
    from reporting.models import Report, ReportStatus, ReportVersion
    from reporting.selectors import report_snapshot, snapshot_hash
    from tests.reporting.factories import PeriodFactory, ReportFactory

    period = PeriodFactory(year=2025, number=2)
    report = Report.objects.filter(factory=cast.factory_a, period=period).first()
    if report is None:
        report = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)
        data = report_snapshot(report)
        for number in (1, 2):
            ReportVersion.objects.create(report=report, number=number, data=data, content_hash=snapshot_hash(data), on_time=True)
    return {"pk": report.pk}


def _version(cast) -> dict:
    return {**_submitted(cast), "number": 1}


def _other(cast, with_attachment: bool = False) -> dict:
    from reporting.models import OtherData, OtherDataAttachment

    item, _ = OtherData.objects.get_or_create(
        factory=cast.factory_a, title="Klarifikasi produksi", defaults={"kind": "klarifikasi", "description": "Rincian."}
    )
    kwargs = {"pk": item.pk}
    if with_attachment:
        attachment = item.attachments.first()
        if attachment is None:
            attachment = OtherDataAttachment(other_data=item, original_name="bukti.pdf")
            attachment.file.save("bukti.pdf", ContentFile(PDF), save=True)
        kwargs["attachment_id"] = attachment.pk
    return kwargs


ROUTES = [
    Route("reporting:dashboard", allow=COMPANIES),
    Route(
        "reporting:report-start",
        allow=COMPANIES,
        method="POST",
        data=lambda cast: {"period": _period().pk, "report_type": "industri_produksi"},
        note="another company can only start reports of its own factory account",
    ),
    Route("reporting:report-detail", allow=READERS, hide=OUT_OF_SCOPE, setup=_submitted),
    Route("reporting:section-edit", allow={"company"}, hide={"other_company"}, setup=lambda cast: {**_draft(cast), "code": "investasi"}),
    Route(
        "reporting:report-submit",
        allow={"company"},
        hide={"other_company"},
        method="POST",
        setup=_draft,
        data=lambda cast: {"lock_version": 0},
    ),
    Route("reporting:version-diff", allow=READERS, hide=OUT_OF_SCOPE, setup=_submitted),
    Route("reporting:report-pdf", allow=READERS, hide=OUT_OF_SCOPE, setup=_submitted),
    Route("reporting:report-xlsx", allow=READERS, hide=OUT_OF_SCOPE, setup=_submitted),
    Route("reporting:receipt", allow=READERS, hide=OUT_OF_SCOPE, setup=_version),
    Route(
        "reporting:receipt-check",
        public=True,
        setup=lambda cast: {"digest": "0" * 64},
        note="confirms only what the printed receipt states",
    ),
    Route("reporting:other-list", allow=COMPANIES),
    Route("reporting:other-detail", allow=READERS, hide=OUT_OF_SCOPE, setup=_other),
    Route("reporting:other-attachment", allow=READERS, hide=OUT_OF_SCOPE, setup=lambda cast: _other(cast, True)),
]

ROUTES += [
    Route("reporting:report-excel", allow={"company"}, hide={"other_company"}, setup=_draft),
    Route("reporting:report-excel-template", allow={"company"}, hide={"other_company"}, setup=_draft),
    Route("reporting:section-excel", allow={"company"}, hide={"other_company"}, setup=lambda cast: _section(cast, "kapasitas")),
    Route(
        "reporting:section-excel-template", allow={"company"}, hide={"other_company"}, setup=lambda cast: _section(cast, "mesin")
    ),
    Route(
        "reporting:section-confirm",
        allow={"company"},
        hide={"other_company"},
        method="POST",
        setup=_to_confirm,
        data=lambda cast: {"lock_version": 0},
        note="confirms a pre-filled section of the company's own draft only",
    ),
]
