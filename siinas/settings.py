"""SIINas settings: one module, driven by the environment (see siinas/env.py and README).

With nothing set, the embedded default runs: SQLite under var/, Celery tasks in-process,
local-memory cache, e-mail to the console. ``DATABASE_URL`` switches to PostgreSQL,
``REDIS_URL`` to the Redis cache and Celery broker, ``SIINAS_ENV=production`` to the
hardened production profile (which refuses to start without a real secret key and hosts).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from siinas.env import env_bool, env_choice, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SIINAS_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SIINAS_ENV = env_choice("SIINAS_ENV", ("development", "production"), "development")
PRODUCTION = SIINAS_ENV == "production"

_DEV_SECRET = "django-insecure-siinas-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else _DEV_SECRET, required=PRODUCTION)
if PRODUCTION and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters in production.")

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when SIINAS_ENV=production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Absolute base used in e-mails and certificate QR codes (no request at hand in a task).
SIINAS_BASE_URL = env_url("SIINAS_BASE_URL", schemes=("http", "https")) or ("" if PRODUCTION else "http://127.0.0.1:8000")
if PRODUCTION and not SIINAS_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "SIINAS_BASE_URL must be the portal's https:// address in production (links in e-mails, certificate QR codes)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "siinas.core.staticfiles.SiinasStaticFilesConfig",  # django.contrib.staticfiles minus unused API assets
    "django.contrib.humanize",
    "django.contrib.postgres",  # SearchVectorField of the directory (harmless on SQLite)
    "allauth",
    "allauth.account",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "captcha",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "ninja",  # its Swagger UI assets (static/ninja/) for /api/v1/docs
    "siinas.core",
    "accounts",
    "reporting",
    "verification",
    "iki",
    "eservice",
    "pemda",
    "ews",
    "informasi",
    "analisis",
    "api",
]

MIDDLEWARE = [
    # First: every response (a redirect, a 413) carries X-Request-ID and is measured (docs/operations.md).
    "siinas.lib.request_id.RequestIdMiddleware",
    "siinas.lib.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "siinas.lib.request_limits.RequestBodyLimitMiddleware",  # 413/411 before anything reads the body
    "siinas.lib.control_characters.ControlCharacterMiddleware",  # before anything reads GET/POST (docs/decisions.md, "Input")
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After sign-in: two-factor (mandatory for officers) then an expired/one-time password change.
    "accounts.middleware.AccountGateMiddleware",
    # Axes last: it turns a lockout raised during authentication into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "siinas.urls"
WSGI_APPLICATION = "siinas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "siinas.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "siinas.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Past one database server (docs/scaling.md). DB_POOLER=pgbouncer: DATABASE_URL points at a pgbouncer in
# transaction mode, where consecutive transactions of one Django connection may run on different server
# connections: no server-side cursors (a named cursor lives across transactions), and no session state
# (SIINas sets none: no SET, no advisory locks, no LISTEN, no prepared statements by name; `load_scale`, a
# one-off load, sets session_replication_role and must reach PostgreSQL directly). Django still
# keeps its client connection for DB_CONN_MAX_AGE seconds; pgbouncer multiplexes them onto few servers.
DB_POOLER = env_choice("DB_POOLER", ("none", "pgbouncer"), "none")
if DB_POOLER == "pgbouncer":
    if not USING_POSTGRES:
        raise ImproperlyConfigured("DB_POOLER=pgbouncer needs a postgres:// DATABASE_URL (the pgbouncer's address).")
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# DATABASE_REPLICA_URL: a streaming replica of the same database. Reads of the read-only aggregate pages
# go there (siinas/lib/replica.py decides which); everything else, and every write, stays on default.
DATABASE_REPLICA_URL = env_url("DATABASE_REPLICA_URL", schemes=("postgres", "postgresql"))
if DATABASE_REPLICA_URL:
    if not USING_POSTGRES:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL (a replica of it).")
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DB_POOLER == "pgbouncer":
        DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASE_ROUTERS = ["siinas.lib.replica.ReplicaRouter"]

# --- Cache, broker, tasks -----------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
if PRODUCTION and REDIS_URL and not urlparse(REDIS_URL).password:
    raise ImproperlyConfigured("REDIS_URL must carry a password in production: redis://:PASSWORD@host:6379/0.")


def _next_redis_db(url: str) -> str:
    """The same Redis server, the next database number: the cache must never share the broker's
    database, because clearing a cache flushes its whole database (and would drop queued tasks)."""
    head, _, db = url.rstrip("/").rpartition("/")
    if head.count("/") >= 2 and db.isdigit():
        return f"{head}/{(int(db) + 1) % 16}"
    return f"{url.rstrip('/')}/1"


REDIS_CACHE_URL = env_url("REDIS_CACHE_URL", schemes=("redis", "rediss")) or (
    _next_redis_db(REDIS_URL) if REDIS_URL else None
)
# Redis is a speed-up, not a dependency (docs/decisions.md, "Redis is optional at run time"): the
# fail-soft backend answers a miss and forgets writes while Redis is unreachable, and a per-process
# circuit breaker stops asking it for ``breaker_seconds`` after a failure. Short socket timeouts keep a
# Redis that hangs (rather than refuses) from holding a request for long.
REDIS_CACHE_BACKEND = "siinas.lib.cache.FailSoftRedisCache"
# Values are stored as tagged JSON, never pickled (siinas/lib/cache_serializer.py, issue 13).
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 1.0,
    "breaker_seconds": 15,
    "serializer": "siinas.lib.cache_serializer.JSONSerializer",
}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": REDIS_CACHE_BACKEND, "LOCATION": REDIS_CACHE_URL, "OPTIONS": REDIS_CACHE_OPTIONS}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "siinas"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# No broker configured: run every task in-process, at once, so the embedded default needs no worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Nothing a user waits for may hang on the broker (issue 12): connecting and publishing give up after
# about two seconds and one retry; the outbox keeps what could not be published and the sweep sends it.
# (The worker's own consumer connection keeps retrying forever: broker_connection_max_retries.)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
# Tasks are idempotent by design (unique constraints + sent markers), so a task whose worker dies
# is redelivered rather than lost; see docs/decisions.md.
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Four queues, so a burst in one (a deadline's e-mails, the 07:00 letters, the IKI night) never waits
# behind another (docs/scaling.md). Every task is named here (tests/core/test_celery_routes.py fails for
# one that is not). A worker started without -Q consumes all four (make worker, the test worker); compose
# runs one worker per queue with -Q.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in ("default", "mail", "letters", "iki")]
CELERY_TASK_ROUTES = {
    # Outbox delivery: e-mails (and hand-overs of queued tasks), right after the commit and by the sweep.
    "core.deliver_outbox_message": {"queue": "mail"},
    "core.deliver_outbox": {"queue": "mail"},
    # Warning letters (WeasyPrint: CPU-heavy) and reminders.
    "verification.run_compliance": {"queue": "letters"},
    "verification.send_notice": {"queue": "letters"},
    "eservice.iomki_weekly_reminders": {"queue": "letters"},
    "eservice.send_weekly_reminder": {"queue": "letters"},
    "accounts.password_expiry_reminders": {"queue": "letters"},
    "accounts.registration_sla_alerts": {"queue": "letters"},
    # A new registration checked against OSS and KSWP (short HTTP calls with their own timeouts).
    "accounts.check_registration": {"queue": "default"},
    # IKI aggregation after the questionnaire window closes.
    "iki.compute_closed_months": {"queue": "iki"},
    # Large exports built for officers (CPU-heavy, like the letters) and their nightly pruning.
    "core.build_export": {"queue": "letters"},
    "core.prune_exports": {"queue": "letters"},
    "api.prune_calls": {"queue": "letters"},
    # Pemda dashboards' kept figures (pemda.figures): recomputed when a page finds them stale, and nightly.
    "pemda.refresh_territory_figures": {"queue": "default"},
    "pemda.refresh_stale_figures": {"queue": "default"},
    # Posisi Anda's cut points per KBLI division (analisis.position): recomputed when a page finds them stale.
    "analisis.refresh_position_cuts": {"queue": "default"},
    "analisis.refresh_sector": {"queue": "default"},
    # Pohon Industri's kept aggregate (analisis.pohon.kept): recomputed when a page finds it stale, and nightly.
    "analisis.refresh_pohon": {"queue": "default"},
    # Early-warning signals (ews): the nightly recomputation reads the IKI and report aggregates; the
    # Monday digest only records outbox rows.
    "ews.refresh_signals": {"queue": "iki"},
    "ews.send_weekly_digest": {"queue": "letters"},
    # Probes.
    "siinas.ping": {"queue": "default"},
    "core.record_heartbeat": {"queue": "default"},
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# The first hasher stores new passwords (Argon2id, accounts/hashers.py: ≈ 55 ms a sign-in instead of PBKDF2's
# ≈ 0.6 s; it also verifies any argon2 hash, so Django's own Argon2 hasher must not be listed: the later entry
# would win the "argon2" name and re-hash every password at every sign-in). The others only verify older
# hashes, which are re-hashed with the first at the next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.SiinasArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.ComplexityValidator"},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 182, minimum=1)  # ≈ 6 months (ministry policy)
# A reset link lives one hour (Django's default is three days): it travels by e-mail.
PASSWORD_RESET_TIMEOUT = 60 * 60
PASSWORD_REMINDER_DAYS = (14, 3)

# The client's address (siinas/lib/client_ip.py): the entry TRUSTED_PROXY_COUNT places from the right of
# X-Forwarded-For, or REMOTE_ADDR when 0. The one source for the axes lockout (AXES_CLIENT_IP_CALLABLE),
# allauth's rate limits (SiinasAccountAdapter.get_client_ip) and the login captcha counters.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # the same count for allauth's own reader, which the adapter replaces

# allauth is installed for its account primitives and rate limits; SIINas has no self sign-up
# (accounts come from UPP validation), so the adapter closes signup.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_ADAPTER = "accounts.adapters.SiinasAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
# allauth's rate limiter guards the public forms of accounts/ (see docs/decisions.md, issue 3).
ACCOUNT_RATE_LIMITS = {
    "siinas_registration": env_str("RATE_LIMIT_REGISTRATION", "10/h/ip"),
    # "Cek NIB di OSS" on the registration form: each press asks OSS (or its cache) about a NIB.
    "siinas_nib_check": env_str("RATE_LIMIT_NIB_CHECK", "30/h/ip"),
    "siinas_password_forgot": env_str("RATE_LIMIT_PASSWORD_FORGOT", "20/h/ip,5/h/key"),
    # Anonymous downloads of generated files (IKI release PDF/CSV), per address (siinas/lib/generated.py).
    "siinas_public_download": env_str("RATE_LIMIT_PUBLIC_DOWNLOAD", "30/m/ip"),
}

# Lockout (django-axes, accounts/lockout.py): a username from one address is locked after
# AXES_FAILURE_LIMIT failures; an address alone after the higher LOGIN_ADDRESS_FAILURE_LIMIT, whatever
# the usernames. The Django admin signs in through the same login page (siinas/urls.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.SiinasLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "siinas.lib.client_ip.client_ip"
if env_str("AXES_PROXY_COUNT") is not None:
    # It was read into AXES_IPWARE_PROXY_COUNT, which does nothing without django-ipware (issue 13).
    raise ImproperlyConfigured("AXES_PROXY_COUNT is no longer read: set TRUSTED_PROXY_COUNT instead.")

OTP_TOTP_ISSUER = "SIINas Kemenperin"
CAPTCHA_IMAGE_SIZE = (140, 44)
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10
CAPTCHA_TEST_MODE = env_bool("CAPTCHA_TEST_MODE", False)
if PRODUCTION and CAPTCHA_TEST_MODE:
    raise ImproperlyConfigured("CAPTCHA_TEST_MODE must be off in production (every captcha would pass).")

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# Outside production whitenoise serves straight from static/ (no collectstatic needed for `make run`).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are confidential: they live outside any web root and are served only
# through views that check access (there is deliberately no MEDIA_URL route). Code reaches them only
# through ``siinas.lib.uploads.private_storage`` (the "private" storage below), never by a local path.
# SIINAS_STORAGE=s3 puts them in a private S3-compatible bucket (MinIO, Ceph, a cloud's), so every web and
# worker host sees the same files without a shared disk (docs/scaling.md).
SIINAS_STORAGE = env_choice("SIINAS_STORAGE", ("local", "s3"), "local")
if SIINAS_STORAGE == "s3":
    _PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME", required=True),
            "endpoint_url": env_url("AWS_S3_ENDPOINT_URL", schemes=("http", "https")),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            "location": env_str("AWS_LOCATION", "private"),
            # Private objects; a download is streamed by an authorizing view, never a public URL.
            "default_acl": "private",
            "querystring_auth": True,
            # A taken name gets a suffix (the letter code deletes before it saves under a fixed name).
            "file_overwrite": False,
        },
    }
else:
    _PRIVATE_STORAGE = {"BACKEND": "siinas.lib.uploads.PrivateFileSystemStorage"}
STORAGES = {
    "default": _PRIVATE_STORAGE if SIINAS_STORAGE == "s3" else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": _PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/_private_never_served/"
UPLOAD_MAX_BYTES = 64 * 1024 * 1024
# A request body larger than this is refused (413) before it is read (siinas/lib/request_limits.py): the
# largest upload plus room for the form's other fields and multipart framing. deploy/nginx.conf's
# client_max_body_size is the same 70 MB (tests/core/test_request_limits.py holds them together).
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads stream to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000  # a report section can hold hundreds of rows

# --- E-mail -----------------------------------------------------------------------------------
# Django 6.1 MAILERS. EMAIL_BACKEND=console (default) or smtp; SMTP options from EMAIL_* variables.
_EMAIL_KIND = env_choice("EMAIL_BACKEND", ("files", "console", "smtp", "locmem"), "smtp" if PRODUCTION else "files")
if PRODUCTION and _EMAIL_KIND != "smtp":
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={_EMAIL_KIND} is refused in production: it would print one-time passwords and reset links to the logs."
    )
if _EMAIL_KIND == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25, minimum=1),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                # A hanging mail server gives up here; the outbox retries later (docs/operations.md).
                "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
            },
        }
    }
elif _EMAIL_KIND == "files":
    # One .eml file per message under var/mail/ and one line on the console (siinas/lib/mail_files.py).
    MAILERS = {"default": {"BACKEND": "siinas.lib.mail_files.EmlFileBackend"}}
else:
    MAILERS = {"default": {"BACKEND": f"django.core.mail.backends.{_EMAIL_KIND}.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SIINas Kemenperin <noreply@siinas.kemenperin.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# External systems sit behind Protocols (siinas/integrations); "offline" needs no network, "http" calls
# the live service (docs/operations.md, "OSS and KSWP"). Timeouts in milliseconds.
SIINAS_OSS_BACKEND = env_choice("SIINAS_OSS_BACKEND", ("offline", "http"), "offline")
SIINAS_KSWP_BACKEND = env_choice("SIINAS_KSWP_BACKEND", ("offline", "http"), "offline")


def _integration(prefix: str, *, live: bool, key_header: str) -> dict:
    return {
        # The endpoint itself (OSS: the inqueryNIB URL; KSWP: the confirmation URL); required when live.
        "url": env_url(f"{prefix}_URL", schemes=("https", "http")) if live else None,
        "key": env_str(f"{prefix}_KEY"),
        "key_header": env_str(f"{prefix}_KEY_HEADER", key_header),
        "client_id": env_str(f"{prefix}_CLIENT_ID"),
        "client_secret": env_str(f"{prefix}_CLIENT_SECRET"),
        "connect_timeout_ms": env_int(f"{prefix}_CONNECT_TIMEOUT_MS", 3000, minimum=1),
        "read_timeout_ms": env_int(f"{prefix}_READ_TIMEOUT_MS", 5000, minimum=1),
        "retries": env_int(f"{prefix}_RETRIES", 2, minimum=0),
        "backoff_ms": env_int(f"{prefix}_BACKOFF_MS", 200, minimum=0),
        "breaker_failures": env_int(f"{prefix}_BREAKER_FAILURES", 5, minimum=1),
        "breaker_seconds": env_int(f"{prefix}_BREAKER_SECONDS", 60, minimum=1),
        "cache_seconds": env_int(f"{prefix}_CACHE_SECONDS", 24 * 3600, minimum=0),
        "cache_missing_seconds": env_int(f"{prefix}_CACHE_MISSING_SECONDS", 3600, minimum=0),
    }


SIINAS_OSS = _integration("SIINAS_OSS", live=SIINAS_OSS_BACKEND == "http", key_header="user_key")
SIINAS_KSWP = _integration("SIINAS_KSWP", live=SIINAS_KSWP_BACKEND == "http", key_header="X-Api-Key")
SIINAS_KSWP["service_code"] = env_str("SIINAS_KSWP_SERVICE_CODE", "")
for _system, _values in (("SIINAS_OSS", SIINAS_OSS), ("SIINAS_KSWP", SIINAS_KSWP)):
    if globals()[f"{_system}_BACKEND"] == "http" and not _values["url"]:
        raise ImproperlyConfigured(f"{_system}_URL is required when {_system}_BACKEND=http.")

# The partner API (/api/v1/, docs/api.md): anonymous calls to the public endpoints per client address
# per minute; each token has its own limit, set by the admin who issues it.
API_PUBLIC_RATE_PER_MINUTE = env_int("API_PUBLIC_RATE_PER_MINUTE", 120, minimum=1)
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000

# --- Security headers -------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("SECURE_PROXY_SSL", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics/$"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Observability (docs/operations.md) -------------------------------------------------------------
# Prometheus metrics at /metrics/ for `Authorization: Bearer <METRICS_TOKEN>` only (404 without a token);
# a Celery worker serves its task metrics on WORKER_METRICS_PORT under the same token.
METRICS_TOKEN = env_str("METRICS_TOKEN")
if PRODUCTION and METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be a random string of at least 32 characters in production.")
WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0, minimum=0)
# Errors to Sentry only when a DSN is configured; without one sentry_sdk is never imported.
SENTRY_DSN = env_url("SENTRY_DSN", schemes=("http", "https"))
if SENTRY_DSN:
    from siinas.lib.sentry import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=SIINAS_ENV)

# Plain text in development, one JSON object per line in production; each line carries the request id.
LOG_FORMAT = env_choice("LOG_FORMAT", ("plain", "json"), "json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "siinas.lib.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "siinas.lib.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
