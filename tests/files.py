"""Write small CSV and XLSX files for importer tests."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from oppdrag.importing.readers import write_csv


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
        path.write_bytes(write_csv([[str(c) for c in row] for row in rows]))
    return path
