"""One report table as a CSV or XLSX file.

CSV is what Norwegian Excel opens without a wizard: UTF-8 with a byte-order mark,
semicolons between cells, decimal commas. XLSX keeps numbers as numbers. In both
the first row is the table's columns, so the file reads back as a table. Text that
would compute in a spreadsheet is neutralised (``oppdrag/importing/writers.py``).
"""

from __future__ import annotations

from oppdrag.importing.writers import write_csv, write_xlsx
from oppdrag.reports.tree import Cell, Table


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


def table_xlsx(table: Table, sheet_name: str) -> bytes:
    """The table as a workbook with one sheet; numbers stay numbers, text never computes."""
    return write_xlsx(sheet_name, table.columns, table.rows)
