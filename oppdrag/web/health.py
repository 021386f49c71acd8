"""``/healthz`` for a load balancer: is this process able to serve?

Answered by a middleware at the top of the stack, before host validation, HTTPS redirect,
sessions or sign-in: a load balancer probes by address over plain HTTP, and a probe must
not cost a session row. The answer names the checks and whether each passed, nothing
else (no versions, no error texts, no counts).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

PATH = "/healthz"
logger = logging.getLogger("oppdrag.health")

# Once every migration is applied it stays so until a deploy restarts the processes,
# so a passing migration check is remembered for a minute (loading the migration graph
# is the probe's only expensive part).
MIGRATIONS_TRUSTED_FOR = 60.0
_migrations_checked_at = 0.0


def database_answers() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def migrations_applied() -> bool:
    global _migrations_checked_at
    if time.monotonic() - _migrations_checked_at < MIGRATIONS_TRUSTED_FOR:
        return True
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    if applied:
        _migrations_checked_at = time.monotonic()
    return applied


def queue_moving() -> bool:
    """No background task has waited longer than it may: a worker is taking them.

    An idle worker leaves no trace, so this cannot tell an idle worker from a missing
    one until work is ordered; it tells what matters to users, that ordered work gets
    done. Without a database queue (the demo runs tasks in the request) it holds.
    """
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return True
    from django_tasks_db.models import DBTaskResult, get_date_max

    waited = timezone.now() - timedelta(seconds=settings.TASK_QUEUE_MAX_WAIT_SECONDS)
    # A task without a start time waits from when it was ordered, one with a start time
    # from that time.
    overdue = Q(run_after=get_date_max(), enqueued_at__lt=waited) | Q(run_after__lt=waited)
    return not DBTaskResult.objects.ready().filter(overdue).exists()


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_answers,
    "migrations": migrations_applied,
    "worker": queue_moving,
}


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:
            # The reason goes to the log, never to the (unauthenticated) caller.
            logger.exception("health check %s failed", name)
            results[name] = False
        if not results[name]:
            break  # later checks need the earlier ones (migrations need the database)
    return results


class HealthCheckMiddleware:
    """Answers ``/healthz`` with 200 when every check passes, 503 otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        results = run_checks()
        healthy = len(results) == len(CHECKS) and all(results.values())
        response = JsonResponse(
            {"status": "ok" if healthy else "unavailable", "checks": results},
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        return response
