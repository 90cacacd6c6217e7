"""Settings come from the environment and fail loudly on a value that cannot be right."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from siinas import env

PROD_ENV = {
    "SIINAS_ENV": "production",
    "SECRET_KEY": "k" * 20 + "Xy9#mQ2$vL8@pR4&tW6*zN1!bH3^cF5%jD7(" + "s" * 10,
    "ALLOWED_HOSTS": "siinas.kemenperin.go.id",
    "DATABASE_URL": "postgres://siinas@127.0.0.1:5432/siinas",
    "REDIS_URL": "redis://:redis-secret@127.0.0.1:6379/0",
    "SIINAS_BASE_URL": "https://siinas.kemenperin.go.id",
}


def _manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SIINAS_ENV", "DEBUG"}}
    return subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_malformed_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.env_bool("DEBUG")


def test_a_database_url_of_another_kind_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/siinas")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))


def test_a_number_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("PASSWORD_MAX_AGE_DAYS", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.env_int("PASSWORD_MAX_AGE_DAYS", 182, minimum=1)


def test_unset_and_empty_values_take_the_default(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "")
    assert env.env_int("EMAIL_PORT", 25) == 25
    monkeypatch.delenv("EMAIL_PORT")
    assert env.env_list("ALLOWED_HOSTS_X", ["a"]) == ["a"]


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_the_development_secret_key():
    result = _manage("check", extra_env={**PROD_ENV, "SECRET_KEY": "django-insecure-" + "x" * 60})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"SIINAS_BASE_URL": ""}, "SIINAS_BASE_URL"),
        ({"SIINAS_BASE_URL": "http://siinas.kemenperin.go.id"}, "SIINAS_BASE_URL"),
        ({"EMAIL_BACKEND": "console"}, "EMAIL_BACKEND=console"),
        ({"EMAIL_BACKEND": "locmem"}, "EMAIL_BACKEND=locmem"),
        ({"CAPTCHA_TEST_MODE": "1"}, "CAPTCHA_TEST_MODE"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "REDIS_URL must carry a password"),
    ],
)
def test_production_refuses_unsafe_settings(change, named):
    """Issue 13 §5: links in e-mails and QR codes need the real https address; console mail prints one-time
    passwords to the logs; captcha test mode passes every captcha; the cache's Redis needs a password."""
    result = _manage("check", extra_env={**PROD_ENV, **change})
    assert result.returncode != 0
    assert named in result.stderr


def test_a_password_reset_link_lives_one_hour():
    assert settings.PASSWORD_RESET_TIMEOUT == 3600


def test_the_redis_cache_does_not_pickle():
    assert settings.REDIS_CACHE_OPTIONS["serializer"] == "siinas.lib.cache_serializer.JSONSerializer"


def test_production_refuses_to_load_demo_data():
    # No database is reachable with this URL; the command must refuse before touching one.
    result = _manage("load_demo", extra_env=PROD_ENV)
    assert result.returncode != 0
    assert "refused under SIINAS_ENV=production" in result.stderr


def test_content_security_policy_is_sent(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_production_static_files_collect_with_the_manifest(tmp_path):
    # Every asset a template or stylesheet references must exist locally (no CDN, no missing map).
    result = _manage("collectstatic", "--noinput", extra_env={**PROD_ENV, "SIINAS_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles" / "staticfiles.json").exists()


def test_the_cache_never_shares_the_brokers_redis_database():
    from siinas.settings import _next_redis_db

    assert _next_redis_db("redis://127.0.0.1:6379/14") == "redis://127.0.0.1:6379/15"
    assert _next_redis_db("redis://:secret@redis:6379/0") == "redis://:secret@redis:6379/1"
    assert _next_redis_db("redis://redis:6379") == "redis://redis:6379/1"


def test_migrations_do_not_depend_on_where_the_files_live(tmp_path):
    # Uploaded files live under PRIVATE_MEDIA_ROOT, which differs per machine: no migration may bake it in.
    result = _manage("makemigrations", "--check", "--dry-run", extra_env={"SIINAS_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env_change", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe'"),
        ({"SIINAS_ENV": "production"}, "SECRET_KEY"),
        ({"SIINAS_OSS_BACKEND": "live"}, "SIINAS_OSS_BACKEND='live'"),
        ({"SIINAS_KSWP_BACKEND": "http"}, "SIINAS_KSWP_URL is required"),
        ({"SIINAS_OSS_BACKEND": "http", "SIINAS_OSS_URL": "ftp://oss"}, "SIINAS_OSS_URL"),
        ({"SIINAS_OSS_READ_TIMEOUT_MS": "0"}, "SIINAS_OSS_READ_TIMEOUT_MS=0"),
    ],
)
def test_a_configuration_error_is_one_clear_line_and_a_non_zero_exit(env_change, named):
    """Issue 19 §3: the operator reads the variable's name, not a 50-line traceback."""
    result = _manage("check", extra_env=env_change)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("SIINas configuration error:") and named in lines[0]
    assert "Traceback" not in result.stderr


def test_gunicorn_stops_on_a_configuration_error_with_one_line(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SIINAS_ENV", "DEBUG"}}
    result = subprocess.run(  # noqa: S603 — our own wsgi module
        [sys.executable, "-c", "import siinas.wsgi"],
        cwd=settings.BASE_DIR,
        env={**clean, "DEBUG": "maybe"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4, "gunicorn's worker-boot-error code: the arbiter halts instead of respawning"
    assert result.stderr.strip().splitlines() == [
        "SIINas configuration error: DEBUG='maybe' is not a boolean (use one of 1/0, true/false, yes/no, on/off)."
    ]
