"""The header's year switcher: a plain form post that keeps the choice and goes back."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oppdrag.core.converters import parse_year

from .access import center_view
from .years import choose_year


@center_view()
@require_POST
def switch_year(request: HttpRequest) -> HttpResponse:
    """Keep the posted year for this session and return to the page it was chosen on.

    The page comes back for the chosen year: a year in its path is replaced, and a
    ``?year=`` (which would override the choice) is left out.
    """
    center = request.center  # type: ignore[attr-defined]
    text = request.POST.get("year", "")
    back = page_to_return_to(request, center.slug)
    year = parse_year(text)
    if year is None:
        messages.error(
            request,
            _("«{text}» er ikke et årstall. Velg et år i listen øverst på siden.").format(
                text=text[:20]
            ),
        )
        return redirect(back)
    choose_year(request, year)
    return redirect(for_year(back, year))


def page_to_return_to(request: HttpRequest, slug: str) -> str:
    """The ``neste`` address if it is a page of this site (without ``year`` and ``page``
    in its query, which belonged to the old year), else the centre's dashboard."""
    target = request.POST.get("neste", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
            query = QueryDict(parts.query, mutable=True)
            query.pop("year", None)
            query.pop("page", None)
            return parts.path + (f"?{query.urlencode()}" if query else "")
    return reverse("web:dashboard", kwargs={"center": slug})


def for_year(address: str, year: int) -> str:
    """``address`` with the year in its path (``/napha/timer/2025/``) set to ``year``."""
    path, _sep, query = address.partition("?")
    try:
        match = resolve(path)
    except Resolver404:
        return address
    if "year" not in match.kwargs:
        return address
    try:
        path = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "year": year})
    except NoReverseMatch:
        return address
    return path + (f"?{query}" if query else "")
