"""Read a rater calibration matrix from CSV text. No Django here.

The file has a header row with the raters' labels and one row per rated item or
target. A first column headed «item», «enhet», «indikator» or left blank holds the
item labels and is not a rater. Cells are separated by commas or semicolons; with
semicolons a decimal comma is allowed. An empty cell is a missing score. Every bad
cell is reported by row and column before anything is computed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from oppdrag.core.parsing import fold, parse_decimal

ITEM_HEADERS = {"", "item", "items", "enhet", "indikator", "kode", "code", "target"}


@dataclass
class MatrixProblem:
    """One reason the file cannot be used, with its row and column (1-based)."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolonne «{self.column}»")
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass
class ScoreMatrix:
    """Scores by item (rows) and rater (columns); None where a score is missing."""

    raters: list[str]
    items: list[str]
    scores: list[list[float | None]]


class MatrixRejected(ValueError):
    def __init__(self, problems: list[MatrixProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class _Reader:
    problems: list[MatrixProblem] = field(default_factory=list)


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") >= first.count(",") and ";" in first else ","


def read_matrix(text: str) -> ScoreMatrix:
    """Parse the matrix; raise ``MatrixRejected`` listing every problem."""
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(text)
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    numbered = [
        (number, row) for number, row in enumerate(rows, start=1) if any(c.strip() for c in row)
    ]
    problems: list[MatrixProblem] = []
    if not numbered:
        raise MatrixRejected([MatrixProblem("Filen er tom.")])
    header_number, header = numbered[0]
    header = [cell.strip() for cell in header]
    has_item_column = fold(header[0]) in ITEM_HEADERS if header else False
    raters = header[1:] if has_item_column else header
    offset = 1 if has_item_column else 0
    for index, label in enumerate(raters):
        if not label:
            problems.append(
                MatrixProblem("Bedømmeren mangler navn.", header_number, f"{index + offset + 1}")
            )
    seen: set[str] = set()
    for label in raters:
        if label and fold(label) in seen:
            problems.append(MatrixProblem("Bedømmeren står to ganger.", header_number, label))
        seen.add(fold(label))
    if len(raters) < 2:
        problems.append(MatrixProblem("Overskriftsraden må ha minst to bedømmere.", header_number))
    items: list[str] = []
    scores: list[list[float | None]] = []
    for number, row in numbered[1:]:
        cells = [cell.strip() for cell in row]
        if len(cells) > len(header) and any(cells[len(header) :]):
            problems.append(MatrixProblem("Raden har flere verdier enn overskriftsraden.", number))
        cells += [""] * (len(header) - len(cells))
        items.append(cells[0] if has_item_column else str(len(items) + 1))
        values: list[float | None] = []
        for index, label in enumerate(raters):
            cell = cells[index + offset]
            if not cell:
                values.append(None)
                continue
            if delimiter == "," and "," in cell:
                cell = cell.replace(",", ".")
            try:
                values.append(float(parse_decimal(cell)))
            except ValueError:
                problems.append(
                    MatrixProblem(f"«{cell}» er ikke en skår.", number, label or str(index + 1))
                )
                values.append(None)
        scores.append(values)
    if not scores:
        problems.append(MatrixProblem("Filen har ingen rader med skårer."))
    if problems:
        raise MatrixRejected(problems)
    return ScoreMatrix(raters=raters, items=items, scores=scores)
