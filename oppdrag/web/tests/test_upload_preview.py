"""The upload preview: problems first, a filter to the flagged rows, and rows that
probably repeat a record already registered marked as such."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core.models import Membership
from tests.files import write_table


@pytest.fixture
def editor(center, make_user):
    return make_user("redaktor", center, Membership.Role.EDITOR)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def post(client, tmp_path, table, kind="horingsinnspill", name="innspill.csv"):
    path = write_table(tmp_path, name, table)
    with path.open("rb") as handle:
        return client.post(
            reverse("web:kind_upload", kwargs={"center": "napha", "kind": kind}),
            {"file": handle, "year": "2025"},
        )


def test_problems_come_first_with_their_count_row_and_column_linked_to_the_row(
    client, editor, tmp_path
):
    client.force_login(editor)
    table = [["Dato", "Tittel"], ["01.12.2025", "Bra"], ["31.11.2025", "Feil dato"],
             ["", "Uten dato"]]  # fmt: skip
    page = post(client, tmp_path, table).content.decode()
    summary, preview = page.split('id="preview-table"')
    assert "innspill.csv har 2 problemer. Ingenting er lagret." in summary
    assert '<a class="ds-link" href="#rad-3">innspill.csv, rad 3, kolonne «Dato»: ' in summary
    assert 'href="#rad-4">innspill.csv, rad 4, kolonne «Dato»: Cellen må fylles ut.' in summary
    assert '<tr id="rad-3" class="flagged problem">' in preview
    assert '<tr id="rad-2">' in preview  # a row in order is not flagged
    assert "Vis bare rader med problemer eller merknader (2 rader)" in summary


def test_the_filter_is_a_labelled_checkbox_controlling_the_table(client, editor, tmp_path):
    client.force_login(editor)
    page = post(client, tmp_path, [["Dato", "Tittel"], ["31.11.2025", "Feil"]]).content.decode()
    assert (
        '<input class="ds-input" type="checkbox" id="only-flagged" aria-controls="preview-table">'
        in page
    )
    assert '<label class="ds-label" for="only-flagged">' in page


def test_a_row_like_a_registered_record_is_marked_but_may_still_be_imported(
    client, editor, center, tmp_path
):
    m.ConsultationResponse.objects.create(
        center=center, year=2025, title="Innspill om bolig", date=dt.date(2025, 12, 1)
    )
    client.force_login(editor)
    table = [["Dato", "Tittel"], ["01.12.2025", "INNSPILL OM BOLIG"], ["02.12.2025", "Nytt"]]
    response = post(client, tmp_path, table)
    rows = {row.number: row.duplicate for row in response.context["rows"]}
    assert rows == {2: "Trolig registrert fra før: «Innspill om bolig» (01.12.2025).", 3: ""}
    page = response.content.decode()
    assert "1 rad er trolig registrert fra før" in page
    assert '<tr id="rad-2" class="flagged duplicate">' in page and "Trolig dublett:" in page
    assert response.context["result"].ok and response.context["token"]


def test_an_event_on_the_same_day_with_the_same_count_is_marked_as_the_report_would(
    client, editor, center, tmp_path
):
    m.Event.objects.create(center=center, year=2025, theme="Rus", title="Fagdag rus",
                           date_start=dt.date(2025, 3, 5), participants=40)  # fmt: skip
    m.Event.objects.create(center=center, year=2024, theme="Rus", title="Fagdag i fjor",
                           date_start=dt.date(2024, 3, 6), participants=41)  # fmt: skip
    client.force_login(editor)
    table = [
        ["Tema", "Hva", "Dato", "Antall deltakere"],
        ["Rus", "Fagdag om rus", "05.03.2025", "40"],  # same day, same count
        ["Rus", "Fagdag rus", "06.03.2025", "12"],  # same title, other day and count
        ["Rus", "Fagdag i fjor", "06.03.2025", "41"],  # like last year's: another year
    ]
    response = post(client, tmp_path, table, kind="arrangementer", name="arr.csv")
    marks = {row.number: row.duplicate for row in response.context["rows"]}
    assert marks[2] == "Trolig registrert fra før: «Fagdag rus» (05.03.2025, 40 deltakere)."
    assert marks[3] == marks[4] == ""


def test_duplicates_are_marked_also_when_other_rows_have_problems(client, editor, center, tmp_path):
    m.ConsultationResponse.objects.create(
        center=center, year=2025, title="Innspill", date=dt.date(2025, 12, 1)
    )
    client.force_login(editor)
    table = [["Dato", "Tittel"], ["01.12.2025", "Innspill"], ["31.11.2025", "Feil"]]
    response = post(client, tmp_path, table)
    assert not response.context["result"].ok
    assert [r.number for r in response.context["rows"] if r.duplicate] == [2]
    assert "Dessuten er 1 rad trolig registrert fra før" in response.content.decode()


def test_the_preview_takes_the_same_queries_for_2_and_300_rows(client, editor, center, tmp_path):
    for n in range(50):
        m.ConsultationResponse.objects.create(
            center=center, year=2025, title=f"Gammelt {n}", date=dt.date(2025, 1, 1)
        )
    client.force_login(editor)

    def queries(rows):
        table = [["Dato", "Tittel"]] + [["01.12.2025", f"Innspill {n}"] for n in range(rows)]
        with CaptureQueriesContext(connection) as captured:
            assert post(client, tmp_path, table).status_code == 200
        return len(captured)

    assert queries(2) == queries(300)
