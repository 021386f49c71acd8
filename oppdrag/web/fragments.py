"""Computed parts of pages kept under the centre's data version.

Some pages cost more to compute than a server can spend per request when many
people read them at once (the dashboard's figures, a list's filter form and rows on
national data; see bench/README.md, «A cache under the data version»). Their
expensive part — the rendered HTML of the page's body, the same for every reader
with the same role and query — is kept in Django's cache under a key of

- the centre and its data version (``oppdrag.core.versions.current``: one query, raised
  when any write of the centre's data commits, whether through a service, the admin,
  an import or the API), so the next request after a write computes the part again;
- the page's own name and the parts of the request it depends on (year, query, the
  reader's role where the page shows editors more), and the active language.

What differs per user or per request (the header, the messages, CSRF tokens) is
rendered around the cached part every time and must not be inside it. A form that
posts may sit inside a kept part when its template is rendered with
:func:`csrf_context`: its ``{% csrf_token %}`` then writes a slot, which
:func:`with_csrf` fills with the reader's own token each time the part is served. A
write the version does not see (an operator's SQL) shows at the latest after
``settings.FRAGMENT_CACHE_SECONDS`` (60; 0 turns the cache off).

``kept`` keeps any value the same way: the header's years (``years.years_with_data``),
which every staff page shows and which on national data cost more than the rest of
a kept page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache as once
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template import Context
from django.template.backends.utils import csrf_input
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from oppdrag.core import versions

T = TypeVar("T")


def key(center_id: int, name: str, parts: Iterable[object]) -> str:
    """The cache key of one part of a page of the centre, at its current data version."""
    digest = hashlib.sha256(repr((name, tuple(parts), get_language())).encode()).hexdigest()
    return f"fragment:{center_id}:{versions.current(center_id)}:{digest[:32]}"


def kept(center_id: int, name: str, parts: Iterable[object], make: Callable[[], T]) -> T:
    """What ``make()`` returns, from the cache while the centre's data is unchanged."""
    lifetime = settings.FRAGMENT_CACHE_SECONDS
    if not lifetime:
        return make()
    found = cache.get(key_ := key(center_id, name, parts))
    if found is None:
        found = make()
        cache.set(key_, found, lifetime)
    return found


def cached(
    center_id: int, name: str, parts: Iterable[object], make: Callable[[], str]
) -> SafeString:
    """The HTML ``make()`` renders, from the cache while the centre's data is unchanged."""
    # rendered by a template, escaped there
    return mark_safe(kept(center_id, name, parts, lambda: str(make())))


# What ``{% csrf_token %}`` writes in a kept part instead of a token: no reader's text can
# write it, since the page escapes the ``<`` of any text it shows.
CSRF_SLOT = "kept-part-csrf-slot"


def csrf_context() -> dict[str, str]:
    """Context for a kept part's template: its forms' CSRF fields become slots."""
    return {"csrf_token": CSRF_SLOT}


@once
def _slot_field() -> str:
    return str(CsrfTokenNode().render(Context({"csrf_token": CSRF_SLOT})))


def with_csrf(request: HttpRequest, part: str) -> SafeString:
    """``part`` with every CSRF slot filled with the reader's own token."""
    # The part was rendered by a template (escaped there), the field by Django.
    return mark_safe(part.replace(_slot_field(), str(csrf_input(request))))
