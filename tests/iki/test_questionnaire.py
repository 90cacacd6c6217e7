"""The monthly questionnaire (SIINAS.md §5): window, one response per line, the factor rules, the
official's details, the Surat Kuasa, the list of past responses."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iki import services
from iki.models import IkiPeriod, IkiResponse
from siinas.core.models import AuditEvent, Kbli
from siinas.lib.uploads import UPLOAD_NOT_PDF
from tests.helpers import login
from tests.iki.conftest import MARCH, answers, make_response, pdf_bytes, service_data

pytestmark = pytest.mark.django_db


def save(cast, **overrides):
    return services.iki_response_save(actor=cast.company_a, factory=cast.factory_a, data=service_data(**overrides))


def error_of(excinfo, field):
    return excinfo.value.message_dict[field]


# --- window ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [12, 15, 23])
def test_it_is_open_from_the_12th_to_the_23rd(cast, clock, day):
    clock(date(2026, 3, day))
    response = save(cast)
    assert response.period == MARCH


@pytest.mark.parametrize("day", [date(2026, 3, 11), date(2026, 3, 24), date(2026, 3, 1)])
def test_it_is_closed_outside_the_window(cast, clock, day):
    clock(day)
    with pytest.raises(ValidationError) as excinfo:
        save(cast)
    assert "Kuesioner IKI sedang ditutup" in excinfo.value.messages[0]
    assert not IkiResponse.objects.exists()


def test_the_last_day_is_open_until_midnight_jakarta_time(cast, clock):
    clock(date(2026, 3, 23), hour=23)
    assert save(cast).period == MARCH


def test_an_admin_can_move_the_window_of_a_month(cast, clock):
    IkiPeriod.objects.create(month=MARCH, opens_on=date(2026, 3, 5), closes_on=date(2026, 3, 10))
    clock(date(2026, 3, 6))
    assert save(cast).period == MARCH
    clock(date(2026, 3, 15))
    with pytest.raises(ValidationError):
        save(cast, kbli2="10")


def test_a_window_stretched_into_the_next_month_still_files_for_its_own_month(cast, clock):
    IkiPeriod.objects.create(month=MARCH, opens_on=date(2026, 3, 12), closes_on=date(2026, 4, 2))
    clock(date(2026, 4, 1))
    assert save(cast).period == MARCH


def test_a_response_is_editable_until_the_window_closes(cast, clock):
    clock(date(2026, 3, 15))
    response = save(cast)
    clock(date(2026, 3, 23))
    services.iki_response_save(
        actor=cast.company_a, factory=cast.factory_a, response=response, data=service_data(main_product="Sosis")
    )
    response.refresh_from_db()
    assert response.main_product == "Sosis"
    clock(date(2026, 3, 24))
    with pytest.raises(ValidationError) as excinfo:
        services.iki_response_save(
            actor=cast.company_a, factory=cast.factory_a, response=response, data=service_data(main_product="Bakso")
        )
    assert "hanya dapat diisi dan diubah tanggal 12 Maret 2026 sampai 23 Maret 2026" in excinfo.value.messages[0]
    response.refresh_from_db()
    assert response.main_product == "Sosis"


# --- one response per factory, KBLI 2-digit line and month ---------------------------------------


def test_one_response_per_factory_per_kbli_line_per_month(cast, window_open):
    save(cast)
    with pytest.raises(ValidationError) as excinfo:
        save(cast)
    assert error_of(excinfo, "kbli2") == [
        "Kuesioner bidang usaha KBLI 10 periode 2026-03 sudah diisi. Ubah jawaban yang sudah ada."
    ]
    assert IkiResponse.objects.count() == 1


def test_a_factory_with_two_kbli_lines_answers_once_per_line(cast, window_open):
    cast.factory_a.kbli.add(Kbli.objects.get(code="11010"))
    save(cast, kbli2="10")
    save(cast, kbli2="11")
    assert sorted(IkiResponse.objects.values_list("kbli2_id", flat=True)) == ["10", "11"]


def test_the_same_line_is_answered_again_next_month(cast, clock):
    clock(date(2026, 3, 15))
    save(cast)
    clock(date(2026, 4, 15))
    save(cast)
    assert sorted(IkiResponse.objects.values_list("period", flat=True)) == [MARCH, date(2026, 4, 1)]


def test_the_line_must_be_one_of_the_factorys_kbli_divisions(cast, window_open):
    with pytest.raises(ValidationError) as excinfo:
        save(cast, kbli2="25")
    assert error_of(excinfo, "kbli2") == ["Pilih bidang usaha (KBLI 2 digit) yang terdaftar pada profil pabrik Anda."]


def test_only_the_factorys_own_account_answers(cast, window_open):
    with pytest.raises(ValidationError):
        services.iki_response_save(actor=cast.company_b, factory=cast.factory_a, data=service_data())


# --- factor rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "factors_field", "value"),
    [
        ("orders", "orders_factors", "meningkat"),
        ("orders", "orders_factors", "menurun"),
        ("production", "production_factors", "meningkat"),
        ("stock", "stock_factors", "menurun"),
        ("outlook", "outlook_factors", "optimis"),
        ("outlook", "outlook_factors", "pesimis"),
    ],
)
def test_factors_are_required_when_the_answer_is_not_unchanged(cast, window_open, answer, factors_field, value):
    with pytest.raises(ValidationError) as excinfo:
        save(cast, **{answer: value, factors_field: []})
    assert error_of(excinfo, factors_field) == ["Pilih minimal satu faktor utama."]


@pytest.mark.parametrize(
    ("answer", "factors_field", "neutral"),
    [("orders", "orders_factors", "tetap"), ("stock", "stock_factors", "tetap"), ("outlook", "outlook_factors", "tidak_berubah")],
)
def test_factors_are_optional_when_the_answer_is_tetap_or_tidak_berubah(cast, window_open, answer, factors_field, neutral):
    response = save(cast, **{answer: neutral, factors_field: []})
    assert getattr(response, factors_field) == []


def test_lainnya_needs_its_text(cast, window_open):
    with pytest.raises(ValidationError) as excinfo:
        save(cast, production="menurun", production_factors=["lainnya"], production_other="  ")
    assert error_of(excinfo, "production_other") == ['Tuliskan faktor lainnya karena Anda memilih "Lainnya".']


def test_lainnya_with_its_text_is_kept_and_a_stray_text_is_dropped(cast, window_open):
    response = save(
        cast,
        production="menurun",
        production_factors=["lainnya", "biaya_produksi"],
        production_other="Banjir di lokasi pabrik",
        orders_other="tidak dipakai",
    )
    assert response.production_factors == ["biaya_produksi", "lainnya"]
    assert response.production_other == "Banjir di lokasi pabrik"
    assert response.orders_other == ""


def test_an_unknown_factor_is_refused(cast, window_open):
    with pytest.raises(ValidationError) as excinfo:
        save(cast, stock_factors=["hujan"])
    assert error_of(excinfo, "stock_factors") == ["Pilihan faktor tidak dikenal."]


def test_every_factor_list_is_the_spec_wording():
    from iki import questions

    assert [str(label) for _c, label in questions.ORDER_FACTORS] == [
        "Pesanan domestik", "Pesanan luar negeri", "Pengadaan barang/jasa pemerintah", "Penjualan ritel/rumah tangga",
        "Pesanan dari grup perusahaan Anda", "Pesanan dari perusahaan industri lain sebagai bahan baku/penolong",
        "Harga jual produk dalam negeri", "Harga jual produk luar negeri", "Nilai tukar", "Harga Patokan Ekspor (HPE)",
        "Biaya pengiriman", "Kondisi ekonomi negara mitra", "Kebijakan perdagangan negara mitra",
        "Kesepakatan kerjasama internasional baru", "Lainnya",
    ]
    assert [str(label) for _c, label in questions.PRODUCTION_FACTORS] == [
        "Pesanan", "Tingkat ketersediaan stok produk", "Ketersediaan fasilitas produksi", "Ketersediaan tenaga kerja",
        "Ketersediaan bahan baku/penolong", "Biaya produksi", "Faktor musiman", "Nilai tukar", "Lainnya",
    ]
    assert [str(label) for _c, label in questions.STOCK_FACTORS] == [
        "Pesanan", "Penjualan", "Biaya penyimpanan", "Waktu tunggu pengiriman", "Ketersediaan ruang penyimpanan",
        "Sistem logistik", "Lainnya",
    ]
    assert [str(label) for _c, label in questions.OUTLOOK_FACTORS] == [
        "Kebijakan pemerintah pusat", "Kebijakan pemerintah daerah", "Inflasi", "Pasar (market)", "Suku bunga",
        "Infrastruktur untuk logistik dan distribusi", "Proses perizinan", "Fasilitas/insentif pemerintah", "Lainnya",
    ]
    assert [str(label) for _c, label in questions.Change.choices] == ["Meningkat", "Tetap", "Menurun"]
    assert [str(label) for _c, label in questions.Outlook.choices] == ["Optimis", "Tidak berubah", "Pesimis"]


def test_saving_writes_an_audit_event(cast, window_open):
    response = save(cast)
    event = AuditEvent.objects.get(action="iki.response_created")
    assert event.actor == cast.company_a and event.target_id == str(response.pk)
    assert event.extra == {"period": "2026-03", "kbli2": "10"}


# --- through the form and the pages --------------------------------------------------------------


def test_the_form_shows_every_question_in_indonesian(client, cast, window_open):
    login(client, cast.company_a)
    page = client.get(reverse("iki:response-create")).content.decode()
    for text in (
        "Bagaimana kondisi kegiatan usaha secara umum pada bulan ini dibandingkan dengan bulan lalu?",
        "Bagaimana volume pesanan baru pada bulan ini dibandingkan bulan lalu?",
        "Bagaimana volume produksi pada bulan ini dibandingkan bulan lalu?",
        "Bagaimana volume persediaan (stok) produk pada bulan ini dibandingkan bulan lalu?",
        "Bagaimana pandangan Anda terhadap kondisi dunia usaha di Indonesia 6 bulan ke depan?",
        "Informasi Pejabat yang Menjawab",
        "Apakah pabrik dengan lokasi di atas sudah beroperasi secara komersial?",
        "Harga Patokan Ekspor (HPE)",
        "Surat Kuasa",
    ):
        assert text in page, text


def test_posting_the_form_saves_and_shows_the_answers(client, cast, window_open):
    login(client, cast.company_a)
    response = client.post(reverse("iki:response-create"), answers(), follow=True)
    stored = IkiResponse.objects.get()
    assert response.redirect_chain[-1][0] == reverse("iki:response-detail", kwargs={"pk": stored.pk})
    assert stored.official_name == "Siti Rahma" and stored.orders_factors == ["pesanan_domestik", "nilai_tukar"]
    assert "Pesanan domestik" in response.content.decode()


@pytest.mark.parametrize("missing", ["official_name", "official_position", "official_phone", "official_email", "main_product"])
def test_the_officials_details_and_main_product_are_required(client, cast, window_open, missing):
    login(client, cast.company_a)
    response = client.post(reverse("iki:response-create"), answers(**{missing: ""}))
    assert response.status_code == 200
    assert missing in response.context["form"].errors
    assert not IkiResponse.objects.exists()


def test_a_rule_broken_in_the_service_shows_at_the_field_and_keeps_the_input(client, cast, window_open):
    login(client, cast.company_a)
    response = client.post(reverse("iki:response-create"), answers(orders="menurun", orders_factors=[]))
    form = response.context["form"]
    assert form.errors["orders_factors"] == ["Pilih minimal satu faktor utama."]
    assert 'value="Siti Rahma"' in response.content.decode()
    assert not IkiResponse.objects.exists()


def test_an_invalid_phone_is_refused_at_the_field(client, cast, window_open):
    login(client, cast.company_a)
    response = client.post(reverse("iki:response-create"), answers(official_phone="telepon kantor"))
    assert response.context["form"].errors["official_phone"] == ["Isi nomor telepon/HP dengan angka, mis. 081234567890."]


def test_a_fake_pdf_surat_kuasa_is_refused_by_content(client, cast, window_open):
    login(client, cast.company_a)
    fake = SimpleUploadedFile("surat-kuasa.pdf", b"ini bukan pdf", content_type="application/pdf")
    response = client.post(reverse("iki:response-create"), {**answers(), "power_of_attorney": fake})
    assert response.context["form"].errors["power_of_attorney"] == ["Jenis berkas tidak diizinkan. Unggah PDF, JPG atau PNG."]
    broken = SimpleUploadedFile("surat-kuasa.pdf", b"%PDF-1.7 rusak", content_type="application/pdf")
    response = client.post(reverse("iki:response-create"), {**answers(), "power_of_attorney": broken})
    assert response.context["form"].errors["power_of_attorney"] == [UPLOAD_NOT_PDF]
    assert not IkiResponse.objects.exists()


def test_a_surat_kuasa_over_10_mb_is_refused(client, cast, window_open):
    login(client, cast.company_a)
    big = SimpleUploadedFile("surat-kuasa.pdf", pdf_bytes() + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    response = client.post(reverse("iki:response-create"), {**answers(), "power_of_attorney": big})
    assert response.context["form"].errors["power_of_attorney"] == ["Ukuran berkas melebihi batas 10 MB."]


def test_a_real_surat_kuasa_is_stored_and_served_only_after_the_access_check(client, cast, window_open):
    login(client, cast.company_a)
    upload = SimpleUploadedFile("kuasa direktur.pdf", pdf_bytes(), content_type="application/pdf")
    client.post(reverse("iki:response-create"), {**answers(), "power_of_attorney": upload})
    stored = IkiResponse.objects.get()
    assert stored.power_of_attorney.name.startswith("iki-surat-kuasa/") and "direktur" not in stored.power_of_attorney.name
    url = reverse("iki:response-attachment", kwargs={"pk": stored.pk})
    served = client.get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF-")
    login(client, cast.company_b)
    assert client.get(url).status_code == 404


def test_the_company_sees_its_past_responses_and_only_its_own(client, cast, clock, reference_data):
    make_response(cast.factory_a, date(2026, 1, 1), main_product="Kornet Januari")
    make_response(cast.factory_a, date(2026, 2, 1), main_product="Kornet Februari")
    make_response(cast.factory_b, date(2026, 2, 1), "25", main_product="Baut Surabaya")
    clock(date(2026, 3, 15))
    login(client, cast.company_a)
    page = client.get(reverse("iki:response-list")).content.decode()
    assert "Kornet Januari" in page and "Kornet Februari" in page
    assert "Baut Surabaya" not in page
    assert "Isi Pelaporan Baru" in page  # March not yet answered for KBLI 10


def test_the_list_says_when_the_next_window_opens(client, cast, clock):
    clock(date(2026, 3, 25))
    login(client, cast.company_a)
    page = client.get(reverse("iki:response-list")).content.decode()
    assert "Kuesioner sedang ditutup. Periode 2026-04 dibuka 12 April 2026 sampai 23 April 2026." in page


def test_the_response_list_keeps_a_flat_query_budget(client, cast, clock, django_assert_max_num_queries):
    for year in (2023, 2024, 2025):
        for month in range(1, 13):
            make_response(cast.factory_a, date(year, month, 1))
    clock(date(2026, 3, 15))
    login(client, cast.company_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("iki:response-list"))
    assert response.content.decode().count(reverse("iki:response-detail", kwargs={"pk": 1})[:-2]) >= 36


def test_an_admin_reads_a_response_and_the_reading_is_audited(client, cast, reference_data):
    stored = make_response(cast.factory_a, MARCH)
    login(client, cast.admin)
    assert client.get(reverse("iki:response-detail", kwargs={"pk": stored.pk})).status_code == 200
    assert AuditEvent.objects.filter(action="iki.response_viewed", actor=cast.admin, target_id=str(stored.pk)).exists()
    assert client.get(reverse("iki:response-edit", kwargs={"pk": stored.pk})).status_code == 403


def test_the_admin_edits_a_months_window_in_the_django_admin(client, cast):
    login(client, cast.admin)
    url = reverse("admin:iki_ikiperiod_add")
    response = client.post(url, {"month": "2026-03-01", "opens_on": "2026-03-05", "closes_on": "2026-03-20"})
    assert response.status_code == 302
    assert IkiPeriod.objects.get(month=MARCH).closes_on == date(2026, 3, 20)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"month": "2026-03-02", "opens_on": "2026-03-05", "closes_on": "2026-03-20"}, "month", "Isi dengan tanggal 1 bulan yang bersangkutan."),
        ({"month": "2026-03-01", "opens_on": "2026-03-20", "closes_on": "2026-03-05"}, "closes_on", "Tanggal tutup tidak boleh sebelum tanggal buka."),
        ({"month": "2026-03-01", "opens_on": "2026-02-25", "closes_on": "2026-03-05"}, "opens_on", "Jendela tidak boleh dibuka sebelum bulan yang bersangkutan."),
    ],
)
def test_a_malformed_window_is_refused_at_the_field(client, cast, values, field, message):
    login(client, cast.admin)
    response = client.post(reverse("admin:iki_ikiperiod_add"), values)
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    assert not IkiPeriod.objects.exists()


def test_the_header_shows_the_office_and_factory_address_from_the_profile(client, cast, monkeypatch):
    import time_machine
    from django.urls import reverse

    from accounts.models import CompanyProfile
    from siinas.core.models import Region
    from tests.helpers import login

    CompanyProfile.objects.update_or_create(
        company=cast.factory_a.company,
        defaults={"hq_address": "Jalan Gatot Subroto Kav. 52", "hq_region": Region.objects.get(pk="31.74")},
    )
    login(client, cast.company_a)
    with time_machine.travel("2026-11-15 10:00 +07:00", tick=False):
        page = client.get(reverse("iki:response-create")).content.decode()
    assert "Jalan Gatot Subroto Kav. 52" in page
    assert cast.factory_a.address in page
