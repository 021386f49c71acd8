"""Page bodies kept under the centre's data version (web.fragments): a write through a
service shows at the next request, and nothing kept for one centre, role or query is
served to another."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.activities import services
from oppdrag.core.models import Membership

YEAR = 2025


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.FRAGMENT_CACHE_SECONDS = 60  # as in production (the test settings keep none)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a commit would run (the version rises on commit; the test's own
    transaction is never committed). Writes left pending by the fixtures are dropped,
    as core's version tests do: only what the block writes counts."""

    def run():
        connection._oppdrag_versions_pending = None  # type: ignore[attr-defined]
        return django_capture_on_commit_callbacks(execute=True)

    return run


def lists(center):
    return reverse("activities:kind_list", kwargs={"center": center.slug, "kind": "presentasjoner"})


def dashboard(center):
    return reverse("web:dashboard", kwargs={"center": center.slug}) + f"?year={YEAR}"


def presentation(center, title):
    return m.Presentation.objects.create(
        center=center, year=YEAR, title=title, kind="Foredrag", date=dt.date(YEAR, 3, 4)
    )


def main(page):
    """The page's main content (the header around it carries a fresh CSRF token)."""
    return page[page.index("<main") : page.index("</main>")]


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(path)
    assert page.status_code == 200
    return len(captured), page.content.decode()


@pytest.mark.parametrize("page", [lists, dashboard])
def test_a_kept_page_shows_a_service_delete_at_the_next_request(
    client, center, make_user, commit, page
):
    # Every write commits here (and its version rises) before the next request, as
    # between real requests; a write left pending would swallow the next one's raise.
    with commit():
        client.force_login(make_user("kari", center, Membership.Role.EDITOR))
        record = presentation(center, "Bolig først i Bodø")
    computed, first = queries(client, page(center))
    kept, again = queries(client, page(center))
    assert "Bolig først i Bodø" in first and main(again) == main(first)
    assert kept < computed  # the second request was served from the kept body
    with commit():
        services.delete_record(record, user=None, kind="presentasjoner")
    _count, after = queries(client, page(center))
    assert "Bolig først i Bodø" not in after


def test_a_record_registered_through_the_form_is_listed_at_the_next_request(
    client, center, make_user, commit
):
    with commit():
        client.force_login(make_user("kari", center, Membership.Role.EDITOR))
    assert "Rapport om rus" not in client.get(lists(center)).content.decode()
    form = {"year": str(YEAR), "title": "Rapport om rus", "date": "2025-03-04", "kind": "Foredrag"}
    create = reverse(
        "activities:kind_create", kwargs={"center": center.slug, "kind": "presentasjoner"}
    )
    with commit():
        assert client.post(create, form).status_code == 302
    assert "Rapport om rus" in client.get(lists(center)).content.decode()


@pytest.mark.parametrize("page", [lists, dashboard])
def test_another_centres_kept_page_is_never_served(client, center, other_center, make_user, page):
    presentation(center, "Bare hos NAPHA")
    presentation(other_center, "Bare hos KORUS")
    client.force_login(make_user("kari", center, Membership.Role.READER))
    assert "Bare hos NAPHA" in client.get(page(center)).content.decode()
    client.force_login(make_user("ola", other_center, Membership.Role.READER))
    body = client.get(page(other_center)).content.decode()
    assert "Bare hos KORUS" in body and "Bare hos NAPHA" not in body
    # And the first centre's user still may not open the other's page.
    client.force_login(make_user("per", center, Membership.Role.READER))
    assert client.get(page(other_center)).status_code == 404


def test_a_list_kept_for_an_editor_shows_a_reader_no_editing_and_the_reverse(
    client, center, make_user
):
    presentation(center, "Felles foredrag")
    register = "Registrer presentasjon"
    editor = make_user("kari", center, Membership.Role.EDITOR)
    reader = make_user("ola", center, Membership.Role.READER)
    for first, second in ((editor, reader), (reader, editor)):
        client.force_login(first)
        shown = client.get(lists(center)).content.decode()
        client.force_login(second)
        then = client.get(lists(center)).content.decode()
        assert "Felles foredrag" in shown and "Felles foredrag" in then
        assert (register in shown, register in then) == (first == editor, second == editor)


def test_a_list_is_kept_per_query_and_year(client, center, make_user):
    presentation(center, "Om bolig")
    presentation(center, "Om arbeid")
    client.force_login(make_user("kari", center, Membership.Role.READER))
    assert "Om arbeid" in client.get(lists(center)).content.decode()
    searched = client.get(lists(center) + "?q=bolig").content.decode()
    assert "Om bolig" in searched and "Om arbeid" not in searched
    other_year = client.get(lists(center) + f"?year={YEAR - 1}").content.decode()
    assert "Om bolig" not in other_year


def test_without_a_lifetime_nothing_is_kept(client, center, make_user, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    client.force_login(make_user("kari", center, Membership.Role.READER))
    presentation(center, "Om bolig")
    computed, _page = queries(client, lists(center))
    assert queries(client, lists(center))[0] == computed


def test_the_header_years_are_kept_and_a_new_years_first_record_shows_at_the_next_request(
    client, center, make_user, commit
):
    with commit():
        client.force_login(make_user("kari", center, Membership.Role.EDITOR))
        presentation(center, "Bolig først i Bodø")
    path = lists(center)

    def years_queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(path).content.decode()
        return [q for q in captured.captured_queries if " UNION " in q["sql"]], page

    computed, first = years_queries()
    kept, _again = years_queries()
    assert 'value="2019"' not in first
    assert len(computed) == 1 and kept == []  # the second request read no record's year
    with commit():
        m.Presentation.objects.create(
            center=center, year=2019, title="Eldre foredrag", kind="Foredrag"
        )
    computed_again, after = years_queries()
    assert len(computed_again) == 1
    assert '<option value="2019">2019</option>' in after


def test_an_empty_registration_form_is_kept_and_a_new_assignment_shows_at_the_next_request(
    client, center, make_user, commit
):
    from oppdrag.grants.models import Assignment, Grant

    with commit():
        client.force_login(make_user("kari", center, Membership.Role.EDITOR))
        Grant.objects.create(center=center, year=YEAR)
    path = reverse("activities:kind_create", kwargs={"center": center.slug, "kind": "henvendelser"})
    path += f"?year={YEAR}"

    def assignment_reads():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(path).content.decode()
        return [q for q in captured.captured_queries if "grants_assignment" in q["sql"]], page

    computed, first = assignment_reads()
    kept, again = assignment_reads()
    assert computed and kept == []  # the second request wrote the fields from the cache
    assert main(again).count("<input") == main(first).count("<input")
    with commit():
        Assignment.objects.create(center=center, year=YEAR, number="9.9", title="Nytt oppdrag i år")
    _reads, after = assignment_reads()
    assert "9.9 Nytt oppdrag i år" not in first and "9.9 Nytt oppdrag i år" in after
    posted = client.post(path, {"year": YEAR})  # a posted form is written afresh
    assert posted.status_code == 200 and "Skjemaet har feil" in posted.content.decode()
