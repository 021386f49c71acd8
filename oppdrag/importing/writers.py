"""The CSV and XLSX files the project hands out, written so that no cell computes.

A spreadsheet program reads a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return as a formula, so text typed into a public evaluation form or saved
through the API could run when a staff member opens an export ("CSV injection",
OWASP). Every export writes its cells here: such text gets an apostrophe in front, as
OWASP advises, text in a workbook is a text cell (never a formula), and numbers stay
numbers (``-5`` and ``-2,5`` are left alone, in CSV too).

The apostrophe can be taken off again exactly: text that already begins with
apostrophes before one of those characters gets one more, so ``restore(neutralise(t))
== t`` for every text, and the importers call ``restore`` so that an exported file
imports unchanged. (defusedcsv leaves a leading tab or carriage return alone, turns
every ``|`` into ``\\|``, which cannot be told from a typed one, and has nothing for
XLSX; hence these few lines.)

Pure Python (openpyxl and the standard library only): no Django imports.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CHECKED_STARTS = frozenset("=+-@\t\r'")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _needs_prefix(text: str) -> bool:
    bare = text.lstrip("'")
    return bare.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(bare)


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet program evaluates (an apostrophe in front)."""
    if text and text[0] in _CHECKED_STARTS and _needs_prefix(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The text ``neutralise`` was given: the apostrophe it added taken off."""
    if text.startswith("'") and _needs_prefix(text[1:]):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` whose every text cell is neutralised (same arguments).

    A row with a carriage return in a cell is written with every cell quoted: with
    ``lineterminator="\\n"`` the csv module would leave that cell unquoted, and the
    carriage return would end the row for any reader.
    """

    def __init__(self, buffer: Any, **options: Any):
        self._writer = csv.writer(buffer, **options)
        self._quoted = csv.writer(buffer, **{**options, "quoting": csv.QUOTE_ALL})

    def writerow(self, row: Iterable[Any]) -> None:
        cells = _safe_row(row)
        if any(isinstance(cell, str) and "\r" in cell for cell in cells):
            self._quoted.writerow(cells)
        else:
            self._writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def _safe_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(cell) if isinstance(cell, str) else cell for cell in row]


def write_csv(rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV bytes the way Norwegian Excel opens them: UTF-8 with BOM, semicolons."""
    buffer = io.StringIO()
    SafeWriter(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(sheet_name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A workbook with one sheet: the header, then the rows; numbers stay numbers."""
    import openpyxl  # local import: the readers import this module for ``restore``
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    # Excel forbids some characters in sheet names and allows at most 31 of them.
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", sheet_name)[:31] or "Tabell")

    def cell(value: Any) -> Any:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(sheet, value=neutralise(value))
        text.data_type = "s"  # never "f", whatever the text looks like
        return text

    sheet.append([cell(name) for name in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
