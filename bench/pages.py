"""Key figures and the pages built on them, timed with their query counts.

Shared by the demo-scale measures (``bench.figures``) and the national ones
(``bench.national``): the same functions at every scale, so the query counts
can be compared.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from bench.run import OPTIONS, measurement, timed
from bench.urls import BARE_URL

BENCH_USER = "bench-reader"


def signed_in_client(center: Any) -> Any:
    """A test client signed in as an editor of ``center`` (created when missing): the
    registration forms and the deleted records are editors' pages."""
    from django.test import Client

    from oppdrag.core.models import Membership
    from oppdrag.core.services import add_member, get_or_create_user

    user = get_or_create_user(BENCH_USER, "bench-reader-password")
    add_member(center=center, user=user, role=Membership.Role.EDITOR)
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def queries_of(function: Any) -> tuple[int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # a bounded deque: a full one would count nothing
    with CaptureQueriesContext(connection) as captured:
        value = function()
    return len(captured), value


def figure_and_page_measures(database: str, scale: str, center: Any, year: int) -> list[dict]:
    """Key figures and the pages of ``page_urls`` for ``center``'s ``year``."""
    from oppdrag.activities.models import Event
    from oppdrag.figures.keyfigures import key_figures

    repeat = 3 if OPTIONS.quick else 5
    results = []
    queries, _figures = queries_of(lambda: key_figures(center, year))
    results.append(
        measurement(
            "key_figures",
            database,
            scale,
            timed(lambda: key_figures(center, year), repeat),
            "one COUNT on events",
            timed(lambda: Event.objects.filter(center=center, year=year).count(), 20),
            queries=queries,
        )
    )
    client = signed_in_client(center)
    bare = timed(lambda: client.get(BARE_URL), 20)
    pages = page_urls(center, year)
    for name, url in pages.items():
        # Every request is computed from the database; the cache is emptied first so the
        # dashboard's data-quality findings (kept five minutes) are computed too.
        get = partial(uncached, partial(client.get, url))
        queries, response = queries_of(get)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        results.append(
            measurement(
                f"page_{name}",
                database,
                scale,
                timed(get, repeat),
                "bare Django view through the test client",
                bare,
                queries=queries,
            )
        )
    return results


def page_urls(center: Any, year: int) -> dict[str, str]:
    """The pages every web measure walks (in-process and under load), by measure name:
    the dashboard, the lists and forms, the team pages and the finance pages."""
    from django.urls import reverse

    slug = center.slug

    def kind(name: str, kind: str) -> str:
        return reverse(f"activities:{name}", kwargs={"center": slug, "kind": kind})

    def finance(name: str) -> str:
        return reverse(f"finance:{name}", kwargs={"center": slug, "year": year})

    return {
        "dashboard": reverse("web:dashboard", kwargs={"center": slug}) + f"?year={year}",
        "event_list": reverse("activities:event_list", kwargs={"center": slug}),
        "kind_list": kind("kind_list", "presentasjoner"),
        "event_form": reverse("activities:event_create", kwargs={"center": slug}),
        "advice_request_form": kind("kind_create", "henvendelser"),
        "deleted_list": kind("kind_deleted", "presentasjoner"),
        **team_pages(center),
        **topic_page_pages(center),
        "finance_overview": finance("overview"),
        "finance_budget": finance("budget"),
        "finance_ledger": finance("ledger"),
        "finance_grantor": finance("grantor"),
    }


def uncached(fetch: Any) -> Any:
    from django.core.cache import cache

    cache.clear()
    return fetch()


def team_pages(center: Any) -> dict[str, str]:
    """The team list and the page of the team with the most fidelity reviews (its chart
    the largest), when the centre has teams."""
    from django.db.models import Count
    from django.urls import reverse

    from oppdrag.teams.models import ServiceTeam

    pages = {"team_list": reverse("teams:team_list", kwargs={"center": center.slug})}
    team = (
        ServiceTeam.objects.filter(center=center)
        .annotate(n=Count("reviews"))
        .order_by("-n", "pk")
        .first()
    )
    if team is not None:
        pages["team_detail"] = reverse(
            "teams:team_detail", kwargs={"center": center.slug, "uid": team.uid}
        )
        review = team.reviews.order_by("-date", "-pk").first()
        if review is not None:
            pages["review_form"] = reverse(
                "teams:review_edit", kwargs={"center": center.slug, "uid": review.uid}
            )
    pages["reviews_deleted"] = reverse("teams:review_deleted", kwargs={"center": center.slug})
    return pages


def topic_page_pages(center: Any) -> dict[str, str]:
    """The topic pages' list (every page, with a year's visits) and their form."""
    from django.urls import reverse

    kwargs = {"center": center.slug, "kind": "temasider"}
    return {
        "topic_page_list": reverse("activities:kind_list", kwargs=kwargs),
        "topic_page_form": reverse("activities:kind_create", kwargs=kwargs),
    }
