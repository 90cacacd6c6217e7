"""The error pages (issue 12): the 500 page is served even while the database is down — no context
processor, user or session is touched — in Indonesian, as valid HTML with the site's stylesheet; 403
and 404 keep the full layout.

"The database is down" is simulated at the boundary: every database connection's ``ensure_connection``
and ``cursor`` raise ``OperationalError``, as a PostgreSQL that refuses connections does.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import OperationalError, connections
from django.test import RequestFactory
from django.urls import reverse

from siinas.core.views import error_500
from tests.helpers import login

VOID = {"meta", "link", "br", "img", "input", "hr"}


class _Structure(HTMLParser):
    """Enough of a validator for a hand-written page: tags balance, nothing outside <html>."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.stylesheets: list[str] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes.get("href"))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def _check_html(body: str) -> _Structure:
    assert body.lstrip().lower().startswith("<!doctype html>")
    parser = _Structure()
    parser.feed(body)
    parser.close()
    assert not parser.problems and not parser.stack, (parser.problems, parser.stack)
    return parser


@pytest.fixture
def database_down(monkeypatch) -> list[str]:
    """Every attempt to reach the database raises OperationalError; the list records each attempt."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append("db")
        raise OperationalError("could not connect to server: Connection refused (simulated)")

    for connection in connections.all():
        monkeypatch.setattr(connection, "ensure_connection", refuse)
        monkeypatch.setattr(connection, "cursor", refuse)
    return attempts


def _signed_in_request(path: str = "/pemda/"):
    """A request carrying a session cookie: reading its user or session would go to the database."""
    from django.contrib.auth.middleware import AuthenticationMiddleware

    request = RequestFactory().get(path)
    request.COOKIES["sessionid"] = "x" * 32
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    return request


def test_the_500_handler_touches_neither_database_nor_session_nor_user(database_down):
    request = _signed_in_request()
    response = error_500(request)
    assert response.status_code == 500
    assert database_down == [], "the handler reached for the database"
    assert not request.session.accessed
    body = response.content.decode()
    page = _check_html(body)
    assert page.lang == "id"
    assert "Terjadi kesalahan pada server" in body
    assert "/static/css/siinas.css" in page.stylesheets


def test_a_view_failing_with_the_database_down_gets_the_indonesian_500_page(client, database_down, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    # The registration page reads its list of kab/kota from the database: the view itself raises.
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 500
    assert database_down, "the view did reach for the database"
    body = response.content.decode()
    assert "Terjadi kesalahan pada server (500)" in body
    assert "/static/css/siinas.css" in _check_html(body).stylesheets


def test_a_signed_in_visitor_gets_the_500_page_when_the_database_goes_down(client, database_down, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 32  # loading this session (the menu reads the user) needs the database
    response = client.get("/")
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server (500)" in response.content.decode()


def test_the_500_page_is_indonesian_whatever_language_the_visitor_chose(database_down):
    from django.utils import translation

    with translation.override("en"):
        response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert _check_html(body).lang == "id"
    assert "Terjadi kesalahan pada server (500)" in body


def test_a_500_template_that_cannot_render_falls_back_to_a_bare_indonesian_page(monkeypatch):
    from siinas.core import views

    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry for 'css/siinas.css'")

    monkeypatch.setattr(views.loader, "render_to_string", broken)
    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Terjadi kesalahan pada server (500)" in body
    _check_html(body)


@pytest.mark.django_db
def test_the_404_page_keeps_the_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan (404)" in body
    assert "/static/css/siinas.css" in _check_html(body).stylesheets


@pytest.mark.django_db
def test_the_403_page_keeps_the_layout_and_the_menu(client, cast, settings):
    settings.DEBUG = False
    login(client, cast.company_a)
    response = client.get(reverse("pemda:dashboard"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Akses ditolak (403)" in body
    assert "Data Perusahaan" in body, "the signed-in user's menu is still shown"
    assert "/static/css/siinas.css" in _check_html(body).stylesheets
