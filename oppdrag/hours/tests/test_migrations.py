"""Time entries stored one row each before 0004 are packed into series by it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from oppdrag.hours.series import unpack

BEFORE = [("hours", "0003_timeentry_no_center_index")]
AFTER = [("hours", "0004_time_series")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# serialized_rollback: the flush after this test must not re-create the content types
# and permissions that the next serialized-rollback test restores itself.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_0004_packs_each_imports_entries_per_person_project_and_year():
    old = migrate(BEFORE)
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
        new = migrate(AFTER)
        TimeSeries = new.get_model("hours", "TimeSeries")
        found = {
            (s.person_id, s.year): (s.count, s.hours, s.start, s.end, s.batch_id, s)
            for s in TimeSeries.objects.all()
        }
        assert set(found) == {(kari.pk, 2024), (kari.pk, 2025), (None, 2025)}
        count, hours, start, end, batch_id, series = found[kari.pk, 2025]
        assert (count, hours, start, end, batch_id) == (
            2,
            Decimal("27.5"),
            dt.date(2025, 3, 3),
            dt.date(2025, 3, 16),
            batch.pk,
        )
        assert [(e.start, e.end, e.granularity, e.hours) for e in unpack(2025, series.entries)] == [
            (dt.date(2025, 3, 3), dt.date(2025, 3, 3), "day", Decimal("7.5")),
            (dt.date(2025, 3, 10), dt.date(2025, 3, 16), "week", Decimal(20)),
        ]
        assert found[kari.pk, 2024][:2] == (1, Decimal("0.25"))
        month = found[None, 2025][-1]
        assert [(e.start, e.end) for e in unpack(2025, month.entries)] == [
            (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
        ]
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
