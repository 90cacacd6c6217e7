"""The company list: filters by KBLI, kab/kota, scale, type and status, inside the authority only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import AccountType, Factory, Scale
from pemda.filters import KBLI_CODE_INVALID
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _names(response) -> set[str]:
    return {f.name for f in response.context["page"].object_list}


def test_filters_narrow_the_list_within_the_authority(client, cast, place):
    food = place("32.16", Scale.KECIL, kbli=["10110"], name="Dapur Kecil")
    textile = place("32.16", Scale.MENENGAH, kbli=["13111"], name="Tenun Menengah")
    estate = place("32.16", Scale.KECIL, account_type=AccountType.B, kbli=[], name="Kawasan Dalam")
    suspended = place("32.16", Scale.KECIL, status=Factory.Status.SUSPENDED, name="Bengkel Nonaktif")
    login(client, cast.pemda_kab_bekasi)
    url = reverse("pemda:company-list")

    assert _names(client.get(url)) == {food.name, textile.name, estate.name, suspended.name}
    assert _names(client.get(url, {"kbli": "10"})) == {food.name, suspended.name}
    assert _names(client.get(url, {"kbli": "13111"})) == {textile.name}
    assert _names(client.get(url, {"scale": "menengah"})) == {textile.name}
    assert _names(client.get(url, {"account_type": "B"})) == {estate.name}
    assert _names(client.get(url, {"status": "nonaktif"})) == {suspended.name}
    assert _names(client.get(url, {"region": "32.16", "q": "tenun"})) == {textile.name}


def test_a_factory_with_two_matching_kbli_codes_is_listed_once(client, cast, place):
    twice = place("32.16", Scale.KECIL, kbli=["10110", "10120"])
    login(client, cast.pemda_kab_bekasi)
    response = client.get(reverse("pemda:company-list"), {"kbli": "10"})
    assert [f.pk for f in response.context["page"].object_list] == [twice.pk]
    assert response.context["page"].object_list[0].kbli_codes == "10110, 10120"


def test_a_malformed_kbli_code_gets_a_message_at_the_field(client, cast):
    login(client, cast.pemda_jabar)
    response = client.get(reverse("pemda:company-list"), {"kbli": "1a"})
    assert response.context["filter"].form.errors["kbli"] == [KBLI_CODE_INVALID]
    assert list(response.context["page"].object_list) == []


def test_the_province_can_filter_by_its_kab_kota(client, cast, place):
    karawang = place("32.15", Scale.BESAR, name="Pabrik Karawang Besar")
    login(client, cast.pemda_jabar)
    response = client.get(reverse("pemda:company-list"), {"region": "32.15"})
    assert _names(response) == {karawang.name}
    choices = {str(r.pk) for r in response.context["filter"].form.fields["region"].queryset}
    assert "32.15" in choices and "35.78" not in choices


def test_the_list_keeps_a_flat_query_budget_with_ten_thousand_factories(client, cast, ten_thousand, django_assert_max_num_queries):
    assert ten_thousand >= 10_000
    login(client, cast.pemda_jabar)
    # The page's keys, then its rows; the total cached under the data version (one statement).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("pemda:company-list"), {"kbli": "10"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50
    with django_assert_max_num_queries(14):
        client.get(reverse("pemda:company-list"), {"page": 20, "scale": "besar"})


def test_the_export_of_thousands_of_rows_is_built_in_few_queries(client, cast, ten_thousand, django_assert_max_num_queries):
    from siinas.core import export_jobs
    from siinas.core.models import ExportJob

    login(client, cast.pemda_jabar)
    client.post(reverse("pemda:company-export", kwargs={"fmt": "csv"}), {"q": ""})  # > SYNC_ROWS: asked for
    job = ExportJob.objects.get()
    with django_assert_max_num_queries(16):
        export_jobs.build(job.pk)
    job.refresh_from_db()
    body = job.file.open("rb").read().decode("utf-8-sig")
    assert body.count("\n") - 1 == Factory.objects.filter(province_id="32", scale=Scale.BESAR).exclude(
        account_type=AccountType.B
    ).count() + Factory.objects.filter(province_id="32", account_type=AccountType.B, crosses_regency_border=True).count()
