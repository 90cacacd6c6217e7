"""Registration and OSS/KSWP (issue 15 §6): the form's "Cek NIB di OSS" pre-fill, the check a worker runs
after the submission (never in the registrant's transaction), what the UPP officer sees, "Periksa ulang",
and that neither a mismatch nor an outage blocks a registration or its approval."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Registration
from accounts.services.registration_checks import CHECK_TASK, normalize_name, normalize_npwp
from accounts.views.registration import FILE_AGAIN, NIB_FOUND, NIB_UNKNOWN, OSS_UNAVAILABLE
from siinas.core.models import AuditEvent, OutboxMessage
from tests.accounts.factories import NPWP_15, NPWP_16, make_registration, nib_upload
from tests.core.fake_server import Answer, http_settings, recording
from tests.helpers import login

pytestmark = pytest.mark.django_db

SEED_NIB = "0233010001824"  # data/oss_offline.csv: PT Indo Pangan
SEED_NPWP = "013000005000000"
SEED_EMAIL = "indopangan@demo.siinas.go.id"
RECORDED_NIB = "9120001234567"  # tests/core/recordings/oss_inquery_nib_found.json


def _form(**overrides) -> dict:
    data = {
        "company_name": "PT Sentosa Makmur",
        "business_kind": "industri",
        "factory_name": "Pabrik Cikarang",
        "region": "32.16",
        "address": "Jalan Industri Selatan 5",
        "npwp": NPWP_15,
        "nib": SEED_NIB,
        "nib_file": nib_upload(),
        "email": "legal@sentosa.co.id",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


@pytest.fixture
def live(settings, fake_server):
    """OSS and KSWP switched to their HTTP clients, both pointed at the local server."""
    settings.SIINAS_OSS_BACKEND = "http"
    settings.SIINAS_KSWP_BACKEND = "http"
    settings.SIINAS_OSS = http_settings(fake_server.url, retries=0)
    settings.SIINAS_KSWP = {**http_settings(fake_server.url, retries=0), "service_code": ""}
    return fake_server


def _live_responder(request: dict) -> Answer:
    if "INQUERYNIB" in request:
        found = request["INQUERYNIB"]["nib"] == RECORDED_NIB
        return Answer(body=recording("oss_inquery_nib_found.json" if found else "oss_inquery_nib_not_found.json"))
    return Answer(body=recording("kswp_valid.json" if request["npwp"] == NPWP_15 else "kswp_not_found.json"))


# --- After the submission ---------------------------------------------------------------------------


def test_the_check_is_queued_in_the_outbox_and_runs_only_after_the_commit(reference_data, client, live, django_capture_on_commit_callbacks):
    live.responder = _live_responder
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("accounts:register"), _form(nib=RECORDED_NIB, company_name="PT Sumber Rejeki Pangan"))
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert OutboxMessage.objects.filter(name=CHECK_TASK, dedupe_key=f"registration-check-{registration.pk}").exists()
    assert live.requests == []  # nothing was asked inside the registrant's transaction
    assert registration.oss_match == Registration.OssMatch.NOT_CHECKED
    for callback in callbacks:
        callback()
    registration.refresh_from_db()
    assert len(live.requests) == 2  # OSS once, KSWP once
    assert registration.oss_match == Registration.OssMatch.MISMATCH
    assert registration.oss_mismatches == ["email"]  # legal@sentosa.co.id vs the NIB's kontak@sumberrejeki.co.id
    assert registration.oss_record["kbli"] == ["10710", "10740"]
    assert registration.kswp_status == Registration.KswpCheck.VALID
    assert registration.kswp_name == "PT SUMBER REJEKI PANGAN"
    assert registration.oss_checked_at and registration.kswp_checked_at
    assert AuditEvent.objects.filter(action="accounts.registration.checked", target_id=str(registration.pk)).exists()


def test_a_registration_that_agrees_with_oss_is_cocok(reference_data):
    registration = make_registration(nib=SEED_NIB, company_name="PT. INDO PANGAN", npwp="0" + SEED_NPWP, email=SEED_EMAIL.upper())
    services.registration_external_check(registration_id=registration.pk)
    registration.refresh_from_db()
    assert registration.oss_match == Registration.OssMatch.MATCH and registration.oss_mismatches == []
    assert registration.kswp_status == Registration.KswpCheck.VALID  # data/kswp_offline.csv
    assert registration.kswp_name == "PT INDO PANGAN"


def test_name_npwp_and_email_differences_are_each_named(reference_data):
    registration = make_registration(nib=SEED_NIB, company_name="PT Lain Sama Sekali", npwp=NPWP_15, email="orang@lain.id")
    services.registration_external_check(registration_id=registration.pk)
    registration.refresh_from_db()
    assert registration.oss_match == Registration.OssMatch.MISMATCH
    assert registration.oss_mismatches == ["company_name", "npwp", "email"]
    assert registration.oss_mismatch_labels == ["nama perusahaan", "NPWP", "e-mail"]


def test_an_unknown_nib_and_npwp_are_tidak_dikenal(reference_data):
    registration = make_registration(nib="8199999999999", npwp=NPWP_16)
    services.registration_external_check(registration_id=registration.pk)
    registration.refresh_from_db()
    assert registration.oss_match == Registration.OssMatch.UNKNOWN_NIB
    assert registration.kswp_status == Registration.KswpCheck.UNKNOWN


def test_the_offline_oss_knows_companies_already_in_siinas(reference_data, cast):
    company = cast.factory_b.company
    registration = make_registration(nib=company.nib, company_name=company.name, npwp=company.npwp, email="x@y.id")
    services.registration_external_check(registration_id=registration.pk)
    registration.refresh_from_db()
    assert registration.oss_match in (Registration.OssMatch.MATCH, Registration.OssMatch.MISMATCH)
    assert registration.oss_record["company_name"] == company.name
    assert registration.kswp_status == Registration.KswpCheck.VALID


def test_an_outage_is_recorded_and_blocks_neither_registration_nor_approval(
    reference_data, cast, client, live, django_capture_on_commit_callbacks
):
    live.default = Answer(status=503, body=b"")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), _form())
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.oss_match == Registration.OssMatch.UNAVAILABLE
    assert registration.kswp_status == Registration.KswpCheck.UNAVAILABLE
    assert OutboxMessage.objects.get(name=CHECK_TASK).status == OutboxMessage.Status.SENT  # nothing left to retry
    login(client, cast.upp)
    page = client.get(reverse("accounts:registration-queue")).content.decode()
    assert "OSS tidak dapat dihubungi" in page and "KSWP tidak dapat dihubungi" in page
    response = client.post(reverse("accounts:registration-approve", args=[registration.pk]), {"account_type": "A"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED


def test_a_mismatch_does_not_block_approval(reference_data, cast, client):
    registration = make_registration(nib=SEED_NIB, company_name="PT Lain")
    services.registration_external_check(registration_id=registration.pk)
    login(client, cast.upp)
    response = client.post(reverse("accounts:registration-approve", args=[registration.pk]), {"account_type": "A"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.APPROVED


def test_a_decided_registration_is_not_checked_again(reference_data):
    registration = make_registration(nib=SEED_NIB, status=Registration.Status.REJECTED, rejection_reason="x")
    services.registration_external_check(registration_id=registration.pk)
    registration.refresh_from_db()
    assert registration.oss_match == Registration.OssMatch.NOT_CHECKED


# --- What the officer sees ------------------------------------------------------------------------


def test_the_queue_and_the_detail_show_the_oss_match_and_kswp_status(reference_data, cast, client):
    checked = make_registration(nib=SEED_NIB, company_name="PT Lain", npwp=SEED_NPWP, email=SEED_EMAIL)
    services.registration_external_check(registration_id=checked.pk)
    unchecked = make_registration()
    login(client, cast.upp)
    page = client.get(reverse("accounts:registration-queue")).content.decode()
    assert 'data-oss="tidak_cocok"' in page and "Tidak cocok (nama perusahaan)" in page
    assert 'data-kswp="valid"' in page
    assert page.count('data-oss="belum"') == 1 and unchecked.number in page
    detail = client.get(reverse("accounts:registration-detail", args=[checked.pk])).content.decode()
    assert "PT Indo Pangan" in detail and "IUI-0233010001824-01" in detail and "10110" in detail
    assert reverse("accounts:registration-recheck", args=[checked.pk]) in detail
    assert "tidak menghalangi persetujuan" in detail


def test_periksa_ulang_asks_again_through_the_outbox_skipping_the_cache(reference_data, cast, client, live, django_capture_on_commit_callbacks):
    live.responder = _live_responder
    registration = make_registration(nib=RECORDED_NIB, company_name="PT Sumber Rejeki Pangan", npwp=NPWP_15, email="kontak@sumberrejeki.co.id")
    services.registration_external_check(registration_id=registration.pk)
    assert len(live.requests) == 2
    login(client, cast.upp)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:registration-recheck", args=[registration.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:registration-detail", args=[registration.pk])
    assert len(live.requests) == 4  # asked afresh, not answered from the cache
    registration.refresh_from_db()
    assert registration.oss_match == Registration.OssMatch.MATCH
    message = OutboxMessage.objects.filter(name=CHECK_TASK).latest("pk")
    assert message.payload["kwargs"] == {"registration_id": registration.pk, "fresh": True}
    assert AuditEvent.objects.filter(action="accounts.registration.recheck_requested", actor=cast.upp).exists()


def test_periksa_ulang_on_a_decided_registration_changes_nothing(reference_data, cast, client):
    registration = make_registration(status=Registration.Status.REJECTED, rejection_reason="x")
    login(client, cast.upp)
    response = client.post(reverse("accounts:registration-recheck", args=[registration.pk]), follow=True)
    assert "sudah diputuskan" in response.content.decode()
    assert not OutboxMessage.objects.filter(name=CHECK_TASK).exists()


# --- "Cek NIB di OSS" on the public form -------------------------------------------------------------


def _check(client, nib: str, **extra):
    return client.post(reverse("accounts:register-check-nib"), {"nib": nib}, HTTP_HX_REQUEST="true", **extra)


def test_cek_nib_with_htmx_returns_the_oss_name_for_the_page_to_fill_in_but_never_the_npwp(reference_data, client):
    response = _check(client, "0233-0100-01824")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="nib-check-result"' in html
    assert 'data-company-name="PT Indo Pangan"' in html
    assert SEED_NPWP not in html and "data-npwp" not in html  # anyone may ask about any NIB
    assert NIB_FOUND.split(":")[0] in html
    assert "<html" not in html  # a fragment
    assert AuditEvent.objects.filter(action="accounts.registration.nib_lookup", extra__state="found").exists()


def test_cek_nib_says_so_when_oss_does_not_know_the_nib_or_it_is_malformed(reference_data, client):
    html = _check(client, "8199999999999").content.decode()
    assert NIB_UNKNOWN in html and "data-company-name" not in html
    assert "NIB OSS RBA harus tepat 13 digit angka." in _check(client, "12ab").content.decode()


def test_cek_nib_while_oss_is_down_lets_the_registrant_go_on(reference_data, client, live):
    live.default = Answer(status=500, body=b"")
    html = _check(client, SEED_NIB).content.decode()
    assert OSS_UNAVAILABLE in html


def test_cek_nib_without_javascript_returns_the_form_with_typed_values_kept_and_oss_values_filled(reference_data, client):
    response = client.post(
        reverse("accounts:register-check-nib"),
        _form(company_name="", npwp="", address="Jalan Tetap Di Sini 9"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["company_name"] == "PT Indo Pangan" and form.initial["npwp"] == ""
    assert form.initial["address"] == "Jalan Tetap Di Sini 9" and form.initial["nib"] == SEED_NIB
    html = response.content.decode()
    assert 'value="PT Indo Pangan"' in html and FILE_AGAIN in html
    assert not Registration.objects.exists()


def test_the_registration_form_offers_cek_nib_with_and_without_javascript(reference_data, client):
    html = client.get(reverse("accounts:register")).content.decode()
    url = reverse("accounts:register-check-nib")
    assert f'formaction="{url}"' in html and f'hx-post="{url}"' in html and 'hx-params="nib"' in html
    assert "Cek NIB di OSS" in html


def test_cek_nib_is_rate_limited_per_address(reference_data, client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "siinas_nib_check": "2/m/ip"}
    assert _check(client, SEED_NIB).status_code == 200
    assert _check(client, SEED_NIB).status_code == 200
    assert _check(client, SEED_NIB).status_code == 429


# --- Comparing ---------------------------------------------------------------------------------------


def test_names_compare_without_case_punctuation_or_legal_form():
    assert normalize_name("PT. Sumber Rejeki, Tbk") == normalize_name("sumber  rejeki") == "sumber rejeki"
    assert normalize_name("CV Sumber Rejeki") != normalize_name("Sumber Rezeki")


def test_an_npwp_compares_equal_in_its_15_and_16_digit_forms():
    assert normalize_npwp("01.312.166.0-091.000") == normalize_npwp("0013121660091000")
