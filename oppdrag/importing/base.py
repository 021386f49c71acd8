"""Importers as column specifications: validate every row first, then save all at once.

An importer lists its ``Column``s; each column's ``clean`` turns the cell text into a
value or raises ``ValueError`` with a Norwegian message. The run reads the file
(streaming), collects every problem with file, sheet, row and column, and only
when there are none saves everything in one transaction. ``dry_run`` stops after
validation. A rejected import therefore changes nothing.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.core.parsing import fold

from .readers import FileRejected, RawRow, read_rows

# At most this many problems are listed; the rest are counted.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One reason an import is refused, with where it is."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(_("ark «{sheet}»").format(sheet=self.sheet))
        if self.row is not None:
            where.append(_("rad {row}").format(row=self.row))
        if self.column:
            where.append(_("kolonne «{column}»").format(column=self.column))
        return "{where}: {message}".format(where=", ".join(where), message=self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class CellError(ValueError):
    """A row-level problem that belongs to a named column."""

    def __init__(self, column: str | None, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector (reference counting still frees memory) meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def header_key(text: str) -> str:
    """Compare headers by letters and digits only: «Nasjonal/ regional» = «Nasjonal/regional»."""
    return re.sub(r"[^0-9a-zæøå]", "", fold(text))


@dataclass
class Column:
    """One column of an import file."""

    header: str
    key: str
    # A function of the cell text, or the name of an importer method that is one
    # (for cleaners that look names up in the database).
    clean: Callable[[str], Any] | str = field(default=lambda value: value)
    required: bool = False  # the column must be in the file and the cell filled
    aliases: tuple[str, ...] = ()

    def header_keys(self) -> set[str]:
        return {header_key(self.header), *(header_key(a) for a in self.aliases)}


# A matched column: its position in the file, the column and its cleaner.
Field = tuple[int, Column, Callable[[str], Any]]


@dataclass
class Row:
    """A validated row: where it came from and its cleaned values by column key."""

    number: int
    sheet: str | None
    values: dict[str, Any]


@dataclass
class ImportResult:
    kind: str
    file: str
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0  # rows that matched a record already as in the file
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "rows": self.rows,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "problems": [p.as_dict() for p in self.problems],
            "more_problems": self.more_problems,
            "notes": self.notes,
        }


class ImportRejected(Exception):
    def __init__(self, result: ImportResult):
        super().__init__("; ".join(str(p) for p in result.problems[:5]))
        self.result = result


class Importer:
    """Base class: subclasses set ``kind``, ``columns`` and implement ``save``."""

    kind: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[list[Column]]
    # Rows identical in every cell are refused as duplicates unless this is False.
    reject_duplicate_rows: ClassVar[bool] = True
    # True when every column's cleaner depends on the cell text alone (and on what
    # ``prepare`` loaded): each distinct text of a column is then cleaned once
    # (see ``_cleaner``).
    clean_by_value: ClassVar[bool] = False

    def __init__(self, center: Center, year: int, user: Any = None):
        self.center = center
        self.year = year
        self.user = user
        # The rows that passed the checks of their own cells in the last run, also
        # when others did not (the upload preview compares them with the registry).
        self.validated_rows: list[Row] = []

    # --- hooks for subclasses -------------------------------------------------
    def prepare(self) -> None:
        """Load what cleaning needs (lookups by name) once, before the rows."""

    def extra_column(self, header: str) -> Column | None:
        """A column whose header is not in ``columns`` (e.g. «Antall besøk 2024»)."""
        return None

    def check_row(self, values: dict[str, Any]) -> None:
        """Checks across the columns of one row; raise ``CellError``."""

    def check_all(self, rows: list[Row]) -> list[Problem]:
        """Checks across rows and against the database (e.g. already registered)."""
        return []

    def save(self, rows: list[Row]) -> tuple[int, int]:
        """Save validated rows; return (added, updated)."""
        raise NotImplementedError

    # --- the run ------------------------------------------------------------------
    def run(self, path: Path, *, dry_run: bool = False) -> ImportResult:
        # A large file makes hundreds of thousands of short-lived containers
        # (cells, rows, value dicts) and no reference cycles; the cycle
        # collector's passes over the whole process took a third of the check.
        with gc_paused():
            return self._run(path, dry_run=dry_run)

    def _run(self, path: Path, *, dry_run: bool) -> ImportResult:
        self.file_name = path.name
        result = ImportResult(kind=self.kind, file=path.name, dry_run=dry_run)
        self.prepare()
        rows = self._validate(path, result)
        self.validated_rows = rows
        if result.problems:
            return result
        extra = self.check_all(rows)
        if extra:
            self._add_problems(result, extra)
            return result
        result.rows = len(rows)
        if dry_run:
            result.added = len(rows)
            return result
        with transaction.atomic():
            result.added, result.updated = self.save(rows)
        return result

    def _add_problems(self, result: ImportResult, problems: Iterable[Problem]) -> None:
        for problem in problems:
            if len(result.problems) < MAX_PROBLEMS:
                result.problems.append(problem)
            else:
                result.more_problems += 1

    def _validate(self, path: Path, result: ImportResult) -> list[Row]:
        """Every row cleaned, or every problem with file, sheet, row and column."""
        name = path.name
        rows: list[Row] = []
        seen: dict[tuple[str, ...], int] = {}
        columns: list[Column | None] = []
        try:
            iterator = read_rows(
                path, max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS
            )
            header = next(iterator, None)
            if header is None:
                self._add_problems(result, [Problem(name, _("Filen har ingen rader."))])
                return []
            columns = self._match_header(header, result)
            if result.problems:
                return []
            fields = self._fields(columns)
            for raw in iterator:
                row = self._clean_row(raw, columns, name, result, fields)
                if self.reject_duplicate_rows:
                    first = seen.setdefault(raw.cells, raw.number)
                    if first != raw.number:
                        self._add_problems(
                            result,
                            [
                                Problem(
                                    name,
                                    _("Raden er lik rad {first}.").format(first=first),
                                    raw.sheet,
                                    raw.number,
                                )
                            ],
                        )
                        continue
                if row is not None:
                    rows.append(row)
        except FileRejected as exc:
            self._add_problems(result, [Problem(name, exc.message, exc.sheet, exc.row)])
            return []
        if not rows and not result.problems:
            self._add_problems(result, [Problem(name, _("Filen har ingen datarader."))])
        return rows

    def _match_header(self, header: RawRow, result: ImportResult) -> list[Column | None]:
        by_key: dict[str, Column] = {}
        for known in self.columns:
            for key in known.header_keys():
                by_key[key] = known
        matched: list[Column | None] = []
        found: dict[str, int] = {}
        problems: list[Problem] = []
        for index, text in enumerate(header.cells):
            if not text.strip():
                matched.append(None)
                continue
            column = by_key.get(header_key(text)) or self.extra_column(text)
            if column is None:
                names = ", ".join(f"«{c.header}»" for c in self.columns)
                problems.append(
                    Problem(
                        result.file,
                        _("Ukjent kolonne «{header}». Kjente kolonner: {known}.").format(
                            header=text, known=names
                        ),
                        header.sheet,
                        header.number,
                        text,
                    )
                )
                matched.append(None)
                continue
            if column.key in found:
                problems.append(
                    Problem(
                        result.file,
                        _("Kolonnen «{header}» står to ganger.").format(header=column.header),
                        header.sheet,
                        header.number,
                        text,
                    )
                )
            found[column.key] = index
            matched.append(column)
        for column in self.columns:
            if column.required and column.key not in found:
                problems.append(
                    Problem(
                        result.file,
                        _("Kolonnen «{header}» mangler i overskriftsraden.").format(
                            header=column.header
                        ),
                        header.sheet,
                        header.number,
                    )
                )
        self._add_problems(result, problems)
        return matched

    def _fields(self, columns: list[Column | None]) -> list[Field]:
        """(position, column, cleaner) of each column the header matched."""
        return [(i, c, self._cleaner(c)) for i, c in enumerate(columns) if c is not None]

    def _cleaner(self, column: Column) -> Callable[[str], Any]:
        """The column's cleaner; with ``clean_by_value``, one that cleans each distinct
        text once. A spreadsheet repeats itself (the same theme, municipality,
        organisers, dates and yes/no on thousands of rows), so a large file then costs
        little more than reading it. Rows with the same text share its value: callers
        must not change a value in place."""
        clean = getattr(self, column.clean) if isinstance(column.clean, str) else column.clean
        if not self.clean_by_value:
            return clean
        cache: dict[str, Any] = {}

        def cached(text: str) -> Any:
            try:
                return cache[text]
            except KeyError:
                value = cache[text] = clean(text)  # a refused text raises, every time
                return value

        return cached

    def _clean_row(
        self,
        raw: RawRow,
        columns: list[Column | None],
        name: str,
        result: ImportResult,
        fields: list[Field] | None = None,
    ) -> Row | None:
        """One row's clean values, or None with its problems added to ``result``.
        ``fields`` (from ``_fields``) carries the cleaners' caches from row to row."""
        if fields is None:
            fields = self._fields(columns)
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        for cell_problem in raw.problems:
            column = (
                columns[cell_problem.column_index]
                if cell_problem.column_index < len(columns)
                else None
            )
            problems.append(
                Problem(
                    name,
                    cell_problem.message,
                    raw.sheet,
                    raw.number,
                    column.header
                    if column
                    else _("kolonne {n}").format(n=cell_problem.column_index + 1),
                )
            )
        cells = raw.cells
        width = len(cells)
        for index, column, clean in fields:
            text = cells[index].strip() if index < width else ""
            if not text:
                if column.required:
                    problems.append(
                        Problem(
                            name, _("Cellen må fylles ut."), raw.sheet, raw.number, column.header
                        )
                    )
                continue
            try:
                values[column.key] = clean(text)
            except ValueError as exc:
                problems.append(Problem(name, str(exc), raw.sheet, raw.number, column.header))
        if len(raw.cells) > len(columns) and any(c.strip() for c in raw.cells[len(columns) :]):
            problems.append(
                Problem(
                    name,
                    _("Raden har verdier utenfor kolonnene i overskriftsraden."),
                    raw.sheet,
                    raw.number,
                )
            )
        if not problems:
            try:
                self.check_row(values)
            except CellError as exc:
                problems.append(Problem(name, exc.message, raw.sheet, raw.number, exc.column))
        if problems:
            self._add_problems(result, problems)
            return None
        return Row(raw.number, raw.sheet, values)
