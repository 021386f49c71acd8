from functools import cached_property
from typing import Any

from django.http import Http404, HttpRequest

from oppdrag.core.models import Membership

from .access import has_role, landing_url, user_memberships
from .registry import KINDS
from .years import SESSION_KEY, current_year, year_in_view, years_offered


class YearSwitch:
    """The header's year switcher: the year in view and the years to choose from.

    Computed when the header first reads it, once per request; pages without the
    switcher (partners', grantors') never query for it.
    """

    def __init__(self, request: HttpRequest):
        self.request = request

    @cached_property
    def year(self) -> int:
        # A page with the year in its address (``/timer/2025/``) is that year's page.
        match = getattr(self.request, "resolver_match", None)
        path_year = match.kwargs.get("year") if match is not None else None
        if isinstance(path_year, int):
            return path_year
        try:
            return year_in_view(self.request)
        except Http404:
            # A bad ``?year=`` is the page's to refuse; the header shows the session's.
            chosen = self.request.session.get(SESSION_KEY)
            return chosen if isinstance(chosen, int) else current_year()

    @cached_property
    def years(self) -> list[int]:
        return years_offered(self.request.center, self.year)  # type: ignore[attr-defined]


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
    switch = YearSwitch(request)
    return {
        "nav_kinds": KINDS.values(),
        "year_switch": switch,
        # The menu's yearly pages (hours, report) open at the year in view.
        "report_year": switch.year,
        "other_centers": others,
        # Partners and grantors get only their own page in the menu.
        "nav_staff": current is not None and has_role(current, "reader"),
        "nav_role": current.role if current is not None else "",
    }
