"""Issue 7 "done when": who sees which individual factory (UU 23/2014), and exports hold exactly that."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.access import factories_visible_to
from accounts.models import AccountType, Scale
from siinas.core.models import AuditEvent
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _listed_ids(client, **params) -> set[int]:
    """Ids of every factory the CSV export returns (the list is paginated; the export is complete)."""
    response = client.get(reverse("pemda:company-export", kwargs={"fmt": "csv"}), params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {int(r[0]) for r in rows[1:]}


def _xlsx_ids(client, **params) -> set[int]:
    response = client.get(reverse("pemda:company-export", kwargs={"fmt": "xlsx"}), params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return {int(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_kab_officer_cannot_see_a_besar_factory_in_its_own_area(client, cast):
    login(client, cast.pemda_kab_bekasi)
    assert cast.factory_a.region_id == "32.16" and cast.factory_a.scale == Scale.BESAR

    assert client.get(reverse("pemda:company-detail", kwargs={"pk": cast.factory_a.pk})).status_code == 404
    assert cast.factory_a.pk not in _listed_ids(client)
    assert "PT Indo Pangan" not in client.get(reverse("pemda:company-list")).content.decode()


def test_kab_officer_sees_kecil_and_menengah_and_inner_estates_of_its_own_area_only(client, cast, place):
    kecil = place("32.16", Scale.KECIL)
    menengah = place("32.16", Scale.MENENGAH)
    inner_estate = place("32.16", Scale.BESAR, account_type=AccountType.B, crosses_regency_border=False)
    crossing_estate = place("32.16", Scale.BESAR, account_type=AccountType.B, crosses_regency_border=True)
    neighbour_kecil = place("32.15", Scale.KECIL)  # Kab. Karawang, same province
    other_province_kecil = cast.factory_b  # Kecil in Kota Surabaya
    login(client, cast.pemda_kab_bekasi)

    assert _listed_ids(client) == {kecil.pk, menengah.pk, inner_estate.pk}
    for outside in (neighbour_kecil, other_province_kecil, crossing_estate, cast.factory_a):
        assert client.get(reverse("pemda:company-detail", kwargs={"pk": outside.pk})).status_code == 404
    assert client.get(reverse("pemda:company-detail", kwargs={"pk": kecil.pk})).status_code == 200


def test_province_officer_cannot_see_another_province(client, cast, place):
    jatim_besar = place("35.78", Scale.BESAR)
    jatim_crossing_estate = place("35.15", Scale.BESAR, account_type=AccountType.B, crosses_regency_border=True)
    login(client, cast.pemda_jabar)

    listed = _listed_ids(client)
    assert cast.factory_a.pk in listed
    assert not listed & {jatim_besar.pk, jatim_crossing_estate.pk, cast.factory_b.pk}
    for outside in (jatim_besar, jatim_crossing_estate, cast.factory_b):
        assert client.get(reverse("pemda:company-detail", kwargs={"pk": outside.pk})).status_code == 404


def test_province_officer_sees_besar_and_crossing_estates_not_kecil_or_inner_estates(client, cast, place):
    karawang_besar = place("32.15", Scale.BESAR)
    crossing = place("32.16", Scale.KECIL, account_type=AccountType.B, crosses_regency_border=True)
    kecil = place("32.16", Scale.KECIL)
    inner_estate = place("32.15", Scale.BESAR, account_type=AccountType.B, crosses_regency_border=False)
    login(client, cast.pemda_jabar)

    assert _listed_ids(client) == {cast.factory_a.pk, karawang_besar.pk, crossing.pk}
    assert client.get(reverse("pemda:company-detail", kwargs={"pk": kecil.pk})).status_code == 404
    assert client.get(reverse("pemda:company-detail", kwargs={"pk": inner_estate.pk})).status_code == 404


@pytest.mark.parametrize("officer", ["pemda_jabar", "pemda_kab_bekasi"])
def test_exports_contain_exactly_the_visible_rows(client, cast, place, officer):
    for region in ("32.16", "32.15", "35.78"):
        for scale in Scale.values:
            place(region, scale)
            place(region, scale, kbli=["13111"])
        place(region, Scale.BESAR, account_type=AccountType.B, crosses_regency_border=True, kbli=[])
    user = getattr(cast, officer)
    login(client, user)
    visible = set(factories_visible_to(user).values_list("pk", flat=True))
    assert visible  # the check below means something

    assert _listed_ids(client) == visible
    assert _xlsx_ids(client) == visible
    textile = set(factories_visible_to(user).filter(kbli__code="13111").values_list("pk", flat=True))
    assert textile and _listed_ids(client, kbli="13") == textile
    assert _xlsx_ids(client, kbli="13") == textile


def test_a_filter_cannot_widen_the_scope(client, cast, place):
    karawang = place("32.15", Scale.KECIL)
    login(client, cast.pemda_kab_bekasi)
    # Kab. Karawang is not a choice for the Bekasi office: the filter is rejected, nothing leaks.
    response = client.get(reverse("pemda:company-list"), {"region": "32.15"})
    assert response.status_code == 200
    assert karawang.company.name not in response.content.decode()
    assert client.get(reverse("pemda:company-export", kwargs={"fmt": "csv"}), {"region": "32.15"}).status_code == 302


def test_viewing_a_company_is_an_audit_event(client, cast):
    login(client, cast.pemda_jabar)
    client.get(reverse("pemda:company-detail", kwargs={"pk": cast.factory_a.pk}))
    event = AuditEvent.objects.get(action="pemda.factory_view")
    assert event.actor == cast.pemda_jabar
    assert (event.target_type, event.target_id) == ("accounts.factory", str(cast.factory_a.pk))


def test_the_list_and_the_export_are_audit_events_naming_what_was_seen(client, cast):
    login(client, cast.pemda_jabar)
    client.get(reverse("pemda:company-list"), {"scale": "besar"})
    listed = AuditEvent.objects.get(action="pemda.company_list")
    assert listed.extra["factories"] == [cast.factory_a.pk]
    assert listed.extra["filters"] == {"scale": "besar"}

    client.get(reverse("pemda:company-export", kwargs={"fmt": "xlsx"}))
    exported = AuditEvent.objects.get(action="pemda.company_export")
    assert exported.extra["rows"] == 1 and exported.extra["format"] == "xlsx"


def test_the_detail_shows_the_licences_that_decide_the_authority(client, cast):
    import datetime as dt

    from accounts.models import Licence

    Licence.objects.create(factory=cast.factory_a, kind="IUI", number="IUI-0099", issued_on=dt.date(2020, 5, 4), scale=Scale.BESAR)
    login(client, cast.pemda_jabar)
    response = client.get(reverse("pemda:company-detail", kwargs={"pk": cast.factory_a.pk}))
    assert [licence.number for licence in response.context["licences"]] == ["IUI-0099"]
    assert "IUI-0099" in response.content.decode()
