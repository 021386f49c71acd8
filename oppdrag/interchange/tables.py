"""One report table as a CSV or XLSX file.

CSV is what Norwegian Excel opens without a wizard: UTF-8 with a byte-order mark,
semicolons between cells, decimal commas. XLSX keeps numbers as numbers. In both
the first row is the table's columns, so the file reads back as a table.
"""

from __future__ import annotations

import io
import re

import openpyxl
from openpyxl.cell import WriteOnlyCell

from oppdrag.importing.readers import write_csv
from oppdrag.reports.tree import Cell, Table

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_cell(value: Cell) -> str:
    """A cell as text: whole numbers plain, decimals with a comma (Norwegian Excel)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")
    return str(value)


def table_csv(table: Table) -> bytes:
    """The table as semicolon-separated UTF-8 with BOM; the first row is the header."""
    return write_csv(
        [list(table.columns), *[[csv_cell(cell) for cell in row] for row in table.rows]]
    )


def _xlsx_cell(sheet: object, value: Cell) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.startswith("="):
        # Text that looks like a formula stays text: a report cell never computes.
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.data_type = "s"
        return cell
    return value


def table_xlsx(table: Table, sheet_name: str) -> bytes:
    """The table as a workbook with one sheet; numbers stay numbers."""
    workbook = openpyxl.Workbook(write_only=True)
    # Excel forbids some characters in sheet names and allows at most 31 of them.
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", sheet_name)[:31] or "Tabell")
    sheet.append(list(table.columns))
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
