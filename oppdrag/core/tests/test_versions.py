"""The data version: raised once per committed transaction that changed data, never before."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from django.http import HttpRequest

from oppdrag.core import versions
from oppdrag.core.bulk import insert_rows, uid_hex
from oppdrag.core.models import Person

# Committing tests restore the database by serialized rollback, as the browser tests do.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_transaction_raises_the_version_once_and_only_when_it_commits(center):
    before = versions.current()
    assert before is not None
    with transaction.atomic():
        Person.objects.create(center=center, name="Kari Nordmann")
        Person.objects.create(center=center, name="Ola Nordmann")
        # Uncommitted writes of its own: this connection must not use a shared cache.
        assert versions.current() is None
        assert _committed_version() == before
    assert versions.current() == before + 1


def test_a_rolled_back_transaction_leaves_the_version_as_it_was(center):
    before = versions.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        Person.objects.create(center=center, name="Kari Nordmann")
        raise RuntimeError
    assert versions.current() == before
    assert not Person.objects.filter(name="Kari Nordmann").exists()


def test_a_rolled_back_savepoint_forgets_its_writes(center):
    before = versions.current()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Person.objects.create(center=center, name="Kari Nordmann")
                raise RuntimeError
        except RuntimeError:
            pass
        assert versions.current() == before  # nothing of its own left to commit
    assert versions.current() == before


def test_updates_deletes_and_bulk_inserts_outside_a_transaction_each_raise_it(center):
    # In autocommit every statement is its own transaction (a create writes the row
    # and its history row: two raises), so each step only has to raise it.
    seen = [versions.current()]
    person = Person.objects.create(center=center, name="Kari Nordmann")
    seen.append(versions.current())
    Person.objects.filter(pk=person.pk).update(affiliation="NAPHA")
    seen.append(versions.current())
    # COPY on PostgreSQL bypasses Django's cursor wrapper; insert_rows reports it.
    columns = ["center", "uid", "name", "created_at", "updated_at", "is_staff_member"]
    insert_rows(
        Person,
        [*columns, "affiliation"],
        [(center.pk, next(uid_hex(1)), "Ola", _now(), _now(), False, "")],
    )
    seen.append(versions.current())
    Person.objects.filter(center=center).delete()
    seen.append(versions.current())
    assert None not in seen
    assert all(a < b for a, b in itertools.pairwise(seen)), seen  # type: ignore[operator]


def test_signing_in_does_not_change_the_version(client, make_user, center):
    make_user("leser", center)
    before = versions.current()
    assert client.login(request=HttpRequest(), username="leser", password="pw-leser")
    client.get("/")
    assert versions.current() == before


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "activities_event" ("a") VALUES (%s)', "activities_event"),
        ('  update "core_person" SET "name" = %s', "core_person"),
        ('DELETE FROM "hours_timeentry" WHERE id = 1', "hours_timeentry"),
        ('SELECT * FROM "core_person"', None),
        ("SAVEPOINT s1", None),
    ],
)
def test_the_written_table_is_read_from_the_statement(sql, table):
    assert versions.written_table(sql) == table


def _committed_version() -> int:
    """The counter as another connection sees it."""
    import threading

    from django.db import connections

    seen: list[int | None] = []

    def read() -> None:
        try:
            seen.append(versions.current())
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert seen[0] is not None
    return seen[0]


def _now():
    from django.db import connection
    from django.utils import timezone

    return connection.ops.adapt_datetimefield_value(timezone.now())


def test_the_hours_imports_bulk_insert_raises_it_too(center):
    # PostgreSQL: COPY (bulk.insert_rows); SQLite: executemany.
    import datetime as dt
    from decimal import Decimal

    from oppdrag.hours.models import HoursImport, TimeProject, TimeSeries
    from oppdrag.hours.periods import Granularity, Period
    from oppdrag.hours.series import Entry, pack_entries, unpack
    from oppdrag.hours.services import insert_series

    project = TimeProject.objects.create(center=center, number="100", name="ACT")
    batch = HoursImport.objects.create(
        center=center,
        file_name="timer.csv",
        sha256="",
        start=dt.date(2025, 3, 3),
        end=dt.date(2025, 3, 3),
        rows_added=1,
        hours_added=Decimal("7.5"),
    )
    before = versions.current()
    assert before is not None
    day = dt.date(2025, 3, 3)
    entry = Entry(Period(day, day, Granularity.DAY), Decimal("7.5"))
    row = (None, project.pk, day, day, 1, "7.50", pack_entries(2025, [entry]))
    assert insert_series(batch, 2025, [row]) == 1
    assert versions.current() == before + 1
    series = TimeSeries.objects.get(batch=batch)
    assert (series.hours, unpack(series.year, series.entries)) == (Decimal("7.5"), [entry])
