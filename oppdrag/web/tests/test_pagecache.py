"""The dashboard's body is cached per data version: computed once, recomputed after a write."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core.models import Membership
from oppdrag.web.pagecache import CSRF_MARK

# The cache is used only by requests without uncommitted writes of their own, so
# these tests commit for real instead of running inside one transaction.
# Committing tests restore the database by serialized rollback, as the browser tests do.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def dashboard(center):
    return reverse("web:dashboard", kwargs={"center": center.slug}) + "?year=2025"


def body(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def event(center, title):
    return m.Event.objects.create(center=center, year=2025, theme="Bolig", title=title)


def test_the_body_is_computed_once_and_again_after_any_committed_write(client, center, make_user):
    client.force_login(make_user("leser", center, Membership.Role.READER))
    event(center, "Fagdag om bolig")
    with CaptureQueriesContext(connection) as first:
        one = client.get(dashboard(center))
    with CaptureQueriesContext(connection) as second:
        two = client.get(dashboard(center))
    assert "Fagdag om bolig" in body(one)
    assert body(two) == body(one)
    # The session, the user, and the memberships with the data version: nothing else.
    assert len(second) == 3 < len(first), [q["sql"] for q in second.captured_queries]
    # Without ?year the dashboard shows the latest year with records, also cached.
    plain = reverse("web:dashboard", kwargs={"center": center.slug})
    assert body(client.get(plain)) == body(one)
    with CaptureQueriesContext(connection) as plain_again:
        assert body(client.get(plain)) == body(one)
    assert len(plain_again) == 3, [q["sql"] for q in plain_again.captured_queries]
    event(center, "Nettverkssamling i nord")
    three = client.get(dashboard(center))
    assert "Nettverkssamling i nord" in body(three)


def test_a_centre_never_gets_another_centres_cached_body(client, center, other_center, make_user):
    user = make_user("leser", center, Membership.Role.READER)
    Membership.objects.create(user=user, center=other_center, role=Membership.Role.READER)
    client.force_login(user)
    event(center, "Bare hos NAPHA")
    event(other_center, "Bare hos KORUS")
    own = body(client.get(dashboard(center)))
    other = body(client.get(dashboard(other_center)))
    assert "Bare hos NAPHA" in own and "Bare hos KORUS" not in own
    assert "Bare hos KORUS" in other and "Bare hos NAPHA" not in other


def test_the_signed_in_user_and_csrf_token_are_not_cached(client, center, make_user):
    first = make_user("kari", center, Membership.Role.READER)
    second = make_user("ola", center, Membership.Role.EDITOR)
    client.force_login(first)
    assert "Logg ut kari" in client.get(dashboard(center)).content.decode()
    client.force_login(second)
    page = client.get(dashboard(center)).content.decode()
    assert "Logg ut ola" in page and "Logg ut kari" not in page


def test_a_list_is_cached_per_query_string_until_the_next_write(client, center, make_user):
    client.force_login(make_user("leser", center, Membership.Role.READER))
    event(center, "Fagdag om bolig")
    event(center, "Nettverkssamling i nord")
    url = reverse("web:event_list", kwargs={"center": center.slug})
    everything = body(client.get(url))
    with CaptureQueriesContext(connection) as again:
        assert body(client.get(url)) == everything
    assert len(again) == 3, [q["sql"] for q in again.captured_queries]
    searched = body(client.get(url, {"q": "nord"}))
    assert "Nettverkssamling i nord" in searched and "Fagdag om bolig" not in searched
    m.Event.objects.filter(title="Fagdag om bolig").update(title="Fagdag om rus")
    assert "Fagdag om rus" in body(client.get(url))


def csrf_token_of(page: str) -> str:
    start = page.index('name="csrfmiddlewaretoken" value="') + len(
        'name="csrfmiddlewaretoken" value="'
    )
    return page[start : page.index('"', start)]


def test_a_cached_page_carries_a_fresh_csrf_token_that_signs_out(center, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("leser", center, Membership.Role.READER))
    first = client.get(dashboard(center)).content.decode()
    with CaptureQueriesContext(connection) as again:
        second = client.get(dashboard(center)).content.decode()
    assert len(again) == 3  # served from the cache: no query of the page's own
    assert CSRF_MARK not in second
    assert csrf_token_of(second) != csrf_token_of(first)  # masked anew for each response
    response = client.post(reverse("web:logout"), {"csrfmiddlewaretoken": csrf_token_of(second)})
    assert response.status_code == 302
    assert client.get(dashboard(center)).status_code == 302  # signed out: to the login page


def test_a_waiting_message_is_shown_on_a_cached_page_once(client, center, make_user):
    client.force_login(make_user("leser", center, Membership.Role.READER))
    plain = client.get(dashboard(center)).content.decode()
    # A message as a redirect leaves it for the next page: in the messages cookie.
    storage = CookieStorage(HttpRequest())
    cookie = storage._encode([Message(constants.SUCCESS, "Lagret i testen")])  # type: ignore[attr-defined]
    client.cookies[CookieStorage.cookie_name] = cookie
    assert "Lagret i testen" in client.get(dashboard(center)).content.decode()
    after = client.get(dashboard(center)).content.decode()
    assert after.replace(csrf_token_of(after), "") == plain.replace(csrf_token_of(plain), "")


def test_a_changed_role_changes_the_cached_page_at_once(client, center, make_user):
    user = make_user("leser", center, Membership.Role.READER)
    client.force_login(user)
    url = reverse("web:event_list", kwargs={"center": center.slug})
    assert "Registrer arrangement" not in client.get(url).content.decode()
    assert "Registrer arrangement" not in client.get(url).content.decode()
    Membership.objects.filter(user=user, center=center).update(role=Membership.Role.EDITOR)
    assert "Registrer arrangement" in client.get(url).content.decode()


def test_a_year_that_is_not_a_number_is_not_found(client, center, make_user):
    client.force_login(make_user("leser", center, Membership.Role.READER))
    url = reverse("web:dashboard", kwargs={"center": center.slug})
    for year in ("abc", "20x5", "-1", "99999"):
        assert client.get(url, {"year": year}).status_code == 404, year
