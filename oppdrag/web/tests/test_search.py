"""A list's free-text search (``q``) is bounded, so pasted text cannot hold a worker."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.api.tests.conftest import token_client
from oppdrag.web.filters import SEARCH_MAX_WORDS, EventFilter

LONG = " ".join(f"ord{i}" for i in range(3000))
MESSAGE = "Søket er for langt (3000 ord, {chars} tegn). Søk med høyst 10 ord og 200 tegn."


@pytest.fixture
def reader(center, make_user):
    m.Event.objects.create(center=center, year=2025, theme="Bolig", title="Boligdag i Bodø")
    m.Event.objects.create(center=center, year=2025, theme="Rus", title="Russamling i Oslo")
    return make_user("leser", center, "reader")


def like_conditions(queries: CaptureQueriesContext) -> int:
    return sum(query["sql"].upper().count(" LIKE ") for query in queries.captured_queries)


@pytest.mark.parametrize("url", ["/napha/arrangementer/", "/napha/presentasjoner/"])
def test_a_3000_word_search_answers_with_the_message_and_no_search(client, reader, url):
    client.force_login(reader)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": LONG})
    assert response.status_code == 200
    assert MESSAGE.format(chars=len(LONG)) in html.unescape(response.content.decode())
    assert like_conditions(queries) == 0


def test_a_search_of_ten_words_is_one_condition_per_word_and_field(client, reader):
    client.force_login(reader)
    words = "bolig dag i bodø " * 2 + "bolig bodø"
    assert len(words.split()) == SEARCH_MAX_WORDS
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/napha/arrangementer/", {"q": words})
    assert [event.title for event, _cells in response.context["rows"]] == ["Boligdag i Bodø"]
    # Counted on the page's own query and its count (the paginator): both filter.
    assert like_conditions(queries) == 2 * SEARCH_MAX_WORDS * len(EventFilter.search_fields)


def test_a_single_word_over_200_characters_is_refused_too(client, reader):
    client.force_login(reader)
    response = client.get("/napha/arrangementer/", {"q": "x" * 201})
    assert "Søket er for langt (1 ord, 201 tegn)" in html.unescape(response.content.decode())


def test_the_api_answers_a_3000_word_search_with_400_and_the_message(reader):
    api = token_client(reader)
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/napha/events/", {"q": LONG})
    assert response.status_code == 400
    assert response.json() == {"q": [MESSAGE.format(chars=len(LONG))]}
    assert like_conditions(queries) == 0


def test_the_api_bounds_the_search_of_kinds_without_a_list_page(reader):
    response = token_client(reader).get("/api/v1/napha/people/", {"q": LONG})
    assert response.status_code == 400
    assert "Søket er for langt" in response.json()["q"][0]
