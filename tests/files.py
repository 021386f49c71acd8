"""Write small CSV and XLSX files for importer tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl


def write_table(directory: Path, name: str, rows: list[list[object]]) -> Path:
    path = directory / name
    if path.suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Ark1"
        for row in rows:
            sheet.append(row)
        workbook.save(path)
    else:
        # As a user's own file: cells as given, formulas too (not the exports' writer).
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(
            [str(c) for c in row] for row in rows
        )
        path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return path
