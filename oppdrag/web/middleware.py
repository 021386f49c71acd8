"""Response headers for every page: a Content-Security-Policy without inline scripts."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def policy_allowing_styles(*styles: str) -> str:
    """The policy, letting exactly these ``<style>`` element contents through by hash.

    For documents that must stand alone (the annual report's HTML carries its own
    stylesheet so the downloaded file looks the same): no inline style other than
    these, and still no inline script.
    """
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in styles
    )
    policy = getattr(settings, "CSP", POLICY)
    return policy.replace("style-src 'self'", f"style-src 'self' {hashes}", 1)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The admin ships inline scripts of its own; the policy covers our pages.
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", getattr(settings, "CSP", POLICY))
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
