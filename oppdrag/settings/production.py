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
