"""One structured log line per request: who, which centre, what, how it went, how long.

Logged as fields on the ``oppdrag.request`` logger (the production settings write them
as JSON lines). Only ids, the route and the status: never the query string, form data,
answers or names, which may carry personal data.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("oppdrag.request")


def request_fields(request: HttpRequest, response: HttpResponse, started: float) -> dict:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return {
        "method": request.method,
        # The route pattern, not the path: a path may hold a respondent's token.
        "route": match.route if match else None,
        "view": match.view_name if match else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "center": match.kwargs.get("center") if match else None,
        "user_id": user.pk if user is not None and user.is_authenticated else None,
    }


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            logger.info("request", extra={"fields": request_fields(request, response, started)})
        return response


class JsonLineFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message and its ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
