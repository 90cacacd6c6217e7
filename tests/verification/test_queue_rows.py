"""The queue's rows are written in Python (verification/templatetags/review_queue.py): the same table as the
template loop they replaced, kept here as the reference."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from reporting.models import ReportStatus
from tests.helpers import login
from tests.reporting.factories import ReportFactory
from verification.services.review import review_claim

pytestmark = pytest.mark.django_db

FORMER_LOOP = """{% load i18n %}
  {% for report in page %}
  <tr>
    <td><a href="{% url 'verification:review' report.pk %}">{{ report.factory.company.name }}</a><br><span class="small text-muted">{{ report.factory.name }} · {{ report.factory.region.name }}</span></td>
    <td>{{ report.get_report_type_display }}</td>
    <td>{{ report.period }}</td>
    <td>{{ report.factory.province.name }}</td>
    <td>{{ report.last_submitted_at|date:"d-m-Y H:i" }}<br><span class="small text-muted">{{ report.last_submitted_at|timesince }}</span></td>
    <td>{% if report.submitted_on_time %}<span class="badge text-bg-success">{% translate "Tepat waktu" %}</span>{% else %}<span class="badge text-bg-warning">{% translate "Terlambat" %}</span>{% endif %}</td>
    <td>{% if report.claim %}{{ report.claim.user.get_username }}{% else %}<span class="text-muted">{% translate "Belum diambil" %}</span>{% endif %}</td>
  </tr>
  {% empty %}
  <tr><td colspan="7" class="text-muted">{% translate "Tidak ada laporan yang menunggu." %}</td></tr>
  {% endfor %}
"""
NEW = "{% load review_queue %}{% queue_rows page %}"


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _both(page) -> tuple[str, str]:
    engine = engines["django"]
    return (
        _squeezed(engine.from_string(FORMER_LOOP).render({"page": page})),
        _squeezed(engine.from_string(NEW).render({"page": page})),
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_rows_equal_the_former_template_loop(client, cast, period, language):
    on_time = ReportFactory(factory=cast.factory_a, period=period, status=ReportStatus.SUBMITTED, submitted_on_time=True)
    ReportFactory(
        factory=cast.factory_b, period=period, report_type="industri_produksi_kecil", status=ReportStatus.SUBMITTED,
        submitted_on_time=False, last_submitted_at=timezone.now() - dt.timedelta(days=20, hours=3),
    )  # fmt: skip
    on_time.factory.company.name = 'PT "Kapal" & <Sagu>'  # escaped the same way
    on_time.factory.company.save()
    review_claim(actor=cast.verifier, report=on_time)
    login(client, cast.verifier)
    with translation.override(language):
        page = client.get(reverse("verification:verifier-queue")).context["page"]
        former, new = _both(page)
    assert "Kapal" in new and cast.verifier.username in new and "badge text-bg-warning" in new
    assert new == former


def test_an_empty_queue_says_so_as_before(client, cast):
    login(client, cast.verifier)
    page = client.get(reverse("verification:verifier-queue")).context["page"]
    former, new = _both(page)
    assert new == former and "colspan" in new
