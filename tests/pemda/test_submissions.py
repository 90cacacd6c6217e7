"""Pemda information: nine categories per semester, text + figures + attachments, draft → sent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType, Scale
from pemda.forms import FIGURE_VALUE_REQUIRED
from pemda.models import Category, Submission
from pemda.services import SUBMISSION_EMPTY, SUBMISSION_EXISTS, submission_create
from siinas.core.models import AuditEvent
from tests.helpers import login

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


def _create(client, category: str = Category.HAMBATAN, year: int = LAST_YEAR, semester: int = 2):
    return client.post(reverse("pemda:submission-create"), {"category": category, "year": year, "semester": semester})


def _figures(rows: list[tuple[str, str, str]], text: str = "") -> dict:
    data = {"text": text, "angka-TOTAL_FORMS": len(rows), "angka-INITIAL_FORMS": 0, "angka-MIN_NUM_FORMS": 0, "angka-MAX_NUM_FORMS": 500}
    for i, (label, value, unit) in enumerate(rows):
        data |= {f"angka-{i}-label": label, f"angka-{i}-value": value, f"angka-{i}-unit": unit, f"angka-{i}-note": ""}
    return data


def test_the_list_offers_all_nine_categories_of_the_deck(client, cast):
    login(client, cast.pemda_jabar)
    response = client.get(reverse("pemda:submission-list"), {"periode": f"{LAST_YEAR}-2"})
    assert [row["label"] for row in response.context["matrix"]] == [
        "Rekapitulasi Data Industri",
        "Rekapitulasi Data Kawasan Industri",
        "Informasi Perwilayahan",
        "Informasi Kebijakan & Fasilitas",
        "Informasi Sumber Daya Industri",
        "Informasi Sarana & Prasarana",
        "Informasi Investasi",
        "Informasi Pertumbuhan Ekonomi Daerah",
        "Informasi Hambatan",
    ]


def test_an_officer_drafts_with_text_and_figures_then_sends(client, cast):
    login(client, cast.pemda_jabar)
    response = _create(client)
    submission = Submission.objects.get()
    assert response["Location"] == reverse("pemda:submission-edit", kwargs={"pk": submission.pk})
    assert (submission.region_id, submission.status, submission.created_by) == ("32", "konsep", cast.pemda_jabar)

    edit = reverse("pemda:submission-edit", kwargs={"pk": submission.pk})
    response = client.post(edit, _figures([("Perusahaan terdampak banjir", "12", "perusahaan")], text="Banjir Februari."))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.text == "Banjir Februari."
    assert [(f.label, f.value, f.unit) for f in submission.figures.all()] == [("Perusahaan terdampak banjir", Decimal("12.00"), "perusahaan")]

    client.post(reverse("pemda:submission-submit", kwargs={"pk": submission.pk}))
    submission.refresh_from_db()
    assert submission.status == "terkirim" and submission.submitted_by == cast.pemda_jabar and submission.submitted_at
    assert AuditEvent.objects.filter(action="pemda.submission_submit", target_id=str(submission.pk)).exists()


def test_a_sent_submission_can_no_longer_be_edited(client, cast):
    login(client, cast.pemda_jabar)
    _create(client)
    submission = Submission.objects.get()
    client.post(reverse("pemda:submission-edit", kwargs={"pk": submission.pk}), _figures([], text="Isi."))
    client.post(reverse("pemda:submission-submit", kwargs={"pk": submission.pk}))
    assert client.get(reverse("pemda:submission-edit", kwargs={"pk": submission.pk})).status_code == 403
    assert client.post(reverse("pemda:submission-edit", kwargs={"pk": submission.pk}), _figures([], text="Ubah")).status_code == 403
    submission.refresh_from_db()
    assert submission.text == "Isi."


def test_an_empty_draft_cannot_be_sent(client, cast):
    login(client, cast.pemda_jabar)
    _create(client)
    submission = Submission.objects.get()
    response = client.post(reverse("pemda:submission-submit", kwargs={"pk": submission.pk}), follow=True)
    assert SUBMISSION_EMPTY in [str(m) for m in response.context["messages"]]
    submission.refresh_from_db()
    assert submission.is_draft


def test_a_figure_without_a_number_is_refused_at_the_field_and_the_text_is_kept(client, cast):
    login(client, cast.pemda_jabar)
    _create(client)
    submission = Submission.objects.get()
    response = client.post(
        reverse("pemda:submission-edit", kwargs={"pk": submission.pk}),
        _figures([("Luas kawasan peruntukan industri", "", "ha")], text="Teks yang tidak boleh hilang."),
    )
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["value"] == [FIGURE_VALUE_REQUIRED]
    assert "Teks yang tidak boleh hilang." in response.content.decode()


def test_one_submission_per_category_and_semester(cast):
    submission_create(actor=cast.pemda_jabar, category=Category.INVESTASI, year=LAST_YEAR, semester=1)
    with pytest.raises(ValidationError) as excinfo:
        submission_create(actor=cast.pemda_jabar, category=Category.INVESTASI, year=LAST_YEAR, semester=1)
    assert excinfo.value.message_dict == {"category": [SUBMISSION_EXISTS]}


def test_the_industry_recap_is_generated_from_the_territory_and_respects_the_minimum(client, cast, place):
    for _ in range(3):
        place("32.15", Scale.BESAR, kbli=["13111"], workforce=100)
    place("32.73", Scale.KECIL, kbli=["13111"], workforce=7)  # Kota Bandung: 1 company
    # Kota Bogor: 2 companies, large enough that factory_a (420) does not dominate division 10 with them.
    place("32.71", Scale.MENENGAH, kbli=["10110"], workforce=200)
    place("32.71", Scale.MENENGAH, kbli=["10110"], workforce=200)
    login(client, cast.pemda_jabar)
    _create(client, Category.REKAP_INDUSTRI)
    submission = Submission.objects.get()
    figures = {f.label: f.value for f in submission.figures.all()}
    # Aggregates of the whole territory: Kecil and Menengah count although the province may not list them.
    assert figures["Jumlah perusahaan industri (akun tipe A)"] == 7
    assert figures["Tenaga kerja industri (profil akun)"] == 300 + 7 + 400 + 420
    assert figures["Perusahaan industri — Kabupaten Karawang"] == 3
    # Bekasi (1), Bandung (1) and Bogor (2) each cover fewer than 3 companies: left out.
    assert not any(name in label for label in figures for name in ("Kota Bandung", "Kota Bogor", "Kabupaten Bekasi"))
    assert figures["Perusahaan industri KBLI — 13 Industri tekstil"] == 4
    assert figures["Tenaga kerja KBLI — 13 Industri tekstil"] == 307
    assert figures["Tenaga kerja KBLI — 10 Industri Makanan"] == 820
    assert submission.generated_at is not None


def test_the_recap_leaves_out_a_workforce_one_company_dominates(client, cast, place):
    place("32.71", Scale.MENENGAH, kbli=["10110"], workforce=5)  # division 10: factory_a's 420 + 5 + 5
    place("32.71", Scale.MENENGAH, kbli=["10110"], workforce=5)
    for _ in range(3):
        place("32.15", Scale.BESAR, kbli=["13111"], workforce=100)
    login(client, cast.pemda_jabar)
    _create(client, Category.REKAP_INDUSTRI)
    figures = {f.label: f.value for f in Submission.objects.get().figures.all()}
    assert figures["Perusahaan industri KBLI — 10 Industri Makanan"] == 3  # the count passes ...
    assert "Tenaga kerja KBLI — 10 Industri Makanan" not in figures  # ... its workforce is 98 % one company
    assert "Tenaga kerja KBLI — 13 Industri tekstil" not in figures  # else 13 + 10 = the total gives it away


def test_the_generated_recap_is_editable_before_sending(client, cast, place):
    for _ in range(3):
        place("32.16", Scale.KECIL, account_type=AccountType.B, kbli=[])
    login(client, cast.pemda_kab_bekasi)
    _create(client, Category.REKAP_KAWASAN)
    submission = Submission.objects.get()
    assert {f.label: f.value for f in submission.figures.all()}["Jumlah perusahaan kawasan industri (akun tipe B)"] == 3
    client.post(
        reverse("pemda:submission-edit", kwargs={"pk": submission.pk}),
        _figures([("Jumlah perusahaan kawasan industri (akun tipe B)", "4", "kawasan")], text="Satu kawasan baru belum terdaftar."),
    )
    assert [(f.label, f.value) for f in submission.figures.all()] == [("Jumlah perusahaan kawasan industri (akun tipe B)", Decimal("4.00"))]
    client.post(reverse("pemda:submission-generate", kwargs={"pk": submission.pk}))
    assert {f.label: f.value for f in submission.figures.all()}["Jumlah perusahaan kawasan industri (akun tipe B)"] == 3


def test_attachments_are_checked_by_content(client, cast, pdf_upload):
    login(client, cast.pemda_jabar)
    _create(client)
    submission = Submission.objects.get()
    url = reverse("pemda:attachment-upload", kwargs={"pk": submission.pk})
    fake = SimpleUploadedFile("peta.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Peta", "file": fake})
    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"] == ["Jenis berkas tidak diizinkan. Unggah PDF, JPG, PNG atau XLSX."]
    assert not submission.attachments.exists()

    assert client.post(url, {"title": "Peta kawasan", "file": pdf_upload()}).status_code == 302
    attachment = submission.attachments.get()
    assert (attachment.title, attachment.kind) == ("Peta kawasan", "pdf")
    download = client.get(reverse("pemda:attachment-download", kwargs={"pk": attachment.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_ministry_sees_sent_submissions_of_every_region_but_not_drafts(client, cast):
    draft = submission_create(actor=cast.pemda_jabar, category=Category.SARANA, year=LAST_YEAR, semester=2)
    sent = submission_create(actor=cast.pemda_kab_bekasi, category=Category.EKONOMI, year=LAST_YEAR, semester=2)
    Submission.objects.filter(pk=sent.pk).update(
        status="terkirim", submitted_at=timezone.now(), submitted_by=cast.pemda_kab_bekasi, text="PDRB tumbuh."
    )
    for officer in (cast.admin, cast.verifier):
        login(client, officer)
        assert client.get(reverse("pemda:submission-detail", kwargs={"pk": sent.pk})).status_code == 200
        assert client.get(reverse("pemda:submission-detail", kwargs={"pk": draft.pk})).status_code == 404


def test_an_office_does_not_see_another_offices_submissions(client, cast):
    theirs = submission_create(actor=cast.pemda_jabar, category=Category.SARANA, year=LAST_YEAR, semester=2)
    login(client, cast.pemda_kab_bekasi)
    assert client.get(reverse("pemda:submission-detail", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("pemda:submission-edit", kwargs={"pk": theirs.pk})).status_code == 404


def test_the_province_reads_what_its_kab_kota_offices_sent_but_not_their_drafts(client, cast):
    sent = submission_create(actor=cast.pemda_kab_bekasi, category=Category.HAMBATAN, year=LAST_YEAR, semester=2)
    Submission.objects.filter(pk=sent.pk).update(
        status="terkirim", submitted_at=timezone.now(), submitted_by=cast.pemda_kab_bekasi, text="Banjir."
    )
    draft = submission_create(actor=cast.pemda_kab_bekasi, category=Category.SARANA, year=LAST_YEAR, semester=2)
    login(client, cast.pemda_jabar)
    assert client.get(reverse("pemda:submission-detail", kwargs={"pk": sent.pk})).status_code == 200
    assert client.get(reverse("pemda:submission-detail", kwargs={"pk": draft.pk})).status_code == 404
    # Reading is not editing: the Bekasi office's information stays the Bekasi office's.
    assert client.post(reverse("pemda:submission-submit", kwargs={"pk": sent.pk})).status_code == 403
    listed = client.get(reverse("pemda:submission-list"), {"periode": f"{LAST_YEAR}-2"}).context["from_regencies"]
    assert [s.pk for s in listed] == [sent.pk]


def test_another_province_does_not_read_them(client, cast):
    from accounts.models import Role
    from siinas.core.models import Region
    from tests.factories import officer

    sent = submission_create(actor=cast.pemda_kab_bekasi, category=Category.HAMBATAN, year=LAST_YEAR, semester=2)
    Submission.objects.filter(pk=sent.pk).update(status="terkirim", submitted_at=timezone.now(), text="Banjir.")
    login(client, officer("pemda_jatim", Role.PEMDA_PROV, region=Region.objects.get(pk="35")))
    assert client.get(reverse("pemda:submission-detail", kwargs={"pk": sent.pk})).status_code == 404
