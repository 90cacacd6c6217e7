"""Data Perusahaan: each section saved with a field-by-field history (who, when); KBLI 5-digit,
several; licences decide the scale and therefore which Pemda has authority."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.access import factories_visible_to
from accounts.models import Licence, ProfileChange, Scale
from accounts.services import profile as profile_services
from siinas.core.models import AuditEvent
from tests.accounts.factories import NPWP_16
from tests.factories import FactoryAccountFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_a_section_change_is_kept_in_history_with_who_and_when(cast, client):
    login(client, cast.company_a)
    response = client.post(
        reverse("accounts:profile-edit", args=["umum"]),
        {"name": "PT Indo Pangan Tbk", "npwp": NPWP_16, "legal_form": "PT", "phone": "021-555", "website": "indopangan.co.id"},
    )
    assert response.status_code == 302
    change = ProfileChange.objects.get(factory=cast.factory_a, section="umum")
    assert change.actor == cast.company_a and change.created_at is not None
    assert change.changes["name"] == ["PT Indo Pangan", "PT Indo Pangan Tbk"]
    assert change.changes["npwp"][1] == NPWP_16 and change.changes["legal_form"] == ["", "PT"]
    assert AuditEvent.objects.filter(action="accounts.profile.changed", actor=cast.company_a).exists()
    history = client.get(reverse("accounts:profile-history")).content.decode()
    assert "PT Indo Pangan Tbk" in history and "indopangan" in history


def test_saving_without_changes_adds_no_history(cast, client):
    login(client, cast.company_a)
    data = {"name": "Yohanes", "position": "Manajer", "phone": "0812", "email": "y@indo.co.id"}
    client.post(reverse("accounts:profile-edit", args=["kontak"]), data)
    client.post(reverse("accounts:profile-edit", args=["kontak"]), data)
    assert ProfileChange.objects.filter(section="kontak").count() == 1


def test_bad_input_is_refused_at_the_field_and_kept(cast, client):
    login(client, cast.company_a)
    response = client.post(
        reverse("accounts:profile-edit", args=["kantor"]), {"hq_address": "Jalan Sudirman 1", "hq_region": "31.71", "hq_postal_code": "12A"}
    )
    assert response.status_code == 200 and response.context["form"].errors["hq_postal_code"]
    assert response.context["form"]["hq_address"].value() == "Jalan Sudirman 1"
    assert not ProfileChange.objects.exists()


def test_the_factory_address_uses_region_codes_and_cannot_take_another_accounts_location(cast, client):
    sister = FactoryAccountFactory(company=cast.factory_a.company, address="Jalan Kembar 2", region=cast.factory_a.region)
    login(client, cast.company_a)
    data = {"name": "Pabrik Bekasi", "address": "jalan kembar 2", "region": "32.16", "stage": "produksi", "workforce": 420}
    response = client.post(reverse("accounts:profile-edit", args=["pabrik"]), data)
    assert response.context["form"].errors["address"] == [profile_services.LOCATION_TAKEN_BY_OTHER_ACCOUNT]
    data["address"] = "Jalan Melati 6"
    data["region"] = "32.15"
    assert client.post(reverse("accounts:profile-edit", args=["pabrik"]), data).status_code == 302
    cast.factory_a.refresh_from_db()
    assert cast.factory_a.region_id == "32.15" and cast.factory_a.province_id == "32"
    assert sister.pk != cast.factory_a.pk


def test_several_five_digit_kbli_are_allowed_and_drive_validator_routing(cast, client):
    login(client, cast.company_b)
    assert cast.company_b.factory not in factories_visible_to(cast.validator_pangan)
    response = client.post(reverse("accounts:profile-kbli"), {"kbli": ["25111", "10710"]})
    assert response.status_code == 302
    assert sorted(cast.factory_b.kbli.values_list("code", flat=True)) == ["10710", "25111"]
    assert cast.factory_b in factories_visible_to(cast.validator_pangan)
    change = ProfileChange.objects.get(section="bidang-usaha")
    assert change.changes["kbli"] == [["25111"], ["10710", "25111"]]


def test_kbli_must_be_five_digit_and_at_least_one(cast, client):
    login(client, cast.company_b)
    assert client.post(reverse("accounts:profile-kbli"), {"kbli": ["25"]}).context["form"].errors["kbli"]
    assert client.post(reverse("accounts:profile-kbli"), {"kbli": []}).context["form"].errors["kbli"]
    from siinas.core.models import Kbli

    with pytest.raises(Exception) as exc:
        profile_services.factory_kbli_set(actor=cast.company_b, factory=cast.factory_b, kbli=[Kbli.objects.get(code="25")])
    assert profile_services.KBLI_NOT_FIVE_DIGIT in str(exc.value)


def test_the_largest_current_licence_scale_becomes_the_factory_scale_and_moves_pemda_authority(cast, client):
    factory = cast.factory_a  # Besar in Kab. Bekasi: the province has authority
    assert factory in factories_visible_to(cast.pemda_jabar)
    assert factory not in factories_visible_to(cast.pemda_kab_bekasi)
    login(client, cast.company_a)
    client.post(reverse("accounts:licence-add"), {"kind": "IUI", "number": "IUI-01", "issued_on": "2020-01-01", "scale": "menengah"})
    factory.refresh_from_db()
    assert factory.scale == Scale.MENENGAH
    assert factory in factories_visible_to(cast.pemda_kab_bekasi)
    assert factory not in factories_visible_to(cast.pemda_jabar)
    client.post(reverse("accounts:licence-add"), {"kind": "IUI Perluasan", "number": "IUI-02", "issued_on": "2023-05-01", "scale": "besar"})
    factory.refresh_from_db()
    assert factory.scale == Scale.BESAR
    # An expired licence does not count.
    expired = Licence.objects.get(number="IUI-02")
    client.post(reverse("accounts:licence-delete", args=[expired.pk]))
    client.post(
        reverse("accounts:licence-add"),
        {"kind": "IUI lama", "number": "IUI-00", "issued_on": "2010-01-01", "valid_until": "2015-01-01", "scale": "besar"},
    )
    factory.refresh_from_db()
    assert factory.scale == Scale.MENENGAH
    changes = ProfileChange.objects.filter(section="perizinan")
    assert changes.count() == 4 and any("scale" in c.changes for c in changes)


def test_licence_input_errors_are_clear(cast, client):
    login(client, cast.company_a)
    client.post(reverse("accounts:licence-add"), {"kind": "IUI", "number": "IUI-9", "issued_on": "2020-01-01", "scale": "kecil"})
    dup = client.post(reverse("accounts:licence-add"), {"kind": "IUI", "number": "IUI-9", "issued_on": "2021-01-01", "scale": "kecil"})
    assert dup.status_code == 400 and dup.context["form"].errors["number"] == [profile_services.LICENCE_NUMBER_TAKEN]
    bad = client.post(
        reverse("accounts:licence-add"),
        {"kind": "IUI", "number": "IUI-10", "issued_on": "2021-01-01", "valid_until": "2020-01-01", "scale": "kecil"},
    )
    assert bad.context["form"].errors["valid_until"] == [profile_services.LICENCE_DATES]


def test_production_capacity_rows_are_replaced_and_recorded(cast, client):
    login(client, cast.company_a)
    data = {
        "kapasitas-TOTAL_FORMS": "2",
        "kapasitas-INITIAL_FORMS": "0",
        "kapasitas-0-product": "Tepung terigu",
        "kapasitas-0-kbli": "10110",
        "kapasitas-0-capacity": "12000",
        "kapasitas-0-unit": "ton",
        "kapasitas-1-product": "",
        "kapasitas-1-capacity": "",
        "kapasitas-1-unit": "",
    }
    response = client.post(reverse("accounts:profile-capacity"), data)
    assert response.status_code == 302
    capacity = cast.factory_a.capacities.get()
    assert capacity.product == "Tepung terigu" and capacity.kbli_id == "10110" and capacity.capacity == 12000
    data["kapasitas-0-capacity"] = "-5"
    bad = client.post(reverse("accounts:profile-capacity"), data)
    assert bad.status_code == 200 and bad.context["formset"].forms[0].errors["capacity"]
    assert cast.factory_a.capacities.get().capacity == 12000
    assert ProfileChange.objects.filter(section="kapasitas").count() == 1


def test_the_profile_page_shows_every_section_with_a_flat_query_budget(cast, client, django_assert_max_num_queries):
    for n in range(30):
        Licence.objects.create(factory=cast.factory_a, kind="IUI", number=f"L-{n}", issued_on=dt.date(2020, 1, 1), scale="besar")
    login(client, cast.company_a)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("accounts:profile")).content.decode()
    for heading in ("Data Umum", "Alamat Kantor Pusat", "Alamat Pabrik", "Contact Person", "Bidang Usaha", "Kapasitas Produksi", "Perizinan",
                    "Bukti Kepemilikan Akun", "Ganti Password"):
        assert heading in page


def test_the_history_page_keeps_a_flat_query_budget(cast, client, django_assert_max_num_queries):
    for n in range(60):
        ProfileChange.objects.create(factory=cast.factory_a, actor=cast.company_a, actor_label="indopangan", section="kontak", changes={"name": [str(n), str(n + 1)]})
    login(client, cast.company_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:profile-history"))
    assert len(response.context["page"]) == 50


def test_a_company_never_sees_another_factorys_history(cast, client):
    ProfileChange.objects.create(factory=cast.factory_b, actor=cast.company_b, actor_label="logamsby", section="umum", changes={"name": ["a", "rahasia-b"]})
    login(client, cast.company_a)
    assert "rahasia-b" not in client.get(reverse("accounts:profile-history")).content.decode()


def test_opening_a_section_form_writes_nothing(cast, client):
    from accounts.models import CompanyProfile

    login(client, cast.company_a)
    for section in ("umum", "kantor", "pabrik", "kontak"):
        assert client.get(reverse("accounts:profile-edit", args=[section])).status_code == 200
    assert not CompanyProfile.objects.exists() and not ProfileChange.objects.exists()
    client.post(reverse("accounts:profile-edit", args=["kantor"]), {"hq_address": "Jalan Sudirman 1", "hq_region": "31.71", "hq_postal_code": "10220"})
    profile = CompanyProfile.objects.get(company=cast.factory_a.company)
    assert profile.hq_region_id == "31.71" and profile.hq_postal_code == "10220"


def test_an_unknown_section_is_not_found(cast, client):
    login(client, cast.company_a)
    assert client.get(reverse("accounts:profile-edit", args=["rahasia"])).status_code == 404


def test_the_profile_reads_and_shows_numbers_grouped_in_the_page_language(cast, client):
    login(client, cast.company_a)
    data = {
        "kapasitas-TOTAL_FORMS": "1",
        "kapasitas-INITIAL_FORMS": "0",
        "kapasitas-0-product": "Tepung terigu",
        "kapasitas-0-kbli": "10110",
        "kapasitas-0-capacity": "1.200.000,5",
        "kapasitas-0-unit": "ton",
    }
    assert client.post(reverse("accounts:profile-capacity"), data).status_code == 302
    assert cast.factory_a.capacities.get().capacity == Decimal("1200000.5")
    page = client.get(reverse("accounts:profile-capacity")).content.decode()
    assert 'value="1.200.000,5"' in page and 'data-decimal-mark=","' in page
    factory = {"name": "Pabrik Bekasi", "address": "Jalan Melati 6", "region": "32.16", "stage": "produksi", "workforce": "1.420"}
    assert client.post(reverse("accounts:profile-edit", args=["pabrik"]), factory).status_code == 302
    cast.factory_a.refresh_from_db()
    assert cast.factory_a.workforce == 1420

def test_the_factory_section_keeps_the_operation_start_in_its_history(client, cast):
    """The start of production is a fact of the obligation rule (docs/statistics.md): the company keeps it."""
    login(client, cast.company_a)
    data = {"name": "Pabrik Bekasi", "address": cast.factory_a.address, "region": "32.16", "stage": "produksi", "workforce": 420}
    response = client.post(reverse("accounts:profile-edit", args=["pabrik"]), {**data, "operating_since": "2019-04-01"})
    assert response.status_code == 302
    cast.factory_a.refresh_from_db()
    assert cast.factory_a.operating_since == dt.date(2019, 4, 1)
    change = ProfileChange.objects.filter(factory=cast.factory_a, section="pabrik").latest("created_at")
    assert change.changes["operating_since"] == [None, "2019-04-01"]
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = client.post(reverse("accounts:profile-edit", args=["pabrik"]), {**data, "operating_since": future})
    assert refused.status_code == 200
    assert refused.context["form"].errors["operating_since"] == ["Tanggal mulai beroperasi tidak boleh setelah hari ini."]
