"""Done-when: a report goes company → verifier (returned) → company → verifier → validator → validated,
every step through the pages."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from reporting.models import Report, ReportEvent, ReportStatus
from tests.helpers import login
from tests.reporting.conftest import fill_all, post_section, section_input, submit

pytestmark = pytest.mark.django_db


def test_a_report_is_returned_corrected_verified_and_validated_through_the_pages(
    client, cast, period, django_capture_on_commit_callbacks
):
    # The company files inside the window (July–August 2027).
    with time_machine.travel("2027-07-20 10:00 +0700", tick=False):
        login(client, cast.company_a)
        client.post(reverse("reporting:report-start"), {"period": period.pk, "report_type": "industri_produksi"})
        report = Report.objects.get(factory=cast.factory_a, period=period)
        fill_all(client, report)
        assert submit(client, report).status_code == 302

    with time_machine.travel("2027-09-03 09:00 +0700", tick=False):
        # The verifier takes it from the queue and sends it back with a comment on one section.
        login(client, cast.verifier)
        assert list(client.get(reverse("verification:verifier-queue")).context["page"]) == [report]
        client.post(reverse("verification:review-claim", args=[report.pk]))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("verification:review-return", args=[report.pk]),
                {"return_produksi": "on", "comment_produksi": "Nilai produksi sosis tidak wajar."},
            )
        assert response.status_code == 302
        assert "Nilai produksi sosis tidak wajar." in mail.outbox[-1].body

        # The company sees the comment on its section, corrects it and resubmits after the window.
        login(client, cast.company_a)
        page = client.get(reverse("reporting:section-edit", kwargs={"pk": report.pk, "code": "produksi"})).content.decode()
        assert "Nilai produksi sosis tidak wajar." in page
        header, tables = section_input("produksi")
        tables["produksi"][1]["value"] = 96_000_000_000
        assert post_section(client, report, "produksi", header, tables).status_code == 302
        assert submit(client, report).status_code == 302

        # The verifier passes it to validation; the wrong-division validator cannot reach it.
        login(client, cast.verifier)
        assert list(client.get(reverse("verification:verifier-queue")).context["page"]) == [report]
        client.post(reverse("verification:review-verify", args=[report.pk]), {"comment": "Lengkap."})
        login(client, cast.validator_logam)
        assert client.get(reverse("verification:review", args=[report.pk])).status_code == 404
        assert client.post(reverse("verification:review-validate", args=[report.pk])).status_code == 404

        # The food-sector validator validates; the report is locked and the company told.
        login(client, cast.validator_pangan)
        assert list(client.get(reverse("verification:validator-queue")).context["page"]) == [report]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("verification:review-validate", args=[report.pk]))
        assert mail.outbox[-1].subject.startswith("Laporan tervalidasi") and cast.factory_a.email in mail.outbox[-1].to

    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED and not report.is_editable
    assert report.submitted_on_time is True, "filed inside the window: on time whatever the review did"
    assert report.versions.count() == 2
    actions = list(report.events.filter(section="").values_list("action", flat=True))
    assert actions[-5:] == [
        ReportEvent.Action.SUBMITTED,
        ReportEvent.Action.RETURNED,
        ReportEvent.Action.RESUBMITTED,
        ReportEvent.Action.VERIFIED,
        ReportEvent.Action.VALIDATED,
    ]
    with time_machine.travel("2027-09-03 10:00 +0700", tick=False):
        login(client, cast.company_a)
        submit(client, report)  # a validated report is locked: the company cannot send it again
    assert Report.objects.get(pk=report.pk).status == ReportStatus.VALIDATED and report.versions.count() == 2
