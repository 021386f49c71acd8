"""Tenancy and roles for the staff interface, enforced in one place.

Every centre page's URL starts with the centre's slug. ``center_view`` resolves it
for the signed-in user: a centre the user is not a member of answers 404 (its
existence is not revealed), and a role below the one the view needs answers 403.
Views then reach every record through ``request.center``.

Two roles stand outside that order. A partner (``partner``) of centre P sees only
what other centres shared with P (``shared_view``); a grantor (``grantor``, on a
grantor centre) reads submitted reports (``grantor_view``). ``has_role`` is False
for both whatever role is asked for, so every ``center_view`` refuses them.
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
# The roles that see a centre's own data (partner and grantor do not).
STAFF_ROLES = frozenset(ROLE_ORDER)


def membership_for(user: Any, slug: str) -> Membership:
    try:
        return Membership.objects.select_related("center").get(user=user, center__slug=slug)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def has_role(membership: Membership, role: str) -> bool:
    """Whether the membership is a staff role at least ``role``; never for partner/grantor."""
    if membership.role not in STAFF_ROLES or role not in STAFF_ROLES:
        return False
    if membership.center.kind != Center.Kind.CENTRE:
        return False
    return ROLE_ORDER.index(Membership.Role(membership.role)) >= ROLE_ORDER.index(
        Membership.Role(role)
    )


def can_see_shared(membership: Membership) -> bool:
    """Staff of a centre and its partner members see what was shared with it."""
    return membership.center.kind == Center.Kind.CENTRE and (
        membership.role == Membership.Role.PARTNER or has_role(membership, Membership.Role.READER)
    )


def is_grantor(membership: Membership) -> bool:
    return (
        membership.role == Membership.Role.GRANTOR and membership.center.kind == Center.Kind.GRANTOR
    )


def landing_url(membership: Membership) -> str:
    """The first page of a membership: the dashboard, or the one page the role may see."""
    from django.urls import reverse

    slug = membership.center.slug
    if is_grantor(membership):
        return reverse("web:submitted_list", kwargs={"center": slug})
    if membership.role == Membership.Role.PARTNER:
        return reverse("web:shared_list", kwargs={"center": slug})
    return reverse("web:dashboard", kwargs={"center": slug})


def center_view(
    role: str = Membership.Role.READER,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking ``center`` from the URL; sets ``request.center``."""
    return _membership_view(lambda membership: has_role(membership, role))


def shared_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of what other centres shared with the URL's centre (staff and partners)."""
    return _membership_view(can_see_shared)(view)


def grantor_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the grantor's space: submitted reports, for grantor members only."""
    return _membership_view(is_grantor)(view)


def _membership_view(
    allowed: Callable[[Membership], bool],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, center: str, *args: Any, **kwargs: Any) -> HttpResponse:
            # One query for all of the user's memberships with their centres, read on
            # every request and never cached: access is what the database says now.
            memberships = user_memberships(request.user)
            membership = next((ms for ms in memberships if ms.center.slug == center), None)
            if membership is None:
                raise Http404
            if not allowed(membership):
                raise PermissionDenied
            request.center = membership.center  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            request.memberships = memberships  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def user_memberships(user: Any) -> list[Membership]:
    """The user's memberships with their centres (one query; the menu lists them)."""
    return list(
        Membership.objects.filter(user=user).select_related("center").order_by("center__name")
    )
