"""Every accounts page renders under the CSP: no inline script or style (style.md; settings SECURE_CSP)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.services import certificate_issue
from tests.accounts.factories import make_registration
from tests.helpers import login

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"\sstyle=|<style", re.I)


def _assert_clean(html: str, url: str) -> None:
    assert not INLINE_SCRIPT.search(html.replace('type="application/json"', "")), f"inline script on {url}"
    assert not INLINE_STYLE.search(html), f"inline style on {url}"


def test_public_and_company_pages_have_no_inline_script_or_style(cast, client):
    client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    pages = [reverse("accounts:login"), reverse("accounts:register"), reverse("accounts:password-forgot")]
    for url in pages:
        _assert_clean(client.get(url).content.decode(), url)
    login(client, cast.company_a)
    for url in [
        reverse("accounts:profile"),
        reverse("accounts:profile-capacity"),
        reverse("accounts:profile-kbli"),
        reverse("accounts:profile-edit", args=["pabrik"]),
        reverse("accounts:profile-history"),
        reverse("accounts:otp-setup"),
        reverse("accounts:password-change"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(response.content.decode(), url)


def test_officer_pages_have_no_inline_script_or_style(cast, client):
    registration = make_registration()
    certificate_issue(actor=cast.admin, factory=cast.factory_a)
    login(client, cast.admin)
    for url in [
        reverse("accounts:registration-queue"),
        reverse("accounts:registration-detail", args=[registration.pk]),
        reverse("accounts:certificate-admin"),
        reverse("accounts:holiday-list"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(response.content.decode(), url)
