"""What each service's regulation implies: computed figures, field rules and who may apply."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from eservice import catalog
from eservice import service_forms as sf
from eservice.models import Application, Status
from tests.eservice import builders as b
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_tkdn_ik_is_the_domestic_share_of_the_production_cost():
    data = {
        "rows": [
            {"domestic_cost": "600", "foreign_cost": "200"},
            {"domestic_cost": "150", "foreign_cost": "0"},
        ]
    }
    # 750 of 950 = 78.947…% → 78.95
    assert catalog.tkdn_ik_value(data) == Decimal("78.95")
    assert catalog.tkdn_ik_value({"rows": []}) is None


def test_the_tkdn_ik_value_is_shown_before_submission(client, cast):
    login(client, cast.company_b)
    client.post(reverse("eservice:application-create", args=["tkdn-ik"]), b.post_data("tkdn-ik"))
    application = Application.objects.get()
    assert application.status == Status.DRAFT
    page = client.get(reverse("eservice:application-detail", args=[application.pk])).content.decode()
    # 800 domestic of 1,000 total in the builder's cost rows.
    assert "Nilai TKDN-IK" in page and "80,00%" in page


def test_a_cost_row_with_neither_cost_is_refused_at_the_field(client, cast):
    login(client, cast.company_b)
    data = b.post_data("tkdn-ik", **{"rows-0-domestic_cost": "0", "rows-0-foreign_cost": "0"})
    response = client.post(reverse("eservice:application-create", args=["tkdn-ik"]), data)
    assert response.status_code == 200
    assert str(sf.COST_ROW_EMPTY) in response.content.decode()
    assert not Application.objects.exists()


def test_tkdn_ik_is_only_for_small_industry(client, cast):
    login(client, cast.company_a)  # PT Indo Pangan is Besar
    catalogue = client.get(reverse("eservice:application-list")).content.decode()
    assert str(catalog.SMALL_INDUSTRY_ONLY) in catalogue
    response = client.post(reverse("eservice:application-create", args=["tkdn-ik"]), b.post_data("tkdn-ik"))
    assert response.status_code == 200
    assert str(catalog.SMALL_INDUSTRY_ONLY) in response.content.decode()
    assert not Application.objects.exists()


def test_vki_is_only_for_textile_industry(client, cast):
    login(client, cast.company_a)
    response = client.post(reverse("eservice:application-create", args=["vki"]), b.post_data("vki"))
    assert str(catalog.TEXTILE_ONLY) in response.content.decode()
    assert not Application.objects.exists()


def test_machine_discount_follows_the_programme_rate_by_origin():
    data = b.payload("restrukturisasi-mesin")
    result = catalog.machine_discount(data)
    # 2 × Rp100 juta domestic at 25% + 1 × Rp50 juta imported at 10%
    assert result["total"] == Decimal("250000000")
    assert result["discount"] == Decimal("55000000.00")


def test_machine_discount_is_capped_per_application():
    data = {"rows": [{"unit_price": "1000000000", "quantity": 3, "origin": "dalam_negeri"}]}
    result = catalog.machine_discount(data)
    assert result["uncapped"] == Decimal("750000000.00")
    assert result["discount"] == catalog.RESTRUCTURING_CAP


def test_the_discount_is_shown_on_the_application(client, cast):
    login(client, cast.company_a)
    client.post(
        reverse("eservice:application-create", args=["restrukturisasi-mesin"]),
        b.post_data("restrukturisasi-mesin"),
    )
    page = client.get(
        reverse("eservice:application-detail", args=[Application.objects.get().pk])
    ).content.decode()
    assert "Rp 55.000.000,00" in page and "Rp 250.000.000,00" in page


@pytest.mark.parametrize(
    ("service", "overrides", "message"),
    [
        ("iomki", {"workforce_on_site": "500"}, sf.ON_SITE_OVER_TOTAL),
        ("iomki", {"health_protocol": ""}, sf.PROTOCOL_REQUIRED),
        ("vki", {"realised_production": "1200"}, sf.REALISATION_OVER_CAPACITY),
        ("vki", {"domestic_supply": "1000"}, sf.DOMESTIC_OVER_NEED),
        ("vki", {"import_need": "301"}, sf.IMPORT_OVER_GAP),
        (
            "e-licensing",
            {"rows-0-hs_code": "11.01"},
            "Kode HS terdiri dari 4, 6, 8 atau 10 digit angka tanpa titik.",
        ),
    ],
)
def test_field_rules_answer_in_indonesian_at_the_field(service, overrides, message):
    from eservice.forms import ServiceEntry

    entry = ServiceEntry(catalog.get_service(service), data=b.post_data(service, **overrides))
    assert not entry.is_valid()
    errors = [str(e) for errs in entry.form.errors.values() for e in errs]
    if entry.formset is not None:
        errors += [
            str(e) for form_errors in entry.formset.errors for errs in form_errors.values() for e in errs
        ]
    assert str(message) in errors


def test_a_table_service_needs_at_least_one_row():
    from eservice.forms import ServiceEntry

    data = b.post_data("e-licensing")
    data = {k: v for k, v in data.items() if not k.startswith("rows-0-")}
    entry = ServiceEntry(catalog.get_service("e-licensing"), data=data)
    assert not entry.is_valid()
    from eservice.forms import AT_LEAST_ONE_ROW

    assert entry.formset.non_form_errors() == [str(AT_LEAST_ONE_ROW)]


def test_untouched_extra_rows_are_ignored(client, cast):
    """The form offers blank rows; sending them back empty must not block saving."""
    login(client, cast.company_b)
    data = b.post_data("tkdn-ik")
    filled = len(b.ROWS["tkdn-ik"])
    for i in range(filled, filled + 2):
        data.update(
            {
                f"rows-{i}-component": "",
                f"rows-{i}-category": "",
                f"rows-{i}-domestic_cost": "",
                f"rows-{i}-foreign_cost": "",
            }
        )
    data["rows-TOTAL_FORMS"] = str(filled + 2)
    response = client.post(reverse("eservice:application-create", args=["tkdn-ik"]), data)
    assert response.status_code == 302
    assert len(Application.objects.get().data["rows"]) == filled


def test_answers_are_shown_with_labels_choices_and_years_as_written():
    described = catalog.describe(
        catalog.get_service("restrukturisasi-mesin"), b.payload("restrukturisasi-mesin")
    )
    fields = {str(label): value for label, value in described["fields"]}
    assert fields["Tahun program"] == "2026"
    assert described["rows"][0][2] == "Dalam negeri"
