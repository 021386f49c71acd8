"""Owners, review and approval of the report's texts: the rules, comments, versions and
last year's text, on the review page of one text."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.core.models import Membership, Person
from oppdrag.grants.models import Assignment
from oppdrag.reports.models import AssessmentBlock, SlotComment
from oppdrag.reports.review import readable_diff
from oppdrag.reports.services import save_assessment, save_report_settings, set_slot_status

PAGE = "/napha/rapport/2025/gjennomgang/foreword/"


@pytest.fixture
def people(center, make_user):
    return {
        "author": make_user("forfatter", center, Membership.Role.EDITOR),
        "editor": make_user("redaktor", center, Membership.Role.EDITOR),
        "admin": make_user("leder", center, Membership.Role.ADMIN),
        "admin2": make_user("leder2", center, Membership.Role.ADMIN),
        "reader": make_user("leser", center, Membership.Role.READER),
    }


def membership(user):
    return Membership.objects.select_related("center").get(user=user)


def foreword(center, user, text="Et forord skrevet for testen.", status="draft"):
    return save_assessment(
        center=center,
        year=2025,
        kind="foreword",
        section_key="foreword",
        text=text,
        user=user,
        status=status,
    )


def test_a_ready_text_is_approved_by_another_user_with_the_named_role(client, center, people):
    block = foreword(center, people["author"])
    client.force_login(people["author"])
    assert client.post(PAGE, {"action": "ready"}).status_code == 302
    block.refresh_from_db()
    assert block.status == "ready"

    client.force_login(people["admin"])
    page = client.get(PAGE).content.decode()
    assert 'value="approved"' in page
    client.post(PAGE, {"action": "approved"})
    block.refresh_from_db()
    assert block.status == "approved"
    approval = block.history.order_by("-history_date", "-history_id").first()
    assert approval.history_user == people["admin"] and approval.status == "approved"


def test_the_author_alone_cannot_approve_their_own_text(client, center, people):
    block = foreword(center, people["admin"], status="ready")
    client.force_login(people["admin"])
    page = client.get(PAGE).content.decode()
    assert 'value="approved"' not in page
    assert "Du skrev teksten sist og kan ikke godkjenne den selv" in page
    client.post(PAGE, {"action": "approved"})
    block.refresh_from_db()
    assert block.status == "ready"
    with pytest.raises(PermissionDenied):
        set_slot_status(block=block, status="approved", membership=membership(people["admin"]))


def test_an_editor_approves_only_when_the_centre_names_editors(center, people):
    block = foreword(center, people["author"], status="ready")
    with pytest.raises(PermissionDenied, match="bare senteradministratorer"):
        set_slot_status(block=block, status="approved", membership=membership(people["editor"]))
    save_report_settings(
        center=center, approver_role="editor", authors_may_approve=False, user=people["admin"]
    )
    set_slot_status(block=block, status="approved", membership=membership(people["editor"]))
    assert AssessmentBlock.objects.get(pk=block.pk).status == "approved"


def test_the_author_approves_their_own_text_when_the_centre_allows_it(center, people):
    block = foreword(center, people["admin"], status="ready")
    save_report_settings(
        center=center, approver_role="admin", authors_may_approve=True, user=people["admin"]
    )
    set_slot_status(block=block, status="approved", membership=membership(people["admin"]))
    assert AssessmentBlock.objects.get(pk=block.pk).status == "approved"


def test_only_a_ready_text_is_approved_and_an_empty_one_is_never_ready(center, people):
    block = foreword(center, people["author"])
    with pytest.raises(PermissionDenied, match="Klar"):
        set_slot_status(block=block, status="approved", membership=membership(people["admin"]))
    empty = foreword(center, people["author"], text="")
    with pytest.raises(ValidationError, match="tom"):
        set_slot_status(block=empty, status="ready", membership=membership(people["author"]))


def test_a_reader_changes_nothing(client, center, people):
    block = foreword(center, people["author"], status="ready")
    client.force_login(people["reader"])
    page = client.get(PAGE).content.decode()
    assert "Et forord skrevet for testen." in page and 'value="approved"' not in page
    assert client.post(PAGE, {"action": "approved"}).status_code == 403
    assert client.post(PAGE, {"action": "comment", "text": "Hei"}).status_code == 403
    block.refresh_from_db()
    assert block.status == "ready" and not SlotComment.objects.exists()


def test_a_comment_on_a_slot_not_yet_written_is_kept_and_shown(client, center, people):
    client.force_login(people["editor"])
    client.post(PAGE, {"action": "comment", "text": "Husk tallene fra kapittel 3."})
    comment = SlotComment.objects.get()
    assert comment.author == people["editor"] and comment.block.section_key == "foreword"
    page = client.get(PAGE).content.decode()
    assert "Husk tallene fra kapittel 3." in page
    response = client.post(PAGE, {"action": "comment", "text": "  "}, follow=True)
    assert "Skriv en kommentar før du lagrer." in response.content.decode()
    assert SlotComment.objects.count() == 1


def test_the_owner_and_due_date_come_from_the_centres_staff_and_the_year_plan(
    client, center, people, make_center
):
    import datetime as dt

    from oppdrag.grants.models import Grant, GrantDate

    grant = Grant.objects.create(center=center, year=2025, report_deadline=dt.date(2026, 3, 1))
    GrantDate.objects.create(
        center=center, grant=grant, kind="deadline", title="Intern frist", date=dt.date(2026, 2, 1)
    )
    owner = Person.objects.create(center=center, name="Kari Fagansvarlig", is_staff_member=True)
    stranger = Person.objects.create(
        center=make_center("korus-oslo"), name="Fremmed", is_staff_member=True
    )
    client.force_login(people["editor"])
    page = client.get(PAGE).content.decode()
    assert "01.02.2026 Intern frist" in page and "Kari Fagansvarlig" in page
    assert "Fremmed" not in page
    client.post(PAGE, {"action": "assign", "owner": str(owner.uid), "due_on": "2026-02-01"})
    block = AssessmentBlock.objects.get(section_key="foreword")
    assert block.owner == owner and block.due_on == dt.date(2026, 2, 1)
    client.post(PAGE, {"action": "assign", "owner": str(stranger.uid), "due_on": ""})
    block.refresh_from_db()
    assert block.owner == owner, "another centre's person is never an owner"


def test_the_versions_show_what_changed_word_by_word(client, center, people):
    foreword(center, people["author"], text="Året var travelt for senteret.")
    foreword(center, people["editor"], text="Året var svært travelt for senteret.")
    client.force_login(people["admin"])
    page = client.get(PAGE).content.decode()
    assert "<ins>svært </ins>" in page
    assert "redaktor" in page and "forfatter" in page


@given(
    st.lists(st.sampled_from(["alfa", "beta", "gamma", "\n\n", " ", "delta."]), max_size=30),
    st.lists(st.sampled_from(["alfa", "beta", "epsilon", "\n\n", " ", "delta."]), max_size=30),
)
def test_a_diff_keeps_every_word_of_both_versions_in_order(old_words, new_words):
    old, new = "".join(old_words), "".join(new_words)
    pieces = readable_diff(old, new)

    def words(text):
        return text.split()

    assert words("".join(p.text for p in pieces if p.op != "insert")) == words(old)
    assert words("".join(p.text for p in pieces if p.op != "delete")) == words(new)


def test_last_years_text_follows_the_carry_forward_link_and_is_offered_as_a_start(
    client, center, people
):
    old = Assignment.objects.create(center=center, year=2024, number="3.4", title="Bolig")
    new = Assignment.objects.create(
        center=center, year=2025, number="3.2", title="Bolig", previous=old
    )
    save_assessment(
        center=center,
        year=2024,
        kind="results",
        assignment=old,
        text="Fjorårets vurdering av boligarbeidet.",
        user=people["author"],
    )
    url = f"/napha/rapport/2025/gjennomgang/assignment:{new.uid}:results/"
    client.force_login(people["editor"])
    page = client.get(url).content.decode()
    assert "Fjorårets vurdering av boligarbeidet." in page
    assert 'value="last_year"' in page
    client.post(url, {"action": "last_year"})
    block = AssessmentBlock.objects.get(year=2025, assignment=new, kind="results")
    assert block.text == "Fjorårets vurdering av boligarbeidet." and block.status == "draft"
    # Once written, last year's text is no longer offered over it.
    assert 'value="last_year"' not in client.get(url).content.decode()


def test_an_unknown_slot_is_not_found(client, center, people):
    client.force_login(people["admin"])
    assert client.get("/napha/rapport/2025/gjennomgang/finnes-ikke/").status_code == 404


def test_the_review_page_takes_the_same_queries_for_many_versions_and_comments(
    client, center, people
):
    block = foreword(center, people["author"])
    SlotComment.objects.create(center=center, block=block, author=people["editor"], text="En")
    client.force_login(people["admin"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(PAGE).status_code == 200
    for n in range(20):
        foreword(center, people["author" if n % 2 else "editor"], text=f"Versjon {n} av teksten.")
        SlotComment.objects.create(center=center, block=block, author=people["editor"], text=f"{n}")
    with CaptureQueriesContext(connection) as large:
        assert client.get(PAGE).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large]


def test_a_diff_of_very_many_paragraphs_shows_the_whole_text_out_and_in():
    from oppdrag.reports.review import MAX_PARAGRAPH_DIFF

    old = "\n\n".join(f"Avsnitt {n}." for n in range(MAX_PARAGRAPH_DIFF))
    new = old + "\n\nEtt til."
    pieces = readable_diff(old, new)
    assert [p.op for p in pieces] == ["delete", "insert"]
    assert pieces[1].text.endswith("Ett til.")
