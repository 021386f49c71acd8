"""Single sign-on through OpenID Connect (Feide, Entra ID and ID-porten all speak it).

Enabled per installation by setting ``OIDC_RP_CLIENT_ID`` and the provider's
endpoints (see the settings). A person signing in is matched to an existing user
by verified e-mail address; an unknown person gets an account without any centre,
and a centre administrator grants access — signing in never grants a role.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern
from mozilla_django_oidc import urls as oidc_urls
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def only_when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 while single sign-on is not configured, instead of a redirect to an empty
    provider address."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def urlpatterns() -> list[URLPattern]:
    """mozilla-django-oidc's URLs (same paths and names), each answering only when enabled."""
    patterns = []
    for pattern in oidc_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        wrapped = copy.copy(pattern)
        wrapped.callback = only_when_enabled(pattern.callback)
        patterns.append(wrapped)
    return patterns


class OppdragOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if not oidc_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        email = claims.get("email", "")
        return (
            self.UserModel.objects.filter(email__iexact=email)
            if email
            else (self.UserModel.objects.none())
        )

    def create_user(self, claims: dict[str, Any]) -> Any:
        email = claims["email"]
        user = self.UserModel.objects.create_user(username=email.lower(), email=email)
        user.first_name = claims.get("name", "")[:150]
        user.save(update_fields=["first_name"])
        return user
