"""The year a user works in: chosen once, kept in the session, used by every page.

Pages call ``year_in_view(request)`` for their default year (lists, forms, uploads,
the dashboard); the header's year switcher stores the choice with ``choose_year``.
A ``?year=`` in the address wins for that page without changing the choice.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from oppdrag.core.converters import MAX_YEAR, MIN_YEAR, parse_year
from oppdrag.core.models import Center

from . import fragments

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


def chosen_year(request: HttpRequest) -> int | None:
    """``?year=``, else the year the user chose in the header, else None.

    The registry's lists filter by this: until a year is chosen they show every year,
    newest first, so a list never looks empty only because the calendar turned. A
    ``?year=`` in the address is the list's own filter (its form says what is wrong
    with it), so it gives None here.
    """
    if "year" in request.GET:
        return None
    chosen = request.session.get(SESSION_KEY)
    if isinstance(chosen, int) and parse_year(str(chosen)) is not None:
        return chosen
    return None


def choose_year(request: HttpRequest, year: int) -> None:
    """Keep ``year`` as this session's year in view."""
    request.session[SESSION_KEY] = year


def years_with_data(center: Center) -> list[int]:
    """The years the centre has a grant or a record in, newest first.

    Read with every page that shows the switcher, so kept under the centre's data
    version (``fragments.kept``): a year's first record or a deleted grant shows at
    the next request. Computing it reads every record's year (one query, 20–30 ms on
    a national centre); a kept list costs the version's one indexed read."""
    return fragments.kept(center.pk, "years", (), lambda: _years_with_data(center))


def _years_with_data(center: Center) -> list[int]:
    from oppdrag.activities import models as m
    from oppdrag.grants.models import Grant

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
    return years


def years_offered(center: Center, in_view: int) -> list[int]:
    """The switcher's years, newest first: the centre's, this year and the one in view."""
    return sorted({*years_with_data(center), current_year(), in_view}, reverse=True)
