"""Hostile spreadsheets answered at once: the reader against a plain small workbook.

``measure(database)`` writes, in a temporary folder, the workbooks the reader must
refuse without doing the work they ask for, and times ``read_rows`` on each (median
of 5) against reading a two-cell workbook with the same reader (the floor):

* ``xlsx_declared_area``: a 5 kB workbook whose ``<dimension>`` declares A1:XFD2000
  (32 million cells) with one cell in the last row, refused from its declaration.
  It took half a minute before the reader stopped trusting the dimension.
* ``xlsx_far_row``: a cell in row 1 048 576 under a header; the reader stops at the
  row limit (``IMPORT_MAX_ROWS``), empty rows counted, instead of walking to it.

``rows_touched`` is the row number at which the reader stopped. No database is used.
Standalone: ``python -m bench.hostile`` prints JSON.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from functools import partial
from pathlib import Path
from typing import Any

from bench.run import measurement, timed

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000  # the default IMPORT_MAX_ROWS


def workbook(path: Path, cells: dict[str, str], dimension: str | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    if dimension is not None:
        with zipfile.ZipFile(path) as source:
            parts = {info.filename: source.read(info) for info in source.infolist()}
        name = "xl/worksheets/sheet1.xml"
        parts[name] = re.sub(
            rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), parts[name]
        )
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for part, data in parts.items():
                target.writestr(part, data)
    return path


def read(path: Path) -> int | None:
    """Read ``path`` to its end or its refusal; the row number where reading stopped."""
    from oppdrag.importing.readers import FileRejected, read_rows

    try:
        for _row in read_rows(path, max_bytes=MAX_BYTES, max_rows=MAX_ROWS):
            pass
    except FileRejected as exc:
        return exc.row or 0
    return None


def measure(database: str) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        plain = workbook(root / "plain.xlsx", {"A1": "Tema", "A2": "Bolig"})
        floor = timed(partial(read, plain))
        hostile = {
            "xlsx_declared_area": workbook(
                root / "area.xlsx", {"A1": "Tema", "A2000": "x"}, dimension="A1:XFD2000"
            ),
            "xlsx_far_row": workbook(root / "far.xlsx", {"A1": "Tema", "A1048576": "x"}),
        }
        results = []
        for name, path in hostile.items():
            touched = read(path)
            results.append(
                measurement(
                    name,
                    database,
                    f"{path.stat().st_size} bytes",
                    timed(partial(read, path)),
                    "read_rows of a two-cell workbook",
                    floor,
                    rows_touched=touched,
                )
            )
        return results


if __name__ == "__main__":
    print(json.dumps(measure("none"), indent=2))
