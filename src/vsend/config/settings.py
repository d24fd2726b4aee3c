"""vsend settings: one file, driven by the environment (see README "Configuration")."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from vsend.config.env import env_bool, env_int, env_list, env_str
from vsend.ops.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent.parent

VSEND_ENV = env_str("VSEND_ENV", "development")
if VSEND_ENV not in {"production", "development"}:
    raise ImproperlyConfigured(
        f"VSEND_ENV must be 'production' or 'development', not {VSEND_ENV!r}"
    )
PRODUCTION = VSEND_ENV == "production"

DATA_DIR = Path(env_str("VSEND_DATA_DIR", str(Path.cwd() / "var")))

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when VSEND_ENV=production")
    SECRET_KEY = "development-only-key-not-for-production-use-" + "x" * 20  # noqa: S105

DEBUG = False if PRODUCTION else env_bool("DEBUG", False)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "vsend.config",
    "vsend.audit",
    "vsend.organisations",
    "vsend.accounts",
    "vsend.children",
    "vsend.records",
    "vsend.frameworks",
    "vsend.profiles",
    "vsend.voice",
    "vsend.insights",
    "vsend.aggregates",
    "vsend.api",
    "vsend.submissions",
    "vsend.demo",
    "django_q",
    "vsend.jobs",
    "vsend.exports",
    "vsend.mail",
    "vsend.provision",
    "vsend.workflows",
    "vsend.statutory",
    "vsend.places",
    "vsend.transitions",
    "vsend.family",
    "vsend.exchange",
    "vsend.ops",
]

MIDDLEWARE = [
    "vsend.ops.requests.RequestIdMiddleware",
    "vsend.ops.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vsend.config.problems.ProblemResponsesMiddleware",
    "vsend.config.hygiene.InputHygieneMiddleware",
    "vsend.config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vsend.accounts.middleware.PreferredLanguageMiddleware",
    "vsend.accounts.middleware.SessionLimitsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "vsend.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "vsend.profiles.middleware.FrameworkUnavailableMiddleware",
]

ROOT_URLCONF = "vsend.config.urls"
WSGI_APPLICATION = "vsend.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "vsend.config.jinja2.environment",
            "context_processors": ["vsend.config.jinja2.csp_nonce"],
        },
    },
    {
        # Only for third-party pages that ship Django templates; vsend's own pages are Jinja.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

if not env_str("DATABASE_URL"):
    # The embedded default: SQLite in the data directory, made on first use.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'vsend.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# The role that owns the tables, for `vsend migrate` only: the application's own role
# (DATABASE_URL) then gets SELECT and INSERT alone on the audit trail (config/database_roles.py).
DATABASE_MIGRATE_URL = env_str("DATABASE_MIGRATE_URL")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and the job worker share the file: wait for a lock rather than fail, and
    # take the write lock when a transaction starts so two writers never deadlock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # PostgreSQL: bind parameters on the server so psycopg can prepare a statement it has run
    # twice on a connection and skip planning it again (ADR 40). Planning is most of the time of
    # the small, many-joined queries a page makes. Turn off behind a transaction-pooling proxy.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": env_int("DATABASE_PREPARE_THRESHOLD", 2)}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "vsend.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"

# Sessions: signed out after 30 minutes idle and 12 hours in all (SessionLimitsMiddleware).
VSEND_SESSION_IDLE = timedelta(minutes=env_int("VSEND_SESSION_IDLE_MINUTES", 30))
VSEND_SESSION_ABSOLUTE = timedelta(hours=env_int("VSEND_SESSION_ABSOLUTE_HOURS", 12))
SESSION_COOKIE_AGE = int(VSEND_SESSION_ABSOLUTE.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "vsend_session"
CSRF_COOKIE_NAME = "vsend_csrftoken"

# Multi-factor sign-in for staff: always required in production.
VSEND_REQUIRE_MFA = PRODUCTION or env_bool("VSEND_REQUIRE_MFA", False)
# Rows that record someone reading a record are committed without waiting for the disk on
# PostgreSQL (ADR 40); every change is committed durably. True makes reads durable too.
VSEND_AUDIT_DURABLE_READS = env_bool("VSEND_AUDIT_DURABLE_READS", False)
# Personal API tokens expire this many days after they are made.
VSEND_API_TOKEN_DAYS = env_int("VSEND_API_TOKEN_DAYS", 90)
if VSEND_API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("VSEND_API_TOKEN_DAYS must be 1 or more")
OTP_TOTP_ISSUER = env_str("VSEND_SERVICE_NAME", "vsend")
# Password reset links work once, for this many minutes; each email address may ask for this
# many links an hour (further requests get the same page and no email).
PASSWORD_RESET_TIMEOUT = 60 * env_int("VSEND_PASSWORD_RESET_MINUTES", 60)
VSEND_PASSWORD_RESETS_PER_HOUR = env_int("VSEND_PASSWORD_RESETS_PER_HOUR", 3)
if PASSWORD_RESET_TIMEOUT < 60 or VSEND_PASSWORD_RESETS_PER_HOUR < 1:
    raise ImproperlyConfigured(
        "VSEND_PASSWORD_RESET_MINUTES and VSEND_PASSWORD_RESETS_PER_HOUR must be 1 or more"
    )

# Brute-force lockout keyed on username + IP, so nobody can lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = env_int("VSEND_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("VSEND_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "vsend.accounts.backends.lockout_username"
AXES_LOCKOUT_CALLABLE = "vsend.accounts.views.locked_out"
AXES_VERBOSE = False
# Behind reverse proxies, VSEND_PROXY_COUNT is how many append to X-Forwarded-For, so the client
# address (for lockout and the audit trail) is the real one: see config/client_address.py.
VSEND_PROXY_COUNT = env_int("VSEND_PROXY_COUNT", 0)
if VSEND_PROXY_COUNT < 0:
    raise ImproperlyConfigured("VSEND_PROXY_COUNT must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "vsend.config.client_address.client_ip"
# Password spraying: failed sign-ins for this many different email addresses from one address
# within the lockout time pause sign-in from that address (0 turns this off).
VSEND_ADDRESS_FAILED_USERNAMES = env_int("VSEND_ADDRESS_FAILED_USERNAMES", 20)

TIME_ZONE = "Europe/London"
USE_I18N = True  # family-facing words are translatable; catalogues live in src/vsend/locale
# The languages the authority offers its families (VSEND_LANGUAGES, comma-separated codes, the
# first the default; each needs a catalogue in LOCALE_PATHS, see src/vsend/locale/README.md).
# English only unless the deployment says otherwise. Each is named in its own language: Django's
# name for the code, or the name given after a colon ("so:Soomaali") for a code Django lacks.
VSEND_LANGUAGES = [item.strip() for item in env_list("VSEND_LANGUAGES", ["en-gb"])] or ["en-gb"]


def _language_name(code: str) -> str:
    from django.conf.locale import LANG_INFO

    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0])
    if info is None or "fallback" in info:
        raise ImproperlyConfigured(
            f"VSEND_LANGUAGES: {code!r} is not a language code Django knows: name it in its "
            f"own language after a colon, for example {code}:Name"
        )
    return "English" if code.startswith("en") else str(info["name_local"])


def _language(item: str) -> tuple[str, str]:
    code, _, name = item.partition(":")
    code = code.strip().lower()
    return code, name.strip() or _language_name(code)


LANGUAGES = list(dict(_language(item) for item in VSEND_LANGUAGES).items())
LANGUAGE_CODE = LANGUAGES[0][0]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("VSEND_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
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
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns if it is missing

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "vsend.api.authentication.PersonalTokenAuthentication",
        "vsend.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["vsend.config.problems.CleanJSONParser"],
    "EXCEPTION_HANDLER": "vsend.config.problems.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "vsend API",
    "DESCRIPTION": (
        "Read access to the children and young people a user may see. Authenticate with a "
        "personal API token: `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH bodies are described as sent: lock_version is required even in a partial change.
    "COMPONENT_SPLIT_PATCH": False,
    # A workflow step's state, the same set for the statutory clock and transition plans.
    "ENUM_NAME_OVERRIDES": {
        "NeedTypeEnum": "vsend.children.census.NeedType",
        "MilestoneStateEnum": [
            "done",
            "due",
            "at_risk",
            "overdue",
            "waiting",
            "paused",
            "not_needed",
        ],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "vsend.api.schema.describe_common_responses",
    ],
}

# Security headers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("VSEND_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("VSEND_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("VSEND_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Logs (ops/logs.py): JSON lines with the request id in production, plain text in development.
VSEND_LOG_FORMAT = env_str("VSEND_LOG_FORMAT", "json" if PRODUCTION else "text")
if VSEND_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"VSEND_LOG_FORMAT must be json or text, not {VSEND_LOG_FORMAT!r}")
LOGGING = logging_config(VSEND_LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))
# Prometheus metrics at /metrics, for a scraper sending `Authorization: Bearer <token>` (ops/).
VSEND_METRICS_TOKEN = env_str("VSEND_METRICS_TOKEN")

VSEND_SERVICE_NAME = env_str("VSEND_SERVICE_NAME", "vsend")

# Email (ADR 15): SMTP when EMAIL_HOST is set; otherwise each message is written to a file under
# var/mail/, so the embedded default needs no mail server. Messages are sent by the job queue.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{VSEND_SERVICE_NAME} <noreply@localhost>")
# The address links in emails start with, e.g. https://vsend.example.gov.uk (no trailing /).
VSEND_BASE_URL = env_str("VSEND_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Invitation links stop working this many days after they are sent.
VSEND_INVITATION_DAYS = env_int("VSEND_INVITATION_DAYS", 7)
if VSEND_INVITATION_DAYS < 1:
    raise ImproperlyConfigured("VSEND_INVITATION_DAYS must be 1 or more")

# Needs frameworks: vsend's own are always loaded; an authority may add files in the same
# format (comma-separated paths) and choose which framework id new profiles use.
# Dashboard figures are cached per data version (see insights/cache.py); this bounds how long a
# change made outside vsend's own services (a database edit, say) can go unseen.
VSEND_INSIGHT_CACHE_SECONDS = env_int("VSEND_INSIGHT_CACHE_SECONDS", 900)
# One cache for every process when REDIS_URL is set (redis://host:6379/0): dashboards are then
# computed once for all gunicorn workers and hosts. Without it each process keeps its own.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("VSEND_CACHE_PREFIX", "vsend"),
            "TIMEOUT": VSEND_INSIGHT_CACHE_SECONDS,
        }
    }
    # Sessions are read from the shared cache and written through to the database, which stays
    # the record (sign-out and expiry work as before; a Redis restart loses no session).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Background jobs (ADR 14): Django-Q2 with the database as its queue, so nothing else is needed.
# `vsend qcluster` runs the worker; `vsend serve` runs it beside the development web server.
VSEND_JOB_TIMEOUT_SECONDS = env_int("VSEND_JOB_TIMEOUT_SECONDS", 120)
VSEND_JOB_ATTEMPTS = env_int("VSEND_JOB_ATTEMPTS", 4)
VSEND_JOB_RETRY_BASE_SECONDS = env_int("VSEND_JOB_RETRY_BASE_SECONDS", 30)
Q_CLUSTER = {
    "name": "vsend",
    "orm": "default",
    "workers": env_int("VSEND_JOB_WORKERS", 2),
    "recycle": 200,
    "timeout": VSEND_JOB_TIMEOUT_SECONDS,
    # A task whose worker died is handed out again once its lease runs out.
    "retry": env_int("VSEND_JOB_LEASE_SECONDS", VSEND_JOB_TIMEOUT_SECONDS + 30),
    "max_attempts": VSEND_JOB_ATTEMPTS,
    "ack_failures": False,
    "save_limit": 500,
    "poll": 0.5,
    "catch_up": False,
    "label": "Background jobs",
}
# Files made in the background (PDFs) are kept for their user this long, then deleted.
VSEND_DOWNLOAD_MINUTES = env_int("VSEND_DOWNLOAD_MINUTES", 30)

VSEND_FRAMEWORK_FILES = env_list("VSEND_FRAMEWORK_FILES", [])
VSEND_FRAMEWORK_ID = env_str("VSEND_FRAMEWORK_ID", "vsend-open")
VSEND_DEMO_PASSWORD = env_str("VSEND_DEMO_PASSWORD", "valuing-send-demo")
# Request bodies: forms up to DATA_UPLOAD_MAX_MEMORY_SIZE are read as usual; a form over it is
# read up to the hard limit with each value cut short, so the page can say which answer is too
# long and keep the text (see config/hygiene.py). API bodies over the limit are refused (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("VSEND_UPLOAD_LIMIT_BYTES", 2_621_440)
# A file uploaded (a register extract) is stopped, and refused, past this size.
FILE_UPLOAD_LIMIT_BYTES = env_int("VSEND_FILE_UPLOAD_LIMIT_BYTES", 10 * 1024 * 1024)
VSEND_FORM_HARD_LIMIT = env_int("VSEND_FORM_HARD_LIMIT_BYTES", 20_000_000)
CSRF_FAILURE_VIEW = "vsend.config.views.csrf_failure"
