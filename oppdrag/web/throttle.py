"""Sign-in throttling: django-axes counts failed sign-ins in the database.

Every process reads the same ``axes.AccessAttempt`` rows, so a lockout holds whichever
worker answers. Axes calls the three functions here (settings ``AXES_USERNAME_CALLABLE``,
``AXES_CLIENT_IP_CALLABLE`` and ``AXES_LOCKOUT_CALLABLE``): the username is counted as
authentication reads it, the address is the client's even behind a trusted proxy, and a
lockout is a Norwegian page that says how long to wait. Password-reset requests are
limited per address and per e-mail address in the database as well (``ratelimit``).
"""

from __future__ import annotations

import math
import unicodedata
from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import ratelimit


def normalize_username(value: str) -> str:
    """The username as sign-in looks it up: NFKC-normalised, surrounding spaces removed.

    The login forms clean the field with this (``forms.UsernameField``) and axes counts
    failures under it, so ``" demo"``, ``"demo\\t"`` and full-width ``ｄｅｍｏ`` are one user
    with one counter.
    """
    return unicodedata.normalize("NFKC", value).strip()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The username axes counts a failure under (``AXES_USERNAME_CALLABLE``)."""
    value = (credentials or {}).get("username")
    if value is None:
        value = request.POST.get("username", "")
    return normalize_username(str(value))


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind a trusted proxy its header.

    With ``TRUSTED_PROXY_HEADER`` set (production reads it from the environment), the
    address is the entry ``TRUSTED_PROXY_COUNT`` places from the right of that header,
    the one the outermost trusted proxy wrote; entries further left came from the client
    and are ignored. Without the setting the header is never read, so it cannot be forged.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if not header:
        return remote
    entries = [e.strip() for e in str(request.META.get(header, "")).split(",") if e.strip()]
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 1)
    return entries[-count] if len(entries) >= count else remote


def wait_minutes(period: timedelta) -> int:
    return max(1, math.ceil(period.total_seconds() / 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The page shown instead of any sign-in while locked out (``AXES_LOCKOUT_CALLABLE``).

    Each refused try starts the cool-off again (axes' default), so the whole period
    is what remains.
    """
    minutes = wait_minutes(get_cool_off(request) or timedelta(0))
    return render(request, "web/locked_out.html", {"minutes": minutes}, status=429)


def reset_request_wait(request: HttpRequest, email: str) -> timedelta | None:
    """Count a password-reset request; how long to wait when it is over a limit.

    ``PASSWORD_RESET_LIMITS`` gives (requests, seconds) per client address and per
    e-mail address. Every request counts, whether or not the address has an account,
    so the limit tells nothing about which accounts exist.
    """
    limits = settings.PASSWORD_RESET_LIMITS
    for scope, value in (("address", client_address(request)), ("email", email.lower())):
        limit, seconds = limits[scope]
        wait = ratelimit.hit(f"password-reset:{scope}", value, limit, timedelta(seconds=seconds))
        if wait is not None:
            return wait
    return None
