"""Bounded request bodies (issue 13 §3): an oversized or unsized body is refused before it is read, with an
Indonesian page, and the deployment files carry the same limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


class UnreadableBody:
    """A request stream that fails the test if anything reads it."""

    def __init__(self):
        self.reads = 0

    def read(self, *args, **kwargs):
        self.reads += 1
        raise AssertionError("the request body was read")

    readline = read


@pytest.fixture
def view_spy(monkeypatch):
    """Counts how often the registration view builds its form (it never should, for a refused body)."""
    from accounts.views import registration

    built = []

    class Spy(registration.forms.RegistrationForm):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(registration.forms, "RegistrationForm", Spy)
    return built


def _post(client, *, body: UnreadableBody, **meta):
    return client.generic(
        "POST",
        reverse("accounts:register"),
        content_type="multipart/form-data; boundary=siinas",
        **{"wsgi.input": body, **meta},
    )


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(client, view_spy):
    body = UnreadableBody()
    response = _post(client, body=body, CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert response.status_code == 413
    assert body.reads == 0 and view_spy == []
    page = response.content.decode()
    assert "Kiriman terlalu besar (413)" in page and "melebihi batas 70 MB" in page and "paling besar 64 MB" in page
    assert '<html lang="id">' in page


def test_the_limit_is_the_largest_upload_plus_room_for_the_form(client, view_spy):
    assert settings.REQUEST_MAX_BYTES == settings.UPLOAD_MAX_BYTES + 6 * 1024 * 1024
    body = UnreadableBody()
    assert _post(client, body=body, CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1)).status_code == 413
    assert body.reads == 0 and view_spy == []


def test_a_chunked_body_without_a_length_is_refused_with_411(client, view_spy):
    body = UnreadableBody()
    response = _post(client, body=body, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert body.reads == 0 and view_spy == []
    assert "Ukuran kiriman tidak diketahui (411)" in response.content.decode()


def test_a_body_within_the_limit_reaches_the_view(client, view_spy):
    response = client.post(reverse("accounts:register"), {"company_name": "PT Uji"})
    assert response.status_code == 200 and view_spy == [1]


def test_the_limit_middleware_runs_before_anything_that_reads_the_body():
    order = settings.MIDDLEWARE
    limit = order.index("siinas.lib.request_limits.RequestBodyLimitMiddleware")
    readers = [
        "siinas.lib.control_characters.ControlCharacterMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "axes.middleware.AxesMiddleware",
    ]
    assert all(limit < order.index(name) for name in readers if name in order)


# --- deployment files ------------------------------------------------------------------------------------


def _nginx(directive: str) -> str:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    return re.search(rf"^\s*{directive}\s+([^;]+);", conf, re.M).group(1)


def _gunicorn_options(command: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z_-]+)[ =]([^ \"',\]]+)", command))


def test_the_proxy_refuses_the_same_body_size_and_buffers_bodies():
    assert _nginx("client_max_body_size") == f"{settings.REQUEST_MAX_BYTES // (1024 * 1024)}m"
    assert _nginx("proxy_request_buffering") == "on"  # a slow upload ties up nginx, never a gunicorn worker


def test_gunicorn_has_the_same_limits_and_timeout_in_the_image_and_in_compose():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)
    image = _gunicorn_options(" ".join(yaml.safe_load(cmd)))
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = _gunicorn_options(compose["services"]["web"]["command"])
    expected = {"timeout": "30", "limit-request-line": "8190", "limit-request-fields": "100", "limit-request-field_size": "8190"}
    for options in (image, web):
        assert {name: options.get(name) for name in expected} == expected
    # gunicorn gives up on a worker before the proxy gives up on gunicorn.
    assert int(expected["timeout"]) < int(_nginx("proxy_read_timeout").rstrip("s"))
