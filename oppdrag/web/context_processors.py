from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from oppdrag.core.models import Membership

from .access import has_role, landing_url, user_memberships
from .registry import KINDS


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The record kinds for the main menu, and the year whose report it links to."""
    if not hasattr(request, "center"):
        return {}
    others = []
    # Other centres the user belongs to, for switching between them; each links to
    # the first page the user's role there may see.
    memberships: list[Membership] | None = getattr(request, "memberships", None)
    if memberships is None:
        memberships = user_memberships(request.user)
    for membership in memberships:
        if membership.center_id != request.center.pk:
            membership.center.landing = landing_url(membership)  # type: ignore[attr-defined]
            others.append(membership.center)
    current = getattr(request, "membership", None)
    return {
        "nav_kinds": KINDS.values(),
        "report_year": timezone.localdate().year - 1,
        "other_centers": others,
        # Partners and grantors get only their own page in the menu.
        "nav_staff": current is not None and has_role(current, "reader"),
        "nav_role": current.role if current is not None else "",
    }
