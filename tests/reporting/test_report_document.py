"""The report page's document is written in Python (reporting/templatetags/report_document.py): the same HTML
as the template it replaced, kept here as the reference."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import engines
from django.urls import reverse
from django.utils import translation

from reporting import selectors, services
from reporting.sections import models as sm
from tests.helpers import login
from tests.reporting.conftest import fill_all

pytestmark = pytest.mark.django_db

FORMER_INCLUDE = """{% load i18n %}{% for section in document %}
<section class="mb-4" aria-labelledby="dok-{{ section.code }}">
  <h3 class="h6" id="dok-{{ section.code }}">{{ forloop.counter }}. {{ section.title }}</h3>
  {% if section.fields %}<dl class="row small mb-2">{% for label, value in section.fields %}<dt class="col-sm-5 fw-normal text-muted">{{ label|capfirst }}</dt><dd class="col-sm-7 mb-1">{{ value }}</dd>{% endfor %}</dl>{% endif %}
  {% for table in section.tables %}
  <div class="table-responsive"><table class="table table-sm table-bordered small">
    <caption>{{ table.title }}</caption>
    <thead><tr>{% for h in table.headers %}<th scope="col">{{ h|capfirst }}</th>{% endfor %}</tr></thead>
    <tbody>{% for row in table.rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% empty %}<tr><td colspan="{{ table.headers|length }}" class="text-muted">{% translate "Tidak ada baris." %}</td></tr>{% endfor %}</tbody>
  </table></div>
  {% endfor %}
</section>
{% endfor %}
"""
NEW = "{% load report_document %}{% report_document document %}"


def _both(document) -> tuple[str, str]:
    engine = engines["django"]
    return engine.from_string(FORMER_INCLUDE).render({"document": document}), engine.from_string(NEW).render({"document": document})


@pytest.fixture
def filled(client, cast, period, in_window):
    login(client, cast.company_a)
    report = services.report_start(actor=cast.company_a, factory=cast.factory_a, period=period, report_type="industri_produksi")
    fill_all(client, report)
    return report


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_document_equals_the_former_include(filled, language):
    sm.CapacityProduct.objects.filter(report=filled).update(name='Kopi "Luwak" & <Gula>')  # escaped the same way
    sm.Water.objects.filter(report=filled).delete()  # a table without rows
    with translation.override(language):
        document = selectors.build_document(filled.spec, selectors.report_snapshot(filled))
        former, new = _both(document)
    assert "Kopi &quot;Luwak&quot; &amp; &lt;Gula&gt;" in new and 'class="text-muted"' in new and "<dd" in new
    assert new == former


def test_an_empty_document_is_as_before(filled):
    for document in ([], selectors.build_document(filled.spec, {})):
        former, new = _both(document)
        assert new == former


def test_the_report_page_shows_the_document(client, filled):
    html = client.get(reverse("reporting:report-detail", kwargs={"pk": filled.pk})).content.decode()
    assert 'id="dok-' in html and "<caption>" in html


def test_the_snapshot_in_one_query_equals_the_snapshot(filled, django_assert_max_num_queries):
    """On PostgreSQL one query reads every section table; elsewhere it is report_snapshot itself."""
    sm.CapacityProduct.objects.filter(report=filled).update(name='Kopi "Luwak" & <Gula>')
    sm.Water.objects.filter(report=filled).delete()
    expected = selectors.report_snapshot(filled)
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 25):
        got = selectors.report_snapshot_in_one_query(filled)
    assert got == expected
    assert selectors.snapshot_hash(got) == selectors.snapshot_hash(expected)


ACCOUNTS = {  # report type -> (account type, stage, scale) that owes it
    "industri_pembangunan": ("A", "pembangunan", "besar"),
    "industri_produksi_kecil": ("A", "produksi", "kecil"),
    "industri_produksi": ("A", "produksi", "besar"),
    "kawasan_pembangunan": ("B", "pembangunan", "besar"),
    "kawasan_komersial": ("B", "produksi", "besar"),
}


@pytest.mark.parametrize("report_type", list(ACCOUNTS))
def test_the_submitted_version_holds_the_same_snapshot_for_every_report_type(client, cast, period, in_window, report_type):
    """A submission stores the one-query snapshot (reporting.services._submit): equal to the per-section one."""
    from tests.factories import FactoryAccountFactory, company_user
    from tests.reporting.conftest import submit

    account_type, stage, scale = ACCOUNTS[report_type]
    factory = FactoryAccountFactory(account_type=account_type, stage=stage, scale=scale)
    user = company_user(factory, f"snap_{report_type}")
    login(client, user)
    report = services.report_start(actor=user, factory=factory, period=period, report_type=report_type)
    fill_all(client, report, estate=account_type == "B")
    expected = selectors.report_snapshot(report)
    assert submit(client, report).status_code == 302
    version = report.versions.get()
    assert version.data == expected
    assert version.content_hash == selectors.snapshot_hash(expected)
