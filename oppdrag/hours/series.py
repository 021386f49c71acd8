"""Time entries packed as series: one stored row per import, person and project.

A time entry (timeregistrering) is hours one person gave one project in a day, a
week, a month or a year. The time system exports them by the hundred thousand a
year per centre, ten million for the nation, while the reports only ever need
their sums. So the hours import stores the entries of one person and project as
one ``TimeSeries`` row: sums, count and first and last day as columns (what SQL
sums and filters on), and the entries themselves packed seven bytes each
(``ENTRY``: day of the year the period starts, its unit, hours in hundredths).
The period follows from its first day and unit, since the importer only takes
whole days, ISO weeks, months and years within the imported year.

Writing 200 000 entries one row each took the database itself 7–50 times as long
as ``csv.reader`` takes to read the file, before any index or foreign key (see
``bench/README.md``); a few hundred series rows take milliseconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from .periods import Granularity, Period

ENTRY = np.dtype([("day", "<u2"), ("unit", "u1"), ("hundredths", "<i4")])
UNITS = (Granularity.DAY, Granularity.WEEK, Granularity.MONTH, Granularity.YEAR)
UNIT_CODES = {unit: code for code, unit in enumerate(UNITS)}


@dataclass(frozen=True)
class Entry:
    """One time entry of a series."""

    period: Period
    hours: Decimal

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def granularity(self) -> Granularity:
        return self.period.granularity


def period_of(start: dt.date, unit: Granularity) -> Period:
    """The period of ``unit`` that begins on ``start``."""
    if unit is Granularity.DAY:
        end = start
    elif unit is Granularity.WEEK:
        end = start + dt.timedelta(days=6)
    elif unit is Granularity.MONTH:
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    else:
        end = dt.date(start.year, 12, 31)
    return Period(start, end, unit)


def pack(days: npt.NDArray[Any], units: npt.NDArray[Any], hundredths: npt.NDArray[Any]) -> bytes:
    """Entries as stored: days of the year (0 = 1 January), unit codes, hundredths."""
    packed = np.empty(len(days), dtype=ENTRY)
    packed["day"] = days
    packed["unit"] = units
    packed["hundredths"] = hundredths
    return packed.tobytes()


def pack_entries(year: int, entries: Iterable[Entry]) -> bytes:
    """``Entry`` objects of ``year`` as stored (for the few written one by one)."""
    first = dt.date(year, 1, 1)
    listed = sorted(entries, key=lambda e: e.start)
    return pack(
        np.array([(e.start - first).days for e in listed], dtype=np.uint16),
        np.array([UNIT_CODES[e.granularity] for e in listed], dtype=np.uint8),
        np.array([round(e.hours * 100) for e in listed], dtype=np.int32),
    )


def unpack(year: int, data: bytes | memoryview) -> list[Entry]:
    """The entries of a stored series, in the order of their first day."""
    first = dt.date(year, 1, 1).toordinal()
    return [
        Entry(
            period_of(dt.date.fromordinal(first + day), UNITS[unit]),
            Decimal(hundredths) / 100,
        )
        for day, unit, hundredths in np.frombuffer(data, dtype=ENTRY).tolist()
    ]


@dataclass(frozen=True)
class StoredEntry:
    """An entry with the series it is stored in (for checks, tests and the admin)."""

    series_id: int
    person_id: int | None
    project_id: int
    batch_id: int | None
    entry: Entry


def stored_entries(series: Iterable[Any]) -> Iterator[StoredEntry]:
    """Every entry of ``series`` (``TimeSeries`` objects or a queryset of them)."""
    for row in series:
        for entry in unpack(row.year, row.entries):
            yield StoredEntry(row.pk, row.person_id, row.project_id, row.batch_id, entry)
