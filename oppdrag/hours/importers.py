"""Importers for hours, time projects, the staff register, external hours and published totals.

``HOURS_IMPORTERS`` maps the kind names of ``oppdrag import KIND`` to the importers.
The hours export is the large one (a year is easily 200 000 rows), so its cleaners
look everything up in dictionaries loaded once, cache the parsing of repeated
periods, and save with batched inserts: the number of queries does not grow with
the number of rows beyond one insert per batch.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import struct
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from oppdrag.core.models import Person
from oppdrag.core.parsing import (
    fold,
    normalize_space,
    parse_date,
    parse_decimal,
    parse_yes_no,
    person_name,
    split_list,
    suggest,
)
from oppdrag.grants.models import Assignment, assignment_sort_key
from oppdrag.importing.base import (
    MAX_PROBLEMS,
    CellError,
    Column,
    Importer,
    ImportResult,
    Problem,
    Row,
    gc_paused,
    header_key,
)
from oppdrag.importing.cleaners import text as _text
from oppdrag.importing.lookups import NameLookup
from oppdrag.importing.readers import CellRows, FileRejected, RawRow, TextBlock

from . import rowchecks, services
from .models import (
    ExternalHours,
    HoursColumnMapping,
    PositionChange,
    ProjectAssignment,
    ProjectMapping,
    PublishedHoursTotal,
    ReportGroup,
    StaffMember,
    TimeProject,
)
from .periods import Period, parse_hours, parse_period, round_hours
from .series import ENTRY, UNIT_CODES, pack

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Eight digits written as Norwegian phone numbers are (91 83 98 17, 954 78 966, +47 …).
_PHONE = re.compile(
    r"(?:\+47\s?)?(?<!\d)(?:\d{2}\s?){3}\d{2}(?!\d)|(?<!\d)\d{3}\s\d{2}\s\d{3}(?!\d)"
)


def _no_contact_details(text: str) -> str:
    """Refuse phone numbers and e-mail addresses: the register keeps names only."""
    if _EMAIL.search(text):
        raise ValueError(_("Cellen inneholder en e-postadresse; registeret lagrer ikke slike."))
    if _PHONE.search(text):
        raise ValueError(_("Cellen ser ut til å inneholde et telefonnummer; fjern det."))
    return text


def _safe_text(limit: int):  # type: ignore[no-untyped-def]
    plain = _text(limit)

    def clean(text: str) -> str:
        return _no_contact_details(plain(text))

    return clean


def _lines(text: str) -> str:
    """Areas of work: «;» or line breaks separate; stored one per line."""
    parts = [normalize_space(p) for p in re.split(r"[;\n]", text)]
    return _no_contact_details("\n".join(p for p in parts if p))


def _percentage(text: str) -> Decimal:
    value = parse_decimal(text.replace("%", "").strip())
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(_("Stillingsprosenten må være mellom 0 og 100."))
    return value


def _non_negative(text: str) -> Decimal:
    value = parse_hours(text)
    if value < 0:
        raise ValueError(_("Timer kan ikke være negative ({text}).").format(text=text))
    return value


def _stored_hours(text: str) -> Decimal:
    """Hours as the database keeps them (to the hundredth), never negative."""
    return round_hours(_non_negative(text))


def _optional_decimal(text: str) -> Decimal:
    return parse_decimal(text.replace("%", "").strip())


def _year(text: str) -> int:
    value = text.strip()
    if not re.fullmatch(r"\d{4}", value):
        raise ValueError(_("«{text}» er ikke et årstall.").format(text=text))
    return int(value)


def _choice(options: Mapping[str, str], what: str):  # type: ignore[no-untyped-def]
    by_key = {fold(k): v for k, v in options.items()}

    def clean(text: str) -> str:
        value = by_key.get(fold(text))
        if value is None:
            raise ValueError(
                _("«{text}» er ikke en gyldig {what}. Gyldige verdier: {allowed}.").format(
                    text=text, what=what, allowed=", ".join(f"«{k}»" for k in options)
                )
            )
        return value

    return clean


class ProjectLookupMixin:
    """Time projects by number, loaded once per import."""

    center: Any
    year: int

    def load_projects(self) -> None:
        self.projects = {
            p.number: p for p in TimeProject.objects.filter(center=self.center).order_by()
        }

    def clean_project(self, text: str) -> TimeProject:
        number = text.strip()
        project = self.projects.get(number)
        if project is None:
            close = suggest(number, self.projects)
            hint = (
                _("Mente du {names}?").format(names=", ".join(f"«{c}»" for c in close))
                if close
                else _("Importer prosjektlisten (time-projects) først.")
            )
            raise ValueError(
                _("Ukjent prosjektnummer «{number}». {hint}").format(number=number, hint=hint)
            )
        if not project.is_active(self.year):
            raise ValueError(
                _("Prosjekt {number} er ikke aktivt i {year}.").format(
                    number=number, year=self.year
                )
            )
        return project

    def clean_projects(self, text: str) -> list[TimeProject]:
        return [self.clean_project(part) for part in split_list(text)]


# --- hours ------------------------------------------------------------------------------


class _Entries:
    """The rows of an hours file as they are kept during the import: five integers a row.

    ``person``, ``project`` and ``period`` index the lists of the same names
    (person -1: none given); ``hours`` are hundredths. 18 bytes a row, so the
    national ten million rows take 180 MB, against well over a kilobyte for a
    row of Python objects.
    """

    def __init__(self, sheet: str | None):
        self.sheet = sheet
        self.number = array("i")
        self.person = array("i")
        self.project = array("i")
        self.period = array("h")  # a year has fewer than 500 days, weeks and months
        self.hours = array("i")
        self.people: list[Person] = []
        self.projects: list[TimeProject] = []
        self.periods: list[Period] = []
        self.limits: list[int] = []  # per period: 24 hours a day, in hundredths
        self._person_index: dict[int, int] = {}
        self._project_index: dict[int, int] = {}
        self._period_index: dict[Period, int] = {}

    def __len__(self) -> int:
        return len(self.number)

    def person_at(self, person: Person) -> int:
        """The index of ``person`` in ``people``, added if new."""
        p = self._person_index.setdefault(person.pk, len(self.people))
        if p == len(self.people):
            self.people.append(person)
        return p

    def project_at(self, project: TimeProject) -> int:
        j = self._project_index.setdefault(project.pk, len(self.projects))
        if j == len(self.projects):
            self.projects.append(project)
        return j

    def period_at(self, period: Period) -> int:
        q = self._period_index.setdefault(period, len(self.periods))
        if q == len(self.periods):
            self.periods.append(period)
            self.limits.append(2400 * period.days)
        return q

    def mark(self) -> tuple[int, int, int]:
        """How many people, projects and periods there are now (for ``forget``)."""
        return len(self.people), len(self.projects), len(self.periods)

    def forget(self, mark: tuple[int, int, int]) -> None:
        """Drop the people, projects and periods added since ``mark`` was taken."""
        people, projects, periods = mark
        for person in self.people[people:]:
            del self._person_index[person.pk]
        for project in self.projects[projects:]:
            del self._project_index[project.pk]
        for period in self.periods[periods:]:
            del self._period_index[period]
        del self.people[people:], self.projects[projects:], self.periods[periods:]
        del self.limits[periods:]

    def add(self, number: int, values: dict[str, Any]) -> tuple[int, int, int, int]:
        """Keep a row cleaned by the column cleaners; return its four integers."""
        person = values.get("person")
        p = -1 if person is None else self.person_at(person)
        j = self.project_at(values["project"])
        q = self.period_at(values["period"])
        h = int(values["hours"] * 100)
        self.number.append(number)
        self.person.append(p)
        self.project.append(j)
        self.period.append(q)
        self.hours.append(h)
        return p, j, q, h

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """The kept integers as numpy arrays (views, not copies)."""
        return {
            "number": np.frombuffer(self.number, dtype=np.int32),
            "person": np.frombuffer(self.person, dtype=np.int32),
            "project": np.frombuffer(self.project, dtype=np.int32),
            "period": np.frombuffer(self.period, dtype=np.int16),
            "hours": np.frombuffer(self.hours, dtype=np.int32),
        }

    def span(self) -> tuple[dt.date, dt.date]:
        return min(p.start for p in self.periods), max(p.end for p in self.periods)


# Rows per piece for the checks across rows and for the save's sort: their
# temporaries (some 40 bytes a row) stay near 40 MB however long the file.
CHECK_PIECE_ROWS = 1_000_000


# Characters of a CSV file read at a time (``CellRows.text_blocks``): some 1 300
# rows of a time-system export, whose cell strings stay in the processor's
# caches while their block is split and looked up (blocks of 50 000 rows
# measured up to twice as slow).
READ_BLOCK_CHARS = 1 << 16

_CODE = struct.Struct("=i")
_CODES = struct.Struct("=ii")


class _Reading:
    """The row-by-row read of an hours file into ``entries``.

    Cell text → person, project or period index, or hours in hundredths. A
    text goes in once a row holding it has passed every check, so a row whose
    cells are all found passes them too (the hours against its period's limit
    are checked here). A row that misses goes through ``Importer._clean_row``,
    which reports every problem with its row and column.
    """

    def __init__(
        self,
        importer: HoursImporter,
        columns: list[Column | None],
        source: CellRows,
        result: ImportResult,
    ):
        self.importer = importer
        self.columns = columns
        self.source = source
        self.result = result
        self.entries = _Entries(source.sheet)
        self.people: dict[str, int] = {}
        self.projects: dict[str, int] = {}
        self.periods: dict[str, int] = {}
        self.hours: dict[str, int] = {}

    def rows(self, rows: Iterable[tuple[int, list[str]]]) -> None:
        """Keep the good ones of ``rows`` (number, cells); report the others."""
        source, entries, columns = self.source, self.entries, self.columns
        at = {column.key: index for index, column in enumerate(columns) if column}
        people, projects, periods, hours = self.people, self.projects, self.periods, self.hours
        person_at = at.get("person")
        project_at, period_at, hours_at = at["project"], at["period"], at["hours"]
        width = len(columns)
        numbers, persons, project_ids = entries.number, entries.person, entries.project
        period_ids, hundredths, limits = entries.period, entries.hours, entries.limits
        check_cells, problems_of = source.check_cells, source.problems
        for number, cells in rows:
            if len(cells) == width and not (check_cells and problems_of(cells)):
                p = -1 if person_at is None else people.get(cells[person_at])
                j = projects.get(cells[project_at])
                q = periods.get(cells[period_at])
                h = hours.get(cells[hours_at])
                if (
                    p is not None
                    and j is not None
                    and q is not None
                    and h is not None
                    and h <= limits[q]
                ):
                    source.data_rows += 1
                    if source.data_rows > source.max_rows:
                        source.count_row()  # raises: past the row limit
                    numbers.append(number)
                    persons.append(p)
                    project_ids.append(j)
                    period_ids.append(q)
                    hundredths.append(h)
                    continue
            raw = RawRow(
                source.sheet,
                number,
                tuple(cell.strip() for cell in cells),
                problems_of(cells) if check_cells else (),
            )
            if raw.is_empty:
                continue
            source.count_row()
            row = self.importer._clean_row(raw, columns, self.result.file, self.result)
            if row is None:
                continue
            p, j, q, h = entries.add(raw.number, row.values)
            if len(cells) == width and not raw.problems:
                if person_at is not None:
                    people[cells[person_at]] = p
                projects[cells[project_at]] = j
                periods[cells[period_at]] = q
                hours[cells[hours_at]] = h


class _NotPlain(Exception):
    """A piece of a block that only the row-by-row read can judge."""


class _PlainBlocks:
    """The rows of plain CSV blocks kept without ``csv.reader``, a column at a time.

    A block without quotes is its lines split at the delimiter. ``str.split``
    over the block's text (with NUL and a line ending put before it, NUL after)
    gives, per line, the cells in between and one piece that holds the line's
    last cell, its ending and the next line's first cell, so every ``width -
    1``-th piece holds a line ending. Each distinct piece is checked and cleaned
    once and cached as the bytes of its integer (two for the line-ending
    pieces); a block's column of pieces then becomes an array by one
    ``itemgetter`` and ``bytes.join``, and numpy checks the hours against their
    period's limit. Only pieces that are whole cells of a well-formed row go in
    (one line ending, between the cells, in a line-ending piece and none
    elsewhere; no formula or error value; no empty required cell; no text a
    cleaner refuses), so a block whose pieces are all cached and that has the
    right number of pieces has exactly ``width`` cells on every line, and every
    row passes the checks of the row-by-row read. A block with quotes has them
    taken off first when every cell is quoted (``_unquoted``), or is split by
    ``csv.reader`` (``_take_quoted``); its cells are then cached the same way.
    Anything else (a new piece that fails, hours over the period's limit, the row
    limit, NUL) leaves the block as it was to the row-by-row read, which reports it.
    """

    def __init__(
        self,
        importer: HoursImporter,
        columns: list[Column | None],
        source: CellRows,
        entries: _Entries,
    ):
        self.columns = columns
        self.source = source
        self.entries = entries
        self.width = len(columns)
        self.at = {column.key: index for index, column in enumerate(columns) if column}
        self.cleaners = [
            None
            if column is None
            else getattr(importer, column.clean)
            if isinstance(column.clean, str)
            else column.clean
            for column in columns
        ]
        self.field_limit = csv.field_size_limit()
        # Piece → the bytes of its code(s), by the position of the piece in a
        # line (0: the line-ending pieces); cell text → code, by column.
        self.pieces: list[dict[str, bytes]] = [{} for _ in columns]
        self.codes: list[dict[str, int]] = [{} for _ in columns]
        # Whole cell text (from a quoted block) → the bytes of its code, by column.
        self.cells: list[dict[str, bytes]] = [{} for _ in columns]
        self.limits = np.zeros(0, dtype=np.int32)
        self._added: list[tuple[dict[str, Any], str]] = []

    def take(self, block: TextBlock) -> bool:
        """Keep every row of ``block``; False (nothing kept) if it needs the row-by-row read."""
        text = block.text
        if text[-1] != "\n" or "\0" in text:
            return False
        if '"' not in text:
            return self._take_plain(block, text)
        # Every cell quoted (as some time systems export): the quotes taken off, the
        # block is split as a plain one, if that is exactly what csv.reader would read.
        unquoted = self._unquoted(text)
        if unquoted is not None and self._take_plain(block, unquoted, quotes=text.count('"')):
            return True
        return self._take_quoted(block)

    def _unquoted(self, text: str) -> str | None:
        """``text`` with the quotes around its cells taken off, or None where a quote is
        anywhere else. Each «";"» between two cells becomes the delimiter, each
        «"\n"» (or «"\r\n"») between two lines the line's end, and the block's first
        and last quote go; nothing may be left over. ``_take_plain`` then checks that
        there were exactly two quotes per cell, which leaves every cell its
        ``csv.reader`` reading: one quote before, one after and none, no delimiter and
        no line end inside (see ``test_reading``)."""
        delimiter = self.source.delimiter
        # A CR is taken for part of a line's end after the quotes come off, so every CR
        # must be one already: in «"\r\n"» between lines or the block's last «"\r\n»
        # (a CR inside a cell, «"Felles\r"», would otherwise vanish into the ending).
        endings = text.count('"\r\n"') + text.endswith('"\r\n')
        if text[0] != '"' or text.count("\r") != endings:
            return None
        unquoted = (
            text.replace(f'"{delimiter}"', delimiter)
            .replace('"\r\n"', "\r\n")
            .replace('"\n"', "\n")
        )
        if unquoted.endswith('"\r\n'):
            unquoted = unquoted[1:-3] + "\r\n"
        elif unquoted.endswith('"\n'):
            unquoted = unquoted[1:-2] + "\n"
        else:
            return None
        return None if '"' in unquoted else unquoted

    def _take_plain(self, block: TextBlock, text: str, *, quotes: int = 0) -> bool:
        """Keep the rows of a block without quotes (``text``: the block's own, or its
        text with ``quotes`` quotes taken off by ``_unquoted``)."""
        source, entries = self.source, self.entries
        step = self.width - 1
        pieces = text.split(source.delimiter)
        lines, rest = divmod(len(pieces) - 1, step)
        if rest or not lines or source.data_rows + lines > source.max_rows:
            return False
        if quotes and quotes != 2 * lines * self.width:
            return False
        # The line-ending pieces, NUL and an ending before the first, NUL after the last.
        ends = pieces[::step]
        ends[0] = "\0\n" + ends[0]
        ends[-1] += "\0"
        mark = entries.mark()
        try:
            pairs = np.frombuffer(self._codes(0, ends), dtype=np.int32)
            column = {0: pairs[1:-1:2], step: pairs[2::2]}
            for index in range(1, step):
                codes = self._codes(index, pieces[index::step])
                if self.columns[index] is not None:
                    column[index] = np.frombuffer(codes, dtype=np.int32)
        except _NotPlain:
            self._forget(mark)
            return False
        return self._keep(block, lines, column, mark)

    def _take_quoted(self, block: TextBlock) -> bool:
        """A block with quotes (an export that quotes every cell, or names such as
        «Nordmann, Kari» in a comma-separated file): ``csv.reader`` splits its rows,
        and each distinct cell text of a column is cleaned once, as in a plain block.
        Kept only when every line is one row of ``width`` cells (no quoted cell runs
        over a line's end) and every cell is one a plain block would keep."""
        source = self.source
        reader = csv.reader(io.StringIO(block.text, newline=""), delimiter=source.delimiter)
        try:
            rows = list(reader)
        except csv.Error:
            return False
        lines = len(rows)
        if (
            not lines
            # Lines as ``TextBlock.lines`` counts them (LF, CR LF, a lone CR): one row
            # each, or a quoted cell ran over a line's end.
            or reader.line_num != lines
            or source.data_rows + lines > source.max_rows
            or set(map(len, rows)) != {self.width}
        ):
            return False
        columns = list(zip(*rows, strict=True))
        del rows
        mark = self.entries.mark()
        column: dict[int, npt.NDArray[np.int32]] = {}
        try:
            for index, cells in enumerate(columns):
                codes = self._cell_codes(index, cells)
                if self.columns[index] is not None:
                    column[index] = codes
        except _NotPlain:
            self._forget(mark)
            return False
        return self._keep(block, lines, column, mark)

    def _cell_codes(self, index: int, cells: tuple[str, ...]) -> npt.NDArray[np.int32]:
        """The codes of a column of whole cells; new cell texts are cleaned first, in the
        order they first come (so people, projects and periods are numbered as the
        row-by-row read numbers them)."""
        cache = self.cells[index]
        try:
            found = itemgetter(*cells)(cache) if len(cells) > 1 else (cache[cells[0]],)
        except KeyError:
            for cell in dict.fromkeys(cells):
                if cell not in cache:
                    cache[cell] = _CODE.pack(self._code(index, cell))
                    self._added.append((cache, cell))
            found = itemgetter(*cells)(cache) if len(cells) > 1 else (cache[cells[0]],)
        return np.frombuffer(b"".join(found), dtype=np.int32)

    def _keep(
        self,
        block: TextBlock,
        lines: int,
        column: dict[int, npt.NDArray[np.int32]],
        mark: tuple[int, int, int],
    ) -> bool:
        """Keep a block's rows from its columns of codes, unless an hours value is over
        its period's limit (then nothing is kept and False returned)."""
        source, entries = self.source, self.entries
        at = self.at
        period, hours = column[at["period"]], column[at["hours"]]
        if len(self.limits) != len(entries.limits):
            self.limits = np.array(entries.limits, dtype=np.int32)
        if not (hours <= self.limits[period]).all():
            self._forget(mark)
            return False
        self._added.clear()
        block.lines = lines  # every line ends in LF or CR LF: counted by the split
        source.data_rows += lines
        entries.number.frombytes(
            np.arange(block.first, block.first + lines, dtype=np.int32).tobytes()
        )
        if "person" in at:
            entries.person.frombytes(column[at["person"]].tobytes())
        else:
            entries.person.frombytes(np.full(lines, -1, dtype=np.int32).tobytes())
        entries.project.frombytes(column[at["project"]].tobytes())
        entries.period.frombytes(period.astype(np.int16).tobytes())
        entries.hours.frombytes(hours.tobytes())
        return True

    def _codes(self, index: int, pieces: list[str]) -> bytes:
        """The codes of a column of pieces, as bytes; new pieces are cleaned first."""
        cache = self.pieces[index]
        try:
            found = itemgetter(*pieces)(cache) if len(pieces) > 1 else (cache[pieces[0]],)
        except KeyError:
            new = set(pieces).difference(cache)
            # In the order the pieces first come, so people, projects and
            # periods are numbered as the row-by-row read numbers them (a
            # block brings a few new days; the first ones many new pieces).
            if len(new) <= 16:
                ordered: Iterable[str] = sorted(new, key=pieces.index)
            else:
                ordered = [piece for piece in dict.fromkeys(pieces) if piece in new]
            for piece in ordered:
                cache[piece] = self._piece(index, piece)
                self._added.append((cache, piece))
            found = itemgetter(*pieces)(cache) if len(pieces) > 1 else (cache[pieces[0]],)
        return b"".join(found)

    def _piece(self, index: int, piece: str) -> bytes:
        if index:
            return _CODE.pack(self._code(index, piece))
        # The last cell of a line, its ending and the next line's first cell;
        # the block's first piece has no last cell (NUL and the ending put
        # before the text), its last no first cell (the NUL put after it).
        last, ending, first = piece.partition("\n")
        if not ending:
            raise _NotPlain
        return _CODES.pack(
            0 if last == "\0" else self._code(self.width - 1, last.removesuffix("\r")),
            0 if first == "\0" else self._code(0, first),
        )

    def _code(self, index: int, text: str) -> int:
        """The integer kept for a cell: an index into ``entries``, hundredths or 0."""
        codes = self.codes[index]
        code = codes.get(text)
        if code is None:
            code = codes[text] = self._clean(index, text)
            self._added.append((codes, text))
        return code

    def _clean(self, index: int, text: str) -> int:
        if (
            "\r" in text
            or "\n" in text
            or len(text) > self.field_limit
            or self.source.problems([text])
        ):
            raise _NotPlain
        column = self.columns[index]
        if column is None:
            return 0
        value = text.strip()
        if not value:
            if column.required:
                raise _NotPlain
            return -1 if column.key == "person" else 0
        try:
            cleaned = self.cleaners[index](value)  # type: ignore[misc]
        except ValueError as exc:
            raise _NotPlain from exc
        entries = self.entries
        if column.key == "person":
            return entries.person_at(cleaned)
        if column.key == "project":
            return entries.project_at(cleaned)
        if column.key == "period":
            return entries.period_at(cleaned)
        if column.key == "hours":
            return int(cleaned * 100)
        return 0

    def _forget(self, mark: tuple[int, int, int]) -> None:
        """Undo a block that was not kept: its new people, projects, periods and pieces."""
        self.entries.forget(mark)
        for cache, key in self._added:
            del cache[key]
        self._added.clear()


def _format_hours(hundredths: int) -> str:
    return str(Decimal(hundredths) / 100)


class HoursImporter(ProjectLookupMixin, Importer):
    """The time system's export: one row per person, project and period with hours.

    A centre's own headings are mapped once (``oppdrag hours columns``) and kept.
    Re-importing a period replaces the hours stored for it. Rows are refused for
    unknown projects or people, negative hours, more than 24 hours for one person
    on one day, and periods that overlap for the same person and project.

    The export is large (200 000 rows a year for one centre, ten million for the
    nation), so this importer makes its own pass instead of ``Importer._validate``.
    Each row's cells are looked up in caches keyed by the cell text, so a name, a
    project number, a period and an hours figure are cleaned once per distinct
    text; only five integers per row are kept (``_Entries``). A row that misses a
    cache goes through the ordinary column cleaning, so every refusal reads as
    before. The checks across rows work on those integers (``rowchecks``); the
    entries are stored packed, one ``TimeSeries`` per person and project
    (``oppdrag.hours.series``), and one ``HoursImport`` records the run.
    """

    kind = "hours"
    label = "timer"
    columns = [
        Column("Person", "person", "clean_person", aliases=("Navn", "Ansatt", "Medarbeider")),
        Column(
            "Prosjektnummer",
            "project",
            "clean_project",
            required=True,
            aliases=("Prosjektnr", "Prosjekt nr", "Prosjektnr.", "Prosjektkode"),
        ),
        Column("Prosjektnavn", "project_name", aliases=("Prosjekt", "Prosjekt/aktivitet")),
        Column(
            "Periode",
            "period",
            "clean_period",
            required=True,
            aliases=("Dato", "Dag", "Uke", "Måned", "Maaned"),
        ),
        Column(
            "Timer",
            "hours",
            _stored_hours,
            required=True,
            aliases=("Antall timer", "Timer registrert", "Ant. timer"),
        ),
    ]

    def prepare(self) -> None:
        self.load_projects()
        # The people themselves, in the register's order (by name): a third of
        # the time of loading each register entry with its person.
        staff = Person.objects.filter(staff_records__center=self.center).order_by("name")
        self.people = NameLookup(_("person i personalregisteret"), ((p.name, p) for p in staff))
        self._periods: dict[str, Period] = {}
        self._person_cache: dict[str, Person] = {}
        mapping = HoursColumnMapping.objects.filter(center=self.center).first()
        by_key = {c.key: c for c in self.columns}
        self.mapped: dict[str, Column] = {}
        for heading, key in (mapping.mapping if mapping else {}).items():
            if key in by_key:
                self.mapped[header_key(heading)] = replace(by_key[key], header=heading, aliases=())

    def extra_column(self, header: str) -> Column | None:
        return self.mapped.get(header_key(header))

    def clean_person(self, text: str) -> Person:
        person = self._person_cache.get(text)
        if person is None:
            person = self.people.get(person_name(text))
            self._person_cache[text] = person
        return person

    def clean_period(self, text: str) -> Period:
        period = self._periods.get(text)
        if period is None:
            period = parse_period(text)
            self._periods[text] = period
        if period.start.year != self.year or period.end.year != self.year:
            raise ValueError(
                _("Perioden «{text}» er ikke innenfor {year}, året som importeres.").format(
                    text=text, year=self.year
                )
            )
        return period

    def check_row(self, values: dict[str, Any]) -> None:
        period: Period = values["period"]
        if values["hours"] > 24 * period.days:
            raise CellError(
                "Timer",
                _("{hours} timer er mer enn perioden {period} har ({limit} timer).").format(
                    hours=values["hours"], period=period, limit=24 * period.days
                ),
            )

    # --- the run --------------------------------------------------------------------
    def run(self, path: Path, *, dry_run: bool = False) -> ImportResult:
        self.file_name = path.name
        self.notes: list[str] = []
        result = ImportResult(kind=self.kind, file=path.name, dry_run=dry_run)
        self.prepare()
        entries = self._read(path, result)
        if entries is None or result.problems:
            return result
        problems = self._check_entries(entries) or self._check_stored(entries)
        if problems:
            self._add_problems(result, problems)
            return result
        result.rows = len(entries)
        if dry_run:
            result.added = len(entries)
            return result
        with transaction.atomic():
            result.added = self._save(entries, path)
        result.notes.extend(self.notes)
        return result

    def _read(self, path: Path, result: ImportResult) -> _Entries | None:
        """One pass over the file: every row cleaned, five integers kept per good row.

        A CSV file is read in blocks of lines (``_PlainBlocks``); a byte that
        does not decode midway is found by reading the file again row by row,
        so its refusal and the problems before it are the row-by-row read's.
        """
        kept = len(result.problems), result.more_problems
        # The read makes many short-lived lists (a quoted block's rows, the row-by-row
        # read's cells) and no reference cycles; the cycle collector would only walk
        # them (it doubled the time of reading a quoted file).
        with gc_paused():
            try:
                return self._read_once(path, result, by_blocks=True)
            except UnicodeDecodeError:
                del result.problems[kept[0] :]
                result.more_problems = kept[1]
                return self._read_once(path, result, by_blocks=False)

    def _read_once(self, path: Path, result: ImportResult, *, by_blocks: bool) -> _Entries | None:
        name = path.name
        try:
            source = CellRows(
                path, max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS
            )
        except FileRejected as exc:
            self._add_problems(result, [Problem(name, exc.message, exc.sheet, exc.row)])
            return None
        if source.header is None:
            self._add_problems(result, [Problem(name, _("Filen har ingen rader."))])
            return None
        columns = self._match_header(source.header, result)
        if result.problems:
            return None
        reading = _Reading(self, columns, source, result)
        try:
            if by_blocks and source.sheet is None:
                blocks = _PlainBlocks(self, columns, source, reading.entries)
                for block in source.text_blocks(READ_BLOCK_CHARS):
                    if not blocks.take(block):
                        reading.rows(source.block_rows(block))
            else:
                reading.rows((source.position.line_num, cells) for cells in source)
        except FileRejected as exc:
            self._add_problems(result, [Problem(name, exc.message, exc.sheet, exc.row)])
            return None
        if not len(reading.entries) and not result.problems:
            self._add_problems(result, [Problem(name, _("Filen har ingen datarader."))])
        return reading.entries

    def _check_entries(self, entries: _Entries) -> list[Problem]:
        """Overlapping periods and days of more than 24 hours, across the file's rows."""
        if len(entries) < 2:
            return []
        arrays = entries.columns()
        number, person, period = arrays["number"], arrays["person"], arrays["period"]
        starts = np.array([p.start.toordinal() for p in entries.periods], dtype=np.int32)
        ends = np.array([p.end.toordinal() for p in entries.periods], dtype=np.int32)
        one_day = starts == ends
        projects = len(entries.projects)
        # Both rules hold within one person, so the rows are checked a few
        # hundred thousand at a time (ranges of people): the sorts' temporaries
        # stay those of one piece, however long the file.
        found: list[rowchecks.Overlap] = []
        days: list[rowchecks.DayTotal] = []
        overlapping = too_long = 0
        for positions in rowchecks.parts(person, most=CHECK_PIECE_ROWS):
            piece_person, piece_period = person[positions], period[positions]
            piece_hours = arrays["hours"][positions]
            # Person and project as one number (int32 while it fits: half the memory).
            wide = (len(entries.people) + 1) * projects >= 2**31
            group: npt.NDArray[np.signedinteger[Any]] = piece_person.astype(
                np.int64 if wide else np.int32
            )
            group += 1
            group *= projects
            group += arrays["project"][positions]
            piece_found, total = rowchecks.overlaps(
                group,
                starts[piece_period],
                ends[piece_period],
                piece_hours,
                limit=MAX_PROBLEMS - len(found),
            )
            del group
            found.extend(
                rowchecks.Overlap(int(positions[o.position]), int(positions[o.other]), o.identical)
                for o in piece_found
            )
            overlapping += total
            # More than 24 hours for one person on one day, across projects.
            day = piece_person.astype(np.int32)  # fewer than 500 periods a year
            day *= len(entries.periods)
            day += piece_period
            day[~one_day[piece_period] | (piece_person < 0)] = -1
            piece_days, total = rowchecks.day_totals_over(
                day, piece_hours, limit=MAX_PROBLEMS - len(days)
            )
            del day
            days.extend(
                rowchecks.DayTotal([int(positions[i]) for i in d.positions], d.hundredths)
                for d in piece_days
            )
            too_long += total
        problems: list[Problem] = []
        for overlap in found:
            row, other = int(number[overlap.position]), int(number[overlap.other])
            if overlap.identical:
                message = _("Raden er lik rad {first}.").format(first=other)
            else:
                message = _(
                    "Perioden {period} overlapper perioden {other} på rad {row} "
                    "for samme person og prosjekt."
                ).format(
                    period=entries.periods[period[overlap.position]],
                    other=entries.periods[period[overlap.other]],
                    row=other,
                )
            problems.append(Problem(self.file_name, message, entries.sheet, row, "Periode"))
        problems.extend(self._uncounted(overlapping - len(found)))
        days.sort(key=lambda d: d.positions[0])
        for found_day in days:
            rows = sorted(int(number[i]) for i in found_day.positions)
            first = found_day.positions[0]
            problems.append(
                Problem(
                    self.file_name,
                    _(
                        "{name} har {hours} timer {day} (rad {rows}); en dag har høyst 24 timer."
                    ).format(
                        name=entries.people[person[first]].name,
                        hours=_format_hours(found_day.hundredths),
                        day=entries.periods[period[first]].start.strftime("%d.%m.%Y"),
                        rows=", ".join(str(r) for r in rows),
                    ),
                    entries.sheet,
                    rows[-1],
                    "Timer",
                )
            )
        problems.extend(self._uncounted(too_long - len(days)))
        problems.sort(key=lambda p: p.row or 0)
        return problems

    def _uncounted(self, more: int) -> list[Problem]:
        if more <= 0:
            return []
        return [
            Problem(
                self.file_name,
                _("… og {count} rader til med samme slags feil.").format(count=more),
            )
        ]

    def _check_stored(self, entries: _Entries) -> list[Problem]:
        """Stored entries that reach over the file's period would be cut in two."""
        start, end = entries.span()
        count = services.straddling_entries(self.center, start, end)
        if not count:
            return []
        return [
            Problem(
                self.file_name,
                _(
                    "{count} lagrede registreringer går over kanten av filens periode "
                    "{start}–{end}; importer hele perioden de dekker."
                ).format(
                    count=count, start=start.strftime("%d.%m.%Y"), end=end.strftime("%d.%m.%Y")
                ),
            )
        ]

    def _save(self, entries: _Entries, path: Path) -> int:
        start, end = entries.span()
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        total = int(np.frombuffer(entries.hours, dtype=np.int32).sum(dtype=np.int64))
        _batch, replaced = services.replace_time_entries(
            center=self.center,
            user=self.user,
            file_name=path.name,
            sha256=digest,
            year=self.year,
            start=start,
            end=end,
            count=len(entries),
            hours=Decimal(total) / 100,
            series=self._series(entries),
        )
        if replaced:
            self.notes.append(
                _(
                    "Timene for {start}–{end} var importert før; {count} tidligere "
                    "registreringer er erstattet av filens {rows}."
                ).format(
                    start=start.strftime("%d.%m.%Y"),
                    end=end.strftime("%d.%m.%Y"),
                    count=replaced,
                    rows=len(entries),
                )
            )
        return len(entries)

    def _series(self, entries: _Entries) -> Iterator[services.SeriesRow]:
        """The kept rows as series: one per person and project, entries in day order.

        The rows are sorted piece by piece (``rowchecks.parts``: whole projects at
        a time), so the sort's temporaries stay bounded however long the file.
        """
        arrays = entries.columns()
        person, project, period = arrays["person"], arrays["project"], arrays["period"]
        hundredths = arrays["hours"]
        people: list[int | None] = [p.pk for p in entries.people]
        people.append(None)  # index -1: no person
        projects = [p.pk for p in entries.projects]
        first = dt.date(self.year, 1, 1)
        day = np.array([(p.start - first).days for p in entries.periods], dtype=np.uint16)
        last = np.array([(p.end - first).days for p in entries.periods], dtype=np.int32)
        unit = np.array([UNIT_CODES[p.granularity] for p in entries.periods], dtype=np.uint8)
        for positions in rowchecks.parts(project, most=CHECK_PIECE_ROWS):
            positions = positions[
                np.lexsort((day[period[positions]], person[positions], project[positions]))
            ]
            piece_person, piece_project = person[positions], project[positions]
            piece_period = period[positions]
            piece_hours = hundredths[positions]
            changes = (piece_person[1:] != piece_person[:-1]) | (
                piece_project[1:] != piece_project[:-1]
            )
            starts = np.concatenate(([0], np.flatnonzero(changes) + 1))
            ends = np.append(starts[1:], len(positions))
            sums = np.add.reduceat(piece_hours.astype(np.int64), starts).tolist()
            lasts = np.maximum.reduceat(last[piece_period], starts).tolist()
            packed = pack(day[piece_period], unit[piece_period], piece_hours)
            size = ENTRY.itemsize
            for a, b, total, final in zip(starts.tolist(), ends.tolist(), sums, lasts, strict=True):
                yield (
                    people[piece_person[a]],
                    projects[piece_project[a]],
                    first + dt.timedelta(days=int(day[piece_period[a]])),
                    first + dt.timedelta(days=final),
                    b - a,
                    _format_hours(total),
                    packed[a * size : b * size],
                )


# --- time projects and report groups ----------------------------------------------------

KIND_CHOICES = {"oppdrag": ReportGroup.Kind.ASSIGNMENT, "annet": ReportGroup.Kind.OTHER}
COUNTS_CHOICES = {
    "arbeid": ReportGroup.CountsAs.WORK,
    "ferie": ReportGroup.CountsAs.HOLIDAY,
    "fravær": ReportGroup.CountsAs.ABSENCE,
}


class TimeProjectImporter(ProjectLookupMixin, Importer):
    """The project list with each project's report group and assignments for the year.

    Importing it again for a year replaces that year's groups and mappings; the
    projects themselves are kept and updated by number.
    """

    kind = "time-projects"
    label = "timeprosjekter"
    columns = [
        Column("Prosjektnummer", "number", _text(30), required=True, aliases=("Prosjektnr",)),
        Column("Prosjekt", "name", _text(200), required=True, aliases=("Prosjektnavn",)),
        Column("Kapittel", "label", _text(30), aliases=("Kapittel i årsrapport",)),
        Column("Gruppe", "group", _text(200), required=True),
        Column("Type", "kind", _choice(KIND_CHOICES, "gruppetype")),
        Column("Teller som", "counts_as", _choice(COUNTS_CHOICES, "timetype")),
        Column("Oppdrag", "assignments", "clean_assignments"),
        Column("Aktiv fra", "active_from", _year),
        Column("Aktiv til", "active_to", _year),
    ]

    def prepare(self) -> None:
        self.load_projects()
        self.assignments = {
            a.number: a
            for a in Assignment.objects.filter(center=self.center, year=self.year).order_by()
        }

    def clean_assignments(self, text: str) -> list[tuple[Assignment, Decimal]]:
        """«3.1.1» or «3.1.1: 2; 3.1.4: 1» (number, optional weight)."""
        found = []
        for part in re.split(r"[;,]", text):
            if not part.strip():
                continue
            number, _sep, weight_text = part.partition(":")
            number = number.strip().rstrip(".")
            assignment = self.assignments.get(number)
            if assignment is None:
                known = ", ".join(sorted(self.assignments, key=assignment_sort_key))
                raise ValueError(
                    _("Oppdrag {number} finnes ikke for {year}. Kjente oppdrag: {known}.").format(
                        number=number, year=self.year, known=known or _("(ingen)")
                    )
                )
            weight = parse_decimal(weight_text) if weight_text.strip() else Decimal(1)
            if weight <= 0:
                raise ValueError(
                    _("Vekten for oppdrag {number} må være over null.").format(number=number)
                )
            found.append((assignment, weight))
        return found

    def check_all(self, rows: list[Row]) -> list[Problem]:
        problems: list[Problem] = []
        numbers: dict[str, int] = {}
        groups: dict[str, tuple[int, tuple[Any, ...]]] = {}
        for row in rows:
            v = row.values
            first = numbers.setdefault(v["number"], row.number)
            if first != row.number:
                problems.append(
                    Problem(
                        self.file_name,
                        _("Prosjektnummer {number} står også på rad {first}.").format(
                            number=v["number"], first=first
                        ),
                        row.sheet,
                        row.number,
                        "Prosjektnummer",
                    )
                )
            shape = (
                v.get("label", ""),
                v.get("kind", ReportGroup.Kind.OTHER),
                v.get("counts_as", ReportGroup.CountsAs.WORK),
            )
            seen = groups.setdefault(fold(v["group"]), (row.number, shape))
            if seen[1] != shape:
                problems.append(
                    Problem(
                        self.file_name,
                        _(
                            "Gruppen «{group}» har annet kapittel, type eller timetype enn på "
                            "rad {first}."
                        ).format(group=v["group"], first=seen[0]),
                        row.sheet,
                        row.number,
                        "Gruppe",
                    )
                )
        return problems

    def save(self, rows: list[Row]) -> tuple[int, int]:
        center, year, user = self.center, self.year, self.user
        added: list[TimeProject] = []
        changed: list[TimeProject] = []
        for row in rows:
            v = row.values
            project = self.projects.get(v["number"])
            fields = {
                "name": v["name"],
                "active_from": v.get("active_from"),
                "active_to": v.get("active_to"),
            }
            if project is None:
                project = TimeProject(center=center, number=v["number"], **fields)
                added.append(project)
            elif any(getattr(project, k) != val for k, val in fields.items()):
                for k, val in fields.items():
                    setattr(project, k, val)
                changed.append(project)
            self.projects[v["number"]] = project
        if added:
            bulk_create_with_history(added, TimeProject, default_user=user)
            stored = TimeProject.objects.filter(center=center, number__in=[p.number for p in added])
            self.projects.update({p.number: p for p in stored})
        if changed:
            bulk_update_with_history(
                changed,
                TimeProject,
                ["name", "active_from", "active_to"],
                default_user=user,
            )
        # The year's structure is replaced as a whole.
        services.bulk_delete_with_history(
            ProjectAssignment.objects.filter(center=center, assignment__year=year), user
        )
        services.bulk_delete_with_history(
            ProjectMapping.objects.filter(center=center, year=year), user
        )
        services.bulk_delete_with_history(
            ReportGroup.objects.filter(center=center, year=year), user
        )
        groups: dict[str, ReportGroup] = {}
        for row in rows:
            v = row.values
            key = fold(v["group"])
            if key not in groups:
                groups[key] = ReportGroup(
                    center=center,
                    year=year,
                    label=v.get("label", ""),
                    title=v["group"],
                    kind=v.get("kind", ReportGroup.Kind.OTHER),
                    counts_as=v.get("counts_as", ReportGroup.CountsAs.WORK),
                    position=len(groups) + 1,
                )
        bulk_create_with_history(list(groups.values()), ReportGroup, default_user=user)
        stored_groups = {
            fold(g.title): g for g in ReportGroup.objects.filter(center=center, year=year)
        }
        bulk_create_with_history(
            [
                ProjectMapping(
                    center=center,
                    year=year,
                    project=self.projects[row.values["number"]],
                    group=stored_groups[fold(row.values["group"])],
                )
                for row in rows
            ],
            ProjectMapping,
            default_user=user,
        )
        bulk_create_with_history(
            [
                ProjectAssignment(
                    center=center,
                    project=self.projects[row.values["number"]],
                    assignment=assignment,
                    weight=weight,
                )
                for row in rows
                for assignment, weight in row.values.get("assignments", [])
            ],
            ProjectAssignment,
            default_user=user,
        )
        return len(added), len(changed)


# --- staff register ---------------------------------------------------------------------

POSITION_KINDS = {
    "stilling": PositionChange.Kind.POSITION,
    "ansatt": PositionChange.Kind.POSITION,
    "redusert": PositionChange.Kind.REDUCED,
    "endring": PositionChange.Kind.REDUCED,
    "permisjon": PositionChange.Kind.LEAVE,
    "pensjon": PositionChange.Kind.RETIREMENT,
    "sluttet": PositionChange.Kind.END,
}
_ZERO_KINDS = {PositionChange.Kind.RETIREMENT, PositionChange.Kind.END}


def _person_text(text: str) -> str:
    return _no_contact_details(person_name(text))


class StaffImporter(Importer):
    """The staff register: one row per person and position period.

    A person's first row gives competence, role and areas; each row is a period
    with a percentage («Stilling» 100 from 01.01, «Redusert» 80 from 01.09,
    «Permisjon» 20 for the year, «Pensjon» from 01.12). Importing a person again
    replaces their periods. Phone numbers and e-mail addresses are refused.
    """

    kind = "staff"
    label = "ansatte"
    columns = [
        Column("Navn", "name", _person_text, required=True),
        Column("Formell kompetanse", "competence", _lines, aliases=("Kompetanse",)),
        Column("Stilling", "role", _safe_text(200)),
        Column("Arbeidsområder", "areas", _lines, aliases=("Arbeidsområde",)),
        Column("Endring", "kind", _choice(POSITION_KINDS, "endring")),
        Column("Stillingsprosent", "percentage", _percentage, aliases=("Prosent",)),
        Column("Fra", "start", parse_date),
        Column("Til", "end", parse_date),
        Column("Ekstern", "external", parse_yes_no),
        Column("Avdeling", "department", _safe_text(200)),
        Column("Merknad", "note", _safe_text(300)),
    ]
    reject_duplicate_rows = True

    def check_row(self, values: dict[str, Any]) -> None:
        kind = values.setdefault("kind", PositionChange.Kind.POSITION)
        if "percentage" not in values:
            if kind not in _ZERO_KINDS:
                raise CellError("Stillingsprosent", _("Cellen må fylles ut."))
            values["percentage"] = Decimal(0)
        values.setdefault("start", dt.date(self.year, 1, 1))
        if values.get("end") and values["end"] < values["start"]:
            raise CellError("Til", _("Perioden slutter før den begynner."))

    def save(self, rows: list[Row]) -> tuple[int, int]:
        center, user = self.center, self.user
        by_name: dict[str, list[Row]] = {}
        for row in rows:
            by_name.setdefault(row.values["name"], []).append(row)
        people = {p.name: p for p in Person.objects.filter(center=center, name__in=list(by_name))}
        new_people = [
            Person(
                center=center,
                name=name,
                is_staff_member=not group[0].values.get("external"),
                affiliation=group[0].values.get("department", ""),
            )
            for name, group in by_name.items()
            if name not in people
        ]
        if new_people:
            bulk_create_with_history(new_people, Person, default_user=user)
            people.update(
                {
                    p.name: p
                    for p in Person.objects.filter(
                        center=center, name__in=[p.name for p in new_people]
                    )
                }
            )
        existing = {
            s.person_id: s
            for s in StaffMember.objects.filter(center=center, person__in=people.values())
        }
        added = updated = 0
        staff_by_name: dict[str, StaffMember] = {}
        for name, group in by_name.items():
            first = {k: v for row in reversed(group) for k, v in row.values.items()}
            fields = {
                "competence": first.get("competence", ""),
                "role": first.get("role", ""),
                "areas": first.get("areas", ""),
                "is_external": bool(first.get("external")),
                "department": first.get("department", ""),
            }
            staff = existing.get(people[name].pk)
            if staff is None:
                staff = StaffMember(center=center, person=people[name], **fields)
                added += 1
            else:
                for key, value in fields.items():
                    setattr(staff, key, value)
                updated += 1
            services.save_with_history([staff], user)
            staff_by_name[name] = staff
        services.bulk_delete_with_history(
            PositionChange.objects.filter(staff__in=list(staff_by_name.values())), user
        )
        bulk_create_with_history(
            [
                PositionChange(
                    center=center,
                    staff=staff_by_name[row.values["name"]],
                    kind=row.values["kind"],
                    start=row.values["start"],
                    end=row.values.get("end"),
                    percentage=row.values["percentage"],
                    note=row.values.get("note", ""),
                )
                for row in rows
            ],
            PositionChange,
            default_user=user,
        )
        return added, updated


class ExternalHoursImporter(ProjectLookupMixin, Importer):
    """Hours of external collaborators (e.g. researchers of the host) for the year.

    Each person is added to the register as external if not there yet; importing
    the year again replaces its external hours.
    """

    kind = "external-hours"
    label = "eksterne timer"
    columns = [
        Column("Navn", "name", _person_text, required=True),
        Column("Avdeling", "department", _safe_text(200)),
        Column("Stilling", "role", _safe_text(200)),
        Column("Samarbeid", "work", _safe_text(2000), aliases=("Samarbeid med senteret",)),
        Column("Prosjektnummer", "projects", "clean_projects", aliases=("Prosjekter",)),
        Column("Antall timer", "hours", _non_negative, required=True, aliases=("Timer",)),
        Column("Merknad", "note", _safe_text(300)),
    ]

    def prepare(self) -> None:
        self.load_projects()

    def save(self, rows: list[Row]) -> tuple[int, int]:
        center, year, user = self.center, self.year, self.user
        names = {row.values["name"] for row in rows}
        people = {p.name: p for p in Person.objects.filter(center=center, name__in=names)}
        staff = {
            s.person.name: s
            for s in StaffMember.objects.filter(
                center=center, person__name__in=names
            ).select_related("person")
        }
        for row in rows:
            v = row.values
            name = v["name"]
            if name not in people:
                person = Person(center=center, name=name, affiliation=v.get("department", ""))
                services.save_with_history([person], user)
                people[name] = person
            if name not in staff:
                member = StaffMember(
                    center=center,
                    person=people[name],
                    is_external=True,
                    department=v.get("department", ""),
                    role=v.get("role", ""),
                    note=v.get("note", ""),
                )
                services.save_with_history([member], user)
                staff[name] = member
        old = ExternalHours.objects.filter(center=center, year=year)
        ExternalHours.projects.through.objects.filter(externalhours__in=old).delete()
        services.bulk_delete_with_history(old, user)
        created = bulk_create_with_history(
            [
                ExternalHours(
                    center=center,
                    year=year,
                    staff=staff[row.values["name"]],
                    work=row.values.get("work", ""),
                    hours=row.values["hours"],
                )
                for row in rows
            ],
            ExternalHours,
            default_user=user,
        )
        ExternalHours.projects.through.objects.bulk_create(
            [
                ExternalHours.projects.through(externalhours_id=obj.pk, timeproject_id=p.pk)
                for obj, row in zip(created, rows, strict=True)
                for p in row.values.get("projects", [])
            ]
        )
        return len(created), 0


PUBLISHED_KINDS = {
    "gruppe": PublishedHoursTotal.Kind.GROUP,
    "utført": PublishedHoursTotal.Kind.PERFORMED,
    "totalt": PublishedHoursTotal.Kind.TOTAL,
    "ansatte": PublishedHoursTotal.Kind.STAFF_FTE,
    "eksterne": PublishedHoursTotal.Kind.EXTERNAL,
    "merknad": PublishedHoursTotal.Kind.NOTE,
}


class PublishedHoursImporter(Importer):
    """A published hours table's sums, shares and FTE, to reconcile with the computed one.

    Importing a year again replaces its published lines.
    """

    kind = "published-hours"
    label = "publiserte timetall"
    columns = [
        Column("Type", "kind", _choice(PUBLISHED_KINDS, "linjetype")),
        Column("Kapittel", "label", _text(30)),
        Column("Linje", "title", _text(200), required=True, aliases=("Gruppe",)),
        Column("Timer", "hours", parse_decimal, aliases=("SUM",)),
        Column("Prosent", "share", _optional_decimal, aliases=("I prosent av totalen",)),
        Column("Årsverk", "fte", parse_decimal),
        Column("Kilde", "source", _text(200)),
        # The text of a note line (type «merknad»), printed under appendix 7.
        Column("Merknad", "note", lambda text: text.strip()),
    ]

    def check_row(self, values: dict[str, Any]) -> None:
        if values.get("kind") == PublishedHoursTotal.Kind.NOTE and not values.get("note"):
            raise CellError("Merknad", _("En linje av typen «merknad» må ha en tekst."))

    def save(self, rows: list[Row]) -> tuple[int, int]:
        services.bulk_delete_with_history(
            PublishedHoursTotal.objects.filter(center=self.center, year=self.year), self.user
        )
        created = bulk_create_with_history(
            [
                PublishedHoursTotal(
                    center=self.center,
                    year=self.year,
                    kind=row.values.get("kind", PublishedHoursTotal.Kind.GROUP),
                    label=row.values.get("label", ""),
                    title=row.values["title"],
                    hours=row.values.get("hours"),
                    share=row.values.get("share"),
                    fte=row.values.get("fte"),
                    source=row.values.get("source", ""),
                    note=row.values.get("note", ""),
                )
                for row in rows
            ],
            PublishedHoursTotal,
            default_user=self.user,
        )
        return len(created), 0


HOURS_IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        TimeProjectImporter,
        StaffImporter,
        HoursImporter,
        ExternalHoursImporter,
        PublishedHoursImporter,
    )
}
