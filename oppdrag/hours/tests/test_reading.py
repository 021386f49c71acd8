"""The hours import's cached read keeps and refuses what the plain column cleaning does.

The reference is ``read_entries(..., cached=False)``: every row through
``Importer._clean_row``, nothing looked up in a cache.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.test.utils import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oppdrag.hours.importers import HoursImporter
from oppdrag.hours.reading import read_entries
from oppdrag.importing.base import ImportResult

HEADER = ["Person", "Prosjektnummer", "Periode", "Timer"]
GOOD = ["Kari Nordmann", "100", "03.03.2025", "7,5"]


def read(center, path, *, cached):
    """The kept entries as plain lists (None if the file was refused) and the problems."""
    importer = HoursImporter(center, 2025)
    importer.file_name = path.name
    importer.prepare()
    result = ImportResult(kind="hours", file=path.name)
    entries = read_entries(importer, path, result, cached=cached)
    kept = None
    if entries is not None:
        kept = {
            "number": entries.number.tolist(),
            "person": entries.person.tolist(),
            "project": entries.project.tolist(),
            "period": entries.period.tolist(),
            "hours": entries.hours.tolist(),
            "people": [p.pk for p in entries.people],
            "projects": [p.pk for p in entries.projects],
            "periods": list(entries.periods),
            "limits": list(entries.limits),
        }
    return kept, [p.as_dict() for p in result.problems], result.more_problems


def csv_text(rows, *, ending="\n", quote_all=False, delimiter=";"):
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=ending,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    return buffer.getvalue()


good_rows = st.lists(
    st.tuples(
        st.sampled_from(["Kari Nordmann", "Ola Hansen", "Nordmann, Kari", " ola hansen ", ""]),
        st.sampled_from(["100", "200", " 900"]),
        st.sampled_from(["03.03.2025", "2025-03-03", "04.03.2025", "2025-W10", "2025-03"]),
        st.sampled_from(["7,5", "0:30", "18.25", "24", "3"]),
        st.sampled_from(["ACT", "", "Felles"]),
    ).map(list),
    min_size=1,
    max_size=60,
)
# What turns a row bad or odd: a cell's new text, or a new shape.
BAD_CELLS = [
    (3, "25"),  # more than a day has
    (4, "=FINN.RAD(B3)"),  # a formula where any text would do
    (4, "#N/A"),
    (0, "Per Ukjent"),
    (0, "Kari\nNordmann"),  # a quoted cell over two lines
    (1, "999"),
    (1, ""),
    (1, "1;00"),  # quoted: it holds the delimiter
    (2, "03.03.2024"),
    (2, "i går"),
    (3, "-2"),
    (3, ""),
]
SHAPES = {
    "an empty cell past the header": lambda row: [*row, ""],
    "a value past the header": lambda row: [*row, "x"],
    "a cell short": lambda row: row[:3],
    "an empty line": lambda row: [],
    "a row of empty cells": lambda row: [""] * len(row),
}
edits = st.lists(
    st.tuples(
        st.integers(0, 59), st.one_of(st.sampled_from(BAD_CELLS), st.sampled_from(list(SHAPES)))
    ),
    max_size=3,
)


def edited(rows, edits):
    rows = [list(row) for row in rows]
    for at, edit in edits:
        index = at % len(rows)
        if isinstance(edit, str):
            rows[index] = SHAPES[edit](rows[index])
        elif len(rows[index]) > edit[0]:
            rows[index][edit[0]] = edit[1]
    return rows


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=good_rows,
    edits=edits,
    ending=st.sampled_from(["\n", "\r\n"]),
    quote_all=st.sampled_from([False, False, True]),
    last_ending=st.booleans(),
    names=st.booleans(),
    stray_cr=st.none() | st.integers(0, 3000),
    max_rows=st.sampled_from([3, 12, 10_000]),
    encoding=st.sampled_from(["utf-8-sig", "cp1252"]),
)
def test_the_cached_read_keeps_and_refuses_what_the_plain_cleaning_does(
    setup,
    tmp_path,
    rows,
    edits,
    ending,
    quote_all,
    last_ending,
    names,
    stray_cr,
    max_rows,
    encoding,
):
    rows = edited(rows, edits)
    if not names:  # no «Prosjektnavn» column
        rows = [row[:4] if len(row) == 5 else row for row in rows]
    header = [*HEADER, "Prosjektnavn"] if names else HEADER
    text = csv_text([header, *rows], ending=ending, quote_all=quote_all)
    if stray_cr is not None:  # a lone CR somewhere after the header: a line's end for csv
        start = text.index(ending) + len(ending)
        at = start + stray_cr % (len(text) - start + 1)
        text = text[:at] + "\r" + text[at:]
    if not last_ending:
        text = text.removesuffix(ending)
    path = tmp_path / "timer.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    with override_settings(IMPORT_MAX_ROWS=max_rows):
        plain = read(setup, path, cached=False)
        cached = read(setup, path, cached=True)
    assert cached == plain


# Good rows with a few cells replaced by short texts of the characters that decide how
# quotes come off (quote, delimiter, CR, LF, space): most rows stay good, so a cell
# whose cached reading differs from its cleaning shows as a kept row with other values
# or another number.
tricky_edits = st.lists(
    st.tuples(
        st.integers(0, 59),
        st.tuples(st.integers(0, 4), st.text(alphabet='a;" \r\n', max_size=4)),
    ),
    max_size=3,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=good_rows,
    edits=tricky_edits,
    ending=st.sampled_from(["\n", "\r\n"]),
    quote_all=st.sampled_from([True, True, False]),
)
def test_a_quoted_file_reads_as_the_plain_cleaning_whatever_its_cells_hold(
    setup, tmp_path, rows, edits, ending, quote_all
):
    rows = edited(rows, edits)
    text = csv_text([[*HEADER, "Prosjektnavn"], *rows], ending=ending, quote_all=quote_all)
    path = tmp_path / "timer.csv"
    path.write_text(text, encoding="utf-8", newline="")
    assert read(setup, path, cached=True) == read(setup, path, cached=False)


def test_each_bad_row_anywhere_reads_as_the_plain_cleaning(setup, tmp_path):
    good = [
        ["Kari Nordmann", "100", "03.03.2025", "7,5", "ACT"],
        ["Ola Hansen", "200", "2025-W10", "24", ""],
        ["Nordmann, Kari", " 900", "04.03.2025", "0:30", "Felles"],
        [" ola hansen ", "100", "2025-03", "3", "ACT"],
    ]
    path = tmp_path / "timer.csv"
    header = [*HEADER, "Prosjektnavn"]
    edits = [(at, edit) for edit in [*BAD_CELLS, *SHAPES] for at in range(len(good))]
    for rows in (edited(good, [edit]) for edit in edits):
        path.write_text(csv_text([header, *rows]), encoding="utf-8")
        assert read(setup, path, cached=True) == read(setup, path, cached=False), rows


@pytest.mark.parametrize("character", ["\r", "\n", '"', ";", "=", " "])
def test_a_character_put_anywhere_reads_as_the_plain_cleaning(setup, tmp_path, character):
    text = csv_text(
        [
            HEADER,
            ["Kari Nordmann", "100", "03.03.2025", "7,5"],
            ["Ola Hansen", "200", "2025-W10", "24"],
            ["", "100", "2025-03", "3"],
        ],
        ending="\r\n",
    )
    path = tmp_path / "timer.csv"
    for at in range(text.index("\n") + 1, len(text) + 1):
        path.write_text(text[:at] + character + text[at:], encoding="utf-8")
        assert read(setup, path, cached=True) == read(setup, path, cached=False), at


QUOTED_ROWS = [
    ["Kari Nordmann", "100", "03.03.2025", "7,5"],
    ["", "200", "2025-W10", "24"],
    ["Ola Hansen", "100", "04.03.2025", "1"],
]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("character", ['"', ";", "\n", "\r", " ", '""', '";"'])
@pytest.mark.parametrize(
    "rows",
    [QUOTED_ROWS, [*QUOTED_ROWS[:2], ['Ola "O;H" Hansen', "100", "2025-03", "3"]]],
    ids=["plain cells", "a cell with a quote and the delimiter"],
)
def test_a_character_put_anywhere_in_a_quoted_file_reads_as_the_plain_cleaning(
    setup, tmp_path, character, ending, rows
):
    # Every cell quoted (one empty), the rows good: a cell text is found in the cache
    # only as csv.reader gives it, with the row's own line number.
    text = csv_text([HEADER, *rows], ending=ending, quote_all=True)
    path = tmp_path / "timer.csv"
    for at in range(text.index("\n") + 1, len(text) + 1):
        path.write_text(text[:at] + character + text[at:], encoding="utf-8")
        assert read(setup, path, cached=True) == read(setup, path, cached=False), at


@pytest.mark.parametrize(
    "quote_all, delimiter", [(False, ";"), (True, ";"), (False, ","), (True, ",")]
)
def test_each_distinct_cell_text_is_cleaned_once(
    setup, tmp_path, monkeypatch, quote_all, delimiter
):
    # Plain, every cell quoted, or (comma-separated) the names «Nordmann, Kari» and the
    # hours «1,5» quoted because they hold the delimiter.
    name = "Nordmann, Kari"
    days = [f"{day:02d}.03.2025" for day in range(1, 32)]
    rows = [
        [person, project, day, "1,5"]
        for person in (name, "Ola Hansen")
        for project in ("100", "200")
        for day in days
    ]
    path = tmp_path / "timer.csv"
    text = csv_text([HEADER, *rows], ending="\r\n", quote_all=quote_all, delimiter=delimiter)
    assert ('"' in text) == (quote_all or delimiter == ",")
    path.write_text(text, encoding="utf-8-sig")
    expected = read(setup, path, cached=False)
    cleaned = []
    clean_row = HoursImporter._clean_row

    def counted(self, raw, *args):
        cleaned.append(raw.number)
        return clean_row(self, raw, *args)

    monkeypatch.setattr(HoursImporter, "_clean_row", counted)
    kept, problems, _more = read(setup, path, cached=True)
    assert not problems and (kept, problems) == expected[:2]
    assert kept["number"] == list(range(2, 2 + len(rows)))
    assert len(kept["periods"]) == 31 and kept["hours"] == [150] * len(rows)
    # A row is cleaned only when it brings a text not seen before: the 31 days of the
    # first person and project, then the first row of each new project or person.
    assert len(cleaned) == 31 + 1 + 1 < len(rows)


@pytest.mark.parametrize("bad", [0, 9, 19])
def test_a_bad_row_is_named_by_its_line_and_the_others_kept(setup, tmp_path, bad):
    rows = [["Kari Nordmann", "100", f"{day:02d}.03.2025", "7,5"] for day in range(1, 21)]
    rows[bad][1] = "999"
    path = tmp_path / "timer.csv"
    path.write_text(csv_text([HEADER, *rows]), encoding="utf-8")
    kept, problems, _more = read(setup, path, cached=True)
    assert [(p["row"], p["column"]) for p in problems] == [(bad + 2, "Prosjektnummer")]
    assert "Ukjent prosjektnummer «999»" in problems[0]["message"]
    assert kept is not None and len(kept["number"]) == 19 and bad + 2 not in kept["number"]
    assert (kept, problems) == read(setup, path, cached=False)[:2]


def test_a_bad_byte_past_bad_rows_refuses_the_file_before_its_rows_are_read(setup, tmp_path):
    good = ";".join(GOOD).encode()
    lines = [";".join(HEADER).encode(), b"Per Ukjent;100;03.03.2025;1"]
    lines += [
        good.replace(b"03.03", f"{d:02d}.0{m}".encode()) for m in range(1, 10) for d in range(1, 29)
    ] * 2
    # Far past the first 8 KB; 0x81 is neither UTF-8 nor Windows-1252. The whole
    # file's encoding is settled before any row is read, by either way of reading.
    lines.insert(400, b"Kari Nordmann;100;\x81;1")
    path = tmp_path / "timer.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = HoursImporter(setup, 2025).run(path)
    row_by_row = read(setup, path, cached=False)
    assert [p.as_dict() for p in result.problems] == row_by_row[1]
    assert [(p.row, p.column) for p in result.problems] == [(401, None)]
    assert "verken er UTF-8 eller Windows-1252" in result.problems[0].message


@pytest.mark.parametrize("cached", [True, False])
def test_a_utf_16_file_reads_as_its_utf_8_copy(setup, tmp_path, cached):
    text = csv_text([HEADER, GOOD, ["Kari Nordmann", "100", "04.03.2025", "7,5"]])
    utf8, utf16 = tmp_path / "utf8.csv", tmp_path / "utf16.csv"
    utf8.write_text(text, encoding="utf-8")
    utf16.write_text(text, encoding="utf-16")  # with its byte-order mark
    expected = read(setup, utf8, cached=cached)
    assert expected[0] and not expected[1]
    assert read(setup, utf16, cached=cached) == expected


def test_a_latin_1_line_after_a_utf_8_one_is_refused_by_the_hours_import(setup, tmp_path):
    path = tmp_path / "timer.csv"
    text = csv_text([HEADER, ["Kåre", "100", "03.03.2025", "1"], ["Åse", "100", "03.03.2025", "1"]])
    first, second = text.split("Åse")
    path.write_bytes(first.encode() + ("Åse" + second).encode("latin-1"))
    result = HoursImporter(setup, 2025).run(path)
    assert [(p.row, p.column) for p in result.problems] == [(3, None)]
    assert "linje 2 er UTF-8, men linje 3 er Windows-1252" in result.problems[0].message
