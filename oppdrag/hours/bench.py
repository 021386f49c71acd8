"""Benchmark the hours import against the floor of merely reading the file.

``bench_hours_import(rows=200_000)`` writes a generated time-system export (one
row per person, project and working day, as CSV), then times

* the floor: reading the file with the ``csv`` module and nothing else, and
* the import: ``HoursImporter.run`` (read, clean, check, save in one transaction),

and returns both with their ratio. It needs a migrated database; it creates its
own centre (``bench-hours``) and deletes it afterwards.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import transaction

from oppdrag.core.models import Center, Person
from oppdrag.core.services import create_center

from .importers import HoursImporter
from .models import StaffMember, TimeProject, TimeSeries

BENCH_SLUG = "bench-hours"
YEAR = 2025


def working_days(year: int) -> list[dt.date]:
    day, days = dt.date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def write_export(path: Path, rows: int, *, people: int, projects: int) -> None:
    """A CSV export: person × project × day with hours such as «3,5» and «1:30»."""
    days = working_days(YEAR)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Person", "Prosjektnummer", "Periode", "Timer"])
        written = 0
        # Each person books at most three projects a day, a few hours each, so
        # no day passes 24 hours and no period overlaps.
        for slot in range(3):
            for day in days:
                for person in range(people):
                    if written == rows:
                        return
                    project = (person * 3 + slot) % projects
                    hours = ("2,5", "1:30", "3")[slot]
                    writer.writerow(
                        [f"Ansatt {person:04d}", f"B{project:03d}", day.strftime("%d.%m.%Y"), hours]
                    )
                    written += 1
    if written < rows:
        raise ValueError("For mange rader for antallet personer; øk «people».")


def read_floor(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _row in csv.reader(handle, delimiter=";"))


@transaction.atomic
def _setup(people: int, projects: int) -> Center:
    _teardown()
    center = create_center(slug=BENCH_SLUG, name="Benchmark", short_name="BENCH")
    TimeProject.objects.bulk_create(
        [
            TimeProject(center=center, number=f"B{i:03d}", name=f"Prosjekt {i}")
            for i in range(projects)
        ]
    )
    persons = Person.objects.bulk_create(
        [Person(center=center, name=f"Ansatt {i:04d}", is_staff_member=True) for i in range(people)]
    )
    StaffMember.objects.bulk_create([StaffMember(center=center, person=p) for p in persons])
    return center


def bench_hours_import(
    rows: int = 200_000, *, people: int = 300, projects: int = 60
) -> dict[str, Any]:
    """Time the import of ``rows`` rows against reading them with ``csv``; return both."""
    center = _setup(people, projects)
    try:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "timer.csv"
            write_export(path, rows, people=people, projects=projects)
            start = time.perf_counter()
            read = read_floor(path)
            floor = time.perf_counter() - start
            start = time.perf_counter()
            result = HoursImporter(center, YEAR).run(path)
            wall = time.perf_counter() - start
        if not result.ok:
            raise RuntimeError("; ".join(str(p) for p in result.problems[:5]))
        return {
            "name": "hours_import",
            "rows": rows,
            "rows_read": read - 1,
            "added": result.added,
            "import_s": round(wall, 3),
            "floor_name": "csv.reader read of the export",
            "floor_s": round(floor, 3),
            "ratio": round(wall / floor, 1) if floor else None,
        }
    finally:
        _teardown()


def _teardown() -> None:
    """Remove the benchmark centre; its hours go in one DELETE first."""
    for center in Center.objects.filter(slug=BENCH_SLUG):
        series = TimeSeries.objects.filter(center=center)
        series._raw_delete(series.db)  # type: ignore[attr-defined]
        center.delete()
