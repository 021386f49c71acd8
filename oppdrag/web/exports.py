"""Lists as CSV and XLSX, in the same columns the importers read.

CSV is semicolon-separated UTF-8 with a byte-order mark, which Norwegian Excel opens
correctly; an exported list can be imported again unchanged. Text that a spreadsheet
program would read as a formula is written with an apostrophe in front, which the
importers take off again (``oppdrag/importing/writers.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from oppdrag.activities import models as m
from oppdrag.importing.writers import XLSX_MIMETYPE, write_csv, write_xlsx

EVENT_COLUMNS = [
    "Nr", "Tema", "Hva", "Antall deltakere", "Nasjonal/regional", "Deltakere", "Arrangører",
    "Fysisk/digital", "Dato", "Til dato", "Region", "Kommuner", "Serie", "Oppdrag",
]  # fmt: skip


def event_row(event: m.Event) -> list[str]:
    """One event in the importer's columns; relations must be prefetched."""
    return [
        event.ref,
        event.theme,
        event.title,
        "" if event.participants is None else str(event.participants),
        event.scope,
        event.audience,
        ", ".join(link.organization.name for link in event.eventorganizer_set.all()),
        event.format,
        event.date_start.strftime("%d.%m.%Y") if event.date_start else "",
        event.date_end.strftime("%d.%m.%Y") if event.date_end else "",
        ", ".join(r.name for r in event.regions.all()),
        ", ".join(mu.name for mu in event.municipalities.all()),
        event.series.name if event.series else "",
        ", ".join(a.number for a in event.assignments.all()),
    ]


def table_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[str]], fmt: str
) -> HttpResponse:
    """The rows as a CSV or XLSX download (cells neutralised by ``importing.writers``)."""
    if fmt == "xlsx":
        response = HttpResponse(write_xlsx(filename, header, rows), content_type=XLSX_MIMETYPE)
    else:
        response = HttpResponse(write_csv([header, *rows]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
