"""Request limits counted in the database, which every process shares.

``hit(scope, value, limit, window)`` counts one request for ``value``, or, when ``limit``
requests were counted in the last ``window``, says how long until the next is allowed.
A request over the limit is not counted, so the rows per value never exceed the limit;
rows older than the window are deleted.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateLimitHit


def _key(scope: str, value: str) -> str:
    return salted_hmac("oppdrag.web.ratelimit", f"{scope}\x1f{value}").hexdigest()


def _serialize(key: str) -> None:
    """Make concurrent counts of one key wait for each other until commit.

    SQLite's IMMEDIATE transactions already do; PostgreSQL's READ COMMITTED would let
    two requests both see one slot left, so they take a transaction-scoped lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


@transaction.atomic
def hit(scope: str, value: str, limit: int, window: timedelta) -> timedelta | None:
    """Count a request for ``value`` under ``scope``. None when it is within ``limit``;
    over it, the request is not counted and the answer is how long until one is allowed."""
    key = _key(scope, value)
    _serialize(key)
    now = timezone.now()
    since = now - window
    RateLimitHit.objects.filter(scope=scope, at__lt=since).delete()
    counted = RateLimitHit.objects.filter(scope=scope, key=key, at__gte=since).order_by("-at")
    times = list(counted.values_list("at", flat=True)[:limit])
    if len(times) >= limit:
        return times[-1] + window - now
    RateLimitHit.objects.create(scope=scope, key=key, at=now)
    return None
