"""The review pages: claims, Pengembalian Data with a comment per section, pass to validation, validate."""

import pytest
from django.core import mail
from django.urls import reverse

from reporting.models import Report, ReportEvent, ReportStatus
from reporting.services import RETURN_NEEDS_COMMENT
from tests.helpers import login
from tests.reporting.factories import ReportFactory
from verification.models import ReviewClaim
from verification.services.review import CLAIMED_BY_OTHER

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast, period):
    return ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED)


@pytest.fixture
def second_verifier(cast):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Role
    from tests.factories import officer

    user = officer("verifikator2", Role.VERIFIER)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)  # officers pass two-factor
    return user


def test_a_claimed_report_is_shown_taken_and_another_verifier_cannot_act_on_it(client, cast, submitted, second_verifier):
    login(client, cast.verifier)
    client.post(reverse("verification:review-claim", args=[submitted.pk]))
    assert ReviewClaim.objects.get(report=submitted).user == cast.verifier

    login(client, second_verifier)
    queue = client.get(reverse("verification:verifier-queue"), {"claim": "others"})
    assert list(queue.context["page"]) == [submitted]
    response = client.post(reverse("verification:review-claim", args=[submitted.pk]), follow=True)
    assert "sedang diperiksa oleh verifikator" in response.content.decode()
    response = client.post(reverse("verification:review-verify", args=[submitted.pk]))
    assert response.status_code == 400
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    assert CLAIMED_BY_OTHER.split("%")[0].strip() in response.content.decode()


def test_the_claim_holder_releases_and_the_report_is_free_again(client, cast, submitted, second_verifier):
    login(client, cast.verifier)
    client.post(reverse("verification:review-claim", args=[submitted.pk]))
    client.post(reverse("verification:review-release", args=[submitted.pk]))
    assert not ReviewClaim.objects.exists()
    login(client, second_verifier)
    assert list(client.get(reverse("verification:verifier-queue"), {"claim": "free"}).context["page"]) == [submitted]


def test_a_stale_claim_can_be_taken_over(client, cast, submitted, second_verifier):
    import datetime as dt

    from django.utils import timezone

    ReviewClaim.objects.create(report=submitted, user=cast.verifier, claimed_at=timezone.now() - dt.timedelta(hours=9))
    login(client, second_verifier)
    client.post(reverse("verification:review-claim", args=[submitted.pk]))
    assert ReviewClaim.objects.get(report=submitted).user == second_verifier


def test_returning_needs_a_comment_for_each_ticked_section_shown_at_the_field(client, cast, submitted):
    login(client, cast.verifier)
    response = client.post(reverse("verification:review-return", args=[submitted.pk]), {"return_produksi": "on", "comment_produksi": " "})
    assert response.status_code == 400
    assert RETURN_NEEDS_COMMENT in response.context["return_form"].errors["comment_produksi"]
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_returning_with_nothing_ticked_is_refused(client, cast, submitted):
    login(client, cast.verifier)
    response = client.post(reverse("verification:review-return", args=[submitted.pk]), {})
    assert response.status_code == 400
    assert response.context["return_form"].non_field_errors()


def test_pengembalian_data_records_each_comment_and_emails_the_company(client, cast, submitted, django_capture_on_commit_callbacks):
    login(client, cast.verifier)
    client.post(reverse("verification:review-claim", args=[submitted.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("verification:review-return", args=[submitted.pk]),
            {"return_produksi": "on", "comment_produksi": "Produksi melebihi kapasitas.", "comment_tenaga_kerja": "Jumlah tidak sama."},
        )
    assert response.status_code == 302
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.RETURNED
    comments = dict(ReportEvent.objects.filter(report=submitted).exclude(section="").values_list("section", "comment"))
    assert comments == {"produksi": "Produksi melebihi kapasitas.", "tenaga_kerja": "Jumlah tidak sama."}
    assert not ReviewClaim.objects.exists(), "the claim ends with the move"
    (message,) = mail.outbox
    assert cast.factory_a.email in message.to and "Pengembalian Data" in message.subject
    assert "Produksi: Produksi melebihi kapasitas." in message.body


def test_the_company_sees_the_comments_per_section_on_its_report(client, cast, submitted):
    login(client, cast.verifier)
    client.post(reverse("verification:review-return", args=[submitted.pk]), {"return_produksi": "on", "comment_produksi": "Produksi melebihi kapasitas."})
    login(client, cast.company_a)
    page = client.get(reverse("reporting:report-detail", kwargs={"pk": submitted.pk})).content.decode()
    assert "Pengembalian Data" in page and "Produksi melebihi kapasitas." in page
    login(client, cast.company_b)
    assert client.get(reverse("reporting:report-detail", kwargs={"pk": submitted.pk})).status_code == 404


def test_validation_locks_the_report_and_emails_the_company(client, cast, submitted, django_capture_on_commit_callbacks):
    login(client, cast.verifier)
    client.post(reverse("verification:review-verify", args=[submitted.pk]), {"comment": "Lengkap."})
    login(client, cast.validator_pangan)
    assert list(client.get(reverse("verification:validator-queue")).context["page"]) == [submitted]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("verification:review-validate", args=[submitted.pk]))
    report = Report.objects.get(pk=submitted.pk)
    assert report.status == ReportStatus.VALIDATED and not report.is_editable
    assert "Tervalidasi" in mail.outbox[-1].body
    response = client.post(reverse("verification:review-return", args=[submitted.pk]), {"return_produksi": "on", "comment_produksi": "x"})
    assert response.status_code == 403, "a validated report cannot be sent back"


def test_a_validator_of_another_division_neither_sees_nor_validates(client, cast, submitted):
    from reporting.services import report_verify

    report_verify(actor=cast.verifier, report=submitted)
    login(client, cast.validator_logam)
    assert list(client.get(reverse("verification:validator-queue")).context["page"]) == []
    assert client.get(reverse("verification:review", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("verification:review-validate", args=[submitted.pk])).status_code == 404
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.VERIFIED


def test_an_officer_viewing_a_report_is_audited(client, cast, submitted):
    from siinas.core.models import AuditEvent

    login(client, cast.verifier)
    client.get(reverse("verification:review", args=[submitted.pk]))
    assert AuditEvent.objects.filter(action="verification.report_viewed", actor=cast.verifier, target_id=str(submitted.pk)).exists()


def test_the_review_page_has_no_inline_script_or_style_for_the_csp(client, cast, submitted):
    import re

    login(client, cast.verifier)
    html = client.get(reverse("verification:review", args=[submitted.pk])).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\sstyle=\"", html) and "<style" not in html
    assert "js/verification.js" in html and 'data-return-box="id_return_produksi"' in html
