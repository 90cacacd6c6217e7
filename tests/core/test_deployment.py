"""The deployment files, checked as far as this machine allows (no Docker engine here): the compose file
parses, only the proxy is published, Redis has a password, and every variable the services set is one the
settings read (issue 13 §5, issue 19 §7)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def _read_by_settings() -> set[str]:
    names = set()
    for path in [ROOT / "siinas" / "settings.py", ROOT / "siinas" / "env.py"]:
        names |= set(re.findall(r'env_(?:str|bool|int|list|url|choice)\(\s*"([A-Z_]+)"', path.read_text()))
    return names


def test_only_the_proxy_is_published_and_gunicorn_is_not():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    assert "8000" in [str(p) for p in SERVICES["web"].get("expose", [])]


def test_redis_requires_a_password_and_the_apps_use_it():
    assert "--requirepass" in SERVICES["redis"]["command"]
    env = SERVICES["web"]["environment"]
    assert env["REDIS_URL"].startswith("redis://:${REDIS_PASSWORD")


def test_every_variable_the_app_services_set_is_read_by_the_settings():
    read = _read_by_settings() | {"DJANGO_SETTINGS_MODULE"}
    for name in ("web", "worker", "beat"):
        unknown = set(SERVICES[name]["environment"]) - read
        assert not unknown, f"{name} sets variables nothing reads: {unknown}"


def test_the_services_run_the_project_commands():
    assert "gunicorn siinas.wsgi:application" in SERVICES["web"]["command"]
    assert "--worker-class sync" in SERVICES["web"]["command"]
    assert SERVICES["worker"]["command"].startswith("celery -A siinas worker")
    assert SERVICES["beat"]["command"].startswith("celery -A siinas beat")


def test_the_proxy_config_limits_bodies_and_replaces_forwarded_for():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "client_max_body_size 70m;" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf


def test_the_image_runs_as_a_non_root_user_with_a_health_check_and_builds_psycopg2_from_source():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "\nUSER siinas\n" in dockerfile and "HEALTHCHECK" in dockerfile
    assert "--no-binary psycopg2" in dockerfile and "libpq-dev" in dockerfile
    assert re.search(r"^FROM python:3\.12-slim-bookworm", dockerfile, re.M)
