"""Sessions and signed-in users read once per process until a sign-in changes.

``SessionStore`` (the ``SESSION_ENGINE``) is Django's database session store that
keeps what it loaded in the process's cache under the *auth* counter of
``core.versions``; ``CachedAuthenticationMiddleware`` does the same for the user a
session belongs to. Any write to the sessions or the accounts (signing in or out,
a changed password, a deactivated user) raises that counter once committed, so
every process reads them from the database again. When the counter is not known
without a query (SQLite, or before the PostgreSQL listener is connected) both
behave exactly as Django's own and read the database on every request.
"""

from __future__ import annotations

from typing import Any

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends import db
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from oppdrag.core import versions

# An upper bound for memory only: a new auth counter makes every entry obsolete.
SECONDS = 15 * 60


def _auth_version() -> int | None:
    if not versions.listening():
        return None
    return versions.current(counter=versions.AUTH)


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        version = _auth_version()
        if version is None or not self.session_key:
            return super().load()
        key = f"session:{version}:{self.session_key}"
        data = cache.get(key)
        if data is not None:
            return data  # type: ignore[no-any-return]
        stored = self._get_session_from_db()  # type: ignore[attr-defined]
        if stored is None:  # unknown or expired: Django's own answer (a new session)
            return {}
        data = self.decode(stored.session_data)
        # Never kept past the session's own expiry.
        left = (stored.expire_date - timezone.now()).total_seconds()
        if left > 0:
            cache.set(key, data, min(SECONDS, left))
        return data


def cached_user(request: HttpRequest) -> Any:
    """``auth.get_user`` for this request, from the cache when sign-ins have not changed."""
    if hasattr(request, "_cached_user"):
        return request._cached_user  # type: ignore[attr-defined]
    version = _auth_version()
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    if version is None or user_id is None:
        request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
        return request._cached_user  # type: ignore[attr-defined]
    # The session's password hash is part of the key: a user is cached only as
    # verified against this session by auth.get_user.
    parts = (
        version,
        user_id,
        session.get(auth.BACKEND_SESSION_KEY),
        session.get(auth.HASH_SESSION_KEY),
    )
    key = "user:" + ":".join(str(p) for p in parts)
    user = cache.get(key)
    if user is None:
        user = auth.get_user(request)
        if user.is_authenticated:
            cache.set(key, user, SECONDS)
    request._cached_user = user  # type: ignore[attr-defined]
    return user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's authentication middleware with ``cached_user`` for ``request.user``."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: cached_user(request))  # type: ignore[assignment]
