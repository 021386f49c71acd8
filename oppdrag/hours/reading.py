"""The hours import's one fast path: reading an export into five integers a row.

An hours export is large (200 000 rows a year for one centre, ten million for the
nation) and repetitive: a few hundred names, projects, periods and hours figures.
``read_entries`` reads the file row by row (``CellRows``) and looks each cell's
text up in a cache per column; a text goes into its cache only once a row holding
it has passed every check of ``Importer._clean_row`` (and the hours against the
period's limit), so a row whose cells are all found would pass them too. Every
other row goes through ``Importer._clean_row``, which reports each problem with its
row and column, so a refusal reads the same whichever way the row went.
``read_entries(..., cached=False)`` sends every row that way (the reference the
tests compare the cached read with).
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.utils.translation import gettext as _

from oppdrag.core.models import Person
from oppdrag.importing.base import Column, ImportResult, Problem, gc_paused
from oppdrag.importing.readers import CellRows, FileRejected, RawRow

from .models import TimeProject
from .periods import Period

if TYPE_CHECKING:
    from .importers import HoursImporter


class Entries:
    """The rows of an hours file as they are kept during the import: five integers a row.

    ``person``, ``project`` and ``period`` index the lists of the same names
    (person -1: none given); ``hours`` are hundredths; ``number`` is the row's line.
    18 bytes a row, so the national ten million rows take 180 MB, against well
    over a kilobyte for a row of Python objects.
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

    def add(self, number: int, values: dict[str, Any]) -> tuple[int, int, int, int]:
        """Keep a row cleaned by the column cleaners; return its four integers."""
        person = values.get("person")
        p = -1 if person is None else self._index(self._person_index, self.people, person)
        j = self._index(self._project_index, self.projects, values["project"])
        period = values["period"]
        q = self._period_index.setdefault(period, len(self.periods))
        if q == len(self.periods):
            self.periods.append(period)
            self.limits.append(2400 * period.days)
        h = int(values["hours"] * 100)
        self.number.append(number)
        self.person.append(p)
        self.project.append(j)
        self.period.append(q)
        self.hours.append(h)
        return p, j, q, h

    @staticmethod
    def _index(index: dict[int, int], items: list[Any], item: Any) -> int:
        at = index.setdefault(item.pk, len(items))
        if at == len(items):
            items.append(item)
        return at

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


def read_entries(
    importer: HoursImporter, path: Path, result: ImportResult, *, cached: bool = True
) -> Entries | None:
    """One pass over the file: every row cleaned, five integers kept per good row.

    Problems go to ``result``; None when the file itself is refused (size, rows,
    encoding, no header or a header without the required columns).
    """
    name = path.name
    try:
        source = CellRows(
            path, max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS
        )
    except FileRejected as exc:
        importer._add_problems(result, [Problem(name, exc.message, exc.sheet, exc.row)])
        return None
    if source.header is None:
        importer._add_problems(result, [Problem(name, _("Filen har ingen rader."))])
        return None
    columns = importer._match_header(source.header, result)
    if result.problems:
        return None
    reading = _Reading(importer, columns, source, result, cached=cached)
    # The read makes many short-lived lists and no reference cycles; the cycle
    # collector would only walk them.
    with gc_paused():
        try:
            reading.rows((source.position.line_num, cells) for cells in source)
        except FileRejected as exc:
            importer._add_problems(result, [Problem(name, exc.message, exc.sheet, exc.row)])
            return None
    if not len(reading.entries) and not result.problems:
        importer._add_problems(result, [Problem(name, _("Filen har ingen datarader."))])
    return reading.entries


class _Reading:
    """The read of one file: cell text → person, project or period index, or hundredths."""

    def __init__(
        self,
        importer: HoursImporter,
        columns: list[Column | None],
        source: CellRows,
        result: ImportResult,
        *,
        cached: bool,
    ):
        self.importer = importer
        self.columns = columns
        self.source = source
        self.result = result
        self.cached = cached
        self.entries = Entries(source.sheet)
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
            if self.cached and len(cells) == width and not raw.problems:
                if person_at is not None:
                    people[cells[person_at]] = p
                projects[cells[project_at]] = j
                periods[cells[period_at]] = q
                hours[cells[hours_at]] = h
