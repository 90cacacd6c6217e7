"""Every declared service runs its whole flow through the views: fill in, upload the required
documents, submit, review, return for revision, resubmit, approve (with the decision letter where the
service issues one) — and a second application of each is rejected."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Role
from eservice.catalog import SERVICES, get_service
from eservice.models import Application, Status
from tests.eservice import builders as b
from tests.factories import officer
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _applicant_and_reviewer(cast, code: str):
    """Who applies for ``code`` and who reviews it (the service's role, in scope of the factory)."""
    if code == "tkdn-ik":  # small industry only: CV Logam Surabaya (Kecil, KBLI 25)
        return cast.company_b, cast.validator_logam
    if code == "vki":  # textile only
        factory = b.textile_factory()
        return b.applicant(factory, "tenunpriangan"), officer(
            "validator_tekstil", Role.VALIDATOR, divisions=["13", "14"]
        )
    service = get_service(code)
    return cast.company_a, (
        cast.verifier if service.reviewing_role == Role.VERIFIER else cast.validator_pangan
    )


def _fill_and_submit(company: Client, code: str) -> Application:
    response = company.post(reverse("eservice:application-create", args=[code]), b.post_data(code))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.filter(service=code).latest("pk")
    for spec in get_service(code).required_documents():
        url = reverse("eservice:document-upload", args=[application.pk])
        assert (
            company.post(url, {"kind": spec.code, "file": b.pdf_upload(f"{spec.code}.pdf")}).status_code
            == 302
        )
    company.post(reverse("eservice:application-submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    return application


@pytest.mark.parametrize("code", [s.code for s in SERVICES])
def test_each_service_runs_its_whole_flow_through_the_views(code, cast):
    user, reviewer = _applicant_and_reviewer(cast, code)
    company, desk = Client(), Client()
    login(company, user)
    login(desk, reviewer)
    service = get_service(code)

    application = _fill_and_submit(company, code)
    queue = desk.get(reverse("eservice:review-queue"), {"layanan": code}).content.decode()
    assert application.number in queue

    desk.post(reverse("eservice:application-start-review", args=[application.pk]))
    desk.post(reverse("eservice:application-return", args=[application.pk]), {"note": "Perbaiki isian."})
    application.refresh_from_db()
    assert application.status == Status.NEEDS_REVISION

    edit = company.post(reverse("eservice:application-edit", args=[application.pk]), b.post_data(code))
    assert edit.status_code == 302
    company.post(reverse("eservice:application-submit", args=[application.pk]))
    desk.post(reverse("eservice:application-start-review", args=[application.pk]))
    decide = reverse("eservice:application-decide", args=[application.pk])
    assert desk.get(decide).status_code == 200
    response = desk.post(decide, {"outcome": "approve", "note": "Memenuhi syarat.", **b.decision_post(code)})
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.status == Status.APPROVED

    letter = company.get(reverse("eservice:decision-letter", args=[application.pk]))
    if service.has_letter:
        assert letter.status_code == 200 and letter.content.startswith(b"%PDF-")
    else:
        assert letter.status_code == 404

    second = _fill_and_submit(company, code)
    desk.post(reverse("eservice:application-start-review", args=[second.pk]))
    desk.post(
        reverse("eservice:application-decide", args=[second.pk]),
        {"outcome": "reject", "note": "Tidak lengkap."},
    )
    second.refresh_from_db()
    assert second.status == Status.REJECTED


def test_the_lhvki_carries_the_verified_figures(cast):
    user, reviewer = _applicant_and_reviewer(cast, "vki")
    application = b.application_in(Status.APPROVED, user=user, service="vki", reviewer=reviewer)

    client = Client()
    login(client, user)
    response = client.get(reverse("eservice:decision-letter", args=[application.pk]))

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "LAPORAN HASIL VERIFIKASI KEMAMPUAN INDUSTRI" in text
    assert "950" in text and "PT Tenun Priangan" in text


def test_a_service_reviewed_by_the_verifier_is_not_in_a_validators_scope(client, cast):
    application = b.application_in(
        Status.SUBMITTED, user=cast.company_a, service="tkdn", reviewer=cast.verifier
    )
    login(client, cast.validator_pangan)
    assert client.get(reverse("eservice:application-detail", args=[application.pk])).status_code == 404
    login(client, cast.verifier)
    assert client.get(reverse("eservice:application-detail", args=[application.pk])).status_code == 200


def test_the_admin_sees_every_service_but_does_not_decide(client, cast):
    application = b.application_in(
        Status.SUBMITTED, user=cast.company_a, service="tkdn", reviewer=cast.verifier
    )
    login(client, cast.admin)
    assert client.get(reverse("eservice:application-detail", args=[application.pk])).status_code == 200
    assert client.post(reverse("eservice:application-start-review", args=[application.pk])).status_code == 403
