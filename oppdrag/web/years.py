"""The year a user works in: chosen once, kept in the session, used by every page.

Pages call ``year_in_view(request)`` for their default year (lists, forms, uploads,
the dashboard); the header's year switcher stores the choice with ``choose_year``.
A ``?year=`` in the address wins for that page without changing the choice.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from oppdrag.core.converters import MAX_YEAR, MIN_YEAR, parse_year
from oppdrag.core.models import Center

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


# The switcher's list changes about once a year (a new grant letter, the first record
# of a year); a minute's cache keeps it off every page's query count. The current year
# and the one in view are always offered, whatever the cache holds.
YEARS_SECONDS = 60


def years_with_data(center: Center) -> list[int]:
    """The years the centre has a grant or a record in, newest first, in one query."""
    from oppdrag.activities import models as m
    from oppdrag.grants.models import Grant

    key = f"years-with-data:{center.pk}"
    years: list[int] | None = cache.get(key)
    if years is None:
        models: list[type[Any]] = [
            Grant,
            m.Event,
            m.Presentation,
            m.OpEd,
            m.ConsultationResponse,
            m.Publication,
            m.MediaAppearance,
            m.Group,
            m.WebArticle,
            m.AdviceRequest,
        ]
        first, *rest = (
            model._default_manager.filter(center=center, year__range=(MIN_YEAR, MAX_YEAR))
            .order_by()
            .values_list("year", flat=True)
            .distinct()
            for model in models
        )
        years = sorted(set(first.union(*rest)), reverse=True)
        cache.set(key, years, YEARS_SECONDS)
    return years


def years_offered(center: Center, in_view: int) -> list[int]:
    """The switcher's years, newest first: the centre's, this year and the one in view."""
    return sorted({*years_with_data(center), current_year(), in_view}, reverse=True)
