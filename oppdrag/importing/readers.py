"""Read the rows of a CSV or XLSX file as text, streaming, with clear refusals.

Pure Python (openpyxl and the standard library only): no Django imports. The reader
turns every cell into a string (dates as ISO 8601, whole numbers without decimals),
so column cleaners deal with one type. It never loads a whole sheet into memory:
``openpyxl`` runs in read-only mode and CSV files are decoded as they are read, in
the one encoding the whole file is in (``file_encoding``; a mix is refused). A sheet
is read as the cells it holds, never as the area its <dimension> declares, and an
XLSX file whose XML declares a DTD is refused before openpyxl opens it (``xmlguard``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from .writers import restore
from .xmlguard import XmlRefused, check_archive
from .zipguard import MAX_UNPACK_RATIO, unpacks_too_far

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls and other OLE2 files
_ERROR_VALUES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!"}
# A zip whose contents unpack to far more than the file itself is refused before
# openpyxl touches it (a "zip bomb" would otherwise exhaust memory).
# A sheet's <dimension> may declare any area; read-only openpyxl made every row of
# it, padded to its full width (A1:XFD2000 in a 5 kB file took half a minute). An
# area of more than this many cells per byte of the file is refused as absurd (a
# dense sheet has well under one cell per byte), and the declared area is not used
# for reading: rows come as long as their last cell, and a row far to the right or
# far down is refused by ``_MAX_COLUMNS`` and the row limit, where empty rows count.
_MAX_DECLARED_CELLS_PER_BYTE = 1000
_MAX_COLUMNS = 1000


class FileRejected(Exception):
    """The file as a whole cannot be read; the message says why, in Norwegian."""

    def __init__(self, message: str, *, row: int | None = None, sheet: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.sheet = sheet


@dataclass(frozen=True)
class CellProblem:
    """A cell that holds a formula or an error value instead of data."""

    column_index: int
    message: str


@dataclass(frozen=True)
class RawRow:
    """One row as text. ``number`` is the row number a spreadsheet program shows."""

    sheet: str | None
    number: int
    cells: tuple[str, ...]
    problems: tuple[CellProblem, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not "".join(self.cells).strip() and not self.problems


def cell_text(value: object) -> str:
    """The text for a native spreadsheet value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_rows(path: Path, *, max_bytes: int, max_rows: int) -> Iterator[RawRow]:
    """Yield the rows of ``path`` (header first); raise ``FileRejected`` on bad files."""
    head = _check_file(path, max_bytes=max_bytes)
    if path.suffix.lower() in XLSX_SUFFIXES:
        rows = _xlsx_rows(path, max_bytes=max_bytes, max_rows=max_rows)
    else:
        rows = _csv_rows(path, head)
    data_rows = 0
    for row in rows:
        if row.is_empty:
            continue
        yield _restored(row)
        data_rows += 1
        if data_rows > max_rows + 1:  # + 1 for the header row
            raise FileRejected(
                f"Filen har mer enn {max_rows} rader; del den opp i flere filer.",
                row=row.number,
                sheet=row.sheet,
            )


def _restored(row: RawRow) -> RawRow:
    """The row with the apostrophe our exports put before formula-like text taken off."""
    # One search of the joined row first: most rows have no apostrophe at all.
    if "'" not in "".join(row.cells) or not any(c.startswith("'") for c in row.cells):
        return row
    return replace(row, cells=tuple(map(restore, row.cells)))


def _csv_rows(path: Path, head: bytes) -> Iterator[RawRow]:
    encoding = file_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=_delimiter(head, encoding))
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileRejected(
                    f"CSV-filen kan ikke leses: {exc}.", row=reader.line_num
                ) from exc
            except UnicodeDecodeError as exc:
                raise _not_utf16(path.read_bytes()) from exc
            # A formula or an error value starts with «=» or «#»: one search of the
            # joined row spares the cell-by-cell check on nearly every row.
            joined = "".join(cells)
            problems = (
                tuple(
                    CellProblem(i, message)
                    for i, cell in enumerate(cells)
                    if (message := _csv_cell_problem(cell))
                )
                if "=" in joined or "#" in joined
                else ()
            )
            yield RawRow(None, reader.line_num, tuple(map(str.strip, cells)), problems)


# What a CSV file can be written in, and how the messages name it. A byte-order
# mark decides; without one the file is UTF-8 if the whole of it decodes as that,
# and otherwise Windows-1252 (what Norwegian Excel writes for «CSV (semikolondelt)»).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENCODING_NAMES = {"utf-8": "UTF-8", "cp1252": "Windows-1252 (Latin-1)"}


def file_encoding(path: Path) -> str:
    """The one encoding ``path`` is written in; ``FileRejected`` names a line that is not."""
    with path.open("rb") as handle:
        return stream_encoding(handle)


def decode_text(data: bytes) -> str:
    """The text of a whole file's bytes, decoded as ``file_encoding`` decides."""
    encoding = stream_encoding(io.BytesIO(data))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:  # only UTF-16 is left to fail here
        raise _not_utf16(data) from exc


def stream_encoding(handle: IO[bytes]) -> str:
    """``file_encoding`` of an open binary file, read from its start.

    UTF-8 (with or without BOM) when every byte decodes as UTF-8; UTF-16 when the
    file starts with its BOM (decoded strictly while it is read); Windows-1252 when
    UTF-8 does not decode the file, every line decodes as Windows-1252 and no line
    with letters outside ASCII is UTF-8. The first line with such letters sets the
    encoding; a later line in the other one is refused as a mix, by number.
    """
    head = handle.read(4)
    bom = next((encoding for mark, encoding in _BOMS if head.startswith(mark)), None)
    if bom == "utf-16":
        return bom
    handle.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := handle.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return bom or "utf-8"
    except UnicodeDecodeError:
        handle.seek(0)
        _check_lines(handle, first=(1, "utf-8") if bom else None)
        return "cp1252"


def _check_lines(handle: IO[bytes], *, first: tuple[int, str] | None) -> None:
    """Refuse the first line whose encoding differs from the first line's with letters
    outside ASCII (``first``: its number and encoding), or that decodes as neither."""
    for number, line in enumerate(handle, start=1):
        if line.isascii():
            continue
        encoding = _line_encoding(line, number)
        if first is None:
            first = (number, encoding)
        elif encoding != first[1]:
            raise FileRejected(
                f"Filen blander tegnkodinger: linje {first[0]} er "
                f"{_ENCODING_NAMES[first[1]]}, men linje {number} er "
                f"{_ENCODING_NAMES[encoding]}. Lagre hele filen som «CSV UTF-8» og prøv igjen.",
                row=number,
            )


def _line_encoding(line: bytes, number: int) -> str:
    try:
        line.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        line.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"Linje {number} har tegn som verken er UTF-8 eller Windows-1252. "
            "Lagre filen som «CSV UTF-8» og prøv igjen.",
            row=number,
        ) from exc


def _not_utf16(data: bytes) -> FileRejected:
    """The refusal of a UTF-16 file that does not decode, naming the line where it stops."""
    try:
        data.decode("utf-16")
        line = 1
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
    return FileRejected(
        f"Filen begynner som UTF-16, men linje {line} er ikke gyldig UTF-16. "
        "Lagre filen som «CSV UTF-8» og prøv igjen.",
        row=line,
    )


def _csv_cell_problem(cell: str) -> str:
    value = cell.strip()
    if value.upper() in _ERROR_VALUES:
        return f"Cellen har feilverdien {value}."
    if value.startswith("=") and len(value) > 1:
        return "Cellen inneholder en formel; lim inn verdiene i stedet."
    return ""


def _xlsx_rows(path: Path, *, max_bytes: int, max_rows: int) -> Iterator[RawRow]:
    """The first sheet's rows, header first; empty rows count towards ``max_rows``."""
    import openpyxl  # local import: CSV-only users never pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    _check_xlsx_archive(path, max_bytes=max_bytes)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError, SyntaxError) as exc:
        # SyntaxError: the XML parsers' errors (ElementTree's and lxml's) derive from it.
        raise FileRejected(f"Excel-filen kan ikke åpnes ({exc.__class__.__name__}).") from exc
    try:
        sheet = workbook.worksheets[0]
        title = sheet.title
        _check_declared_size(sheet, path.stat().st_size)
        sheet.reset_dimensions()  # read the rows there are, as long as they are
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            _check_row_bounds(number, len(cells), max_rows=max_rows, sheet=title)
            if not cells:  # a row missing from the sheet: nothing to read or check
                continue
            texts: list[str] = []
            problems: list[CellProblem] = []
            for index, cell in enumerate(cells):
                data_type = getattr(cell, "data_type", "n")
                value = getattr(cell, "value", None)
                if data_type == "f" or (isinstance(value, str) and value.startswith("=")):
                    problems.append(
                        CellProblem(
                            index, "Cellen inneholder en formel; lim inn verdiene i stedet."
                        )
                    )
                    texts.append("")
                elif data_type == "e" or (isinstance(value, str) and value in _ERROR_VALUES):
                    problems.append(CellProblem(index, f"Cellen har feilverdien {value}."))
                    texts.append("")
                else:
                    texts.append(cell_text(value))
            yield RawRow(title, number, tuple(texts), tuple(problems))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        raise FileRejected(f"Excel-filen er skadet ({exc.__class__.__name__}).") from exc
    finally:
        workbook.close()


def _check_xlsx_archive(path: Path, *, max_bytes: int) -> None:
    """Refuse a zip bomb and any XML part with a DTD before openpyxl opens the file."""
    try:
        with zipfile.ZipFile(path) as archive:
            ceiling = max_bytes * MAX_UNPACK_RATIO
            if unpacks_too_far(archive, path.stat().st_size, ceiling=ceiling):
                raise FileRejected("Excel-filen pakker seg ut til urimelig mye data og avvises.")
            check_archive(archive)
    except zipfile.BadZipFile as exc:
        raise FileRejected("Excel-filen er skadet og kan ikke åpnes.") from exc
    except XmlRefused as exc:
        raise FileRejected(f"Excel-filen kan ikke leses: delen {exc.part} – {exc.reason}.") from exc


def _check_declared_size(sheet: Any, size: int) -> None:
    """Refuse a sheet whose <dimension> declares an area absurd for the file's size."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows * columns > size * _MAX_DECLARED_CELLS_PER_BYTE:
        raise FileRejected(
            f"Arket sier at det har {rows} rader og {columns} kolonner, men filen er bare "
            f"{size / 1024:.0f} kB. Filen er skadet eller laget for å belaste systemet; "
            "kopier dataene over i en ny arbeidsbok og prøv igjen.",
            sheet=sheet.title,
        )


def _check_row_bounds(number: int, columns: int, *, max_rows: int, sheet: str) -> None:
    """Refuse a row past the row limit (empty rows count) or far to the right."""
    if number > max_rows + 1:  # + 1 for the header row
        raise FileRejected(
            f"Arket går forbi rad {max_rows + 1}; grensen er {max_rows} rader, og tomme "
            "rader teller med. Slett tomme rader nederst i arket, eller del filen opp.",
            row=number,
            sheet=sheet,
        )
    if columns > _MAX_COLUMNS:
        raise FileRejected(
            f"Raden har celler i kolonne {columns}; grensen er {_MAX_COLUMNS} kolonner. "
            "Slett innholdet lengst til høyre i arket og prøv igjen.",
            row=number,
            sheet=sheet,
        )


class _Counter:
    """Stands in for ``csv.reader`` where rows are counted by hand (XLSX)."""

    line_num = 0


class CellRows:
    """The rows of a file as lists of cell texts, for importers of very large files.

    ``read_rows`` makes a ``RawRow`` per row with every cell stripped and checked,
    which costs more than reading the file. Here the data rows come as the lists
    the reader makes (CSV cells unstripped, empty rows included), so an importer
    can resolve the cells it needs from caches and keep only what it stores. The
    refusals are those of ``read_rows``: size, file type, zip bombs and encoding
    raise ``FileRejected`` before the first row, CSV syntax and a UTF-16 file
    that stops decoding during iteration, and
    ``count_row`` enforces the row limit. Formulas and error values are found by
    ``problems(cells)``; ``check_cells`` is False when the file cannot hold any
    (a CSV file without «=» or «#»), so the check can be skipped per row.
    ``position.line_num`` is the row number of the row just yielded.
    """

    def __init__(self, path: Path, *, max_bytes: int, max_rows: int):
        self.path = path
        self.max_rows = max_rows
        self.data_rows = 0
        self.sheet: str | None = None
        self.position: _Counter | csv._reader = _Counter()  # type: ignore[name-defined]
        self.delimiter = ","
        self._check_cells: bool | None = None
        self._handle: io.TextIOWrapper | None = None
        self._row_problems: tuple[CellProblem, ...] = ()
        head = _check_file(path, max_bytes=max_bytes)
        suffix = path.suffix.lower()
        if suffix in XLSX_SUFFIXES:
            self._check_cells = True
            self._rows = self._xlsx(max_bytes)
        else:
            self._rows = self._csv(head)
        self.header: RawRow | None = None
        for cells in self._rows:  # the first row that is not empty
            header = RawRow(
                self.sheet,
                self.position.line_num,
                tuple(restore(c.strip()) for c in cells),
                self.problems(cells),
            )
            if not header.is_empty:
                self.header = header
                break

    def __iter__(self) -> Iterator[list[str]]:
        return self._rows

    @property
    def check_cells(self) -> bool:
        """False when no cell can hold a formula or an error value (found once, when asked)."""
        if self._check_cells is None:
            if self.path.stat().st_size <= 1 << 20:
                data = self.path.read_bytes()
                self._check_cells = b"=" in data or b"#" in data
            else:
                self._check_cells = _file_contains(self.path, (b"=", b"#"))
        return self._check_cells

    def count_row(self) -> None:
        """Count a non-empty data row; refuse the file past the row limit."""
        self.data_rows += 1
        if self.data_rows > self.max_rows:
            raise FileRejected(
                f"Filen har mer enn {self.max_rows} rader; del den opp i flere filer.",
                row=self.position.line_num,
                sheet=self.sheet,
            )

    def problems(self, cells: list[str]) -> tuple[CellProblem, ...]:
        """Formula and error cells of the row just yielded."""
        if self.sheet is not None:
            return self._row_problems
        return tuple(
            CellProblem(i, message)
            for i, cell in enumerate(cells)
            if (message := _csv_cell_problem(cell))
        )

    def _csv(self, head: bytes) -> Iterator[list[str]]:
        encoding = file_encoding(self.path)
        self.delimiter = delimiter = _delimiter(head, encoding)
        with self.path.open(encoding=encoding, newline="") as handle:
            self._handle = handle
            reader = csv.reader(handle, delimiter=delimiter)
            self.position = reader
            try:
                yield from reader
            except csv.Error as exc:
                raise FileRejected(
                    f"CSV-filen kan ikke leses: {exc}.", row=reader.line_num
                ) from exc
            except UnicodeDecodeError as exc:
                raise _not_utf16(self.path.read_bytes()) from exc

    def _xlsx(self, max_bytes: int) -> Iterator[list[str]]:
        counter = _Counter()
        self.position = counter
        for raw in _xlsx_rows(self.path, max_bytes=max_bytes, max_rows=self.max_rows):
            self.sheet = raw.sheet
            counter.line_num = raw.number
            self._row_problems = raw.problems
            yield list(raw.cells)


def _check_file(path: Path, *, max_bytes: int) -> bytes:
    """The refusals ``read_rows`` makes before reading; returns the file's head."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRejected(f"Finner ikke filen ({exc.strerror}).") from exc
    if size == 0:
        raise FileRejected("Filen er tom.")
    if size > max_bytes:
        raise FileRejected(
            f"Filen er for stor ({size / 1_048_576:.1f} MB); grensen er "
            f"{max_bytes / 1_048_576:.0f} MB. Del den opp i flere filer."
        )
    with path.open("rb") as handle:
        head = handle.read(8192)
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        if not head.startswith(_ZIP_MAGIC):
            raise FileRejected(
                f"Filen heter {suffix}, men er ikke en Excel-arbeidsbok (XLSX). "
                "Åpne den i Excel og lagre den som .xlsx på nytt."
            )
    elif suffix in CSV_SUFFIXES:
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)) or (b"\x00" in head and not utf16):
            raise FileRejected(
                f"Filen heter {suffix}, men inneholder binære data (kanskje en Excel-fil "
                "med feil filendelse?)."
            )
    else:
        raise FileRejected(
            f"Ukjent filtype «{suffix or '(ingen)'}». Bruk CSV (.csv) eller Excel (.xlsx)."
        )
    return head


def _delimiter(head: bytes, encoding: str) -> str:
    """The first line's most frequent of semicolon, comma and tab."""
    first_line = head.decode(encoding, errors="replace").split("\n", 1)[0]
    return max(";,\t", key=first_line.count)


def _file_contains(path: Path, needles: tuple[bytes, ...]) -> bool:
    with path.open("rb") as handle:
        tail = b""
        while block := handle.read(1 << 20):
            if any(n in tail + block for n in needles):
                return True
            tail = block[-8:]
    return False
