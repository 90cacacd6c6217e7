"""Passwords are stored with Argon2id at OWASP's setting; older PBKDF2 hashes still sign in and are
re-hashed at that sign-in (accounts/hashers.py). The suite itself hashes with MD5 for speed
(tests/conftest.py): these tests put the deployment's hashers back."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.urls import reverse

from siinas import settings as project_settings
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_a_new_password_is_stored_with_argon2id_at_owasps_setting(cast, real_hashers):
    cast.company_a.set_password(TEST_PASSWORD)
    cast.company_a.save()
    stored = cast.company_a.password
    assert stored.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    assert type(identify_hasher(stored)).__name__ == "SiinasArgon2PasswordHasher"


def test_a_pbkdf2_password_signs_in_and_is_rehashed_with_argon2id(cast, client, real_hashers):
    user = cast.company_a
    user.password = PBKDF2PasswordHasher().encode(TEST_PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
    user.save(update_fields=["password"])
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    assert user.check_password(TEST_PASSWORD)


def test_an_argon2id_password_is_not_rehashed_at_every_sign_in(cast, client, real_hashers):
    user = cast.company_a
    user.set_password(TEST_PASSWORD)
    user.save()
    stored = user.password
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password == stored
