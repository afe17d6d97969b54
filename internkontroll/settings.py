"""Settings, all read from environment variables with safe defaults.

IK_ENV=production switches on the hardened production mode; DATABASE_URL selects
PostgreSQL (postgres://…); without it an embedded SQLite file in IK_DATA_DIR is used.
"""

import datetime
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PRODUCTION = os.environ.get("IK_ENV", "development") == "production"
DATA_DIR = Path(os.environ.get("IK_DATA_DIR", BASE_DIR.parent / "var")).resolve()


def development_secret_key() -> str:
    # A key kept in the data directory, so sessions survive restarts of the dev server.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


if PRODUCTION:
    SECRET_KEY = os.environ.get("IK_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("IK_SECRET_KEY must be set to at least 50 random characters.")
    DEBUG = False
    ALLOWED_HOSTS = env_list("IK_ALLOWED_HOSTS", [])
else:
    SECRET_KEY = os.environ.get("IK_SECRET_KEY") or development_secret_key()
    DEBUG = env_bool("IK_DEBUG", False)
    ALLOWED_HOSTS = env_list("IK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "internkontroll.trail",  # before simple_history: its commands that delete history are refused
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "internkontroll.accounts",
    "internkontroll.organisation",
    "internkontroll.plans",
    "internkontroll.risks",
    "internkontroll.controls",
    "internkontroll.followups",
    "internkontroll.audits",
    "internkontroll.exchange",
    "internkontroll.reports",
    "internkontroll.search",
    "internkontroll.generate",
    "django_tasks",
    "django_tasks_db",
    "internkontroll.jobs",
    "internkontroll.nominations",
    "internkontroll.api",
    "internkontroll.workbooks",
    "internkontroll.reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Around everything that reads the database: GET pages may read from a replica.
    "internkontroll.lib.routers.ReplicaMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "internkontroll.lib.middleware.LanguageMiddleware",
    # Before anything reads the body; after the language, so its 413 page speaks the user's.
    "internkontroll.lib.request_limits.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "internkontroll.lib.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it turns a login refused for a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "internkontroll.urls"
WSGI_APPLICATION = "internkontroll.wsgi.application"

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
                "internkontroll.lib.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'internkontroll.sqlite3'}",
        conn_max_age=int(os.environ.get("IK_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # Write-ahead logging: pages read while another request writes, instead of waiting for
        # its commit, and a commit writes the log once. FULL keeps every commit on disk.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
    # Kept open like PostgreSQL's: a new SQLite connection parses the whole schema before its
    # first query, about 2.5 ms of CPU on every request.
# A read replica of the PostgreSQL primary: read-only pages and reports read from it
# (internkontroll/lib/routers.py). In tests it is the primary's test database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("IK_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["internkontroll.lib.routers.ReplicaRouter"]
# After a change, a person reads from the primary this long, so they see it whatever the lag.
IK_REPLICA_PIN_SECONDS = int(os.environ.get("IK_REPLICA_PIN_SECONDS", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "followups:mine"
LOGOUT_REDIRECT_URL = "accounts:login"

# The lockout check first; then passwords; then single sign-on (which answers only its callback).
AUTHENTICATION_BACKENDS = [
    "internkontroll.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "internkontroll.accounts.oidc.OrganisationAccountBackend",
]

# Lockout after repeated failed logins (django-axes), per username and address together, so
# nobody can lock a colleague out from another address.
AXES_FAILURE_LIMIT = int(os.environ.get("IK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("IK_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during a lockout do not extend it: it ends the cool-off after the last counted failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "internkontroll.accounts.views.locked_out"
AXES_WHITELIST_CALLABLE = "internkontroll.accounts.oidc.is_single_sign_on"
AXES_VERBOSE = False
# Behind IK_TRUSTED_PROXY_COUNT reverse proxies the client is that many entries from the right
# of X-Forwarded-For: entries further left are whatever the client chose to send.
TRUSTED_PROXY_COUNT = int(os.environ.get("IK_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "internkontroll.accounts.limits.client_address"
# Unlock with `ik axes_reset_username <username>`; the admin keeps to this system's own data.
AXES_ENABLE_ADMIN = False

# Single sign-on with OpenID Connect (Entra ID and the like): on when a client id is set.
# Users are matched by e-mail to existing users only; their roles are kept here.
OIDC_RP_CLIENT_ID = os.environ.get("IK_OIDC_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = os.environ.get("IK_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("IK_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("IK_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("IK_OIDC_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("IK_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("IK_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 15
if OIDC_ENABLED:
    missing = [
        name
        for name in [
            "IK_OIDC_CLIENT_SECRET",
            "IK_OIDC_AUTHORIZATION_ENDPOINT",
            "IK_OIDC_TOKEN_ENDPOINT",
            "IK_OIDC_USER_ENDPOINT",
            "IK_OIDC_JWKS_ENDPOINT",
        ]
        if not os.environ.get(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            f"IK_OIDC_CLIENT_ID is set, so single sign-on also needs {', '.join(missing)}."
        )

# E-mail, for password resets: printed to the console in development unless configured.
EMAIL_BACKEND = os.environ.get("IK_EMAIL_BACKEND", "smtp" if PRODUCTION else "console")
if "." not in EMAIL_BACKEND:
    EMAIL_BACKEND = f"django.core.mail.backends.{EMAIL_BACKEND}.EmailBackend"
EMAIL_HOST = os.environ.get("IK_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("IK_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("IK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("IK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("IK_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("IK_EMAIL_FROM", "internkontroll@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A password reset link works once, and for at most two hours.
PASSWORD_RESET_TIMEOUT = 2 * 3600
# Password reset requests per hour from one client address, and reset e-mails per hour to one user.
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("IK_RESET_LIMIT_PER_ADDRESS", "5"))
# Requests one API token may make in an hour; past it the API answers 429.
IK_API_RATE_LIMIT = int(os.environ.get("IK_API_RATE_LIMIT", "3600"))
PASSWORD_RESET_LIMIT_PER_USER = int(os.environ.get("IK_RESET_LIMIT_PER_USER", "3"))
# A new e-mail address takes effect when the link sent to it is followed, within a day.
EMAIL_CHANGE_TIMEOUT = 24 * 3600

# Logins are kept in the database, so any application server serves any person: Django's own
# engine, its reading prepared once per process (internkontroll/lib/sessions.py).
SESSION_ENGINE = "internkontroll.lib.sessions"

# Background work on a queue kept in the database (django-tasks with django-tasks-db): no other
# server. `ik db_worker` runs it, on this machine or another with the same settings.
# IK_TASKS_IMMEDIATE=1 runs every task inside the request instead, for a setup without a worker.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("IK_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# A task that fails unexpectedly is tried again after IK_TASK_RETRY_SECONDS × its attempts so
# far, up to IK_TASK_ATTEMPTS attempts in all.
IK_TASK_ATTEMPTS = int(os.environ.get("IK_TASK_ATTEMPTS", "3"))
IK_TASK_RETRY_SECONDS = int(os.environ.get("IK_TASK_RETRY_SECONDS", "30"))
# /halsa/ reports the queue as stuck when a task has waited longer than this for a worker.
IK_QUEUE_MAX_WAIT_SECONDS = int(os.environ.get("IK_QUEUE_MAX_WAIT_SECONDS", "300"))
# A committee's report is made in the background above this many risks and actions (above the
# PDF's number for a PDF); the organisation-wide overview always is.
IK_REPORT_BACKGROUND_ROWS = int(os.environ.get("IK_REPORT_BACKGROUND_ROWS", "1000"))
IK_REPORT_BACKGROUND_PDF_ROWS = int(os.environ.get("IK_REPORT_BACKGROUND_PDF_ROWS", "100"))
# Reminders by e-mail (`ik send_reminders`, daily): to the responsible person this many days
# before a period's reporting deadline and this many days after it, while nothing is reported;
# to coordinators a weekly summary on IK_REMINDER_DIGEST_WEEKDAY (0 Monday … 6 Sunday) of what
# is missing, for IK_REMINDER_DIGEST_DAYS after each deadline. Links in them start at IK_SITE_URL.
IK_REMINDER_DAYS_BEFORE = [int(d) for d in env_list("IK_REMINDER_DAYS_BEFORE", ["7", "1"])]
IK_REMINDER_DAYS_AFTER = [int(d) for d in env_list("IK_REMINDER_DAYS_AFTER", ["1"])]
IK_REMINDER_DIGEST_WEEKDAY = int(os.environ.get("IK_REMINDER_DIGEST_WEEKDAY", "0"))
IK_REMINDER_DIGEST_DAYS = int(os.environ.get("IK_REMINDER_DIGEST_DAYS", "28"))
# The hour (local time) the task queue sends the day's reminders at.
IK_REMINDER_HOUR = int(os.environ.get("IK_REMINDER_HOUR", "6"))
IK_SITE_URL = os.environ.get("IK_SITE_URL", "http://localhost:8000").rstrip("/")
# How long a report made in the background is kept for the person who asked for it.
IK_REPORT_FILE_HOURS = int(os.environ.get("IK_REPORT_FILE_HOURS", "24"))
# A report still not made after this long is given up (its worker stopped); asking again helps.
IK_REPORT_STALE_SECONDS = int(os.environ.get("IK_REPORT_STALE_SECONDS", "900"))

# The rate limits count in the database, so every worker process sees the same counts.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "limits": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "internkontroll_limits",
    },
}

# Demo mode (make demo): the login page offers one-click logins as the demo users.
# Never on in production, whatever the environment says.
DEMO_MODE = env_bool("IK_DEMO", False) and not PRODUCTION

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("IK_MEDIA_ROOT", DATA_DIR / "media"))
# Uploaded files and finished reports on S3-compatible storage, shared by every server, when
# a bucket is named; else under MEDIA_ROOT. Either way they are never served directly: only
# through the views that check who may read them.
if os.environ.get("IK_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["IK_S3_BUCKET"],
            "endpoint_url": os.environ.get("IK_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("IK_S3_REGION") or None,
            # Without keys, boto3 finds credentials itself (environment, instance role).
            "access_key": os.environ.get("IK_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("IK_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("IK_S3_PREFIX", ""),
            "addressing_style": os.environ.get("IK_S3_ADDRESSING_STYLE") or None,
            # The bucket's own policy, which must keep it private (some S3 services refuse ACLs).
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Evidence files attached to follow-ups: stored under MEDIA_ROOT, never served directly.
IK_EVIDENCE_MAX_BYTES = int(os.environ.get("IK_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o640

# Largest exchange document `ik import` accepts.
# A large organisation's ten years (10,000 risks) is about 32 MB.
IK_IMPORT_MAX_BYTES = int(os.environ.get("IK_IMPORT_MAX_BYTES", str(64 * 1024 * 1024)))

# The largest request body accepted at all, refused with 413 before it is read. It must leave
# room for the largest evidence file or exchange document and the form around it.
_LARGEST_UPLOAD = max(IK_EVIDENCE_MAX_BYTES, IK_IMPORT_MAX_BYTES)
IK_MAX_REQUEST_BYTES = int(
    os.environ.get(
        "IK_MAX_REQUEST_BYTES", str(max(30 * 1024 * 1024, _LARGEST_UPLOAD + 1024 * 1024))
    )
)
if IK_MAX_REQUEST_BYTES <= _LARGEST_UPLOAD:
    raise ImproperlyConfigured(
        "IK_MAX_REQUEST_BYTES must be larger than IK_EVIDENCE_MAX_BYTES and IK_IMPORT_MAX_BYTES."
    )
# Form fields other than files are held in memory: 2.5 MB is far more than any form here sends.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest forms (a risk with its assessment) have a few dozen fields; evidence comes a few
# files at a time.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

SESSION_COOKIE_AGE = int(os.environ.get("IK_SESSION_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
# A login also ends when the browser closes; the server forgets it after SESSION_COOKIE_AGE.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("IK_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# No inline script anywhere; inline <style> only with the per-request nonce (level colours).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("IK_SSL_REDIRECT", True)
    # Load balancers ask for the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
    if env_bool("IK_BEHIND_PROXY", False):
        # Only safe behind a proxy that overwrites X-Forwarded-Proto on every request.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("IK_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("IK_CSRF_TRUSTED_ORIGINS", [])

# IK_LOG_FORMAT=json writes one JSON object per line, for log collectors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "internkontroll.lib.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("IK_LOG_FORMAT") == "json" else None,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("IK_LOG_LEVEL", "WARNING")},
}

# History is evidence for the auditors: the admin shows old versions but never reverts to them.
SIMPLE_HISTORY_REVERT_DISABLED = True
