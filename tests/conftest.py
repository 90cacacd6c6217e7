"""The named cast every test can use (style.md §17).

company_a — PT Indo Pangan, Pabrik Bekasi: type A, Besar, Kabupaten Bekasi (Jawa Barat), KBLI 10110.
company_b — CV Logam Surabaya: type A, Kecil, Kota Surabaya (Jawa Timur), KBLI 25111.
Both accounts were registered on 1 January 2024 (``CAST_ACCOUNTS_SINCE``): they owe every period whose
window opened after that (the obligation rule, reporting/obligation.py; docs/statistics.md).
Officers: upp, verifier, validator_pangan (KBLI 10, 11), validator_logam (KBLI 24, 25),
pemda_jabar (province 32: sees company_a, a Besar factory in its province), pemda_kab_bekasi
(kab 32.16: company_a is Besar, so not under its authority), kl, admin.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Factory, Role, Scale, User
from siinas.core.models import Region
from siinas.core.services import reference_data_load
from tests import clock
from tests.factories import FactoryAccountFactory, company_user, officer


def pytest_configure(config):
    # SIINAS_TEST_CLOCK=jakarta-boundary (CI's second pass) runs the whole session on a moved clock: tests/clock.py.
    if os.environ.get(clock.ENV) and not clock.is_moved():
        moved_to = clock.start(os.environ[clock.ENV])
        config.stash[_CLOCK_LINE] = (
            f"{clock.ENV}={os.environ[clock.ENV]}: clock moved to {moved_to.astimezone(clock.JAKARTA):%a %Y-%m-%d %H:%M %Z}"
            f" ({moved_to.astimezone(dt.UTC):%a %Y-%m-%d %H:%M} UTC), ticking"
        )
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CAPTCHA_TEST_MODE = True
    # Tests of every app travel in time (reporting windows, IKI months) with the cast's users; a
    # 6-month password expiry would send them to "Ganti Password". tests/accounts sets the real
    # PASSWORD_MAX_AGE_DAYS wherever expiry is what is being tested.
    settings.PASSWORD_MAX_AGE_DAYS = 100 * 365
    # django-simple-captcha copies the setting at import time: switch its copy too ("PASSED" passes).
    from captcha.conf import settings as captcha_settings

    captcha_settings.CAPTCHA_TEST_MODE = True
    # Tests run tasks in-process even when REDIS_URL is set; only `celery_worker_process` tests
    # send through the real broker to a real worker.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from siinas.celery import app

    app.conf.task_always_eager = True


_CLOCK_LINE = pytest.StashKey[str]()


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    """One line before the first test (also under -q): where the clock was moved."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and _CLOCK_LINE in session.config.stash:
        reporter.write_line(session.config.stash[_CLOCK_LINE], yellow=True, bold=True)


def pytest_unconfigure(config):
    clock.stop()


@pytest.fixture
def celery_worker_process(transactional_db, reference_data):
    """A real ``celery -A siinas worker`` process on the Redis broker and the test database.

    Use from tests marked ``@pytest.mark.broker`` (they need committed data, hence
    ``transactional_db``). Skipped unless REDIS_URL is set and the database is PostgreSQL
    (a SQLite test database lives in this process's memory where no worker can see it).
    """
    import subprocess
    import sys
    import time

    from siinas.celery import app

    if not settings.REDIS_URL or not settings.USING_POSTGRES:
        pytest.skip("needs REDIS_URL and PostgreSQL (run through .ci/run)")
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "SIINAS_VAR_DIR": str(settings.VAR_DIR),
        "CAPTCHA_TEST_MODE": "1",
    }
    app.control.purge()
    process = subprocess.Popen(  # noqa: S603 — fixed argv, our own worker
        # On a moved test clock (SIINAS_TEST_CLOCK) the worker is moved to the same instant.
        clock.worker_argv(
            [sys.executable, "-m", "celery", "-A", "siinas", "worker", "--pool", "solo", "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"test-{os.getpid()}@%h"]
        ),
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("celery worker exited early:\n" + (process.stdout.read() if process.stdout else ""))
            if app.control.ping(timeout=1.0):
                break
        else:
            raise RuntimeError("celery worker did not answer a ping within 60 s")
        yield process
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def reference_data(db):
    """Reference tables are loaded once per run; a transactional test that flushed them reloads."""
    if not Region.objects.exists():
        reference_data_load()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached aggregates (dashboards, rates; the Pohon Industri graph a process keeps) must not leak from one
    test into the next."""
    from django.core.cache import cache

    from analisis.pohon import kept

    cache.clear()
    kept.forget()
    yield
    cache.clear()
    kept.forget()


@pytest.fixture(autouse=True)
def _isolated_private_media(tmp_path, settings):
    from siinas.lib.uploads import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MAIL_FILES_DIR = tmp_path / "mail"  # the development mail page's folder (siinas/lib/mail_files.py)
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT
    # The lazy private storage fixes its location when first used: rebuild it for this test's folder.
    private_storage.reset()


@dataclass
class Cast:
    factory_a: Factory
    factory_b: Factory
    company_a: User
    company_b: User
    upp: User
    verifier: User
    validator_pangan: User
    validator_logam: User
    pemda_jabar: User
    pemda_kab_bekasi: User
    kl: User
    admin: User

    def by_role(self) -> dict[str, User | None]:
        """The roles of the authorization table and who plays them."""
        return {
            "anonymous": None,
            "company": self.company_a,
            "other_company": self.company_b,
            "upp": self.upp,
            "verifier": self.verifier,
            "validator": self.validator_pangan,
            "validator_other": self.validator_logam,
            "pemda_prov": self.pemda_jabar,
            "pemda_kab": self.pemda_kab_bekasi,
            "kl": self.kl,
            "admin": self.admin,
        }


def _with_totp(user: User) -> User:
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


CAST_ACCOUNTS_SINCE = dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def cast(reference_data) -> Cast:
    factory_a = FactoryAccountFactory(
        company__name="PT Indo Pangan",
        company__nib="0233010001824",
        name="Pabrik Bekasi",
        address="Jalan Melati 4, Karangmulya, Bojongmangu",
        region=Region.objects.get(pk="32.16"),
        scale=Scale.BESAR,
        kbli_codes=["10110"],
        workforce=420,
    )
    factory_b = FactoryAccountFactory(
        company__name="CV Logam Surabaya",
        name="Bengkel Rungkut",
        address="Jalan Rungkut Industri II/7",
        region=Region.objects.get(pk="35.78"),
        scale=Scale.KECIL,
        kbli_codes=["25111"],
        workforce=18,
    )
    Factory.objects.filter(pk__in=[factory_a.pk, factory_b.pk]).update(created_at=CAST_ACCOUNTS_SINCE)
    factory_a.refresh_from_db(fields=["created_at"])
    factory_b.refresh_from_db(fields=["created_at"])
    return Cast(
        factory_a=factory_a,
        factory_b=factory_b,
        company_a=company_user(factory_a, "indopangan"),
        company_b=company_user(factory_b, "logamsby"),
        upp=_with_totp(officer("upp", Role.UPP)),
        verifier=_with_totp(officer("verifikator", Role.VERIFIER)),
        validator_pangan=_with_totp(officer("validator_pangan", Role.VALIDATOR, divisions=["10", "11"])),
        validator_logam=_with_totp(officer("validator_logam", Role.VALIDATOR, divisions=["24", "25"])),
        pemda_jabar=_with_totp(officer("pemda_jabar", Role.PEMDA_PROV, region=Region.objects.get(pk="32"))),
        pemda_kab_bekasi=_with_totp(
            officer("pemda_kab_bekasi", Role.PEMDA_KAB, region=Region.objects.get(pk="32.16"))
        ),
        kl=_with_totp(officer("mitra_kl", Role.KL)),
        admin=_with_totp(officer("admin", Role.ADMIN)),
    )


@pytest.fixture
def company_a(cast):
    return cast.company_a


@pytest.fixture
def company_b(cast):
    return cast.company_b


@pytest.fixture
def verifier(cast):
    return cast.verifier


@pytest.fixture
def validator_pangan(cast):
    return cast.validator_pangan


@pytest.fixture
def pemda_jabar(cast):
    return cast.pemda_jabar


@pytest.fixture
def pemda_kab_bekasi(cast):
    return cast.pemda_kab_bekasi


@pytest.fixture
def admin_user(cast):
    return cast.admin
