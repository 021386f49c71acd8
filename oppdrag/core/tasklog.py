"""One structured log line per background task, like the request log (``web.requestlog``).

Logged as fields on the ``oppdrag.task`` logger: the task, the centre and user ids, how
it ended and how long it took. Never arguments or results, which may carry personal data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger("oppdrag.task")


@contextmanager
def logged_task(name: str, *, center_id: int | None, user_id: int | None) -> Iterator[None]:
    started = time.perf_counter()
    status = "failed"
    try:
        yield
        status = "ok"
    finally:
        fields = {
            "task": name,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "center": center_id,
            "user_id": user_id,
        }
        logger.info("task", extra={"fields": fields})
