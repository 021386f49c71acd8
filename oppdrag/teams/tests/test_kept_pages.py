"""The team list and a team's page kept under the centre's data version (web.fragments):
a write through a service shows at the next request, nothing kept for one centre or
role is served to another, the status form inside a kept page posts with the reader's
own CSRF token, and a kept page takes the same few queries for one team and many."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.core.models import Membership
from oppdrag.teams import services
from oppdrag.teams.models import ServiceTeam, TeamStatus

from .factories import team
from .test_pages import grow


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


def team_list(center):
    return f"/{center.slug}/team/"


def team_page(center, on_team):
    return f"/{center.slug}/team/{on_team.uid}/"


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(path)
    assert page.status_code == 200
    return len(captured), page.content.decode()


def main(page):
    """The page's main content (the header around it carries a fresh CSRF token)."""
    return page[page.index("<main") : page.index("</main>")]


def test_a_kept_team_list_shows_a_team_registered_through_the_service_at_the_next_request(
    client, center, make_user, commit
):
    with commit():
        client.force_login(make_user("kari", center, Membership.Role.READER))
        team(center, "FACT Bodø")
    computed, first = queries(client, team_list(center))
    kept, again = queries(client, team_list(center))
    assert "FACT Bodø" in first and main(again) == main(first)
    assert kept < computed  # the second request was served from the kept body
    with commit():
        team(center, "ACT Saltdal", code="act", municipalities=("Saltdal",))
    _count, after = queries(client, team_list(center))
    assert "ACT Saltdal" in after and "FACT Bodø" in after


def test_a_kept_team_page_shows_a_status_changed_through_the_service_at_the_next_request(
    client, center, make_user, commit
):
    with commit():
        client.force_login(make_user("kari", center, Membership.Role.READER))
        bodo = team(center, "FACT Bodø")
    _count, first = queries(client, team_page(center, bodo))
    assert "<dd>Pause</dd>" not in first  # «Status i dag»
    with commit():
        services.change_team_status(
            team=bodo, status=TeamStatus.Status.PAUSED, valid_from=dt.date(2024, 1, 1)
        )
    _count, after = queries(client, team_page(center, bodo))
    assert "<dd>Pause</dd>" in after


def test_a_plain_save_of_a_team_shows_on_the_kept_list_at_the_next_request(
    client, center, make_user, commit
):
    with commit():
        client.force_login(make_user("kari", center, Membership.Role.READER))
        bodo = team(center, "FACT Bodø")
    assert "FACT Salten" not in client.get(team_list(center)).content.decode()
    with commit():
        bodo.name = "FACT Salten"
        bodo.save()
    assert "FACT Salten" in client.get(team_list(center)).content.decode()


@pytest.mark.parametrize("page", ["list", "detail"])
def test_another_centres_kept_team_pages_are_never_served(
    client, center, other_center, make_user, page
):
    ours, theirs = team(center, "FACT Bare NAPHA"), team(other_center, "FACT Bare KORUS")

    def path(of, on_team):
        return team_list(of) if page == "list" else team_page(of, on_team)

    client.force_login(make_user("kari", center, Membership.Role.READER))
    assert "FACT Bare NAPHA" in client.get(path(center, ours)).content.decode()
    client.force_login(make_user("ola", other_center, Membership.Role.READER))
    body = client.get(path(other_center, theirs)).content.decode()
    assert "FACT Bare KORUS" in body and "FACT Bare NAPHA" not in body
    # The first centre's reader still may not open the other centre's pages.
    client.force_login(make_user("per", center, Membership.Role.READER))
    assert client.get(path(other_center, theirs)).status_code == 404
    assert client.get(team_page(center, theirs)).status_code == 404


def test_a_team_page_kept_for_an_editor_shows_a_reader_no_status_form_and_the_reverse(
    client, center, make_user
):
    bodo = team(center, "FACT Bodø")
    editor = make_user("kari", center, Membership.Role.EDITOR)
    reader = make_user("ola", center, Membership.Role.READER)
    form = "Registrer status"
    for first, second in ((editor, reader), (reader, editor)):
        client.force_login(first)
        shown = client.get(team_page(center, bodo)).content.decode()
        client.force_login(second)
        then = client.get(team_page(center, bodo)).content.decode()
        assert (form in shown, form in then) == (first == editor, second == editor)


def test_the_status_form_of_a_kept_team_page_posts_with_the_readers_own_csrf_token(
    center, make_user
):
    bodo = team(center, "FACT Bodø")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_user("kari", center, Membership.Role.EDITOR))
    second.force_login(make_user("per", center, Membership.Role.EDITOR))
    kept_by_first = first.get(team_page(center, bodo)).content.decode()
    page = second.get(team_page(center, bodo)).content.decode()
    assert "kept-part-csrf-slot" not in kept_by_first + page
    action = f"/{center.slug}/team/{bodo.uid}/status/"
    form = page[page.index(f'action="{action}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    answer = second.post(
        action,
        {
            "csrfmiddlewaretoken": token.group(1),
            "status-status": TeamStatus.Status.PAUSED,
            "status-valid_from": "01.02.2024",
        },
    )
    assert answer.status_code == 302
    assert bodo.statuses.filter(status=TeamStatus.Status.PAUSED).exists()


def test_a_kept_team_page_and_list_take_the_same_queries_for_one_team_and_many(
    client, center, make_user
):
    client.force_login(make_user("kari", center, Membership.Role.EDITOR))
    grow(center, 1)
    first = ServiceTeam.objects.get(center=center, name="FACT Vekst 0")

    def kept_queries() -> dict[str, int]:
        counts = {}
        for name, path in (("list", team_list(center)), ("detail", team_page(center, first))):
            client.get(path)  # computed and kept
            counts[name] = queries(client, path)[0]
        return counts

    small = kept_queries()
    grow(center, 20, start=1)
    assert kept_queries() == small
    # The session, the user, the membership and the centre's data version twice (for the
    # header's years and for the body); the team's own row on its page.
    assert small == {"list": 5, "detail": 6}, small


def test_an_unchanged_reviews_form_fields_are_kept_and_a_change_shows_at_the_next_request(
    client, center, make_user, commit
):
    from .test_review_edits import review

    with commit():
        client.force_login(make_user("kari", center, Membership.Role.EDITOR))
        saved = review(center, team(center, "FACT Salten"), raters=("Kari", "Ola"))
    path = reverse("teams:review_edit", kwargs={"center": center.slug, "uid": saved.uid})

    def reads():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(path).content.decode()
        return [q["sql"] for q in captured.captured_queries], page

    computed, first = reads()
    kept, again = reads()

    def partner_choices(sqls):  # the sharing field's choices, read when it is written
        return [sql for sql in sqls if '"core_center"."kind" = ' in sql]

    def without_token(page):  # the CSRF token and the signed version differ each time
        return re.sub(r'name="(csrfmiddlewaretoken|versjon)" value="[^"]+"', "", main(page))

    assert 'value="Kari"' in first and without_token(again) == without_token(first)
    assert partner_choices(computed) and partner_choices(kept) == []  # fields from the cache
    with commit():
        services.change_review(
            saved,
            data=services.ReviewInput(
                date=saved.date,
                raters=[services.RaterInput("Kari"), services.RaterInput("Siri")],
                agreement_signed_on=saved.agreement_signed_on,
                dpo_approved_on=saved.dpo_approved_on,
                status=saved.status,
            ),
            user=None,
        )
    _reads, after = reads()
    assert 'value="Siri"' in after and 'value="Ola"' not in after
