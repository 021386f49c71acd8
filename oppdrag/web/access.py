"""Tenancy and roles for the staff interface, enforced in one place.

Every centre page's URL starts with the centre's slug. ``center_view`` resolves it
for the signed-in user: a centre the user is not a member of answers 404 (its
existence is not revealed), and a role below the one the view needs answers 403.
Views then reach every record through ``request.center``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from oppdrag.core.models import Center, Membership

# Roles in increasing power; a view names the least role it needs.
ROLE_ORDER = [Membership.Role.READER, Membership.Role.EDITOR, Membership.Role.ADMIN]


def membership_for(user: Any, slug: str) -> Membership:
    try:
        return Membership.objects.select_related("center").get(user=user, center__slug=slug)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def has_role(membership: Membership, role: str) -> bool:
    return ROLE_ORDER.index(Membership.Role(membership.role)) >= ROLE_ORDER.index(
        Membership.Role(role)
    )


def center_view(
    role: str = Membership.Role.READER,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking ``center`` from the URL; sets ``request.center``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, center: str, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = membership_for(request.user, center)
            if not has_role(membership, role):
                raise PermissionDenied
            request.center = membership.center  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def user_centers(user: Any) -> list[Center]:
    return list(Center.objects.filter(membership__user=user).order_by("name"))
