"""A section table's rows are written in Python (reporting/templatetags/section_rows.py): the same rows as
the template loop they replaced, kept here as the reference."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from reporting import services
from tests.helpers import login
from tests.reporting.conftest import post_section, section_input

pytestmark = pytest.mark.django_db

FORMER_LOOP = (
    "{% for form in formset %}<tr>{% for field in form %}<td data-label=\"{{ field.label }}\">{% if forloop.first %}"
    "{% for error in form.non_field_errors %}<div class=\"invalid-feedback d-block report-row-error\">{{ error }}</div>"
    "{% endfor %}{% endif %}{{ field }}{% for error in field.errors %}<div class=\"invalid-feedback d-block\">{{ error }}"
    "</div>{% endfor %}</td>{% endfor %}</tr>{% endfor %}"
)
NEW = "{% load section_rows %}{% section_rows formset %}"


@pytest.fixture
def draft(client, cast, period, in_window):
    login(client, cast.company_a)
    return services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_rows_equal_the_former_template_loop_with_field_and_row_errors(client, draft, language):
    header, tables = section_input("bahan_baku")
    tables["bahan"][0]["value"] = "450.000.000.000"
    tables["bahan"][1]["quantity"] = "4O"  # refused at its field
    response = post_section(client, draft, "bahan_baku", header, tables)
    assert response.status_code == 200
    formset = response.context["tables"][0][1]
    formset.forms[0].add_error(None, "Baris ini <tidak> lengkap.")  # a row's own error, escaped
    engine = engines["django"]
    with translation.override(language):
        former = engine.from_string(FORMER_LOOP).render({"formset": formset})
        new = engine.from_string(NEW).render({"formset": formset})
    assert new == former
    assert "report-row-error" in new and "&lt;tidak&gt;" in new and 'value="4O"' in new


def test_a_page_of_rows_without_errors_is_unchanged_too(client, draft):
    header, tables = section_input("bahan_baku")
    assert post_section(client, draft, "bahan_baku", header, tables).status_code == 302
    response = client.get(reverse("reporting:section-edit", kwargs={"pk": draft.pk, "code": "bahan_baku"}))
    engine = engines["django"]
    for _spec, formset, *_rest in response.context["tables"]:
        assert engine.from_string(NEW).render({"formset": formset}) == engine.from_string(FORMER_LOOP).render({"formset": formset})
