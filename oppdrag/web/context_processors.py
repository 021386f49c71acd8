from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from .access import user_centers
from .registry import KINDS


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The record kinds for the main menu, and the year whose report it links to."""
    if not hasattr(request, "center"):
        return {}
    return {
        "nav_kinds": KINDS.values(),
        "report_year": timezone.localdate().year - 1,
        # Other centres the user belongs to, for switching between them.
        "other_centers": [c for c in user_centers(request.user) if c.pk != request.center.pk],
    }
