"""Announcements on the home page (issue 16 §6): admins manage them; each shows to the chosen roles from its
first to its last day, counted in Asia/Jakarta; the body is plain text."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from siinas.core import services
from siinas.core.models import Announcement, AuditEvent
from siinas.core.selectors import announcements_for
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _post(**overrides) -> dict:
    data = {"title": "Batas pelaporan diperpanjang", "body": "Baris satu\nBaris dua", "roles": ["company", "pemda_prov"],
            "starts_on": "2026-07-10", "ends_on": "2026-07-14"}  # fmt: skip
    data.update(overrides)
    return data


def _announce(
    cast, roles=("company",), starts_on=dt.date(2026, 7, 10), ends_on=dt.date(2026, 7, 14), **extra
) -> Announcement:
    fields = {"title": "Pemeliharaan sistem", "body": "SIINas tidak dapat diakses Sabtu malam."} | extra
    return services.announcement_save(
        actor=cast.admin, roles=roles, starts_on=starts_on, ends_on=ends_on, **fields
    )


def test_an_announcement_is_shown_only_to_the_roles_it_was_posted_for(client, cast):
    _announce(cast, roles=("company", "verifier"))
    with time_machine.travel("2026-07-12 10:00 +0700", tick=False):
        assert [a.title for a in announcements_for(cast.company_a)] == ["Pemeliharaan sistem"]
        assert [a.title for a in announcements_for(cast.verifier)] == ["Pemeliharaan sistem"]
        assert list(announcements_for(cast.pemda_jabar)) == []
        login(client, cast.company_a)
        assert "Pemeliharaan sistem" in client.get(reverse("core:dashboard")).content.decode()
        login(client, cast.upp)
        assert "Pemeliharaan sistem" not in client.get(reverse("core:dashboard")).content.decode()


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        ("2026-07-09 23:59 +0700", False),  # the day before it starts
        ("2026-07-10 00:30 +0700", True),  # first day in Jakarta, still 9 July in UTC
        ("2026-07-14 23:30 +0700", True),  # last day
        ("2026-07-15 00:30 +0700", False),  # the day after in Jakarta, still 14 July in UTC
    ],
)
def test_an_announcement_is_shown_from_its_first_to_its_last_day_in_jakarta(cast, moment, shown):
    _announce(cast)
    with time_machine.travel(moment, tick=False):
        assert bool(list(announcements_for(cast.company_a))) is shown


def test_the_body_is_plain_text_escaped_with_its_line_breaks(client, cast):
    _announce(cast, body='<script>alert("x")</script>\nBaris <b>dua</b>')
    with time_machine.travel("2026-07-12 10:00 +0700", tick=False):
        login(client, cast.company_a)
        body = client.get(reverse("core:dashboard")).content.decode()
    assert (
        "<script>alert" not in body
        and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Baris &lt;b&gt;dua&lt;/b&gt;" in body
    )


def test_an_admin_posts_an_announcement_and_it_is_audited(client, cast):
    login(client, cast.admin)
    response = client.post(reverse("core:announcement-add"), _post())
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert sorted(a.role for a in announcement.audience.all()) == ["company", "pemda_prov"]
    assert announcement.body == "Baris satu\nBaris dua" and announcement.created_by == cast.admin
    assert AuditEvent.objects.filter(action="core.announcement.created", actor=cast.admin).exists()
    page = client.get(reverse("core:announcement-list")).content.decode()
    assert "Batas pelaporan diperpanjang" in page and "Perusahaan, Dinas Provinsi" in page


def test_an_end_before_the_start_is_refused_at_the_field_and_the_input_is_kept(client, cast):
    login(client, cast.admin)
    response = client.post(reverse("core:announcement-add"), _post(ends_on="2026-07-01"))
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"] == [services.ANNOUNCEMENT_ENDS_BEFORE_START]
    assert "Batas pelaporan diperpanjang" in response.content.decode() and not Announcement.objects.exists()


def test_an_announcement_needs_at_least_one_known_role(client, cast):
    login(client, cast.admin)
    response = client.post(reverse("core:announcement-add"), _post(roles=[]))
    assert (
        response.status_code == 400
        and "Pilih sedikitnya satu peran" in response.context["form"].errors["roles"][0]
    )
    response = client.post(reverse("core:announcement-add"), _post(roles=["superuser"]))
    assert response.status_code == 400 and "roles" in response.context["form"].errors
    with pytest.raises(ValidationError) as exc:
        _announce(cast, roles=("company", "superuser"))
    assert exc.value.message_dict["roles"] == [services.ANNOUNCEMENT_UNKNOWN_ROLE % {"role": "superuser"}]
    assert not Announcement.objects.exists()


def test_an_admin_edits_and_deletes_an_announcement(client, cast):
    announcement = _announce(cast)
    login(client, cast.admin)
    form = client.get(reverse("core:announcement-edit", args=[announcement.pk])).context["form"]
    assert form.initial["roles"] == ["company"] and form.initial["ends_on"] == dt.date(2026, 7, 14)
    response = client.post(
        reverse("core:announcement-edit", args=[announcement.pk]), _post(title="Judul baru", roles=["upp"])
    )
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.title == "Judul baru" and [a.role for a in announcement.audience.all()] == ["upp"]
    assert client.post(reverse("core:announcement-delete", args=[announcement.pk])).status_code == 302
    assert not Announcement.objects.exists()
    assert AuditEvent.objects.filter(action="core.announcement.deleted").exists()


@pytest.mark.parametrize("who", ["company_a", "upp", "verifier", "validator_pangan", "pemda_jabar", "kl"])
def test_only_an_admin_manages_announcements(client, cast, who):
    announcement = _announce(cast)
    login(client, getattr(cast, who))
    assert client.get(reverse("core:announcement-list")).status_code == 403
    assert client.post(reverse("core:announcement-add"), _post()).status_code == 403
    assert (
        client.post(reverse("core:announcement-edit", args=[announcement.pk]), _post(title="X")).status_code
        == 403
    )
    assert client.post(reverse("core:announcement-delete", args=[announcement.pk])).status_code == 403
    assert Announcement.objects.get().title == "Pemeliharaan sistem"


def test_a_missing_announcement_is_not_found(client, cast):
    login(client, cast.admin)
    assert client.get(reverse("core:announcement-edit", args=[999])).status_code == 404
    assert client.post(reverse("core:announcement-delete", args=[999])).status_code == 404


def test_the_admin_list_is_flat_in_announcements(client, cast, django_assert_max_num_queries):
    login(client, cast.admin)
    for i in range(3):
        _announce(cast, title=f"A{i}", roles=("company", "upp"))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("core:announcement-list"))
    for i in range(40):
        _announce(cast, title=f"B{i}", roles=("company", "upp", "verifier"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("core:announcement-list")).content.decode().count("B3") >= 1
