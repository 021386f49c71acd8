"""Registering, listing, filtering and exporting events in the staff interface."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.activities.importers import IMPORTERS
from oppdrag.core.models import Membership, Organization
from oppdrag.figures.scale import multiply
from oppdrag.grants.models import Assignment


@pytest.fixture
def editor(demo, make_user):
    return make_user("redaktor", demo, Membership.Role.EDITOR)


def version(client, event):
    """The version token the edit form carries, as a browser would send it back."""
    html = client.get(url("event_edit", uid=event.uid)).content.decode()
    return html.split('name="versjon" value="')[1].split('"')[0]


def url(name, center="napha", **kwargs):
    namespace = "activities" if name.startswith("event_") else "web"
    return reverse(f"{namespace}:{name}", kwargs={"center": center, **kwargs})


def form_data(**overrides):
    data = {
        "year": "2025",
        "theme": "Boligsosialt arbeid",
        "title": "Fagdag om bolig",
        "date_start": "2025-10-02",
        "participants": "35",
        "scope": "Regional",
        "format": "Fysisk",
        "audience": "Ansatte i kommunene",
    }
    data.update(overrides)
    return data


def test_an_editor_registers_an_event_and_the_history_names_them(client, editor, demo):
    client.force_login(editor)
    assignment = Assignment.objects.get(center=demo, number="3.9")
    organizer = Organization.objects.get(name="Husbanken")
    response = client.post(
        url("event_create"),
        form_data(assignments=[assignment.pk], organizers=[organizer.pk]),
    )
    event = m.Event.objects.get(title="Fagdag om bolig")
    assert response.status_code == 302
    assert response["Location"] == url("event_detail", uid=event.uid)
    assert event.center == demo and event.participants == 35
    assert list(event.assignments.all()) == [assignment]
    assert [o.organization for o in event.eventorganizer_set.all()] == [organizer]
    assert event.history.get().history_user == editor


def test_the_form_remembers_the_assignment_last_used(client, editor, demo):
    client.force_login(editor)
    assignment = Assignment.objects.get(center=demo, number="3.9")
    client.post(url("event_create"), form_data(assignments=[assignment.pk]))
    form = client.get(url("event_create")).context["form"]
    assert form.initial["assignments"] == [assignment.pk]


def test_register_another_like_this_copies_all_but_date_and_count(client, editor):
    client.force_login(editor)
    response = client.post(url("event_create"), form_data(another="1"))
    event = m.Event.objects.get(title="Fagdag om bolig")
    assert response["Location"] == url("event_create") + f"?like={event.uid}"
    initial = client.get(response["Location"]).context["form"].initial
    assert initial["title"] == "Fagdag om bolig" and initial["theme"] == "Boligsosialt arbeid"
    assert "participants" not in initial


def test_invalid_input_is_explained_and_nothing_is_saved(client, editor):
    client.force_login(editor)
    before = m.Event.objects.count()
    response = client.post(
        url("event_create"),
        form_data(participants="-4", date_start="2024-05-01", date_end="2024-04-01", title=""),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"participants", "title", "date_end", "date_start"} <= set(errors)
    assert "Skjemaet har feil" in response.content.decode()
    assert m.Event.objects.count() == before


def test_editing_keeps_the_previous_values_in_the_history(client, editor, demo):
    client.force_login(editor)
    event = m.Event.objects.filter(center=demo, title="Nasjonal nettverkssamling").first()
    data = form_data(title=event.title, theme=event.theme, participants="999")
    client.post(url("event_edit", uid=event.uid), {**data, "versjon": version(client, event)})
    event.refresh_from_db()
    assert event.participants == 999
    page = client.get(url("event_detail", uid=event.uid)).content.decode()
    assert "«245» → «999»" in page


def test_the_list_filters_by_format_theme_and_search(client, editor):
    client.force_login(editor)
    response = client.get(url("event_list"), {"format": "Digital"})
    assert response.context["page"].paginator.count == 53  # appendix 1: 53 digital rows
    response = client.get(url("event_list"), {"theme": "FACT ung", "q": "brukerspesialister"})
    titles = {e.title for e, _cells in response.context["rows"]}
    assert titles == {"Nasjonal nettverkssamling brukerspesialister"}


def test_the_csv_export_opens_in_norwegian_excel_and_imports_again(
    client, editor, demo, tmp_path, make_center
):
    client.force_login(editor)
    response = client.get(url("event_list"), {"theme": "Boligsosialt arbeid", "export": "csv"})
    body = response.content
    assert body.startswith("\ufeff".encode())
    header = body.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Nr;Tema;Hva;Antall deltakere")
    path = tmp_path / "eksport.csv"
    path.write_bytes(body)
    copy = make_center("kopi")
    for number, title in [("3.9", "Bolig")]:
        Assignment.objects.create(center=copy, year=2025, number=number, title=title)
    result = IMPORTERS["events"](copy, 2025).run(path)
    assert result.ok, result.problems[:3]
    assert m.Event.objects.filter(center=copy).count() == 16  # the theme's rows


def test_the_xlsx_export_is_a_workbook_with_the_filtered_rows(client, editor):
    client.force_login(editor)
    response = client.get(url("event_list"), {"format": "Hybrid", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nr", "Tema", "Hva")
    assert len(rows) == 1 + 3


def test_two_editors_saving_the_same_event_do_not_lose_a_change(client, editor, demo, make_user):
    event = m.Event.objects.create(
        center=demo, year=2025, theme="Bolig", title="Fagdag", participants=30,
        date_start=dt.date(2025, 10, 2), format="Fysisk", scope="Regional",
        audience="Ansatte i kommunene",
    )  # fmt: skip
    other = Client()
    other.force_login(make_user("redaktor2", demo, Membership.Role.EDITOR))
    client.force_login(editor)
    seen_by_first, seen_by_other = version(client, event), version(other, event)
    first = form_data(title="Fagdag om bolig", participants="30", theme="Bolig")
    response = client.post(url("event_edit", uid=event.uid), {**first, "versjon": seen_by_first})
    assert response.status_code == 302
    second = form_data(title="Fagdag", participants="55", theme="Bolig")
    response = other.post(url("event_edit", uid=event.uid), {**second, "versjon": seen_by_other})
    assert response.status_code == 409
    html = response.content.decode()
    conflict = html.split("Noen andre har lagret endringer")[1].split("</li>")[0]
    assert "Hva: «Fagdag om bolig»" in conflict and "deltakere" not in conflict
    assert 'value="55"' in html  # the second editor's input is kept
    event.refresh_from_db()
    assert (event.title, event.participants) == ("Fagdag om bolig", 30)
    # Saving again from the page that named the change goes through, on purpose.
    again = {**second, "title": "Fagdag om bolig", "versjon": response.context["version"]}
    assert other.post(url("event_edit", uid=event.uid), again).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.participants) == ("Fagdag om bolig", 55)


def test_an_edit_without_or_with_a_forged_version_is_refused(client, editor, demo):
    client.force_login(editor)
    event = m.Event.objects.filter(center=demo).first()
    data = form_data(title="Endret", theme=event.theme)
    for extra in ({}, {"versjon": "forfalsket"}):
        response = client.post(url("event_edit", uid=event.uid), {**data, **extra})
        assert response.status_code == 409
        assert "endret av noen andre" in response.content.decode()
    event.refresh_from_db()
    assert event.title != "Endret"


# Every page is computed from the database on every request: the session, the user and
# the memberships, then the page's own queries, a fixed number whatever the data size.
# The dashboard's report-text progress adds five: the outline's three and the deadline's two;
# the key figures two more: the centre's chosen figures and the one reach query.
MAX_QUERIES = {"event_list": 14, "dashboard": 26}
# The dashboard's data-quality summary is kept five minutes; computing it runs the checks
# (every app's, the hours app's registered checks, the prose checks and finance among them,
# and the published figures compared with the centre's chosen key figures).
MAX_QUERIES_WITH_FINDINGS = 81


@pytest.mark.parametrize("name", ["event_list", "dashboard"])
def test_pages_take_the_same_few_queries_for_20_times_the_data(client, editor, demo, name):
    client.force_login(editor)
    client.get(url(name))  # the dashboard's data-quality summary computed once
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(name)).status_code == 200
    multiply(demo, 2025, 20)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url(name)).status_code == 200
    assert len(large) == len(small) <= MAX_QUERIES[name], [q["sql"] for q in small]


def test_the_dashboard_computing_its_findings_takes_the_same_queries_for_20_times_the_data(
    client, editor, demo
):
    from django.core.cache import cache

    client.force_login(editor)

    def computed() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("dashboard")).status_code == 200
        return len(queries)

    small = computed()
    multiply(demo, 2025, 20)
    assert computed() == small <= MAX_QUERIES_WITH_FINDINGS


def test_the_dashboard_shows_to_date_figures_coverage_deadlines_and_findings(client, editor, demo):
    from django.utils import timezone

    from oppdrag.figures.todate import DATE_FIELDS
    from oppdrag.grants.models import Grant, GrantDate
    from oppdrag.web.templatetags.oppdrag import tall

    today = timezone.localdate()
    grant = Grant.objects.create(center=demo, year=today.year)
    GrantDate.objects.create(
        center=demo,
        grant=grant,
        kind=GrantDate.Kind.MEETING,
        title="Dialogmøte om neste års tilskuddsbrev",
        date=today + dt.timedelta(days=3),
    )
    GrantDate.objects.create(
        center=demo,
        grant=grant,
        kind=GrantDate.Kind.DEADLINE,
        title="Passert frist",
        date=today - dt.timedelta(days=3),
    )
    client.force_login(editor)
    page = client.get(url("dashboard"), {"year": 2025}).content.decode()
    # 2025 is over: no "so far this year"; the page says how many records lack a date.
    assert 'id="hittil"' not in page
    undated = sum(
        model.objects.filter(center=demo, year=2025, **{f"{field}__isnull": True}).count()
        for model, field in DATE_FIELDS.values()
    )
    datable = sum(
        model.objects.filter(center=demo, year=2025).count() for model, _ in DATE_FIELDS.values()
    )
    assert undated and f"{undated} av {tall(datable)} registreringer i 2025 mangler dato." in page
    # The running year counts the records dated up to today.
    current = client.get(url("dashboard"), {"year": today.year}).content.decode()
    assert 'id="hittil"' in current
    assert f"Poster datert til og med {today.strftime('%d.%m.%Y')}" in current
    assert "Dekning per oppdrag" in page and "Rapporttekst" in page
    upcoming = page[page.index('id="frister"') : page.index('id="funn"')]
    assert "Dialogmøte om neste års tilskuddsbrev" in upcoming
    assert "Passert frist" not in upcoming
    assert (today + dt.timedelta(days=3)).strftime("%d.%m.%Y") in upcoming
    assert "andre åpne funn (kontrollert" in page


def test_a_dashboard_year_that_is_not_a_number_is_not_found(client, editor):
    client.force_login(editor)
    for year in ("abc", "20x5", "-1", "99999"):
        assert client.get(url("dashboard"), {"year": year}).status_code == 404, year
