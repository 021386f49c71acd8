"""Costly page bodies cached until the data changes.

A body (the page without the menu, the signed-in user and the CSRF token around
it) is stored under the centre, the data version (``core.versions``), the day,
the language and whatever else the page depends on (year, query string). A
committed write anywhere raises the data version, so the next request computes
the body again; a cached body is never older than the last committed write.
The cache is Django's default one: per process with the local-memory backend (each
worker computes a body once per version), shared when a Memcached or Redis cache
is configured.

``render_cached`` keeps the whole page of one reader the same way, the menu and the
user name included, with a placeholder where the CSRF token goes: a cached page
costs a cache read and a string replacement instead of a template render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from oppdrag.core import versions

T = TypeVar("T")

# A version no longer current is never asked for again; the timeout only frees memory.
BODY_SECONDS = 60 * 60


def cached(request: HttpRequest, name: str, parts: Iterable[object], compute: Callable[[], T]) -> T:
    """``compute()`` for ``request.center``, from the cache when the data has not changed
    since (``access`` read the data version with the memberships)."""
    center_pk = request.center.pk  # type: ignore[attr-defined]
    version = versions.current(read=getattr(request, "data_version", None))
    if version is None:  # this request has uncommitted writes of its own
        return compute()
    words = [name, str(center_pk), str(version), timezone.localdate().isoformat()]
    words.append(translation.get_language() or "")
    words.extend(str(part) for part in parts)
    key = "body:" + hashlib.sha256("\x1f".join(words).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, BODY_SECONDS)
    return value  # type: ignore[no-any-return]


def render_cached(
    request: HttpRequest, template_name: str, name: str, context: Callable[[], dict[str, Any]]
) -> HttpResponse:
    """``render(request, template_name, context())``, the page kept for this reader.

    The key adds to ``cached``'s the user (id and name: what the page shows of the
    user beyond the memberships, which are data) and the full path with its query
    string. A page with messages waiting is rendered afresh (showing them uses them up).
    """
    if len(get_messages(request)):
        return render(request, template_name, context())
    user = request.user
    parts = ["page", template_name, user.pk, user.get_username(), request.get_full_path()]

    def page() -> str:
        return render_to_string(template_name, {**context(), "csrf_token": CSRF_MARK}, request)

    html = cached(request, name, parts, page)
    return HttpResponse(html.replace(CSRF_MARK, get_token(request)))


def _csrf_mark() -> str:
    """A stand-in for the CSRF token no record text can hold by chance (derived from
    the secret key, so every process of an installation agrees on it)."""
    digest = hashlib.sha256(f"oppdrag.pagecache:{settings.SECRET_KEY}".encode()).hexdigest()
    return f"csrf{digest[:40]}"


CSRF_MARK = _csrf_mark()


def cached_body(
    request: HttpRequest, name: str, parts: Iterable[object], render: Callable[[], str]
) -> SafeString:
    """``render()``'s HTML, cached as ``cached`` does."""
    return mark_safe(cached(request, name, parts, render))  # rendered (and escaped) by templates
