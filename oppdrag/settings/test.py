"""Test settings: fast hashing, in-memory mail, database from ``DATABASE_URL``."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A connection per request, as Django's test tools expect (live-server threads,
# databases dropped at the end); production keeps them (base.database_from_env).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
# Background work runs where it is ordered; the worker itself is tested in tests/test_deploy.py.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test's commit need not survive a crash of the server: commits (transactional
    # tests, the live server's requests, each database flush) do not wait for the WAL
    # to reach the disk. Nothing else changes, and only for this session.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
# Page bodies are not kept under the data version (web/fragments.py): a test's writes are
# never committed, so the version never rises inside it. web/tests/test_fragments.py turns
# it on and runs the commit callbacks, as a committed write would.
FRAGMENT_CACHE_SECONDS = 0
