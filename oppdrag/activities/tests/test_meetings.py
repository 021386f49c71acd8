"""A group's meetings: registered, changed and deleted from the group's page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.activities.meeting_services import register_meeting
from oppdrag.core.models import Membership


@pytest.fixture
def group(center):
    return m.Group.objects.create(
        center=center, year=2025, name="Nasjonalt FACT-nettverk", role="leder", kind="nettverk"
    )


@pytest.fixture
def editor(center, make_user):
    return make_user("redaktor", center, Membership.Role.EDITOR)


def group_page(group):
    return reverse(
        "activities:kind_detail",
        kwargs={"center": group.center.slug, "kind": "grupper", "uid": group.uid},
    )


def meeting_url(name, group, meeting=None):
    kwargs = {"center": group.center.slug, "uid": group.uid}
    if meeting is not None:
        kwargs["meeting"] = meeting.uid
    return reverse(f"meetings:{name}", kwargs=kwargs)


def add(group, day, participants=None, fmt=""):
    return register_meeting(
        group=group,
        user=None,
        data={"date": dt.date(2025, 1, 1) + dt.timedelta(days=day), "format": fmt,
              "participants": participants},
    )  # fmt: skip


def test_an_editor_registers_a_meeting_and_the_group_page_lists_it_with_totals(
    client, editor, group
):
    add(group, 10, participants=8, fmt="Digital")
    client.force_login(editor)
    response = client.post(
        meeting_url("create", group),
        {"date": "2025-03-04", "format": "Fysisk", "participants": "12"},
    )
    assert response.status_code == 302 and response["Location"] == group_page(group)
    meeting = group.meetings.get(date=dt.date(2025, 3, 4))
    assert (meeting.format, meeting.participants, meeting.center_id) == (
        "Fysisk",
        12,
        group.center_id,
    )
    assert meeting.history.get().history_user == editor
    page = client.get(group_page(group)).content.decode()
    assert "04.03.2025" in page and "11.01.2025" in page
    assert "2 møter, 20 deltakere i alt; fysisk: 1, digital: 1." in page
    assert meeting_url("edit", group, meeting) in page


def test_a_meeting_without_a_count_is_counted_apart(client, editor, group):
    add(group, 3, participants=5)
    add(group, 4)
    client.force_login(editor)
    page = client.get(group_page(group)).content.decode()
    assert "2 møter, 5 deltakere i alt (1 møte uten antall)." in page


def test_an_editor_changes_a_meeting_and_the_history_keeps_the_old_values(client, editor, group):
    meeting = add(group, 20, participants=9, fmt="Fysisk")
    client.force_login(editor)
    form = client.get(meeting_url("edit", group, meeting)).content.decode()
    version = form.split('name="versjon" value="')[1].split('"')[0]
    response = client.post(
        meeting_url("edit", group, meeting),
        {"date": "2025-01-22", "format": "Hybrid", "participants": "11", "versjon": version},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.format, meeting.participants) == (
        dt.date(2025, 1, 22), "Hybrid", 11,
    )  # fmt: skip
    assert [h.participants for h in meeting.history.order_by("history_date")] == [9, 11]


def test_an_edit_with_a_stale_version_is_refused(client, editor, group):
    meeting = add(group, 20, participants=9)
    client.force_login(editor)
    response = client.post(
        meeting_url("edit", group, meeting),
        {"date": "2025-01-22", "participants": "11", "versjon": "forfalsket"},
    )
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.participants == 9


def test_an_editor_deletes_a_meeting_after_confirming(client, editor, group):
    meeting = add(group, 5, participants=3)
    client.force_login(editor)
    confirm = client.get(meeting_url("delete", group, meeting))
    assert "06.01.2025" in confirm.content.decode()
    assert group.meetings.exists()  # asking does not delete
    response = client.post(meeting_url("delete", group, meeting))
    assert response.status_code == 302 and not group.meetings.exists()
    deleted = m.GroupMeeting.history.get(history_type="-")
    assert deleted.history_user == editor and deleted.participants == 3


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2024-12-31", "participants": "4"}, "Dato", "ikke i 2025"),
        ({"date": "", "participants": "4"}, "Dato", "Dette feltet er påkrevd"),
        ({"date": "2025-02-30", "participants": "4"}, "Dato", "gyldig dato"),
        ({"date": "2025-02-03", "participants": "-1"}, "Antall deltakere", "0"),
        ({"date": "2025-02-03", "participants": "1000000"}, "Antall deltakere", "100"),
        ({"date": "2025-02-03", "format": "Brev"}, "Fysisk/digital", "Brev"),
    ],
)
def test_bad_input_is_explained_by_field_and_nothing_is_saved(
    client, editor, group, data, field, message
):
    client.force_login(editor)
    response = client.post(meeting_url("create", group), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{field}: " in page and message in page
    assert not group.meetings.exists()


def test_a_reader_sees_the_meetings_but_cannot_change_them(client, center, group, make_user):
    meeting = add(group, 5, participants=3)
    client.force_login(make_user("leser", center, Membership.Role.READER))
    page = client.get(group_page(group)).content.decode()
    assert "06.01.2025" in page and meeting_url("edit", group, meeting) not in page
    for name in ("create", "edit", "delete"):
        target = meeting_url(name, group, None if name == "create" else meeting)
        assert client.post(target, {"date": "2025-02-03"}).status_code == 403
    assert group.meetings.count() == 1


def test_a_meeting_of_another_group_is_not_found_through_this_group(client, editor, group):
    other = m.Group.objects.create(center=group.center, year=2025, name="Annen", role="medlem")
    meeting = add(other, 5)
    client.force_login(editor)
    for name in ("edit", "delete"):
        assert client.post(meeting_url(name, group, meeting)).status_code == 404
    assert other.meetings.count() == 1


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_group_page_and_the_forms_take_the_same_queries_for_1_and_40_meetings(
    client, editor, group
):
    client.force_login(editor)
    first = add(group, 1, participants=2)
    pages = [group_page(group), meeting_url("create", group), meeting_url("edit", group, first)]
    few = [queries(client, url) for url in pages]
    for day in range(2, 41):
        add(group, day, participants=day, fmt="Digital")
    many = [queries(client, url) for url in pages]
    assert few == many
    assert "40 møter" in client.get(group_page(group)).content.decode()
