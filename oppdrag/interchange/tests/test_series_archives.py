"""Archives written while time entries were packed (versions 2 and 3) read as rows."""

from __future__ import annotations

import base64
import struct

import pytest

from oppdrag.interchange.restore import ArchiveRejected, entries_from_series

ENTRY = struct.Struct("<HBi")  # day of the year, unit, hundredths: as 0004 packed them


def series_row(packed, **values):
    return {
        "uid": "5b0c3a4e-8d9f-4c1a-9a57-2d3e4f5a6b7c",
        "created_at": "2025-04-01T10:00:00+00:00",
        "updated_at": "2025-04-01T10:00:00+00:00",
        "person": "p-1",
        "project": "j-1",
        "batch": "b-1",
        "year": "2025",
        "start": "2025-03-03",
        "end": "2025-12-31",
        "count": str(len(packed)),
        "hours": "0",
        "entries": base64.b64encode(b"".join(ENTRY.pack(*e) for e in packed)).decode(),
        **values,
    }


def test_each_packed_entry_becomes_a_row_of_its_own():
    contents = {
        "hours.timeseries.csv": [
            series_row([(61, 0, 750), (68, 1, 2000), (59, 2, 1), (0, 3, 195000)]),
            series_row([(334, 2, 25)], person="", batch=""),
        ]
    }
    entries_from_series(contents)
    assert "hours.timeseries.csv" not in contents
    rows = contents["hours.timeentry.csv"]
    assert [(r["person"], r["start"], r["end"], r["hours"], r["batch"]) for r in rows] == [
        ("p-1", "2025-03-03", "2025-03-03", "7.50", "b-1"),
        ("p-1", "2025-03-10", "2025-03-16", "20.00", "b-1"),
        ("p-1", "2025-03-01", "2025-03-31", "0.01", "b-1"),
        ("p-1", "2025-01-01", "2025-12-31", "1950.00", "b-1"),
        ("", "2025-12-01", "2025-12-31", "0.25", ""),
    ]
    assert len({r["uid"] for r in rows}) == 5
    assert {r["created_at"] for r in rows} == {"2025-04-01T10:00:00+00:00"}


def test_a_damaged_series_is_refused_naming_its_row():
    contents = {"hours.timeseries.csv": [series_row([(0, 0, 1)]), series_row([], entries="ab")]}
    with pytest.raises(ArchiveRejected) as refused:
        entries_from_series(contents)
    assert (refused.value.file, refused.value.row) == ("hours.timeseries.csv", 3)
    assert "Timeserien kan ikke pakkes ut" in str(refused.value)
