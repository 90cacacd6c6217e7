"""The admin keeps the holiday calendar the UPP SLA skips."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.services import holidays as holiday_services
from siinas.core.models import AuditEvent, Holiday
from siinas.core.selectors import working_day_deadline
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_an_added_holiday_moves_the_sla_deadline(cast, client):
    login(client, cast.admin)
    submitted = dt.datetime(2031, 3, 3, 10, tzinfo=dt.UTC)  # a Monday
    before = working_day_deadline(submitted)
    response = client.post(reverse("accounts:holiday-add"), {"date": before.date().isoformat(), "name": "Cuti bersama"})
    assert response.status_code == 302
    assert working_day_deadline(submitted).date() == before.date() + dt.timedelta(days=1)
    assert AuditEvent.objects.filter(action="core.holiday.added", actor=cast.admin).exists()
    page = client.get(reverse("accounts:holiday-list"), {"tahun": 2031}).content.decode()
    assert "Cuti bersama" in page


def test_the_same_date_twice_is_refused_at_the_field(cast, client):
    login(client, cast.admin)
    # The reference calendar already holds it when the run's year is 2030–2032: the same row either way.
    Holiday.objects.update_or_create(date=dt.date(2031, 8, 17), defaults={"name": "HUT RI"})
    response = client.post(reverse("accounts:holiday-add"), {"date": "2031-08-17", "name": "Lagi"})
    assert response.status_code == 400
    assert response.context["form"].errors["date"] == [holiday_services.HOLIDAY_EXISTS]
    assert response.context["form"]["name"].value() == "Lagi"


def test_a_holiday_can_be_removed(cast, client):
    login(client, cast.admin)
    holiday, _ = Holiday.objects.update_or_create(date=dt.date(2031, 9, 9), defaults={"name": "Salah ketik"})
    client.post(reverse("accounts:holiday-delete", args=[holiday.pk]))
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert AuditEvent.objects.filter(action="core.holiday.deleted", extra__name="Salah ketik").exists()
