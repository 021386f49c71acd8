"""The hours, time-project, staff and published-hours imports: all or nothing, row by row."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.hours.importers import HOURS_IMPORTERS, HoursImporter, StaffImporter
from oppdrag.hours.models import (
    HoursColumnMapping,
    HoursImport,
    PositionChange,
    ProjectAssignment,
    PublishedHoursTotal,
    StaffMember,
    TimeEntry,
    TimeProject,
)
from oppdrag.hours.services import set_column_mapping
from tests.files import write_table

HEADER = ["Person", "Prosjektnummer", "Periode", "Timer"]


def stored():
    """Every stored time entry as (person, project number, start, end, unit, hours, batch)."""
    entries = TimeEntry.objects.select_related("person", "project").order_by("id")
    return [
        (
            e.person.name if e.person else None,
            e.project.number,
            e.start,
            e.end,
            e.period.granularity.value,
            e.hours,
            e.batch_id,
        )
        for e in entries
    ]


def stored_hours():
    return [row[5] for row in stored()]


def run_hours(center, tmp_path, rows, name="hours.csv", **kwargs):
    return HoursImporter(center, 2025).run(write_table(tmp_path, name, [HEADER, *rows]), **kwargs)


def test_it_imports_days_weeks_and_months_with_commas_points_and_minutes(setup, tmp_path):
    result = run_hours(
        setup,
        tmp_path,
        [
            ["Kari Nordmann", "100", "03.03.2025", "7,5"],
            ["Kari Nordmann", "200", "2025-03-03", "0:30"],
            ["Ola Hansen", "100", "2025-W10", "18.25"],
            ["Hansen, Ola", "200", "mars 2025", "40"],
        ],
    )
    assert result.ok, result.problems
    assert result.added == 4
    assert len(stored()) == 4
    assert sorted(stored_hours()) == [
        Decimal("0.5"),
        Decimal("7.5"),
        Decimal("18.25"),
        Decimal("40"),
    ]
    assert {row[4] for row in stored()} == {"day", "week", "month"}
    # One record says who imported which file when; every entry points to it.
    [batch] = HoursImport.objects.filter(center=setup)
    assert {row[6] for row in stored()} == {batch.pk}
    path = tmp_path / "hours.csv"
    assert batch.file_name == "hours.csv"
    assert batch.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (batch.start, batch.end) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert (batch.rows_added, batch.hours_added) == (4, Decimal("66.25"))
    assert (batch.rows_replaced, batch.replaced) == (0, [])


def test_it_imports_an_xlsx_export(setup, tmp_path):
    result = run_hours(setup, tmp_path, [["Kari Nordmann", "100", "2025-03", 12.5]], "t.xlsx")
    assert result.ok, result.problems
    assert stored_hours() == [Decimal("12.5")]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["Kari Nordmann", "999", "03.03.2025", "7"], "Prosjektnummer", "Ukjent prosjektnummer"),
        (["Kari Nordmann", "100", "03.03.2025", "-2"], "Timer", "negative"),
        (["Per Ukjent", "100", "03.03.2025", "7"], "Person", "personalregisteret"),
        (["Kari Nordmann", "100", "03.03.2024", "7"], "Periode", "innenfor 2025"),
        (["Kari Nordmann", "100", "03.03.2025", "25"], "Timer", "mer enn perioden"),
        (["Kari Nordmann", "100", "i går", "7"], "Periode", "ikke en periode"),
    ],
)
def test_it_refuses_a_bad_row_and_saves_nothing(setup, tmp_path, row, column, message):
    result = run_hours(setup, tmp_path, [["Ola Hansen", "100", "03.03.2025", "7"], row])
    assert not result.ok
    [problem] = result.problems
    assert (problem.row, problem.column) == (3, column)
    assert message in problem.message
    assert not TimeEntry.objects.exists()


def test_it_refuses_more_than_24_hours_for_one_person_on_one_day(setup, tmp_path):
    result = run_hours(
        setup,
        tmp_path,
        [
            ["Kari Nordmann", "100", "03.03.2025", "14"],
            ["Kari Nordmann", "200", "03.03.2025", "11"],
            ["Ola Hansen", "200", "03.03.2025", "11"],
        ],
    )
    [problem] = result.problems
    assert problem.row == 3
    assert "25" in problem.message and "rad 2, 3" in problem.message
    assert not TimeEntry.objects.exists()


def test_it_refuses_overlapping_periods_for_the_same_person_and_project(setup, tmp_path):
    result = run_hours(
        setup,
        tmp_path,
        [
            ["Kari Nordmann", "100", "2025-03", "100"],
            ["Kari Nordmann", "100", "2025-W11", "10"],
            ["Kari Nordmann", "200", "2025-W11", "10"],
        ],
    )
    [problem] = result.problems
    assert (problem.row, problem.column) == (3, "Periode")
    assert "overlapper" in problem.message and "rad 2" in problem.message
    assert not TimeEntry.objects.exists()


def test_checks_and_save_in_small_pieces_find_and_store_what_one_piece_does(
    setup, tmp_path, monkeypatch
):
    import oppdrag.hours.importers as importers

    bad = [
        ["Kari Nordmann", "100", "2025-03", "100"],
        ["Ola Hansen", "200", "03.03.2025", "20"],
        ["Kari Nordmann", "100", "2025-W11", "10"],
        ["Ola Hansen", "100", "03.03.2025", "5"],
        ["Kari Nordmann", "200", "2025-W11", "10"],
        ["Ola Hansen", "200", "2025-W11", "1"],
    ]
    whole = [(p.row, p.column, p.message) for p in run_hours(setup, tmp_path, bad).problems]
    assert len(whole) == 2  # Kari's overlap (row 4), Ola's 25 hours on 03.03 (rows 3, 5)
    monkeypatch.setattr(importers, "CHECK_PIECE_ROWS", 1)
    pieces = [(p.row, p.column, p.message) for p in run_hours(setup, tmp_path, bad).problems]
    assert pieces == whole
    good = [row for index, row in enumerate(bad) if index not in (2, 3)]
    assert run_hours(setup, tmp_path, good).ok
    # Stored sorted piece by piece: the same entries as the file's rows, none lost.
    kept = sorted(row[:4] + row[5:6] for row in stored())
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    w11 = (dt.date(2025, 3, 10), dt.date(2025, 3, 16))
    day = (dt.date(2025, 3, 3), dt.date(2025, 3, 3))
    assert kept == sorted(
        [
            ("Kari Nordmann", "100", *march, Decimal(100)),
            ("Ola Hansen", "200", *day, Decimal(20)),
            ("Kari Nordmann", "200", *w11, Decimal(10)),
            ("Ola Hansen", "200", *w11, Decimal(1)),
        ]
    )


def test_the_entries_need_no_index_of_their_own_on_the_centre(db):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TimeEntry._meta.db_table)
    indexes = [c["columns"] for c in found.values() if c["index"]]
    # The period index begins with the centre and serves every look-up by centre; on
    # PostgreSQL it also carries the project and the hours (listed after them), so a
    # year's hours per project are summed from the index alone.
    period = ["center_id", "start"]
    if connection.vendor == "postgresql":
        period += ["project_id", "hours"]
    assert period in indexes
    assert ["center_id"] not in indexes


def test_reimporting_a_period_replaces_it_and_says_so(setup, tmp_path):
    rows = [["Kari Nordmann", "100", "2025-03", "100"], ["Ola Hansen", "100", "2025-03", "50"]]
    assert run_hours(setup, tmp_path, rows).ok
    again = run_hours(setup, tmp_path, [["Kari Nordmann", "100", "2025-03", "120"]], "again.csv")
    assert again.ok
    assert stored_hours() == [Decimal(120)]
    assert any("2 tidligere registreringer er erstattet" in note for note in again.notes)
    # What was there before is summed per project and person in the second record.
    first, second = HoursImport.objects.filter(center=setup).order_by("created_at", "id")
    assert (second.rows_replaced, second.hours_replaced) == (2, Decimal(150))
    assert second.replaced == [
        {"project": "100", "person": "Kari Nordmann", "rows": 1, "hours": "100.00"},
        {"project": "100", "person": "Ola Hansen", "rows": 1, "hours": "50.00"},
    ]
    assert (first.rows_added, second.rows_added, second.file_name) == (2, 1, "again.csv")
    assert [row[6] for row in stored()] == [second.pk]


def test_a_file_that_cuts_through_stored_periods_is_refused(setup, tmp_path):
    assert run_hours(setup, tmp_path, [["Kari Nordmann", "100", "2025-03", "100"]]).ok
    result = run_hours(setup, tmp_path, [["Kari Nordmann", "100", "2025-W12", "10"]], "b.csv")
    assert not result.ok
    assert "går over kanten" in result.problems[0].message
    assert stored_hours() == [Decimal(100)]


def test_the_stored_column_mapping_makes_next_years_import_one_command(setup, tmp_path):
    set_column_mapping(
        center=setup, mapping={"Ansatt": "person", "Prosj.nr": "project", "Uke": "period"}
    )
    path = write_table(
        tmp_path,
        "export.csv",
        [["Ansatt", "Prosj.nr", "Uke", "Timer"], ["Kari Nordmann", "100", "2025-W02", "37,5"]],
    )
    result = HoursImporter(setup, 2025).run(path)
    assert result.ok, result.problems
    assert HoursColumnMapping.objects.get(center=setup).mapping["Prosj.nr"] == "project"


def test_it_refuses_an_unknown_mapping_key(center):
    with pytest.raises(ValueError, match="Ukjent kolonnenøkkel"):
        set_column_mapping(center=center, mapping={"Ansatt": "employee"})


def test_the_number_of_queries_does_not_grow_with_the_rows(setup, tmp_path):
    def queries(count: int, name: str) -> int:
        rows = [["Kari Nordmann", "100", f"2025-{m:02d}", "10"] for m in range(1, 13)]
        rows += [
            ["Ola Hansen", "200", f"{d:02d}.0{m}.2025", "1"] for m in (1, 2) for d in range(1, 28)
        ]
        path = write_table(tmp_path, name, [HEADER, *rows[:count]])
        TimeEntry.objects.all().delete()  # both runs start empty: nothing to replace
        with CaptureQueriesContext(connection) as ctx:
            assert HoursImporter(setup, 2025).run(path).ok
        return len(ctx.captured_queries)

    assert queries(5, "a.csv") == queries(60, "b.csv")


def test_the_staff_import_refuses_phone_numbers_and_email_addresses(center, tmp_path):
    path = write_table(
        tmp_path,
        "staff.csv",
        [
            ["Navn", "Stilling", "Stillingsprosent"],
            ["Almvik, Arve Tlf.: 91 83 98 17", "Rådgiver", "40"],
            ["Kari Nordmann", "kari@example.no", "100"],
        ],
    )
    result = StaffImporter(center, 2025).run(path)
    assert [(p.row, p.column) for p in result.problems] == [(2, "Navn"), (3, "Stilling")]
    assert not StaffMember.objects.exists()


def test_the_staff_import_keeps_position_changes_with_dates(center, tmp_path):
    path = write_table(
        tmp_path,
        "staff.csv",
        [
            ["Navn", "Endring", "Stillingsprosent", "Fra", "Til"],
            ["Kari Nordmann", "stilling", "100", "01.01.2025", ""],
            ["Kari Nordmann", "redusert", "80 %", "01.09.2025", ""],
            ["Kari Nordmann", "pensjon", "", "01.12.2025", ""],
        ],
    )
    assert StaffImporter(center, 2025).run(path).ok
    assert list(PositionChange.objects.order_by("start").values_list("kind", "percentage")) == [
        ("position", Decimal(100)),
        ("reduced", Decimal(80)),
        ("retirement", Decimal(0)),
    ]
    # Importing the person again replaces the periods rather than adding to them.
    assert StaffImporter(center, 2025).run(path).ok
    assert PositionChange.objects.count() == 3


def test_project_weights_default_to_equal(setup):
    weights = dict(
        ProjectAssignment.objects.filter(project__number="200").values_list(
            "assignment__number", "weight"
        )
    )
    assert weights == {"3.1.1": Decimal(3), "3.1.4": Decimal(1)}


def test_a_changed_project_gets_a_changed_history_row_by_the_importer(setup, tmp_path, make_user):
    user = make_user("importor", setup)
    path = write_table(
        tmp_path,
        "p2.csv",
        [
            ["Prosjektnummer", "Prosjekt", "Gruppe", "Oppdrag"],
            ["100", "ACT-opplæring i team", "ACT", "3.1.1"],
            ["200", "Felles", "Annet", ""],
        ],
    )
    result = HOURS_IMPORTERS["time-projects"](setup, 2025, user).run(path)
    assert result.ok and (result.added, result.updated) == (0, 1)
    project = TimeProject.objects.get(center=setup, number="100")
    assert project.name == "ACT-opplæring i team"
    history = project.history.order_by("history_date", "history_id")
    assert [(h.history_type, h.name, h.history_user) for h in history] == [
        ("+", "ACT opplæring", None),
        ("~", "ACT-opplæring i team", user),
    ]
    assert not TimeProject.history.filter(number="200", history_type="~").exists()


def test_the_project_list_refuses_an_unknown_assignment(center, tmp_path):
    path = write_table(
        tmp_path,
        "p.csv",
        [["Prosjektnummer", "Prosjekt", "Gruppe", "Oppdrag"], ["1", "X", "Annet", "9.9"]],
    )
    result = HOURS_IMPORTERS["time-projects"](center, 2025).run(path)
    assert result.problems[0].column == "Oppdrag"
    assert "9.9 finnes ikke" in result.problems[0].message


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hours=st.lists(st.decimals(min_value=0, max_value=24, places=2), min_size=1, max_size=5))
def test_the_stored_hours_equal_the_file_whatever_their_spelling(setup, tmp_path, hours):
    TimeEntry.objects.all().delete()
    rows = []
    for index, value in enumerate(hours):
        text = f"{value:f}".replace(".", ",") if index % 2 else f"{value:f}"
        rows.append(["Kari Nordmann", "100", f"{index + 1:02d}.01.2025", text])
    result = run_hours(setup, tmp_path, rows, "h.csv")
    assert result.ok, result.problems
    assert sum(stored_hours()) == sum(hours)


def test_a_repeated_row_is_refused_as_a_copy(setup, tmp_path):
    row = ["Kari Nordmann", "100", "03.03.2025", "7,5"]
    result = run_hours(setup, tmp_path, [row, ["Ola Hansen", "100", "03.03.2025", "2"], row])
    [problem] = result.problems
    assert (problem.row, problem.message) == (4, "Raden er lik rad 2.")
    assert not TimeEntry.objects.exists()


def test_a_formula_in_any_column_is_refused(setup, tmp_path):
    path = write_table(
        tmp_path,
        "f.csv",
        [
            [*HEADER, "Prosjektnavn"],
            ["Kari Nordmann", "100", "03.03.2025", "7,5", "ACT"],
            ["Kari Nordmann", "200", "03.03.2025", "1", "=FINN.RAD(B3)"],
        ],
    )
    result = HoursImporter(setup, 2025).run(path)
    [problem] = result.problems
    assert (problem.row, problem.column) == (3, "Prosjektnavn")
    assert "formel" in problem.message
    assert not TimeEntry.objects.exists()


def test_an_xlsx_export_is_checked_row_by_row_too(setup, tmp_path):
    result = run_hours(
        setup,
        tmp_path,
        [
            ["Kari Nordmann", "100", "2025-03-03", 7.5],
            ["Kari Nordmann", "100", "2025-03-04", "=2*4"],
            ["Ola Hansen", "999", "2025-03-04", 2],
        ],
        "t.xlsx",
    )
    # The formula cell counts as empty as well (as in every importer).
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [
        ("Ark1", 3, "Timer"),
        ("Ark1", 3, "Timer"),
        ("Ark1", 4, "Prosjektnummer"),
    ]
    assert "formel" in result.problems[0].message
    assert not TimeEntry.objects.exists()


def test_a_file_past_the_row_limit_is_refused(setup, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [["Kari Nordmann", "100", f"0{d}.03.2025", "1"] for d in range(1, 6)]
    result = run_hours(setup, tmp_path, rows)
    [problem] = result.problems
    assert "mer enn 3 rader" in problem.message and problem.row == 5
    assert not TimeEntry.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_midway_through_the_insert_changes_nothing(setup, tmp_path, monkeypatch):
    rows = [["Kari Nordmann", "100", "2025-03", "100"], ["Ola Hansen", "100", "2025-03", "50"]]
    assert run_hours(setup, tmp_path, rows).ok
    from oppdrag.core import bulk
    from oppdrag.hours import services

    def repeating_uids(count):
        made = list(bulk.uid_hex(count))
        made[count // 2] = made[0]  # the unique index refuses the middle row
        return iter(made)

    monkeypatch.setattr(services, "uid_hex", repeating_uids)
    again = [[name, "200", "2025-03", "10"] for name in ("Kari Nordmann", "Ola Hansen")]
    with pytest.raises(IntegrityError):
        run_hours(setup, tmp_path, [*again, ["Kari Nordmann", "100", "2025-03", "5"]], "b.csv")
    # The replaced period is still there as it was, and no second import is recorded.
    assert sorted(stored_hours()) == [Decimal(50), Decimal(100)]
    assert HoursImport.objects.count() == 1


def test_a_bad_byte_far_into_the_file_is_refused_with_its_line(setup, tmp_path):
    # 0x81 is neither UTF-8 nor Windows-1252 (a lone \xff would be «ÿ» in a cp1252 file).
    bad, message = b"Kari Nordmann;100;\x81;1", "verken er UTF-8 eller Windows-1252"
    lines = [";".join(HEADER).encode()] + [
        f"Kari Nordmann;100;{d:02d}.0{m}.2025;1".encode() for m in range(1, 10) for d in (1, 2)
    ] * 40
    path = tmp_path / "big.csv"
    # Far past the first 8 KB: the whole file's encoding is checked before reading.
    path.write_bytes(b"\n".join([*lines[:600], bad, *lines[600:]]) + b"\n")
    result = HoursImporter(setup, 2025).run(path)
    [problem] = result.problems
    assert message in problem.message and problem.row == 601
    assert not TimeEntry.objects.exists()


def test_reimporting_part_of_an_earlier_import_keeps_its_entries_outside_the_new_period(
    setup, tmp_path
):
    # 28.02-04.03 one file: two days before March, three in it. Then March alone again.
    first = [
        ["Kari Nordmann", "100", day, "1"]
        for day in ("27.02.2025", "28.02.2025", "03.03.2025", "04.03.2025", "05.03.2025")
    ]
    assert run_hours(setup, tmp_path, first).ok
    again = run_hours(setup, tmp_path, [["Kari Nordmann", "100", "2025-03", "50"]], "mars.csv")
    assert again.ok, again.problems
    assert any("3 tidligere registreringer er erstattet" in note for note in again.notes)
    kept = sorted((row[2], row[4], row[5]) for row in stored())
    assert kept == [
        (dt.date(2025, 2, 27), "day", Decimal(1)),
        (dt.date(2025, 2, 28), "day", Decimal(1)),
        (dt.date(2025, 3, 1), "month", Decimal(50)),
    ]
    # The first import's entries outside March still point to it.
    earlier = TimeEntry.objects.filter(batch__file_name="hours.csv")
    assert sorted(earlier.values_list("start", flat=True)) == [
        dt.date(2025, 2, 27),
        dt.date(2025, 2, 28),
    ]
    second = HoursImport.objects.get(file_name="mars.csv")
    assert second.replaced == [
        {"project": "100", "person": "Kari Nordmann", "rows": 3, "hours": "3.00"}
    ]


def test_a_published_note_line_without_its_text_is_refused_and_nothing_is_saved(center, tmp_path):
    header = ["Type", "Linje", "Timer", "Merknad"]
    path = write_table(
        tmp_path,
        "published.csv",
        [header, ["gruppe", "Formidling", "4786", ""], ["merknad", "NB", "", ""]],
    )
    result = HOURS_IMPORTERS["published-hours"](center, 2025).run(path)
    assert not result.ok
    problem = result.problems[0]
    assert (problem.row, problem.column) == (3, "Merknad")
    assert "«merknad» må ha en tekst" in problem.message
    assert not PublishedHoursTotal.objects.exists()
