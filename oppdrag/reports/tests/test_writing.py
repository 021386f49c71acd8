"""The writing page and the slot editor: outline, filters, saving, conflicts, bad input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.core.models import Membership, Person
from oppdrag.grants.models import Assignment, FocusArea
from oppdrag.reports.models import AssessmentBlock
from oppdrag.reports.services import merge_texts, save_assessment

YEAR = 2025


@pytest.fixture
def areas(db):
    for code, name in (("a", "Formidling"), ("b", "Kompetanseheving")):
        FocusArea.objects.update_or_create(code=code, defaults={"name": name})


@pytest.fixture
def assignment(center):
    return Assignment.objects.create(center=center, year=YEAR, number="3.1", title="Kurs")


@pytest.fixture
def editor(center, make_user):
    return make_user("redaktor", center, Membership.Role.EDITOR)


def url(center, key=None, **query):
    if key is None:
        address = reverse("reports:writing", kwargs={"center": center.slug, "year": YEAR})
    else:
        address = reverse("reports:write", kwargs={"center": center.slug, "year": YEAR, "key": key})
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


def form(client, center, key):
    page = client.get(url(center, key))
    assert page.status_code == 200
    return {"version": page.context["version"], "base": page.context["base"]}


def test_the_writing_page_lists_every_slot_with_status_and_words(
    client, center, editor, areas, assignment
):
    save_assessment(
        center=center,
        year=YEAR,
        kind="overall",
        section_key="overall:a",
        text="Fire ord i alt.",
        status="ready",
    )
    client.force_login(editor)
    page = client.get(url(center)).content.decode()
    assert "a) Oppsummering av senterets arbeid i tilskuddsåret" in page
    assert "3.1 Kurs – Målgruppemedvirkning" in page
    assert "Klar" in page and ">4<" in page
    assert 'href="' + url(center, f"assignment:{assignment.uid}:results") + '"' in page


def test_the_filters_show_not_started_and_waiting_for_approval(
    client, center, editor, areas, assignment
):
    save_assessment(
        center=center,
        year=YEAR,
        kind="overall",
        section_key="overall:a",
        text="Klar.",
        status="ready",
    )
    save_assessment(
        center=center,
        year=YEAR,
        kind="overall",
        section_key="overall:b",
        text="Utkast.",
        user=editor,
    )
    client.force_login(editor)
    waiting = client.get(url(center, vis="til-godkjenning")).context["chapters"]
    assert [s.key for _c, slots in waiting for s in slots] == ["overall:a:text"]
    mine = client.get(url(center, vis="mine")).context["chapters"]
    assert [s.key for _c, slots in mine for s in slots] == ["overall:b:text"]
    fresh = client.get(url(center, vis="ikke-startet")).context["chapters"]
    keys = [s.key for _c, slots in fresh for s in slots]
    assert "overall:a:text" not in keys and "foreword" in keys


def test_an_editor_writes_a_slot_and_history_names_them(client, center, editor, areas):
    client.force_login(editor)
    data = form(client, center, "foreword") | {"text": "Et **forord**.", "status": "ready"}
    response = client.post(url(center, "foreword"), data)
    assert response.status_code == 302
    block = AssessmentBlock.objects.get(center=center, section_key="foreword")
    assert (block.text, block.status, block.author) == ("Et **forord**.", "ready", editor)
    assert block.history.first().history_user == editor
    page = client.get(url(center, "foreword")).content.decode()
    assert "<strong>forord</strong>" in page  # the preview, as the report prints it


def test_a_reader_may_see_the_outline_but_not_write(client, center, make_user, areas):
    reader = make_user("leser", center, Membership.Role.READER)
    client.force_login(reader)
    assert client.get(url(center)).status_code == 200
    assert client.get(url(center, "foreword")).status_code == 403


def test_an_unknown_slot_is_not_found(client, center, editor, areas):
    client.force_login(editor)
    assert client.get(url(center, "assignment:nothing:results")).status_code == 404


def test_a_concurrent_edit_keeps_both_texts(client, center, editor, make_user, areas):
    other = make_user("kollega", center, Membership.Role.EDITOR)
    client.force_login(editor)
    mine = form(client, center, "overall:a:text")
    client.force_login(other)
    theirs = form(client, center, "overall:a:text")
    # The colleague saves first ...
    client.post(url(center, "overall:a:text"), theirs | {"text": "Kollegaens avsnitt."})
    # ... and my save, from the same starting point, is refused with both kept.
    client.force_login(editor)
    response = client.post(url(center, "overall:a:text"), mine | {"text": "Mitt avsnitt."})
    assert response.status_code == 409
    block = AssessmentBlock.objects.get(center=center, section_key="overall:a")
    assert block.text == "Kollegaens avsnitt."
    merged = response.context["text"]
    assert "Mitt avsnitt." in merged and "Kollegaens avsnitt." in merged
    page = response.content.decode()
    assert "kollega lagret denne teksten" in page.casefold()
    # Saving the merged text against the new version succeeds.
    again = {"version": response.context["version"], "base": response.context["base"]}
    assert client.post(url(center, "overall:a:text"), again | {"text": merged}).status_code == 302
    block.refresh_from_db()
    assert "Mitt avsnitt." in block.text and "Kollegaens avsnitt." in block.text


def test_autosave_answers_json_and_a_conflict_with_the_other_text(client, center, editor, areas):
    client.force_login(editor)
    start = form(client, center, "references")
    json_headers = {"HTTP_ACCEPT": "application/json"}
    saved = client.post(url(center, "references"), start | {"text": "Kilde A."}, **json_headers)
    assert saved.status_code == 200 and saved.json()["saved"] is True
    stale = client.post(url(center, "references"), start | {"text": "Kilde B."}, **json_headers)
    assert stale.status_code == 409
    answer = stale.json()
    assert answer["theirs"] == "Kilde A."
    assert "Kilde A." in answer["merged"] and "Kilde B." in answer["merged"]


def test_merging_keeps_every_paragraph_once():
    base = "Felles.\n\nGammel."
    merged = merge_texts(base, "Felles.\n\nMitt nye.", "Felles.\n\nGammel.\n\nDeres nye.")
    assert merged == "Felles.\n\nMitt nye.\n\nDeres nye."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("due_on", "31.02.2025", "Fristen «31.02.2025» er ikke en dato"),
        ("status", "approved", "godkjenning gjøres av en annen"),
        ("owner", "00000000-0000-4000-8000-000000000000", "Velg en ansvarlig fra listen"),
        ("text", "x" * 100_001, "et tekstfelt kan ha høyst 100 000 tegn"),
    ],
)
def test_bad_input_is_refused_with_a_norwegian_message_and_changes_nothing(
    client, center, editor, areas, field, value, message
):
    client.force_login(editor)
    data = form(client, center, "foreword") | {"text": "Tekst.", field: value}
    response = client.post(url(center, "foreword"), data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("\u2009", " ")
    assert not AssessmentBlock.objects.filter(center=center, section_key="foreword").exists()


def test_owner_and_due_date_are_saved_and_shown(client, center, editor, areas):
    person = Person.objects.create(center=center, name="Kari Nordmann", is_staff_member=True)
    client.force_login(editor)
    data = form(client, center, "foreword") | {
        "text": "Tekst.",
        "owner": str(person.uid),
        "due_on": "01.03.2026",
    }
    assert client.post(url(center, "foreword"), data).status_code == 302
    page = client.get(url(center)).content.decode()
    assert "Kari Nordmann" in page and "frist 01.03.2026" in page


def test_a_centre_adds_its_own_theme_under_a_focus_area(client, center, editor, areas):
    client.force_login(editor)
    response = client.post(
        reverse("reports:writing_add_theme", kwargs={"center": center.slug, "year": YEAR}),
        {"area": "b", "title": "Recovery i praksis"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/skriv/focus:b:theme:recovery-i-praksis/")
    page = client.get(url(center)).content.decode()
    assert "b) Kompetanseheving – Recovery i praksis" in page
    refused = client.post(
        reverse("reports:writing_add_theme", kwargs={"center": center.slug, "year": YEAR}),
        {"area": "z", "title": "Noe"},
        follow=True,
    )
    assert "Innsatsområdet «z» finnes ikke." in refused.content.decode()


def test_the_pages_take_the_same_queries_for_one_and_many_slots(
    client, center, editor, areas, assignment
):
    client.force_login(editor)
    pages = [url(center), url(center, f"assignment:{assignment.uid}:results")]
    client.get(pages[1])  # compiled once per process (prepared queries)

    def counts() -> list[int]:
        found = []
        for page in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page).status_code == 200
            found.append(len(queries))
        return found

    small = counts()
    for n in range(2, 25):
        more = Assignment.objects.create(center=center, year=YEAR, number=f"3.{n}", title=f"{n}")
        save_assessment(
            center=center, year=YEAR, kind="results", assignment=more, text="Tekst [[ref:focus:a]]."
        )
    assert counts() == small


def test_live_figures_are_the_demo_years_and_its_four_typed_mistakes_are_findings(demo):
    """The figures a text may cite are the registry's; typed in a real year's text, each
    mistake the published report made is caught."""
    from oppdrag.activities.models import ConsultationResponse, Event
    from oppdrag.reports.builder import build_for_writing, build_report

    assignment = Assignment.objects.get(center=demo, year=YEAR, number="3.1.1")
    response = (
        ConsultationResponse.objects.filter(center=demo, year=YEAR, date__isnull=False)
        .order_by("date")
        .first()
    )
    _report, figures, _data = build_for_writing(demo, YEAR)
    assert figures["count:events:assignment:3.1.1"].value == 63
    assert figures["visits:act-og-fact-team"].value == 9690
    assert figures[f"date:{response.uid}"].text == response.date.strftime("%d.%m.%Y")
    events = Event.objects.filter(center=demo, year=YEAR).count()
    assert figures["count:events"].value == events
    wrong_day = (response.date.day % 28) + 1
    text = (
        "Vi holdt 64 arrangementer. Temasiden om ACT- og FACT-team hadde 969 besøk. "
        f"Vi svarte på {response.title} {wrong_day}.{response.date.month}. "
        "Se kapittel 3.9 for mer."
    )
    save_assessment(
        center=demo, year=YEAR, kind="results", assignment=assignment, text=text, status="ready"
    )
    report = build_report(demo, YEAR)
    codes = {f.code for f in report.findings}
    assert {"count_mismatch", "figure_typo", "date_mismatch", "typed_reference"} <= codes
    mismatch = next(f for f in report.findings if f.code == "count_mismatch")
    assert "«64 arrangementer»" in mismatch.message and "63" in mismatch.message
    typo = next(f for f in report.findings if f.code == "figure_typo")
    assert "9\u2009690" in typo.message
