"""Deactivating and reactivating an account (accounts.services.status): the closure date is a fact of the
obligation rule (reporting/obligation.py), so the status changes only through these services."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Factory
from siinas.core.models import AuditEvent
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_an_admin_deactivates_an_account_from_today_and_reactivates_it(client, cast):
    login(client, cast.admin)
    url = reverse("admin:accounts_factory_changelist")
    response = client.post(url, {"action": "deactivate_today", "_selected_action": [cast.factory_a.pk]})
    assert response.status_code == 302
    cast.factory_a.refresh_from_db()
    assert (cast.factory_a.status, cast.factory_a.closed_on) == (Factory.Status.SUSPENDED, timezone.localdate())
    assert AuditEvent.objects.filter(action="accounts.factory.deactivated", actor=cast.admin).exists()

    client.post(url, {"action": "reactivate", "_selected_action": [cast.factory_a.pk]})
    cast.factory_a.refresh_from_db()
    assert (cast.factory_a.status, cast.factory_a.closed_on) == (Factory.Status.ACTIVE, None)
    assert AuditEvent.objects.filter(action="accounts.factory.reactivated", actor=cast.admin).exists()


def test_the_admin_form_does_not_edit_the_status_or_the_closure_date(client, cast):
    login(client, cast.admin)
    page = client.get(reverse("admin:accounts_factory_change", args=[cast.factory_a.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    assert 'name="closed_on"' not in page.content.decode()
