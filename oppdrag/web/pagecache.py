"""Costly page bodies cached until the data changes.

A body (the page without the menu, the signed-in user and the CSRF token around
it) is stored under the centre, the data version (``core.versions``), the day,
the language and whatever else the page depends on (year, query string). A
committed write anywhere raises the data version, so the next request computes
the body again; a cached body is never older than the last committed write.
The cache is Django's default one: per process with the local-memory backend (each
worker computes a body once per version), shared when a Memcached or Redis cache
is configured.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest
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


def cached_body(
    request: HttpRequest, name: str, parts: Iterable[object], render: Callable[[], str]
) -> SafeString:
    """``render()``'s HTML, cached as ``cached`` does."""
    return mark_safe(cached(request, name, parts, render))  # rendered (and escaped) by templates
