"""The API's tenancy and roles: the staff interface's rules, through the same functions."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from oppdrag.core.models import Membership
from oppdrag.web.access import has_role, membership_for


class CenterRole(BasePermission):
    """Reading needs a reader's role in the URL's centre, writing an editor's.

    A centre the user is not a member of answers 404 (``membership_for``), so the API
    tells no more about other centres than the pages do.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        membership = membership_for(request.user, view.kwargs.get("center", ""))
        view.center = membership.center
        view.membership = membership
        needed = (
            Membership.Role.READER if request.method in SAFE_METHODS else Membership.Role.EDITOR
        )
        return has_role(membership, needed)
