"""Reports filed end to end through the pages, as a company would."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AccountType, Scale
from reporting.models import Report, ReportSection, ReportStatus, ReportVersion
from reporting.sections import models as sm
from siinas.core.models import Region
from tests.factories import FactoryAccountFactory, company_user
from tests.helpers import login
from tests.reporting.conftest import fill_all, post_section, section_input, submit

pytestmark = pytest.mark.django_db


def _start(client, period, report_type):
    response = client.post(reverse("reporting:report-start"), {"period": period.pk, "report_type": report_type})
    assert response.status_code == 302
    return Report.objects.get(period=period, report_type=report_type)


def test_a_full_tahap_produksi_report_is_filed_through_the_pages(
    client, cast, period, in_window, django_capture_on_commit_callbacks
):
    login(client, cast.company_a)
    dashboard = client.get(reverse("reporting:dashboard"))
    assert "Industri — Tahap Produksi (Industri Menengah-Besar)" in dashboard.content.decode()
    report = _start(client, period, "industri_produksi")
    assert report.factory == cast.factory_a and report.status == ReportStatus.DRAFT
    fill_all(client, report)
    assert set(ReportSection.objects.filter(report=report).values_list("state", flat=True)) == {"lengkap"}

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, report, follow=True)
    assert "Laporan terkirim (versi 1)" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_on_time is True and not report.is_late
    version = report.versions.get()
    assert set(version.data["sections"]) == set(report.spec.sections)
    assert version.data["sections"]["produksi"]["rows"]["produksi"][0] == {
        "product": "Daging sapi beku", "quantity": "5200", "unit": "ton", "value": "520000000000", "explanation": "",
    }  # fmt: skip
    assert len(version.content_hash) == 64
    assert mail.outbox and "diterima" in mail.outbox[-1].subject and version.content_hash in mail.outbox[-1].body
    detail = client.get(reverse("reporting:report-detail", kwargs={"pk": report.pk})).content.decode()
    assert "Terkirim" in detail and "Daging sapi beku" in detail


def test_a_kawasan_industri_komersial_report_is_filed_through_the_pages(client, cast, period, in_window):
    estate = FactoryAccountFactory(
        account_type=AccountType.B, region=Region.objects.get(pk="32.16"), scale=Scale.BESAR, name="Kawasan Cikarang"
    )
    user = company_user(estate, "kawasan")
    login(client, user)
    report = _start(client, period, "kawasan_komersial")
    assert report.spec.sections[-1] == "ki_tenant"
    fill_all(client, report, estate=True)
    response = submit(client, report, follow=True)
    assert "Laporan terkirim (versi 1)" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    tenants = list(sm.Tenant.objects.filter(report=report).order_by("position"))
    assert tenants[0].company == cast.factory_a.company  # the tenant's NIB has its own SIINas account
    assert tenants[1].company is None


def test_a_report_filed_after_the_window_is_accepted_and_marked_late(client, cast, period):
    import time_machine

    login(client, cast.company_a)
    with time_machine.travel("2026-08-20 10:00 +0700", tick=False):
        report = _start(client, period, "industri_produksi")
        fill_all(client, report)
    with time_machine.travel("2026-09-02 09:00 +0700", tick=False):
        submit(client, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.is_late
    assert ReportVersion.objects.get(report=report).on_time is False


def test_a_report_cannot_be_submitted_until_every_section_passes(client, cast, period, in_window):
    login(client, cast.company_a)
    report = _start(client, period, "industri_produksi")
    header, tables = section_input("tenaga_kerja")
    post_section(client, report, "tenaga_kerja", header, tables)
    response = submit(client, report, follow=True)
    body = response.content.decode()
    assert "Laporan belum dapat dikirim" in body and "Investasi" in body
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.versions.exists()


@pytest.mark.parametrize(
    ("report_type", "account_type", "stage", "scale"),
    [
        ("industri_pembangunan", AccountType.A, "pembangunan", Scale.BESAR),
        ("industri_produksi_kecil", AccountType.A, "produksi", Scale.KECIL),
        ("kawasan_pembangunan", AccountType.B, "pembangunan", Scale.BESAR),
    ],
)
def test_the_other_report_types_are_filed_through_the_pages_too(client, cast, period, in_window, report_type, account_type, stage, scale):
    factory = FactoryAccountFactory(account_type=account_type, stage=stage, scale=scale, kbli_codes=["10110"])
    login(client, company_user(factory, f"akun_{report_type}"))
    report = _start(client, period, report_type)
    fill_all(client, report, estate=account_type == AccountType.B)
    assert "Laporan terkirim (versi 1)" in submit(client, report, follow=True).content.decode()
    assert set(report.versions.get().data["sections"]) == set(report.spec.sections)
