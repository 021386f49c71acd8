"""Importers: what a good file adds, and that every bad file is refused whole."""

import datetime as dt

import pytest
from django.db import connection

from oppdrag.activities import models as m
from oppdrag.activities.importers import IMPORTERS
from oppdrag.grants.models import Assignment
from tests.files import write_table

EVENT_HEADER = [
    "Tema",
    "Hva",
    "Antall deltakere",
    "Nasjonal/ regional",
    "Deltakere",
    "Arrangører",
    "Fysisk/ digital",
    "Dato",
    "Region",
    "Kommuner",
    "Oppdrag",
]


def event_row(**overrides):
    row = {
        "Tema": "Boligsosialt arbeid",
        "Hva": "Fagsamling Halden kommune",
        "Antall deltakere": "40",
        "Nasjonal/ regional": "Regional",
        "Deltakere": "Ansatte i tjenestene",
        "Arrangører": "Halden kommune, NAPHA",
        "Fysisk/ digital": "Fysisk",
        "Dato": "14.05.2025",
        "Region": "Øst",
        "Kommuner": "Halden",
        "Oppdrag": "3.9",
    }
    row.update(overrides)
    return [row[h] for h in EVENT_HEADER]


@pytest.fixture
def assignment(center):
    return Assignment.objects.create(center=center, year=2025, number="3.9", title="Bolig")


def run(kind, center, path, *, dry_run=False, year=2025):
    return IMPORTERS[kind](center, year).run(path, dry_run=dry_run)


def snapshot():
    """Row counts of every activity table: what "nothing changed" compares."""
    return {
        model.__name__: model.objects.count()
        for model in (m.Event, m.EventOrganizer, m.Presentation, m.Publication, m.Group)
    } | {"m2m": m.Event.municipalities.through.objects.count()}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_it_imports_events_with_organisers_places_and_assignments(
    center, assignment, tmp_path, suffix
):
    path = write_table(tmp_path, "arr" + suffix, [EVENT_HEADER, event_row()])
    result = run("events", center, path)
    assert result.ok, result.problems
    event = m.Event.objects.get(center=center)
    assert event.participants == 40
    assert event.format == "Fysisk" and event.scope == "Regional"
    assert event.date_start == dt.date(2025, 5, 14)
    assert [o.organization.name for o in event.eventorganizer_set.all()] == [
        "Halden kommune",
        "NAPHA – Nasjonalt kompetansesenter for psykisk helsearbeid",
    ]
    assert [mu.number for mu in event.municipalities.all()] == ["3101"]
    assert [r.name for r in event.regions.all()] == ["Øst"]
    assert list(event.assignments.all()) == [assignment]


def test_every_change_is_recorded_in_the_history(center, assignment, tmp_path, make_user):
    user = make_user("ola", center)
    path = write_table(tmp_path, "arr.csv", [EVENT_HEADER, event_row()])
    IMPORTERS["events"](center, 2025, user).run(path)
    record = m.Event.history.get()
    assert record.history_type == "+"
    assert record.history_user == user
    event = m.Event.objects.get()
    event.participants = 41
    event.save()
    assert m.Event.history.filter(id=event.id).count() == 2
    assert event.history.earliest().participants == 40


def test_a_dry_run_reports_what_it_would_add_and_writes_nothing(center, assignment, tmp_path):
    path = write_table(tmp_path, "arr.csv", [EVENT_HEADER, event_row(), event_row(Hva="Annen")])
    result = run("events", center, path, dry_run=True)
    assert result.ok and result.added == 2
    assert m.Event.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"Kommuner": "Trondhiem"}, "Kommuner", "Mente du «Trondheim"),
        ({"Arrangører": "KORUS Nrod"}, "Arrangører", "Mente du «KORUS Nord»"),
        ({"Dato": "31.02.2025"}, "Dato", "ikke en gyldig dato"),
        ({"Dato": "01.03.2024"}, "Dato", "ikke i 2025"),
        ({"Antall deltakere": "-5"}, "Antall deltakere", "negativt"),
        ({"Antall deltakere": "mange"}, "Antall deltakere", "ikke et tall"),
        ({"Fysisk/ digital": "Telepati"}, "Fysisk/digital", "Gyldige verdier"),
        ({"Nasjonal/ regional": "Global"}, "Nasjonal/regional", "Gyldige verdier"),
        ({"Oppdrag": "9.9"}, "Oppdrag", "Oppdrag 9.9 finnes ikke"),
        ({"Region": "Atlantis"}, "Region", "Ukjent region"),
        ({"Hva": ""}, "Hva", "må fylles ut"),
    ],
)
def test_it_refuses_a_bad_cell_naming_file_row_and_column(
    center, assignment, tmp_path, overrides, column, fragment
):
    before = snapshot()
    path = write_table(
        tmp_path, "arr.csv", [EVENT_HEADER, event_row(), event_row(**{"Hva": "B", **overrides})]
    )
    result = run("events", center, path)
    assert not result.ok
    problem = result.problems[0]
    assert (problem.file, problem.row, problem.column) == ("arr.csv", 3, column)
    assert fragment in problem.message
    assert f"arr.csv, rad 3, kolonne «{column}»" in str(problem)
    assert snapshot() == before


def test_it_refuses_rows_identical_to_an_earlier_row(center, assignment, tmp_path):
    path = write_table(tmp_path, "arr.csv", [EVENT_HEADER, event_row(), event_row()])
    result = run("events", center, path)
    assert [(p.row, p.message) for p in result.problems] == [(3, "Raden er lik rad 2.")]
    assert m.Event.objects.count() == 0


def test_it_refuses_a_file_without_a_required_column(center, tmp_path):
    path = write_table(tmp_path, "arr.csv", [["Tema", "Antall deltakere"], ["Bolig", "3"]])
    result = run("events", center, path)
    assert any("«Hva» mangler" in p.message for p in result.problems)


def test_it_refuses_unknown_and_repeated_headers(center, tmp_path):
    path = write_table(
        tmp_path, "arr.csv", [["Tema", "Hva", "Farge", "Tema"], ["a", "b", "c", "d"]]
    )
    messages = [p.message for p in run("events", center, path).problems]
    assert any("Ukjent kolonne «Farge»" in msg for msg in messages)
    assert any("står to ganger" in msg for msg in messages)


def test_it_refuses_formulas_in_a_workbook_and_names_the_sheet(center, assignment, tmp_path):
    path = write_table(
        tmp_path, "arr.xlsx", [EVENT_HEADER, event_row(**{"Antall deltakere": "=10*4"})]
    )
    problem = run("events", center, path).problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Ark1", 2, "Antall deltakere")
    assert "formel" in problem.message
    assert m.Event.objects.count() == 0


def test_it_refuses_a_file_with_only_a_header(center, tmp_path):
    path = write_table(tmp_path, "arr.csv", [EVENT_HEADER])
    assert run("events", center, path).problems[0].message == "Filen har ingen datarader."


def test_a_rejected_import_leaves_earlier_imports_untouched(center, assignment, tmp_path):
    good = write_table(tmp_path, "a.csv", [EVENT_HEADER, event_row()])
    assert run("events", center, good).ok
    before = snapshot()
    bad = write_table(
        tmp_path, "b.csv", [EVENT_HEADER, event_row(Hva="ny"), event_row(Kommuner="Narnia")]
    )
    assert not run("events", center, bad).ok
    assert snapshot() == before


def test_it_refuses_a_running_number_already_registered(center, tmp_path):
    header = ["Nr", "Tema", "Hva"]
    assert run("events", center, write_table(tmp_path, "a.csv", [header, ["1", "T", "A"]])).ok
    result = run("events", center, write_table(tmp_path, "b.csv", [header, ["1", "T", "B"]]))
    assert "allerede registrert" in result.problems[0].message


def test_saving_many_events_takes_a_fixed_number_of_queries(
    center, assignment, tmp_path, django_assert_max_num_queries
):
    rows = [EVENT_HEADER] + [event_row(Hva=f"Samling {i}") for i in range(300)]
    path = write_table(tmp_path, "arr.csv", rows)
    # Reading lookups, bulk inserts of rows, history, links and organisers; not per row.
    with django_assert_max_num_queries(40):
        assert run("events", center, path).ok
    assert m.Event.objects.count() == 300


def test_presentations_keep_contributor_order_and_year_only_dates(center, tmp_path):
    path = write_table(
        tmp_path,
        "pres.csv",
        [
            ["Tittel", "Publiserings- dato", "Type", "Bidragster"],
            ["Om RPH", "2025", "Foredrag", "Hanne Drøyvollsmo, Trond Vegart Asmussen"],
            ["Om FACT", "07.03.2025", "Annen presentasjon", "Trine Pettersen"],
        ],
    )
    assert run("presentations", center, path).ok
    first, second = m.Presentation.objects.order_by("id")
    assert first.date is None and first.year == 2025
    assert [c.person.name for c in first.presentationcontributor_set.all()] == [
        "Hanne Drøyvollsmo",
        "Trond Vegart Asmussen",
    ]
    assert second.date == dt.date(2025, 3, 7)


def test_publications_take_their_nva_identifier_from_the_link(center, tmp_path):
    link = "https://api.nva.unit.no/publication/0198cc4b31b3-2a987b5a"
    path = write_table(
        tmp_path,
        "p.csv",
        [["Type", "Tittel", "Bidragsytere", "Lenke"], ["Rapport", "R", "A B", link]],
    )
    assert run("publications", center, path).ok
    assert m.Publication.objects.get().nva_id == "0198cc4b31b3-2a987b5a"


def test_op_ed_authors_are_turned_around_and_links_must_be_web_addresses(center, tmp_path):
    header = ["Forfattere", "Tittel", "Type", "Kanal", "Dato", "Lenke"]
    ok = write_table(
        tmp_path,
        "a.csv",
        [header, ["Trane, Kristin; Strand, Gaute", "T", "kronikk", "DM", "2025-06-16", ""]],
    )
    assert run("op-eds", center, ok).ok
    assert [a.person.name for a in m.OpEdAuthor.objects.all()] == ["Kristin Trane", "Gaute Strand"]
    bad = write_table(tmp_path, "b.csv", [header, ["A", "T2", "kronikk", "DM", "", "ftp://x"]])
    assert "nettadresse" in run("op-eds", center, bad).problems[0].message


def test_assignments_form_a_tree_and_children_need_their_parent(center, tmp_path):
    header = ["Nummer", "Tittel"]
    ok = write_table(tmp_path, "a.csv", [header, ["3.1", "Plan"], ["3.1.1", "ACT"], ["3.10", "X"]])
    assert run("assignments", center, ok).ok
    child = Assignment.objects.get(number="3.1.1")
    assert child.parent.number == "3.1"
    assert list(Assignment.objects.values_list("number", flat=True)) == ["3.1", "3.1.1", "3.10"]
    orphan = write_table(tmp_path, "b.csv", [header, ["3.2.1", "Uten forelder"]])
    assert "3.2 må stå før 3.2.1" in run("assignments", center, orphan).problems[0].message


def test_topic_pages_take_one_column_per_year_and_update_on_reimport(center, tmp_path):
    header = ["Temaside", "Antall besøk 2025", "Antall besøk 2024"]
    path = write_table(tmp_path, "t.csv", [header, ["Bolig*", "309", "190"]])
    assert run("topic-pages", center, path).added == 2
    again = write_table(tmp_path, "t2.csv", [header, ["Bolig", "310", "190"]])
    result = run("topic-pages", center, again)
    assert (result.added, result.updated) == (0, 2)
    assert m.TopicPageVisits.objects.get(year=2025).visits == 310


def test_published_figures_refuse_a_key_given_twice(center, tmp_path):
    header = ["År", "Nøkkel", "Verdi", "Kilde"]
    path = write_table(
        tmp_path, "f.csv", [header, ["2025", "events", "130", "a"], ["2025", "events", "128", "b"]]
    )
    assert "står også på rad 2" in run("published-figures", center, path).problems[0].message


def test_published_figures_keep_the_qualifier_they_were_written_with(center, tmp_path):
    header = ["År", "Nøkkel", "Verdi", "Kilde"]
    rows = [["2025", "events", "over 50"], ["2025", "networks", "ca. 40"], ["2025", "x", "10"]]
    path = write_table(tmp_path, "f.csv", [header, *[[*r, "Nøkkeltall"] for r in rows]])
    assert run("published-figures", center, path).ok
    stored = {f.key: (f.qualifier, f.value) for f in m.PublishedFigure.objects.all()}
    assert stored == {"events": ("over", 50), "networks": ("about", 40), "x": ("exact", 10)}


def test_a_published_figure_that_is_not_a_number_is_refused_and_nothing_is_saved(center, tmp_path):
    header = ["År", "Nøkkel", "Verdi", "Kilde"]
    path = write_table(
        tmp_path, "f.csv", [header, ["2025", "events", "over 50", ""], ["2025", "x", "mange", ""]]
    )
    result = run("published-figures", center, path)
    assert not result.ok
    problem = result.problems[0]
    assert (problem.row, problem.column) == (3, "Verdi") and "«mange» er ikke et tall" in str(
        problem.message
    )
    assert not m.PublishedFigure.objects.exists()


def test_imports_of_one_centre_never_touch_another(center, other_center, tmp_path):
    path = write_table(tmp_path, "g.csv", [["Navn", "Rolle"], ["Nettverk A", "medlem"]])
    assert run("groups", center, path).ok
    assert m.Group.objects.filter(center=other_center).count() == 0
    assert run("groups", other_center, path).ok
    assert m.Group.objects.filter(center=center).count() == 1


def test_the_importer_uses_the_same_connection_it_validates_with():
    # Guard against an importer that opens its own connection outside the transaction.
    assert connection.alias == "default"


def test_an_enormous_file_is_refused_without_reading_it_all(center, assignment, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 100
    rows = [EVENT_HEADER] + [event_row(Hva=f"Samling {i}") for i in range(500)]
    path = write_table(tmp_path, "stor.csv", rows)
    result = run("events", center, path)
    assert len(result.problems) == 1
    assert "mer enn 100 rader" in result.problems[0].message
    assert result.problems[0].row == 102
    assert m.Event.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_before_reading(center, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    rows = [EVENT_HEADER] + [event_row(Hva=f"Samling {i}") for i in range(50)]
    result = run("events", center, write_table(tmp_path, "stor.csv", rows))
    assert "for stor" in result.problems[0].message


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_good_file_gives_its_rows_with_their_numbers_and_clean_values(
    center, assignment, tmp_path, suffix
):
    rows = [
        EVENT_HEADER,
        event_row(),
        [],  # an empty row is skipped
        event_row(Hva="  Fagsamling  Trondheim ", Kommuner="Trondheim", Dato="15.05.2025"),
        event_row(Hva="Uten dato", Dato="", Region="", Kommuner="")[:9],  # a short row
        [*event_row(Hva="Med tom celle etter"), ""],  # a blank cell past the header
    ]
    importer = IMPORTERS["events"](center, 2025)
    result = importer.run(write_table(tmp_path, "a" + suffix, rows), dry_run=True)
    assert result.ok
    validated = importer.validated_rows
    assert [r.number for r in validated] == [2, 4, 5, 6]
    assert validated[1].values["title"] == "Fagsamling Trondheim"
    assert "date_start" not in validated[2].values


def test_each_distinct_text_of_a_column_is_cleaned_once(center, assignment, tmp_path, monkeypatch):
    from oppdrag.activities.importers import EventImporter

    seen: list[str] = []
    clean = EventImporter.clean_municipalities

    def counted(self, text):
        seen.append(text)
        return clean(self, text)

    monkeypatch.setattr(EventImporter, "clean_municipalities", counted)
    rows = [EVENT_HEADER] + [
        event_row(Hva=f"Samling {i}", Kommuner=["Halden", "Trondheim"][i % 2]) for i in range(6)
    ]
    result = run("events", center, write_table(tmp_path, "k.csv", rows))
    assert result.ok and result.added == 6
    assert sorted(seen) == ["Halden", "Trondheim"]


def test_a_bad_file_is_reported_row_by_row_even_where_cells_repeat(center, assignment, tmp_path):
    # The same bad text on two rows: each row is named, as before.
    path = write_table(
        tmp_path,
        "b.csv",
        [EVENT_HEADER, event_row(Kommuner="Haldn"), event_row(Hva="Annen", Kommuner="Haldn")],
    )
    result = run("events", center, path)
    assert [(p.row, p.column) for p in result.problems] == [(2, "Kommuner"), (3, "Kommuner")]
    assert "Mente du «Halden»?" in result.problems[0].message
    assert m.Event.objects.count() == 0


def test_empty_rows_do_not_count_towards_the_row_limit(center, assignment, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    blank = [""] * len(EVENT_HEADER)
    rows = [EVENT_HEADER, blank, event_row(), blank, blank, event_row(Hva="B"), blank]
    rows += [blank, event_row(Hva="C"), blank, blank]
    path = write_table(tmp_path, "tomme.csv", rows)
    importer = IMPORTERS["events"](center, 2025)
    assert importer.run(path, dry_run=True).ok
    assert [r.number for r in importer.validated_rows] == [3, 6, 9]
    # One row more is over the limit: refused, naming the row where it went over.
    path = write_table(tmp_path, "for-mange.csv", [*rows, event_row(Hva="D"), blank])
    result = run("events", center, path)
    assert "mer enn 3 rader" in result.problems[0].message and result.problems[0].row == 12


def test_a_file_mixing_utf_8_and_latin_1_is_refused_naming_the_line(center, assignment, tmp_path):
    before = snapshot()
    path = tmp_path / "arr.csv"
    header = ";".join(EVENT_HEADER) + "\n"
    first = ";".join(event_row(Hva="Første fagdag")) + "\n"
    second = ";".join(event_row(Hva="Åpen fagdag")) + "\n"
    path.write_bytes(header.encode() + first.encode("utf-8") + second.encode("latin-1"))
    result = run("events", center, path)
    assert not result.ok
    [problem] = result.problems
    assert problem.row == 3
    assert "linje 1 er UTF-8, men linje 3 er Windows-1252" in problem.message  # the header
    assert snapshot() == before
