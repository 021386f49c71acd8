"""Production settings: secrets and hosts from the environment, secure cookies.

The application refuses to start while the demo account exists (see
``oppdrag.core.checks``), so a demo database can never be exposed by mistake.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
REFUSE_DEMO_USER = True

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# The load balancer's probe comes over plain HTTP (see web.health, which also answers
# before the host check).
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]

# Static files: collected by ``oppdrag collectstatic`` at deploy, served by WhiteNoise
# from the application itself (compressed, cached forever under content-hashed names),
# so the reverse proxy needs no file paths and nothing can drift between the two.
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Every request as a JSON line (web.requestlog), unless the operator lowers it.
LOGGING["loggers"]["oppdrag"]["level"] = os.environ.get("OPPDRAG_LOG_LEVEL", "INFO")  # type: ignore[index]  # noqa: F405

# E-mail (password reset, survey reminders) through the operator's SMTP relay.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "oppdrag@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Behind a reverse proxy that sets it, the header that carries the client's address, as
# the request.META key or the header's name ("X-Forwarded-For"), and how many trusted
# proxies append to it; the sign-in throttle and the reset limit count by that address.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "")
if TRUSTED_PROXY_HEADER and not TRUSTED_PROXY_HEADER.startswith("HTTP_"):
    TRUSTED_PROXY_HEADER = "HTTP_" + TRUSTED_PROXY_HEADER.upper().replace("-", "_")
_proxy_count = os.environ.get("TRUSTED_PROXY_COUNT", "1")
if not _proxy_count.isdigit() or int(_proxy_count) < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number of 1 or more.")
TRUSTED_PROXY_COUNT = int(_proxy_count)
