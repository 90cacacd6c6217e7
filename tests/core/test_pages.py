"""Home, login, error pages and the health endpoint, in Indonesian by default."""

import pytest
from django.urls import reverse

from tests.helpers import login


@pytest.mark.django_db
def test_home_and_login_pages_are_in_indonesian(client):
    home = client.get("/")
    assert home.status_code == 200
    assert '<html lang="id">' in home.content.decode()
    assert "Sistem Informasi Industri Nasional" in home.content.decode()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Login ke SIINas" in page


@pytest.mark.django_db
def test_the_english_switch_changes_the_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Sign in" in response.content.decode()


@pytest.mark.django_db
def test_unknown_page_gets_the_indonesian_404(client, settings):
    settings.DEBUG = False
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_role_gets_the_indonesian_403(client, cast, settings):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from accounts.models import Role
    from siinas.lib.access import role_required

    @role_required(Role.VERIFIER)
    def only_verifiers(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/x/")
    request.user = cast.company_a
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        only_verifiers(request)
    request.user = cast.verifier
    assert only_verifiers(request).content == b"ok"
    settings.DEBUG = False
    login(client, cast.company_a)
    page = client.get(reverse("admin:index"), follow=True)
    # The admin's login is the SIINas login (issue 13): a signed-in non-admin is refused, not looped back.
    assert page.status_code == 403 and "Akses ditolak" in page.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_by_a_role_gate(client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_health_reports_database_cache_and_broker(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


@pytest.mark.django_db
def test_health_says_503_when_the_cache_is_down(client, monkeypatch):
    from siinas.core import health

    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setattr(health, "_cache", broken)
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "error"


@pytest.mark.django_db
def test_navigation_lists_only_what_the_role_may_open(client, cast):
    login(client, cast.company_a)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Antrean Verifikasi" not in page
    assert "Validasi Registrasi" not in page


@pytest.mark.django_db
def test_audit_helper_records_who_what_and_target(cast):
    from siinas.core.models import AuditEvent
    from siinas.lib.audit import audit

    event = audit("report.view", actor=cast.verifier, target=cast.factory_a, reason="uji")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == cast.verifier
    assert stored.target_type == "accounts.factory"
    assert stored.target_id == str(cast.factory_a.pk)
    assert stored.extra == {"reason": "uji"}


@pytest.mark.django_db
def test_a_stable_message_id_marks_a_resent_email_as_the_same_message(mailoutbox, settings):
    """A crash after the mail server accepted a message and before the outbox row commits sends it
    again on the next delivery: with the same Message-ID, so it reads as the same message."""
    from siinas.core import outbox
    from siinas.core.models import OutboxMessage
    from siinas.lib.emails import queue_email

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], settings.BASE_DIR / "tests" / "templates"]}
    ]
    message = queue_email("core-test", to=["a@contoh.go.id"], context={}, dedupe_key="letter-7")
    for _ in range(2):
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.PENDING)
        outbox.deliver(message.pk)
    ids = {m.extra_headers["Message-ID"] for m in mailoutbox}
    assert len(mailoutbox) == 2 and ids == {"<siinas-letter-7@siinas.kemenperin.go.id>"}


@pytest.mark.django_db
def test_only_the_most_specific_menu_entry_is_marked_current(rf, cast):
    from siinas.core.context_processors import navigation

    request = rf.get(reverse("eservice:inbox"))
    request.user = cast.company_a
    items = navigation(request)["nav_items"]
    assert [i["url"] for i in items if i["active"]] == [reverse("eservice:inbox")]
    assert any(i["url"] == reverse("eservice:application-list") and not i["active"] for i in items)
