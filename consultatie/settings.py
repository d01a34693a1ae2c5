"""Settings for the consultatieportaal.

Everything that differs between a laptop, CI and production is read from the environment through the
small typed helpers below. They reject a bad value with an ImproperlyConfigured that names the variable,
so a typo stops start-up instead of silently running with a default.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nee", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def envint(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {value}.")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envdate(name: str, default: str) -> date:
    """An ISO date (YYYY-MM-DD)."""
    raw = os.environ.get(name, default).strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date as YYYY-MM-DD; got {raw!r}.") from None


def envurl_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of origins; each must include its scheme (Django requires it)."""
    values = envlist(name, default)
    for value in values:
        if not value.startswith(("http://", "https://")):
            raise ImproperlyConfigured(f"{name} entries must start with http:// or https://; got {value!r}.")
    return values


# --- Core ---------------------------------------------------------------------------------------

DEBUG = envbool("DEBUG", False)
# Tests and `make run` set DEBUG=1 explicitly; anything that forgets gets the safe production default.

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode (DEBUG=0) refuses to start without one; "
            "set SECRET_KEY to a long random string, or set DEBUG=1 for development."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production mode.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envurl_list("CSRF_TRUSTED_ORIGINS", [])

SITE_ID = 1
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://; got {SITE_URL!r}.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.redirects",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "consultatie",
    "regiosessies",
    "belemmeringen",
    "prioritering",
    "rapportage",
    "resultaten",
    "terugkoppeling",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.AdminExportCspMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "consultatie.urls"
WSGI_APPLICATION = "consultatie.wsgi.application"
ASGI_APPLICATION = "consultatie.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "consultatie.context_processors.site",
                "rapportage.context_processors.report_links",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------

_default_db = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            envstr("DATABASE_URL", _default_db) or _default_db,
            conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock at BEGIN, so "lock, count, write" is serialised on SQLite too;
    # WAL lets readers go on while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory: concurrency tests use real threads, which need a shared, lockable database.
    DATABASES["default"]["TEST"] = {"NAME": envstr("SQLITE_TEST_NAME", str(BASE_DIR / "test_db.sqlite3"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------
# The rate limit must hold across web processes, so the cache is shared: Redis when REDIS_URL is
# set, otherwise a database table (created by `createcachetable`). Never local memory.

REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://; got {REDIS_URL!r}.")
    CACHES = {
        "default": {
            # django-redis: one pooled redis-py client per server, reused by every call (Django's own
            # backend builds a new client per operation, about 0.3 ms each: more than the round trip).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "consultatie"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "consultatie_cache",
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "consultatie"),
        }
    }

# --- Authentication -----------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Axes first: it refuses a locked-out username/IP pair before any password is checked.
AUTHENTICATION_BACKENDS = [
    "core.security.LoginProtectionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The PDF fonts under static/fonts are read from disk by WeasyPrint, never sent to browsers: compressing
# them is most of collectstatic's time for nothing.
from whitenoise.compress import Compressor as _Compressor  # noqa: E402

WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*_Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf", "otf")
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# --- Email --------------------------------------------------------------------------------------

EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Consultatie Smart City <noreply@consultatie.example.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where questions from the contact form go, and the address shown on error pages.
CONTACT_EMAIL = envstr("CONTACT_EMAIL", "consultatie@smartcity-consultatie.example.nl")

# --- Task queue ---------------------------------------------------------------------------------
# Email and report rendering run after commit through django-tasks. In production the database
# backend keeps every task durable until `manage.py db_worker` has run it; in development the
# immediate backend runs it in-process so `make run` needs no worker.

TASK_BACKEND = envstr("TASK_BACKEND", "immediate" if DEBUG else "database")
_task_backends = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
if TASK_BACKEND not in _task_backends:
    raise ImproperlyConfigured(f"TASK_BACKEND must be one of {', '.join(_task_backends)}; got {TASK_BACKEND!r}.")
TASKS = {"default": {"BACKEND": _task_backends[TASK_BACKEND]}}

# --- Forms --------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Portal -------------------------------------------------------------------------------------

# Shown with every registration's consent; bump when the privacy statement changes.
PRIVACY_STATEMENT_VERSION = envstr("PRIVACY_STATEMENT_VERSION", "2026-11")
# Registrations are anonymised this many days after their session ended.
PERSONAL_DATA_RETENTION_DAYS = envint("PERSONAL_DATA_RETENTION_DAYS", 90, minimum=1)
# A contact message nobody marked as handled is still deleted this many days after it came in.
CONTACT_MESSAGE_MAX_DAYS = envint("CONTACT_MESSAGE_MAX_DAYS", 365, minimum=1)
# People who ticked "Stuur mij de resultaten" keep only their address (and language and region) past
# the retention above, until this date: the results email and the follow-up digests go out until then,
# and `purge_personal_data` anonymises them after it. The privacy statement shows this date.
RESULTS_FOLLOWUP_UNTIL = envdate("RESULTS_FOLLOWUP_UNTIL", "2027-12-31")
# Follow-up digests (knelpunten whose status changed) reach a person at most once per this many days.
RESULTS_DIGEST_INTERVAL_DAYS = envint("RESULTS_DIGEST_INTERVAL_DAYS", 7, minimum=1)
# Bulk mail (core/mailing.py): messages per minute across all mailings, how many one task run
# sends, and how long a row may stay "sending" before a restarted worker takes it over (keep it well
# above EMAIL_TIMEOUT: a live but slow worker must not lose its row to another).
MAILING_RATE_PER_MINUTE = envint("MAILING_RATE_PER_MINUTE", 60, minimum=1)
MAILING_BATCH_SIZE = envint("MAILING_BATCH_SIZE", 20, minimum=1)
MAILING_CLAIM_TIMEOUT_SECONDS = envint("MAILING_CLAIM_TIMEOUT_SECONDS", 600, minimum=1)
# Spreadsheet import of obstacles (belemmeringen/importlimits.py; SECURITY.md lists them): rows per
# file, unpacked bytes per part of an XLSX, seconds per import, and how long an upload waits in the
# shared cache for its confirm step.
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 20000, minimum=1)
IMPORT_MAX_SHEET_BYTES = envint("IMPORT_MAX_SHEET_BYTES", 40 * 1024 * 1024, minimum=1024)
IMPORT_TIME_LIMIT = envint("IMPORT_TIME_LIMIT", 120, minimum=1)
IMPORT_UPLOAD_TTL = envint("IMPORT_UPLOAD_TTL", 3600, minimum=60)
# Registration POSTs allowed per client per minute (shared cache).
REGISTRATION_RATE_LIMIT = envint("REGISTRATION_RATE_LIMIT", 10, minimum=1)
# Anonymous visitors get the public pages from the shared cache for at most this many seconds
# (core/pagecache.py; a change to what the pages show invalidates them at once). 0: off.
PUBLIC_PAGE_CACHE_SECONDS = envint("PUBLIC_PAGE_CACHE_SECONDS", 60, minimum=0)

# --- Security -----------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    if envbool("USE_X_FORWARDED_PROTO", False):
        # Only behind a TLS-terminating proxy that sets this header itself.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Content-Security-Policy (django-csp 4): only our own files; no inline script or style anywhere,
# so templates keep CSS in static/css/ and JS in static/js/. data: images are Bootstrap's SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Login protection (django-axes): 5 failed attempts for one username from one IP address lock that
# combination for 15 minutes; a successful login resets the count.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock lasts 15 minutes from the fifth failure, as the lockout page says; trying again while
# locked does not restart the clock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Renders templates/axes/lockout.html in Dutch with the cool-off time in minutes.
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Lockouts are still logged (warnings); this only drops the start-up banner every command would print.
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# Behind the TLS proxy REMOTE_ADDR is the proxy's; then the address the proxy appended last to
# X-Forwarded-For is the client's. Only turn this on when such a proxy is always in front.
TRUST_X_FORWARDED_FOR = envbool("TRUST_X_FORWARDED_FOR", envbool("USE_X_FORWARDED_PROTO", False))

# Two-factor authentication (django-otp, TOTP) for every staff account. On by default in
# production mode, off in development and the demo; REQUIRE_2FA=1/0 overrides either way.
REQUIRE_2FA = envbool("REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "Consultatie Smart City")
# A superuser can remove a lost device in the admin, but never read a device's secret there.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Personal-link tokens never reach a log line (core/redaction.py; gunicorn.conf.py does the same).
    "filters": {"redact_tokens": {"()": "core.redaction.RedactTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (a DEBUG-only console, mail_admins) would print lines unfiltered; its
        # records go to the root's filtered console instead. runserver's request lines too.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO; only its warnings are worth a log line.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
