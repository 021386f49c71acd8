"""Every kind registered, changed, deleted and restored through the staff pages."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.activities import services
from oppdrag.core.models import Membership, Municipality, Organization, Person
from oppdrag.evaluations import services as evaluations
from oppdrag.grants.models import Assignment, FocusArea
from oppdrag.web.registry import KINDS

YEAR = 2025


@pytest.fixture
def editor(center, make_user):
    user = make_user("kari", center, Membership.Role.EDITOR)
    user.first_name, user.last_name = "Kari", "Nordmann"
    user.save()
    return user


@pytest.fixture
def assignments(center):
    return [
        Assignment.objects.create(center=center, year=YEAR, number="2.1", title="ACT og FACT"),
        Assignment.objects.create(center=center, year=YEAR, number="2.10", title="Bolig"),
        Assignment.objects.create(center=center, year=YEAR + 1, number="2.1", title="Neste år"),
    ]


def url(name, kind=None, center="napha", **kwargs):
    if kind is not None:
        kwargs["kind"] = kind
    return reverse(f"activities:{name}", kwargs={"center": center, **kwargs})


def valid(kind):
    """A filled form for each kind, as a browser posts it."""
    common = {"year": str(YEAR)}
    return {
        "arrangementer": {
            **common, "theme": "Bolig", "title": "Fagdag om bolig", "date_start": "2025-10-02",
            "participants": "35", "scope": "Regional", "format": "Fysisk",
        },
        "presentasjoner": {
            **common, "title": "Bolig først", "date": "2025-03-04", "kind": "Foredrag",
            "contributors": "Nordmann, Kari; Ola Hansen",
        },
        "kronikker": {
            **common, "title": "Bolig er helse", "kind": "Kronikk", "outlet": "Avisa",
            "date": "2025-05-06", "authors": "Kari Nordmann",
        },
        "horingsinnspill": {**common, "title": "Høring om bolig", "date": "2025-06-07"},
        "produkter": {
            **common, "title": "Rapport om bolig", "kind": "Rapport", "date": "2025-07-08",
            "contributors": "Kari Nordmann", "url": "nva.sikt.no/registration/1",
        },
        "medieoppslag": {
            **common, "person": "Kari Nordmann", "title": "Intervju", "outlet": "NRK",
            "date": "2025-08-09",
        },
        "grupper": {**common, "name": "ACT-nettverket", "kind": "nettverk", "role": "leder"},
        "nettsaker": {
            **common, "title": "Ny veileder", "category": "nyhet", "date": "2025-09-10",
            "visits": "120",
        },
        "henvendelser": {
            **common, "date": "2025-10-11", "channel": "telefon", "topic": "FACT-modellen",
            "asker_kind": "kommune", "minutes": "20",
        },
    }[kind]  # fmt: skip


def title_of(record):
    return services.record_title(record)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_registered_changed_deleted_and_restored(
    client, editor, center, assignments, kind
):
    client.force_login(editor)
    spec = KINDS[kind]
    form = client.get(url("kind_create", kind))
    assert form.status_code == 200 and "Lagre" in form.content.decode()
    data = valid(kind) | {"assignments": [assignments[0].pk], "focus_areas": ["1"]}
    data["focus_areas"] = [FocusArea.objects.order_by("code").first().pk]
    response = client.post(url("kind_create", kind), data)
    assert response.status_code == 302, response.context["form"].errors
    record: Any = spec.model._default_manager.get(center=center)
    assert list(record.assignments.all()) == [assignments[0]]
    assert record.history.get().history_user == editor

    edit = client.get(url("kind_edit", kind, uid=record.uid)).content.decode()
    version = edit.split('name="versjon" value="')[1].split('"')[0]
    changed = data | {"ref": "N-1", "versjon": version}
    assert client.post(url("kind_edit", kind, uid=record.uid), changed).status_code == 302
    record.refresh_from_db()
    assert record.ref == "N-1"

    confirmation = client.get(url("kind_delete", kind, uid=record.uid)).content.decode()
    assert "1 koblinger til oppdrag" in confirmation
    assert client.post(url("kind_delete", kind, uid=record.uid)).status_code == 302
    assert not spec.model._default_manager.filter(pk=record.pk).exists()
    listed = client.get(url("kind_deleted", kind)).content.decode()
    assert f"Gjenopprett «{title_of(record)}»" in listed

    deletion = m.Deletion.objects.get(record_uid=record.uid)
    client.post(url("kind_restore", kind, uid=deletion.uid))
    restored: Any = spec.model._default_manager.get(uid=record.uid)
    assert restored.ref == "N-1" and list(restored.assignments.all()) == [assignments[0]]
    assert [h.history_type for h in restored.history.order_by("history_date")] == [
        "+", "~", "-", "+",
    ]  # fmt: skip
    listed = client.get(url("kind_deleted", kind)).content.decode()
    assert f"Gjenopprett «{title_of(record)}»" not in listed


def test_people_are_registered_by_name_in_the_order_written(client, editor, center):
    client.force_login(editor)
    client.post(url("kind_create", "presentasjoner"), valid("presentasjoner"))
    presentation = m.Presentation.objects.get(center=center)
    names = [link.person.name for link in presentation.presentationcontributor_set.all()]
    assert names == ["Kari Nordmann", "Ola Hansen"]
    edit = client.get(url("kind_edit", "presentasjoner", uid=presentation.uid))
    assert edit.context["form"].initial["contributors"] == "Kari Nordmann; Ola Hansen"


def test_a_date_outside_the_year_is_named_and_the_rest_of_the_input_kept(client, editor, center):
    client.force_login(editor)
    data = valid("arrangementer") | {"date_start": "2024-12-31"}
    response = client.post(url("kind_create", "arrangementer"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date_start"] == ["Datoen 31.12.2024 er ikke i 2025, året posten gjelder."]
    assert 'value="Fagdag om bolig"' in response.content.decode()
    assert not m.Event.objects.exists()


def test_a_number_used_twice_in_a_year_is_refused_as_the_importer_refuses_it(
    client, editor, center
):
    client.force_login(editor)
    m.ConsultationResponse.objects.create(center=center, year=YEAR, title="Første", ref="7")
    data = valid("horingsinnspill") | {"ref": "7"}
    response = client.post(url("kind_create", "horingsinnspill"), data)
    assert response.context["form"].errors["ref"] == ["Nr. «7» er allerede registrert for 2025."]
    assert m.ConsultationResponse.objects.count() == 1


def test_a_probable_duplicate_is_shown_and_saved_only_when_confirmed(client, editor, center):
    client.force_login(editor)
    existing = m.Event.objects.create(
        center=center, year=YEAR, theme="Bolig", title="Fagdag om bolig",
        date_start=dt.date(2025, 10, 2),
    )  # fmt: skip
    asked = client.post(url("kind_create", "arrangementer"), valid("arrangementer"))
    page = asked.content.decode()
    assert "Finnes denne fra før?" in page
    assert url("event_detail", uid=existing.uid) in page
    assert m.Event.objects.count() == 1
    data = valid("arrangementer") | {"duplicate_ok": "1"}
    assert client.post(url("kind_create", "arrangementer"), data).status_code == 302
    assert m.Event.objects.count() == 2


def test_register_another_like_this_keeps_the_date_inside_the_copied_records_year(
    client, editor, center
):
    client.force_login(editor)
    response = client.post(url("kind_create", "nettsaker"), valid("nettsaker") | {"another": "1"})
    article = m.WebArticle.objects.get(center=center)
    assert response["Location"] == url("kind_create", "nettsaker") + f"?like={article.uid}"
    initial = client.get(response["Location"]).context["form"].initial
    assert initial["year"] == YEAR and initial["title"] == "Ny veileder"
    assert initial["date"].year == YEAR  # today is in another year: the copy's own date
    assert "visits" not in initial or initial["visits"] is None


def test_the_assignment_choices_are_the_years_own_labelled_with_numbers(
    client, editor, assignments
):
    client.force_login(editor)
    form = client.get(url("kind_create", "grupper") + f"?year={YEAR}").context["form"]
    choices = [label for _value, label in form.fields["assignments"].choices]
    assert choices == ["2.1 ACT og FACT", "2.10 Bolig"]


def test_an_assignment_of_another_year_is_refused(client, editor, center, assignments):
    client.force_login(editor)
    data = valid("grupper") | {"assignments": [assignments[2].pk]}
    response = client.post(url("kind_create", "grupper"), data)
    assert "assignments" in response.context["form"].errors
    assert not m.Group.objects.exists()


def test_new_records_start_from_the_year_in_view_and_the_signed_in_person(client, editor):
    client.force_login(editor)
    form = client.get(url("kind_create", "kronikker") + "?year=2024").context["form"]
    assert form.initial["year"] == 2024 and form.initial["authors"] == "Kari Nordmann"


def test_deleting_names_what_goes_and_restoring_brings_it_back(client, editor, center):
    client.force_login(editor)
    oslo = Municipality.objects.filter(valid_to__isnull=True).order_by("number").first()
    husbanken = Organization.objects.create(name="Husbanken testarrangør")
    event = services.register_event(
        center=center, user=editor,
        data={"year": YEAR, "theme": "Bolig", "title": "Fagdag", "municipalities": [oslo]},
        organizers=[husbanken],
    )  # fmt: skip
    page = client.get(url("kind_delete", "arrangementer", uid=event.uid)).content.decode()
    assert "1 koblinger til kommuner" in page and "1 arrangører" in page
    client.post(url("kind_delete", "arrangementer", uid=event.uid))
    deletion = m.Deletion.objects.get()
    assert deletion.deleted_by == editor
    client.post(url("kind_restore", "arrangementer", uid=deletion.uid))
    event = m.Event.objects.get(uid=event.uid)
    assert list(event.municipalities.all()) == [oslo]
    assert [link.organization for link in event.eventorganizer_set.all()] == [husbanken]


def test_a_groups_meetings_go_with_it_and_come_back_with_it(client, editor, center):
    client.force_login(editor)
    group = m.Group.objects.create(center=center, year=YEAR, name="Nettverk", role="leder")
    m.GroupMeeting.objects.create(
        center=center, group=group, date=dt.date(2025, 2, 3), participants=7
    )
    page = client.get(url("kind_delete", "grupper", uid=group.uid)).content.decode()
    assert "1 møter" in page
    client.post(url("kind_delete", "grupper", uid=group.uid))
    assert not m.GroupMeeting.objects.exists()
    client.post(url("kind_restore", "grupper", uid=m.Deletion.objects.get().uid))
    meeting = m.GroupMeeting.objects.get()
    assert (meeting.group.uid, meeting.participants) == (group.uid, 7)


def test_an_event_with_evaluations_is_not_deleted(client, editor, center):
    client.force_login(editor)
    event = m.Event.objects.create(center=center, year=YEAR, theme="T", title="Evaluert")
    evaluations.attach_evaluation(
        center=center, questionnaire=evaluations.standard_questionnaire(), event=event
    )
    response = client.post(url("kind_delete", "arrangementer", uid=event.uid))
    assert response.status_code == 409
    assert "Slett evalueringen først" in response.content.decode()
    assert m.Event.objects.filter(pk=event.pk).exists() and not m.Deletion.objects.exists()


def test_a_restore_is_refused_when_the_number_is_taken_since(client, editor, center):
    client.force_login(editor)
    record = m.ConsultationResponse.objects.create(center=center, year=YEAR, title="A", ref="9")
    deletion = services.delete_record(record, user=editor, kind="horingsinnspill")
    m.ConsultationResponse.objects.create(center=center, year=YEAR, title="B", ref="9")
    response = client.post(url("kind_restore", "horingsinnspill", uid=deletion.uid), follow=True)
    assert "Nr. «9» er allerede registrert for 2025." in response.content.decode()
    assert m.ConsultationResponse.objects.count() == 1


def test_a_reader_can_neither_delete_nor_restore(client, center, make_user):
    client.force_login(make_user("leser", center, Membership.Role.READER))
    record = m.ConsultationResponse.objects.create(center=center, year=YEAR, title="A")
    assert client.post(url("kind_delete", "horingsinnspill", uid=record.uid)).status_code == 403
    deletion = services.delete_record(record, user=None, kind="horingsinnspill")
    restore = url("kind_restore", "horingsinnspill", uid=deletion.uid)
    assert client.post(restore).status_code == 403
    assert not m.ConsultationResponse.objects.exists()


def grow(center, n):
    """``n`` more records of every kind, each with links, and as many deletions."""
    person = Person.objects.get_or_create(center=center, name="Kari Nordmann")[0]
    assignment = Assignment.objects.filter(center=center, year=YEAR).first()
    for i in range(n):
        for record in (
            m.Event.objects.create(center=center, year=YEAR, theme="T", title=f"E{i}"),
            m.Presentation.objects.create(center=center, year=YEAR, title=f"P{i}", kind="F"),
            m.MediaAppearance.objects.create(
                center=center, year=YEAR, title=f"M{i}", outlet="NRK", person=person
            ),
            m.Group.objects.create(center=center, year=YEAR, name=f"G{i}", role="leder"),
        ):
            record.assignments.add(assignment)
        gone = m.Presentation.objects.create(center=center, year=YEAR, title=f"X{i}", kind="F")
        services.delete_record(gone, user=None, kind="presentasjoner")


PAGES = [
    ("kind_create", "arrangementer"),
    ("kind_create", "presentasjoner"),
    ("kind_create", "henvendelser"),
    ("kind_edit", "presentasjoner"),
    ("kind_edit", "medieoppslag"),
    ("kind_delete", "grupper"),
    ("kind_delete", "arrangementer"),
    ("kind_deleted", "presentasjoner"),
    ("kind_list", "presentasjoner"),
    ("kind_detail", "grupper"),
]


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_the_new_pages_take_the_same_queries_for_one_record_and_many(
    client, editor, center, assignments, name, kind
):
    client.force_login(editor)
    grow(center, 1)
    model = KINDS[kind].model

    def page() -> str:
        kwargs = {}
        if name in {"kind_edit", "kind_delete", "kind_detail"}:
            kwargs["uid"] = model._default_manager.filter(center=center).order_by("id").first().uid
        return url(name, kind, **kwargs)

    client.get(page())
    with CaptureQueriesContext(connection) as one:
        assert client.get(page()).status_code == 200
    grow(center, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(page()).status_code == 200
    assert len(many) == len(one), [q["sql"] for q in many]


def test_the_api_deletes_through_the_service_so_the_page_can_restore(client, editor, center):
    """A record deleted through the API is listed among the deleted and comes back."""
    from oppdrag.api.tests.conftest import token_client

    record = m.WebArticle.objects.create(center=center, year=YEAR, title="API", category="nyhet")
    response = token_client(editor).delete(f"/api/v1/napha/web-articles/{record.uid}/")
    assert response.status_code == 204
    deletion = m.Deletion.objects.get(record_uid=record.uid)
    assert deletion.deleted_by == editor
    client.force_login(editor)
    client.post(url("kind_restore", "nettsaker", uid=deletion.uid))
    assert m.WebArticle.objects.filter(uid=record.uid).exists()
