"""Two web processes, one session (issue 14 §5, docs/scaling.md): nothing a request leaves behind lives in
one process. Two gunicorn servers on two loopback ports share the test's PostgreSQL database and Redis;
one browser (one cookie jar) signs in on the first and then alternates, posting with CSRF on both, and
signs out on one, which ends the session on the other. Needs PostgreSQL + REDIS_URL (CI has both)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.models import User
from tests import clock
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.broker  # like the worker tests: needs PostgreSQL + Redis, skipped without


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_servers(transactional_db, reference_data, tmp_path):
    if not settings.REDIS_URL or not settings.USING_POSTGRES:
        pytest.skip("needs REDIS_URL and PostgreSQL (run through .ci/run)")
    db = settings.DATABASES["default"]
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"SIINAS_ENV", "DEBUG"}},
        "DATABASE_URL": f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CAPTCHA_TEST_MODE": "1",
        "DEBUG": "0",
        "SIINAS_VAR_DIR": str(tmp_path),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    servers, processes = [], []
    try:
        for _ in range(2):
            port = _free_port()
            argv = [sys.executable, "-m", "gunicorn", "siinas.wsgi:application", "--bind", f"127.0.0.1:{port}",
                    "--workers", "1", "--worker-class", "sync", "--timeout", "30"]
            processes.append(subprocess.Popen(  # noqa: S603 — fixed argv, our own server
                clock.worker_argv(argv), cwd=settings.BASE_DIR, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            ))
            servers.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 30
        for origin, process in zip(servers, processes, strict=True):
            while True:
                if process.poll() is not None:
                    raise RuntimeError("gunicorn exited early:\n" + process.stderr.read())
                try:
                    socket.create_connection(("127.0.0.1", int(origin.rsplit(":", 1)[1])), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("gunicorn did not listen within 30 s") from None
                    time.sleep(0.2)
        yield servers
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _csrf_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_session_started_on_one_process_is_used_on_the_other_with_csrf(two_servers, cast):
    import requests

    first, second = two_servers
    # The servers run the real hashers, not the tests' MD5: store a PBKDF2 hash (few rounds: fast).
    password = PBKDF2PasswordHasher().encode(TEST_PASSWORD, "duaproses", iterations=1000)
    User.objects.filter(pk=cast.company_a.pk).update(password=password)
    browser = requests.Session()  # one cookie jar: cookies belong to 127.0.0.1, whatever the port
    page = browser.get(f"{first}/akun/masuk/", timeout=20)
    assert page.status_code == 200
    signed_in = browser.post(
        f"{first}/akun/masuk/",
        data={"username": cast.company_a.username, "password": TEST_PASSWORD, "csrfmiddlewaretoken": _csrf_from(page.text),
              "captcha_0": "x", "captcha_1": "PASSED"},
        headers={"Referer": f"{first}/akun/masuk/"},
        timeout=20,
    )
    assert signed_in.status_code == 200 and "sessionid" in browser.cookies

    for origin in (second, first, second):
        dashboard = browser.get(f"{origin}/laporan/", timeout=20, allow_redirects=False)
        assert dashboard.status_code == 200, f"{origin} does not know the session"
        assert cast.company_a.username in dashboard.text
        # A form rendered by this process, posted to it with the CSRF cookie the other one set.
        switched = browser.post(
            f"{origin}/i18n/setlang/",
            data={"language": "id", "next": "/laporan/", "csrfmiddlewaretoken": _csrf_from(dashboard.text)},
            headers={"Referer": f"{origin}/laporan/"},
            timeout=20,
            allow_redirects=False,
        )
        assert switched.status_code == 302

    page = browser.get(f"{second}/laporan/", timeout=20)
    signed_out = browser.post(
        f"{second}/akun/keluar/", data={"csrfmiddlewaretoken": _csrf_from(page.text)},
        headers={"Referer": f"{second}/laporan/"}, timeout=20, allow_redirects=False,
    )
    assert signed_out.status_code == 302
    after = browser.get(f"{first}/laporan/", timeout=20, allow_redirects=False)
    assert after.status_code == 302 and "/akun/masuk/" in after.headers["Location"]
