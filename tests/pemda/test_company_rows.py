"""The Pemda company list's rows are written in Python (pemda/templatetags/company_list.py): the same table as
the template loop they replaced, kept here as the reference."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Factory, Scale
from reporting.models import ReportStatus
from tests.helpers import login
from tests.reporting.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(dt.datetime(2024, 1, 1))

FORMER_LOOP = """{% load i18n %}{% for f in page.object_list %}
  <tr><td><a href="{% url 'pemda:company-detail' pk=f.pk %}">{{ f.company.name }}</a></td><td>{{ f.name }}</td><td>{{ f.region.name }}</td><td>{{ f.account_type }}</td><td>{{ f.get_scale_display }}</td><td class="small">{{ f.kbli_codes|default:"—" }}</td><td>{{ f.get_status_display }}</td>{% if report_period %}<td>{% if f.report_status %}{% for code, label in report_labels.items %}{% if code == f.report_status %}{{ label }}{% endif %}{% endfor %}{% if f.report_on_time is False %} <span class="badge text-bg-warning">{% translate "terlambat" %}</span>{% endif %}{% else %}<span class="text-muted">{% translate "Belum dibuat" %}</span>{% endif %}</td>{% endif %}</tr>
  {% empty %}<tr><td colspan="8" class="text-muted">{% translate "Tidak ada perusahaan di bawah kewenangan Anda yang cocok dengan filter." %}</td></tr>
  {% endfor %}"""
NEW = "{% load company_list %}{% company_rows page report_period report_labels %}"


def _both(context) -> tuple[str, str]:
    engine = engines["django"]
    wanted = {k: context[k] for k in ("page", "report_period", "report_labels")}
    return engine.from_string(FORMER_LOOP).render(wanted), engine.from_string(NEW).render(wanted)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-11-20 10:00 +0700", tick=False):
        yield


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_rows_equal_the_former_template_loop(client, cast, place, language):
    period = PeriodFactory(year=2026, number=1)
    Factory.objects.update(created_at=LONG_AGO)
    late = place("32.16", Scale.KECIL, created_at=LONG_AGO, name='Pabrik "Kapal" & <Sagu>')
    valid = place("32.16", Scale.MENENGAH, created_at=LONG_AGO, name="Sudah Valid", kbli=[])
    place("32.16", Scale.KECIL, created_at=LONG_AGO, name="Belum Lapor", kbli=["10110", "10120"])
    ReportFactory(factory=late, period=period, status=ReportStatus.SUBMITTED, submitted_on_time=False)
    ReportFactory(factory=valid, period=period, status=ReportStatus.VALIDATED, submitted_on_time=True)
    ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.DRAFT, submitted_on_time=None)
    login(client, cast.pemda_kab_bekasi)
    with translation.override(language):
        for query in ({}, {"periode": period.pk}, {"laporan": "belum"}):
            context = client.get(reverse("pemda:company-list"), query).context
            assert context["report_period"] == period
            former, new = _both(context)
            assert new == former
            if not query:
                assert "Pabrik &quot;Kapal&quot; &amp; &lt;Sagu&gt;" in new and "badge text-bg-warning" in new
                assert "text-muted" in new and "10110, 10120" in new and "—" in new


def test_without_a_period_and_without_rows_the_rows_are_as_before(client, cast, place):
    place("32.16", Scale.KECIL, name="Tanpa Periode")
    login(client, cast.pemda_kab_bekasi)
    for query in ({}, {"q": "tidak ada yang cocok"}):
        context = client.get(reverse("pemda:company-list"), query).context
        assert context["report_period"] is None
        former, new = _both(context)
        assert new == former
    assert "colspan" in new
