"""The finance pages kept under the centre's data version (web.fragments): a write
through a service shows at the next request, nothing kept for one centre or role is
served to another, the forms inside a kept page post with the reader's own CSRF
token, and a kept page takes the same few queries for a small ledger and a large one."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.core.models import Membership
from oppdrag.finance import services
from oppdrag.finance.models import Explanation

from .test_views import _fill

KEPT = ["overview", "budget", "ledger", "grantor"]


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.FRAGMENT_CACHE_SECONDS = 60  # as in production (the test settings keep none)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a commit would run (the version rises on commit; the test's own
    transaction never commits). Writes left pending by the fixtures are dropped."""

    def run():
        connection._oppdrag_versions_pending = None  # type: ignore[attr-defined]
        return django_capture_on_commit_callbacks(execute=True)

    return run


def url(center, name, year=2025):
    return reverse(f"finance:{name}", kwargs={"center": center.slug, "year": year})


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(path)
    assert page.status_code == 200
    return len(captured), page.content.decode()


def main(page):
    """The page's main content (the header around it carries a fresh CSRF token)."""
    return page[page.index("<main") : page.index("</main>")]


@pytest.mark.parametrize("name", ["overview", "budget", "grantor"])
def test_a_kept_finance_page_shows_a_budget_line_saved_through_the_service_at_the_next_request(
    client, books, make_user, commit, name
):
    center = books["center"]
    with commit():
        client.force_login(make_user("kari", center, Membership.Role.READER))
    computed, first = queries(client, url(center, name))
    kept, again = queries(client, url(center, name))
    assert main(again) == main(first) and "kap. 999 post 21" not in first
    assert kept < computed  # the second request was served from the kept body
    with commit():
        services.save_funding(
            center=center, year=2025, amount=Decimal(250_000), chapter="999", post="21"
        )
    _count, after = queries(client, url(center, name))
    assert "kap. 999 post 21" in main(after)


def test_a_kept_ledger_page_shows_a_ledger_read_in_at_the_next_request(
    client, books, make_user, commit, import_ledger
):
    center = books["center"]
    with commit():
        client.force_login(make_user("kari", center, Membership.Role.READER))
    assert "hovedbok-mars.csv" not in client.get(url(center, "ledger")).content.decode()
    with commit():
        result = import_ledger(
            center, [["01.03.2025", "6800", "P1", "Rekvisita", "1 000"]], name="hovedbok-mars.csv"
        )
        assert result.ok, result.problems
    assert "hovedbok-mars.csv" in client.get(url(center, "ledger")).content.decode()


def test_a_plain_save_of_an_explanation_shows_on_the_kept_overview_at_the_next_request(
    client, year_books, make_user, commit
):
    center = year_books["center"]
    with commit():
        client.force_login(make_user("kari", center, Membership.Role.READER))
    assert "Reisen ble dyrere" not in client.get(url(center, "overview")).content.decode()
    with commit():
        Explanation.objects.create(
            center=center, year=2025, key="cost:travel", text="Reisen ble dyrere"
        )
    assert "Reisen ble dyrere" in client.get(url(center, "overview")).content.decode()


@pytest.mark.parametrize("name", KEPT)
def test_another_centres_kept_finance_page_is_never_served(
    client, center, other_center, make_user, name
):
    for of, chapter in ((center, "711"), (other_center, "722")):
        services.save_funding(center=of, year=2025, amount=Decimal(1000), chapter=chapter, post="1")
    client.force_login(make_user("kari", center, Membership.Role.READER))
    assert client.get(url(center, name)).status_code == 200
    client.force_login(make_user("ola", other_center, Membership.Role.READER))
    body = main(client.get(url(other_center, name)).content.decode())
    if name != "ledger":  # the ledger page lists periods read, not budget lines
        assert "kap. 722" in body
    assert "kap. 711" not in body
    # The first centre's reader still may not open the other centre's page.
    client.force_login(make_user("per", center, Membership.Role.READER))
    assert client.get(url(other_center, name)).status_code == 404


@pytest.mark.parametrize(
    ("name", "editors_only"),
    [
        ("overview", "Endre grensen"),
        ("budget", "Hent beløp og poster fra tilskuddsbrevet"),
        ("ledger", "Les inn hovedbok"),
        ("grantor", "Registrer eller last opp revisors bekreftelse"),
    ],
)
def test_a_finance_page_kept_for_an_editor_shows_a_reader_no_editing_and_the_reverse(
    client, books, make_user, name, editors_only
):
    center = books["center"]
    editor = make_user("kari", center, Membership.Role.EDITOR)
    reader = make_user("ola", center, Membership.Role.READER)
    for first, second in ((editor, reader), (reader, editor)):
        client.force_login(first)
        shown = client.get(url(center, name)).content.decode()
        client.force_login(second)
        then = client.get(url(center, name)).content.decode()
        assert (editors_only in shown, editors_only in then) == (first == editor, second == editor)


def test_an_explanation_form_of_a_kept_overview_posts_with_the_readers_own_csrf_token(
    year_books, make_user
):
    center = year_books["center"]
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_user("kari", center, Membership.Role.EDITOR))
    second.force_login(make_user("per", center, Membership.Role.EDITOR))
    kept_by_first = first.get(url(center, "overview")).content.decode()
    page = second.get(url(center, "overview")).content.decode()
    assert "kept-part-csrf-slot" not in kept_by_first + page
    # The first explanation form: its CSRF field comes right before its key.
    found = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"><input type="hidden" name="key" '
        r'value="([^"]+)"',
        page,
    )
    assert found is not None
    token, key = found.groups()
    answer = second.post(
        url(center, "explain"), {"csrfmiddlewaretoken": token, "key": key, "text": "Dyrere fly"}
    )
    assert answer.status_code == 302
    assert Explanation.objects.get(center=center, key=key).text == "Dyrere fly"


@pytest.mark.parametrize("name", KEPT)
def test_a_kept_finance_page_takes_the_same_queries_for_one_line_and_for_many(
    client, books, make_user, name
):
    center, funding = books["center"], books["funding"]
    client.force_login(make_user("kari", center, Membership.Role.EDITOR))

    def kept_queries() -> int:
        client.get(url(center, name))  # computed and kept
        return queries(client, url(center, name))[0]

    _fill(center, funding, [books["a311"]], 1)
    few = kept_queries()
    _fill(center, funding, [books["a311"], books["a314"]], 400)
    assert kept_queries() == few
    # The session, the user, the membership and the centre's data version twice (for the
    # header's years and for the body).
    assert few == 5
