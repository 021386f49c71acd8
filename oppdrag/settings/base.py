"""Settings shared by every environment.

Environment-specific modules (`dev`, `test`, `production`) import from here and
override what differs. The database comes from ``DATABASE_URL``; without it the
embedded SQLite database under ``var/`` is used.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("OPPDRAG_VAR_DIR", PROJECT_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "oppdrag.core.admin_site.OppdragAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "mozilla_django_oidc",
    "oppdrag.core",
    "oppdrag.grants",
    "oppdrag.activities",
    "oppdrag.figures",
    "oppdrag.hours",
    "oppdrag.teams",
    "oppdrag.reports",
    "oppdrag.interchange",
    "oppdrag.evaluations",
    "oppdrag.finance",
    "oppdrag.web",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oppdrag.api",
    "axes",
]

MIDDLEWARE = [
    "oppdrag.web.health.HealthCheckMiddleware",
    "oppdrag.web.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "oppdrag.web.middleware.SecurityHeadersMiddleware",
    # Last, so that it turns a refused sign-in into the lockout page (web.throttle).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oppdrag.urls"
WSGI_APPLICATION = "oppdrag.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oppdrag.web.context_processors.navigation",
            ],
        },
    },
]


def database_from_env(default_sqlite: Path) -> dict:
    """Return the Django database settings for ``DATABASE_URL`` (or SQLite).

    SQLite gets IMMEDIATE transactions and a busy timeout, so concurrent writers
    wait for the lock instead of failing with "database is locked". Connections
    are kept between requests for ``DATABASE_CONN_MAX_AGE`` seconds (default 60,
    checked before reuse): opening a PostgreSQL connection starts a server process,
    which costs more than many a page's own queries (measured with bench.web).
    """
    url = os.environ.get("DATABASE_URL", f"sqlite:///{default_sqlite}")
    max_age = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
    config = dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=max_age > 0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return dict(config)


DATABASES = {"default": database_from_env(VAR_DIR / "oppdrag.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new passwords; the others only to read hashes made elsewhere.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # First: refuses every password sign-in (staff, admin, any later endpoint) while locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "oppdrag.web.oidc.OppdragOIDCBackend",
]

# Single sign-on (OpenID Connect) is off unless a client id is configured.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "ID-porten")
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Django's database sessions, read with every request: signing out, a changed password
# or a session deleted by any means ends access at the next request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# How long a page's computed body (dashboard, lists) is kept under the centre's data
# version at most, for writes the version does not see (web/fragments.py); 0 turns the
# cache off (the benchmark's «before» runs).
FRAGMENT_CACHE_SECONDS = int(os.environ.get("OPPDRAG_FRAGMENT_CACHE_SECONDS", "60"))
CSRF_COOKIE_SAMESITE = "Lax"
# A refused form post gets a Norwegian page with the site header, not Django's English one.
CSRF_FAILURE_VIEW = "oppdrag.web.views.csrf_failure"

# Sign-in throttling (django-axes, oppdrag/web/throttle.py): failures are counted in the
# database, which every process shares, per username and client address together, so one
# proxy or office address does not lock out everyone behind it. Five failures lock that
# pair for 15 minutes; each try while locked starts the 15 minutes again.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "oppdrag.web.throttle.axes_username"
AXES_CLIENT_IP_CALLABLE = "oppdrag.web.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "oppdrag.web.throttle.lockout_response"
# Only failures are kept, not a row per successful sign-in.
AXES_DISABLE_ACCESS_LOG = True
# The client address comes from this request.META key (e.g. "HTTP_X_FORWARDED_FOR")
# only when set: the entry TRUSTED_PROXY_COUNT places from its right. Off by default,
# since without a proxy that overwrites it the header is whatever the client sent.
TRUSTED_PROXY_HEADER = ""
TRUSTED_PROXY_COUNT = 1
# Password-reset requests: (requests, seconds) per client address and per e-mail address,
# counted in the database (web.ratelimit).
PASSWORD_RESET_LIMITS = {"address": (10, 3600), "email": (3, 3600)}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bokmål whatever the browser asks for: without LocaleMiddleware every request runs in
# LANGUAGE_CODE, Django's and DRF's own messages included (both ship "nb" catalogues).
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as 23.11.2026 wherever a date is shown without an explicit format (oppdrag/formats).
FORMAT_MODULE_PATH = ["oppdrag.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
# Numbers are formatted by the templates' own filters (thin-space thousands).
USE_THOUSAND_SEPARATOR = False

# Background work (report files): Django's tasks framework through its backport, with the
# database as the queue, so no extra server is needed; `oppdrag db_worker` runs it
# (deploy/oppdrag-worker.service). A task waiting longer than this fails /healthz.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_QUEUE_MAX_WAIT_SECONDS = 300

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# Request and task logs as JSON lines on standard error (journald or the container's
# log collects them); the request log is silent unless a setting turns it on.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "oppdrag.web.requestlog.JsonLineFormatter"}},
    "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "oppdrag": {
            "handlers": ["json"],
            "level": os.environ.get("OPPDRAG_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
    },
}

# One årsverk (full-time equivalent) is 1 950 hours in the centres' reporting.
HOURS_PER_FTE = 1950

# Importers refuse files larger than this, and stop reading after this many rows.
IMPORT_MAX_BYTES = 50 * 1024 * 1024
IMPORT_MAX_ROWS = 200_000

# Production refuses to start while the well-known demo account exists.
REFUSE_DEMO_USER = False
DEMO_USERNAME = "demo"

# The REST API (oppdrag/api): token or session sign-in, JSON only, OpenAPI 3.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oppdrag.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # «format» is a filter of the event list (fysisk/digital), not a renderer choice.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Oppdrag API",
    "DESCRIPTION": "Registrene, nøkkeltallene og årsrapporten til et kompetansesenter.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# The grant from which the accounts reported to the grantor need an auditor's
# confirmation (the state's grant practice: 200 000 kr).
FINANCE_AUDITOR_THRESHOLD_NOK = 200_000
