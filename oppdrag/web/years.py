"""The year a user works in: chosen once, kept in the session, used by every page.

Pages call ``year_in_view(request)`` for their default year (lists, forms, uploads,
the dashboard); the header's year switcher stores the choice with ``choose_year``.
A ``?year=`` in the address wins for that page without changing the choice.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from oppdrag.core.converters import parse_year

SESSION_KEY = "oppdrag:year"


def current_year() -> int:
    return timezone.localdate().year


def requested_year(request: HttpRequest) -> int | None:
    """``?year=`` as a number, None when absent; 404 when it is not a year."""
    text = request.GET.get("year")
    if not text:
        return None
    year = parse_year(text)
    if year is None:
        raise Http404(_("«%(year)s» er ikke et årstall.") % {"year": text})
    return year


def year_in_view(request: HttpRequest) -> int:
    """``?year=``, else the year chosen in this session, else the current year."""
    requested = requested_year(request)
    if requested is not None:
        return requested
    chosen = request.session.get(SESSION_KEY)
    if isinstance(chosen, int) and parse_year(str(chosen)) is not None:
        return chosen
    return current_year()


def choose_year(request: HttpRequest, year: int) -> None:
    """Keep ``year`` as this session's year in view."""
    request.session[SESSION_KEY] = year
