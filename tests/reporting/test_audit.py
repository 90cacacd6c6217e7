"""Every view of a report's confidential content by an officer leaves an audit row; the company's own do not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from siinas.core.models import AuditEvent
from tests.authz.routes_reporting import _submitted
from tests.helpers import login

pytestmark = pytest.mark.django_db
PAGES = ["reporting:report-detail", "reporting:version-diff", "reporting:report-pdf", "reporting:report-xlsx", "reporting:receipt"]


@pytest.mark.parametrize("name", PAGES)
def test_an_officer_view_is_recorded_with_who_and_what(client, cast, name):
    kwargs = _submitted(cast)
    if name == "reporting:receipt":
        kwargs["number"] = 1
    login(client, cast.pemda_jabar)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
    event = AuditEvent.objects.get(action="reporting.report_viewed")
    assert (event.actor, event.target_id, event.extra["path"]) == (cast.pemda_jabar, str(kwargs["pk"]), reverse(name, kwargs=kwargs))


def test_the_company_reading_its_own_report_is_not_an_officer_view(client, cast):
    kwargs = _submitted(cast)
    login(client, cast.company_a)
    client.get(reverse("reporting:report-detail", kwargs=kwargs))
    assert not AuditEvent.objects.filter(action="reporting.report_viewed").exists()
