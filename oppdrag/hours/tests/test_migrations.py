"""Time entries went from rows to packed series (0004) and back to rows (0006), unchanged."""

from __future__ import annotations

import datetime as dt
import struct
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ROWS = [("hours", "0003_timeentry_no_center_index")]
SERIES = [("hours", "0005_published_hours_note")]
ROWS_AGAIN = [("hours", "0006_time_entries_as_rows")]
# The packed layout of 0004 (day of the year, unit: 0 day, 1 week, 2 month, 3 year,
# hundredths), written out here as the old code wrote it.
ENTRY = struct.Struct("<HBi")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def entries(model):
    """Every time entry of a rows-shaped model state, as comparable tuples (0: none)."""
    return sorted(
        (e.person_id or 0, e.project_id, e.start, e.end, e.hours, e.batch_id or 0)
        for e in model.objects.all()
    )


# serialized_rollback: the flush after these tests must not re-create the content types
# and permissions that the next serialized-rollback test restores itself.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_packed_by_0004_come_back_as_the_same_rows_by_0006():
    old = migrate(ROWS)
    try:
        Center = old.get_model("core", "Center")
        Person = old.get_model("core", "Person")
        TimeProject = old.get_model("hours", "TimeProject")
        HoursImport = old.get_model("hours", "HoursImport")
        TimeEntry = old.get_model("hours", "TimeEntry")
        center = Center.objects.create(slug="napha", name="NAPHA", short_name="NAPHA")
        kari = Person.objects.create(center=center, name="Kari Nordmann")
        act = TimeProject.objects.create(center=center, number="100", name="ACT")
        batch = HoursImport.objects.create(
            center=center,
            file_name="t.csv",
            sha256="",
            start=dt.date(2024, 12, 30),
            end=dt.date(2025, 3, 31),
            rows_added=4,
            hours_added=Decimal("47.75"),
        )
        rows = [
            (kari, dt.date(2025, 3, 3), dt.date(2025, 3, 3), "day", "7.5"),
            (kari, dt.date(2025, 3, 10), dt.date(2025, 3, 16), "week", "20"),
            (kari, dt.date(2024, 12, 30), dt.date(2024, 12, 30), "day", "0.25"),
            (None, dt.date(2025, 3, 1), dt.date(2025, 3, 31), "month", "20"),
            (kari, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year", "1950"),
        ]
        for person, start, end, unit, hours in rows:
            TimeEntry.objects.create(
                center=center,
                person=person,
                project=act,
                start=start,
                end=end,
                granularity=unit,
                hours=Decimal(hours),
                batch=batch,
            )
        before = entries(TimeEntry)
        assert len(before) == 5
        new = migrate(ROWS_AGAIN)
        assert entries(new.get_model("hours", "TimeEntry")) == before
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_0006_unpacks_every_packed_entry_into_a_row():
    old = migrate(SERIES)
    try:
        Center = old.get_model("core", "Center")
        Person = old.get_model("core", "Person")
        TimeProject = old.get_model("hours", "TimeProject")
        HoursImport = old.get_model("hours", "HoursImport")
        TimeSeries = old.get_model("hours", "TimeSeries")
        center = Center.objects.create(slug="napha", name="NAPHA", short_name="NAPHA")
        kari = Person.objects.create(center=center, name="Kari Nordmann")
        act = TimeProject.objects.create(center=center, number="100", name="ACT")
        other = TimeProject.objects.create(center=center, number="200", name="Felles")
        batch = HoursImport.objects.create(
            center=center,
            file_name="t.csv",
            sha256="",
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 12, 31),
            rows_added=0,
            hours_added=Decimal(0),
        )
        # Per series: person, project, batch, year and (day of the year, unit, hundredths).
        packed = [
            (kari, act, batch, 2025, [(0, 0, 750), (58, 0, 25), (68, 1, 2000), (364, 0, 1)]),
            (kari, other, batch, 2025, [(59, 2, 12000), (0, 3, 195000)]),
            (None, act, None, 2025, [(334, 2, 1)]),
            (kari, act, None, 2024, [(59, 0, 999999)]),  # 29 February of a leap year
        ]
        expected = []
        for person, project, source, year, found in packed:
            first = dt.date(year, 1, 1)
            TimeSeries.objects.create(
                center=center,
                person=person,
                project=project,
                batch=source,
                year=year,
                start=first,
                end=first,
                count=len(found),
                hours=Decimal(sum(h for _d, _u, h in found)) / 100,
                entries=b"".join(ENTRY.pack(*entry) for entry in found),
            )
            for day, unit, hundredths in found:
                start = first + dt.timedelta(days=day)
                end = [
                    start,
                    start + dt.timedelta(days=6),
                    (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                    - dt.timedelta(days=1),
                    dt.date(year, 12, 31),
                ][unit]
                expected.append(
                    (
                        person.pk if person else 0,
                        project.pk,
                        start,
                        end,
                        Decimal(hundredths) / 100,
                        source.pk if source else 0,
                    )
                )
        new = migrate(ROWS_AGAIN)
        TimeEntry = new.get_model("hours", "TimeEntry")
        assert entries(TimeEntry) == sorted(expected)
        assert len(expected) == 8
        # The spot checks the expectation's own arithmetic rests on.
        assert (dt.date(2025, 3, 10), dt.date(2025, 3, 16)) in {
            (e.start, e.end) for e in TimeEntry.objects.all()
        }
        assert TimeEntry.objects.get(start=dt.date(2024, 2, 29)).hours == Decimal("9999.99")
        december = TimeEntry.objects.get(person=None)
        assert (december.start, december.end) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
