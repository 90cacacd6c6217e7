"""No lost work: invalid drafts are kept, stale saves are refused, double submits make one version,
and a failure in the middle of a submission leaves the draft as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import Report, ReportEvent, ReportSection, ReportStatus, ReportVersion
from reporting.sections import models as sm
from tests.helpers import login
from tests.reporting.conftest import fill_all, post_section, section_input, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, cast, period, in_window):
    login(client, cast.company_a)
    return services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")


def test_invalid_input_is_saved_as_typed_and_shown_again_with_its_message(client, draft):
    header, tables = section_input("tenaga_kerja")
    assert post_section(client, draft, "tenaga_kerja", header, tables).status_code == 302
    header.update(prod_female_wni="empat ratus", prod_male_wni=205)
    tables["wna"].append({"country": "", "count": 3})
    response = post_section(client, draft, "tenaga_kerja", header, tables)
    assert response.status_code == 200 and "Draf bagian Tenaga kerja disimpan" in response.content.decode()
    section = ReportSection.objects.get(report=draft, code="tenaga_kerja")
    assert section.state == ReportSection.State.INVALID
    assert section.raw["h-prod_female_wni"] == ["empat ratus"] and section.raw["wna-2-count"] == ["3"]
    assert sm.Workforce.objects.get(report=draft).prod_male_wni == 200  # the last valid data is kept beside it

    page = client.get(reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "tenaga_kerja"})).content.decode()
    assert 'value="empat ratus"' in page and 'value="205"' in page and "Masukkan bilangan bulat, misalnya 1.234.567." in page
    progress = client.get(reverse("reporting:report-detail", kwargs={"pk": draft.pk})).content.decode()
    assert "Perlu perbaikan" in progress


def test_a_save_from_a_stale_tab_is_refused_and_nothing_is_overwritten(client, draft):
    opened_at = draft.lock_version  # both tabs open the page now
    header, tables = section_input("tenaga_kerja")
    assert post_section(client, draft, "tenaga_kerja", header, tables, lock_version=opened_at).status_code == 302
    header.update(prod_male_wni=999, total=1219)
    response = post_section(client, draft, "tenaga_kerja", header, tables, lock_version=opened_at)
    assert response.status_code == 409
    body = response.content.decode()
    assert services.STALE_DRAFT[:60] in body and 'value="999"' in body  # the refused input is shown, not dropped
    assert f'name="lock_version" value="{opened_at}"' in body  # clicking save again is refused again
    assert sm.Workforce.objects.get(report=draft).total == 420
    assert ReportSection.objects.get(report=draft, code="tenaga_kerja").state == ReportSection.State.VALID


def test_a_double_clicked_submit_creates_one_version(client, draft):
    fill_all(client, draft)
    draft.refresh_from_db()
    lock = draft.lock_version
    assert submit(client, draft, lock_version=lock).status_code == 302
    second = submit(client, draft, lock_version=lock, follow=True)
    assert "sudah terkirim (versi 1)" in second.content.decode()
    assert ReportVersion.objects.filter(report=draft).count() == 1
    assert draft.events.filter(action=ReportEvent.Action.SUBMITTED).count() == 1


def test_a_failure_in_the_middle_of_submit_leaves_the_draft_as_it_was(client, cast, draft, monkeypatch):
    fill_all(client, draft)
    draft.refresh_from_db()
    before = (draft.status, draft.lock_version, draft.first_submitted_at)
    real_audit = services.audit

    def failing_audit(action, **kwargs):
        if action == "reporting.report_submitted":  # after the version and the status change are written
            raise RuntimeError("disk penuh")
        return real_audit(action, **kwargs)

    monkeypatch.setattr(services, "audit", failing_audit)
    with pytest.raises(RuntimeError):
        services.report_submit(actor=cast.company_a, report=draft, lock_version=draft.lock_version)
    draft.refresh_from_db()
    assert (draft.status, draft.lock_version, draft.first_submitted_at) == before
    assert not ReportVersion.objects.filter(report=draft).exists()
    assert not draft.events.filter(action=ReportEvent.Action.SUBMITTED).exists()
    assert sm.ProductionRow.objects.filter(report=draft).count() == 2
    monkeypatch.setattr(services, "audit", real_audit)
    assert services.report_submit(actor=cast.company_a, report=draft, lock_version=draft.lock_version).created


def test_a_submit_from_a_stale_page_is_refused(client, draft):
    fill_all(client, draft)
    draft.refresh_from_db()
    response = submit(client, draft, lock_version=draft.lock_version - 1, follow=True)
    assert "telah diubah di tab atau oleh pengguna lain" in response.content.decode()
    assert Report.objects.get(pk=draft.pk).status == ReportStatus.DRAFT


def test_a_submitted_report_cannot_be_edited(client, draft):
    fill_all(client, draft)
    submit(client, draft)
    url = reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "produksi"})
    assert client.get(url).status_code == 403
    header, tables = section_input("produksi")
    with pytest.raises(Exception) as exc:
        services.section_save(actor=draft.factory.users.first(), report=draft, code="produksi", data=_qd({}), lock_version=99)
    assert "tidak dapat diubah" in str(exc.value)


def test_submission_refused_marks_sections_failing_on_stored_data(client, cast, draft):
    fill_all(client, draft)
    # Capacity shrinks after production was saved: production now exceeds it, found at submit.
    header, tables = section_input("kapasitas")
    tables["produk"][0]["capacity"] = 8000
    assert post_section(client, draft, "kapasitas", header, tables).status_code == 302
    response = submit(client, draft, follow=True)
    assert "Laporan belum dapat dikirim: periksa bagian Produksi" in response.content.decode()
    assert ReportSection.objects.get(report=draft, code="produksi").state == ReportSection.State.INVALID
    page = client.get(reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "produksi"})).content.decode()
    assert "Produksi melebihi kapasitas terpasang untuk periode ini (4000 ton)" in page


def _qd(data):
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    q.update(data)
    return q


def test_a_table_offers_a_blank_row_that_is_ignored_when_left_blank(client, draft):
    header, tables = section_input("mesin")
    assert post_section(client, draft, "mesin", header, tables).status_code == 302
    page = client.get(reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "mesin"})).content.decode()
    assert 'name="mesin-TOTAL_FORMS" value="2"' in page and 'name="mesin-1-name"' in page
    # the page posted back as shown: row 0 as stored, row 1 blank (numbers keep their 0 default)
    data = {"mesin-TOTAL_FORMS": "2", "mesin-INITIAL_FORMS": "1", "mesin-1-count": "", "mesin-1-value": ""}
    data.update({f"mesin-0-{k}": str(v) for k, v in tables["mesin"][0].items()})
    draft.refresh_from_db()
    data["lock_version"] = str(draft.lock_version)
    response = client.post(reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "mesin"}), data)
    assert response.status_code == 302
    assert sm.Machine.objects.filter(report=draft).count() == 1
