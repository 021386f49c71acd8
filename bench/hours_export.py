"""A generated time-system export for the hours benchmarks (``bench/hours.py``).

``write_export`` writes one row per person, project and working day as CSV;
``setup_center`` makes the centre (``bench-hours``) with the people and projects it
names, and ``teardown_center`` removes it and its hours. Imported lazily by
``bench/hours.py``: it needs Django set up and a migrated database.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from oppdrag.core.models import Center, Person
from oppdrag.core.services import create_center
from oppdrag.hours.models import StaffMember, TimeEntry, TimeProject

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


@transaction.atomic
def setup_center(people: int, projects: int) -> Center:
    """The benchmark centre, made afresh, with its people (staff) and projects."""
    teardown_center()
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


def teardown_center() -> None:
    """Remove the benchmark centre; its hours go in one DELETE first."""
    for center in Center.objects.filter(slug=BENCH_SLUG):
        entries = TimeEntry.objects.filter(center=center)
        entries._raw_delete(entries.db)  # type: ignore[attr-defined]
        center.delete()
