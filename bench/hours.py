"""Importers against their floors: hours and events.

``measure(database)`` returns measurements made with ``bench.run.measurement``:

* ``import_hours_csv``: importing a 200 000-row time-system export (300 people, 60
  projects, one row per person, project and working day) into an empty period, one
  ``TimeEntry`` row per line; floor: the database's own bulk insert of the same rows
  into the same table (its indexes, constraints and foreign keys, checked inside the
  timing): ``COPY`` of ready-made text on PostgreSQL, ``executemany`` of ready tuples
  on SQLite, rolled back. Target: ``ratio`` ≤ 3. Import and floor are timed in
  turns (``IMPORT_REPEAT`` of each, medians), so both see the same load; the table
  is vacuumed between turns on PostgreSQL, so no turn inherits another's dead rows.
  ``csv_reader_s`` is a ``csv.reader`` pass over the file, for insight only.
* ``import_hours_csv_replace``: the same file again, so its 200 000 entries replace
  the stored ones (summary per project and person, one DELETE, the bulk insert),
  median of ``IMPORT_REPEAT``, against the same floor.
* ``import_hours_xlsx``: the same rows as an XLSX workbook; floor: openpyxl's
  read-only iteration over the sheet.
* ``import_events``: 20 000 generated event rows (the demo's events repeated);
  floor: the database's own insert of the same rows into the real tables
  (``database_floor_s`` below; target ``ratio`` ≤ 1.5). ``import_events_xlsx``: 20 000
  more (other numbers) as an XLSX workbook; floor: openpyxl's read-only iteration.

Each carries ``peak_rss_mb``, the process's peak resident memory during that
import alone (the kernel's high-water mark is reset before it).

The floor of ``import_events`` is the time ``insert_rows`` takes to insert, again,
what the import stored (events, their history rows, links and organisers, from ready
tuples; rolled back). The former target against a ``csv.reader`` pass alone is retired
(no import that stores these rows can reach it, see below); that pass is still reported
as ``csv_reader_s`` with ``csv_reader_ratio``. ``bare_events_floor_s`` is the time to
insert only the event rows into a copy of the table with no index, key or constraint,
``bare_floor_s`` the same for all those rows; ``bare_events_ratio`` and
``bare_ratio`` are those against the ``csv.reader`` pass: what any import that
stores one row per event (and one history row, one row per link) costs at the least.

Standalone: ``python -m bench.hours`` (SQLite in a temporary file) or with
``DATABASE_URL=postgres://…/hoursfast_bench``; prints the JSON list.
``--hours-rows 0`` measures the events import alone.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.run import timed

HOURS_ROWS = 200_000
EVENT_ROWS = 20_000
# Hours CSV imports (and floors) per measure, medians: one run on a shared machine
# can land far from the next.
IMPORT_REPEAT = 3


def reset_peak_rss() -> None:
    """Start a new high-water mark for this process's resident memory (Linux)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    """The resident-memory high-water mark since the last reset, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def csv_floor(path: Path, *, repeat: int = 3) -> float:
    def read() -> None:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for _row in csv.reader(handle, delimiter=";"):
                pass

    return timed(read, repeat=repeat)


def xlsx_floor(path: Path) -> float:
    import openpyxl

    def read() -> None:
        workbook = openpyxl.load_workbook(path, read_only=True)
        for _row in workbook.worksheets[0].iter_rows(values_only=True):
            pass
        workbook.close()

    return timed(read, repeat=1)


def write_xlsx(source: Path, target: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Timer")
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            sheet.append(row)
    workbook.save(target)


def measure(
    database: str,
    *,
    hours_rows: int = HOURS_ROWS,
    event_rows: int = EVENT_ROWS,
    xlsx: bool = True,
) -> list[dict[str, Any]]:
    """Measure the hours and events imports on the configured database (migrated here).

    ``event_rows=0`` leaves the events out and ``xlsx=False`` the workbook (for a
    memory run with millions of hours rows).
    """
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from bench import hours_export

    call_command("migrate", verbosity=0)
    results: list[dict[str, Any]] = []
    # A file of two million rows is larger than the upload limits allow.
    limits = override_settings(
        IMPORT_MAX_ROWS=max(hours_rows, event_rows, 200_000),
        IMPORT_MAX_BYTES=max(60 * hours_rows, 50 * 1024 * 1024),
    )
    limits.enable()
    # Three rows a working day per person: enough people for the rows asked for.
    people = max(300, hours_rows // (3 * 261) + 1)
    center = hours_export.setup_center(people=people, projects=60)
    try:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "timer.csv"
            hours_export.write_export(path, hours_rows, people=people, projects=60)
            results.extend(_measure_hours_csv(database, center, path, hours_rows))
            if xlsx:
                workbook = Path(directory) / "timer.xlsx"
                write_xlsx(path, workbook)
                floor = xlsx_floor(workbook)
                _empty_period(center)
                wall, peak = _run_import(center, workbook)
                results.append(
                    _hours_measurement(
                        "import_hours_xlsx",
                        database,
                        hours_rows,
                        wall,
                        "openpyxl read-only iteration of the workbook",
                        floor,
                        peak_rss_mb=peak,
                    )
                )
    finally:
        hours_export.teardown_center()
    if event_rows:
        results.extend(_measure_events(database, event_rows))
    limits.disable()
    connection.close()
    return results


INSERT_FLOOR = "the database's bulk insert of the same rows into the same table"


def _hours_measurement(
    name: str, database: str, rows: int, wall: float, floor_name: str, floor: float, **extra: Any
) -> dict[str, Any]:
    from bench.run import measurement

    return measurement(
        name,
        database,
        f"{rows} rows",
        wall,
        floor_name,
        floor,
        rows_per_s=round(rows / wall),
        **extra,
    )


def _measure_hours_csv(database: str, center: Any, path: Path, rows: int) -> list[dict[str, Any]]:
    """The CSV import into an empty period and replacing it, against the insert floor;
    import and floor in turns, medians of ``IMPORT_REPEAT``."""
    reader = csv_floor(path)
    floor_rows = _floor_rows(center, path)
    fresh: list[tuple[float, float]] = []
    floors: list[float] = []
    for _turn in range(IMPORT_REPEAT):
        floors.append(_insert_floor(center, floor_rows))
        _empty_period(center)
        fresh.append(_run_import(center, path))
    floor = statistics.median(floors)
    wall = statistics.median(w for w, _p in fresh)
    replacing = [_run_import(center, path) for _turn in range(IMPORT_REPEAT)]
    replace_wall = statistics.median(w for w, _p in replacing)
    return [
        _hours_measurement(
            "import_hours_csv",
            database,
            rows,
            wall,
            INSERT_FLOOR,
            floor,
            peak_rss_mb=max(p for _w, p in fresh),
            floors_s=[round(f, 3) for f in floors],
            imports_s=[round(w, 3) for w, _p in fresh],
            csv_reader_s=round(reader, 3),
            csv_reader_ratio=round(wall / reader, 2),
        ),
        _hours_measurement(
            "import_hours_csv_replace",
            database,
            rows,
            replace_wall,
            INSERT_FLOOR,
            floor,
            peak_rss_mb=max(p for _w, p in replacing),
        ),
    ]


def _run_import(center: Any, path: Path) -> tuple[float, float]:
    """One import of ``path`` (seconds, peak memory in MB); it must succeed."""
    from bench import hours_export
    from oppdrag.hours.importers import HoursImporter

    reset_peak_rss()
    start = time.perf_counter()
    result = HoursImporter(center, hours_export.YEAR).run(path)
    wall = time.perf_counter() - start
    if not result.ok:
        raise RuntimeError("; ".join(str(p) for p in result.problems[:5]))
    return wall, peak_rss_mb()


def _empty_period(center: Any) -> None:
    """The centre's hours and import records gone, and the table vacuumed."""
    from django.db import transaction

    from oppdrag.hours.models import HoursImport, TimeEntry

    with transaction.atomic():
        entries = TimeEntry.objects.filter(center=center)
        entries._raw_delete(entries.db)  # type: ignore[attr-defined]
        HoursImport.objects.filter(center=center).delete()
    _vacuum()


def _vacuum() -> None:
    """PostgreSQL: clear the dead rows a delete or a rolled-back insert leaves in the
    table and its indexes, so the next turn starts from the same state."""
    from django.db import connection

    from oppdrag.hours.models import TimeEntry

    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(TimeEntry._meta.db_table)}")


def _floor_rows(center: Any, path: Path) -> list[Any]:
    """The rows the import of ``path`` writes, read and checked by the importer first
    (not timed), in the form the floor hands to the database: one line of ``COPY``
    text each on PostgreSQL, a tuple on SQLite. Every column is given, as the
    import gives it; the import record is the centre's latest (or none)."""
    from django.db import connection
    from django.utils import timezone

    from bench import hours_export
    from oppdrag.core.bulk import uid_hex
    from oppdrag.hours.importers import HoursImporter
    from oppdrag.hours.reading import read_entries
    from oppdrag.importing.base import ImportResult

    importer = HoursImporter(center, hours_export.YEAR)
    importer.file_name = path.name
    importer.prepare()
    result = ImportResult(kind="hours", file=path.name, dry_run=True)
    entries = read_entries(importer, path, result)
    if entries is None or result.problems:
        raise RuntimeError("; ".join(str(p) for p in result.problems[:5]))
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    made = zip(uid_hex(len(entries)), HoursImporter._rows(entries), strict=True)
    if connection.vendor == "postgresql":
        null = "\\N"
        return [
            f"{center.pk}\t{uid}\t{stamp}\t{stamp}\t{null if person is None else person}"
            f"\t{project}\t{first}\t{last}\t{hours}\t{null}\n"
            for uid, (person, project, first, last, hours) in made
        ]
    return [(center.pk, uid, stamp, stamp, *row, None) for uid, row in made]


def _insert_floor(center: Any, rows: list[Any]) -> float:
    """Seconds the database takes to insert ``rows`` into the entries' own table, its
    foreign keys checked (deferred on PostgreSQL, so made immediate inside the
    timing); rolled back, then vacuumed."""
    from django.db import connection, transaction

    from oppdrag.hours.models import TimeEntry
    from oppdrag.hours.services import ENTRY_COLUMNS

    quote = connection.ops.quote_name
    table = quote(TimeEntry._meta.db_table)
    fields = [TimeEntry._meta.get_field(name) for name in ENTRY_COLUMNS]
    names = ", ".join(quote(str(field.column)) for field in fields)  # type: ignore[union-attr]

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            start = time.perf_counter()
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for at in range(0, len(rows), 8192):
                        copy.write("".join(rows[at : at + 8192]))
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            else:
                marks = ", ".join(["%s"] * len(ENTRY_COLUMNS))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            wall = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    _vacuum()
    return wall


def insert_seconds(insert: Any) -> float:
    """Seconds ``insert()`` takes, the foreign keys included: on PostgreSQL they are
    deferred to the commit, which a floor rolls back, so they are checked here."""
    from django.db import connection

    start = time.perf_counter()
    insert()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return time.perf_counter() - start


def measure_events(database: str, rows: int = EVENT_ROWS) -> list[dict[str, Any]]:
    """The events import alone, on the configured database (migrated here)."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    with override_settings(IMPORT_MAX_ROWS=max(rows, 200_000)):
        return _measure_events(database, rows)


def _measure_events(database: str, rows: int) -> list[dict[str, Any]]:
    """The events import of ``rows`` rows from CSV and then from XLSX (other numbers)."""
    from bench.run import measurement
    from oppdrag.activities.importers import IMPORTERS
    from oppdrag.core.demo import DEMO_DIR, load_demo
    from oppdrag.core.models import Center
    from oppdrag.importing.writers import write_csv

    load_demo(registries_only=True)
    center = Center.objects.get(slug="napha")
    with (DEMO_DIR / "events.csv").open(encoding="utf-8-sig", newline="") as handle:
        source = list(csv.reader(handle, delimiter=";"))
    header, body = source[0], source[1:]
    ref = header.index("Nr")

    def table(prefix: str) -> list[list[str]]:
        made = [header]
        for i in range(rows):
            row = list(body[i % len(body)])
            row[ref] = f"{prefix}{i:06d}"
            made.append(row)
        return made

    def run_import(path: Path) -> tuple[float, float]:
        reset_peak_rss()
        start = time.perf_counter()
        result = IMPORTERS["events"](center, 2025).run(path)
        wall = time.perf_counter() - start
        if not result.ok:
            raise RuntimeError("; ".join(str(p) for p in result.problems[:5]))
        return wall, peak_rss_mb()

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "events.csv"
        path.write_bytes(write_csv(table("B-")))
        floor = csv_floor(path)
        wall, peak = run_import(path)
        db_floor, bare_events, bare_all = _events_database_floor(center, "B-")
        csv_result = measurement(
            "import_events",
            database,
            f"{rows} rows",
            wall,
            "the database's insert of the same rows into the real tables",
            db_floor,
            rows_per_s=round(rows / wall),
            peak_rss_mb=peak,
            csv_reader_s=round(floor, 3),
            csv_reader_ratio=round(wall / floor, 2),
            bare_events_floor_s=round(bare_events, 3),
            bare_events_ratio=round(bare_events / floor, 2),
            bare_floor_s=round(bare_all, 3),
            bare_ratio=round(bare_all / floor, 2),
        )
        other = Path(directory) / "events-x.csv"
        other.write_bytes(write_csv(table("X-")))
        workbook = Path(directory) / "events.xlsx"
        write_xlsx(other, workbook)
        floor = xlsx_floor(workbook)
        wall, peak = run_import(workbook)
    xlsx_result = measurement(
        "import_events_xlsx",
        database,
        f"{rows} rows",
        wall,
        "openpyxl read-only iteration of the workbook",
        floor,
        rows_per_s=round(rows / wall),
        peak_rss_mb=peak,
    )
    return [csv_result, xlsx_result]


def _events_database_floor(center: Any, prefix: str) -> tuple[float, float, float]:
    """The time to insert what the events import stored, again, from ready tuples;
    and the same rows into bare tables (``_bare_insert_seconds``): the events alone, and
    everything.

    The events the import made (their numbers start with ``prefix``; the demo's
    own events are left out), their history rows, links and organisers are read
    back, given new keys and public ids, and inserted by ``insert_rows`` (the
    importer's own bulk insert) with no reading or checks; rolled back. On
    PostgreSQL the deferred foreign keys are checked inside the timing.
    """
    from django.db import connection, transaction

    from oppdrag.activities.models import Event, EventOrganizer
    from oppdrag.core.bulk import insert_rows, reserve_ids, uid_hex

    def prepared(queryset: Any, fields: list[Any]) -> list[list[Any]]:
        return [
            [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
            for row in queryset.values_list(*(f.attname for f in fields))
        ]

    event_fields = list(Event._meta.concrete_fields)
    history_model = Event.history.model  # type: ignore[attr-defined]
    history_fields = [f for f in history_model._meta.concrete_fields if f.attname != "history_id"]
    events = Event.objects.filter(center=center, ref__startswith=prefix).order_by("pk")

    class Rollback(Exception):
        pass

    uid_at = [f.attname for f in event_fields].index("uid")
    history_uid_at = [f.attname for f in history_fields].index("uid")
    try:
        with transaction.atomic():
            rows = prepared(events, event_fields)
            new_id = dict(zip((row[0] for row in rows), reserve_ids(Event, len(rows)), strict=True))
            new_uid = {}
            for row, uid in zip(rows, uid_hex(len(rows)), strict=True):
                row[0] = new_id[row[0]]
                row[uid_at] = new_uid[row[0]] = uid
            history = prepared(
                history_model.objects.filter(center_id=center.pk, ref__startswith=prefix).order_by(
                    "pk"
                ),
                history_fields,
            )
            for row in history:
                row[0] = new_id[row[0]]
                row[history_uid_at] = new_uid[row[0]]
            links = []
            for key in ("assignments", "focus_areas", "regions", "municipalities", "districts"):
                field = Event._meta.get_field(key)
                through = field.remote_field.through  # type: ignore[union-attr]
                names = [field.m2m_field_name(), field.m2m_reverse_field_name()]  # type: ignore[union-attr]
                pairs = through.objects.filter(
                    **{f"{names[0]}__center": center, f"{names[0]}__ref__startswith": prefix}
                ).values_list(f"{names[0]}_id", f"{names[1]}_id")
                links.append((through, names, [(new_id[a], b) for a, b in pairs]))
            organizers = [
                (new_id[a], b, p)
                for a, b, p in EventOrganizer.objects.filter(
                    event__center=center, event__ref__startswith=prefix
                ).values_list("event_id", "organization_id", "position")
            ]

            def insert() -> None:
                insert_rows(Event, [f.attname for f in event_fields], rows)
                insert_rows(history_model, [f.attname for f in history_fields], history)
                for through, names, pairs in links:
                    insert_rows(through, names, pairs)
                insert_rows(EventOrganizer, ["event", "organization", "position"], organizers)

            wall = insert_seconds(insert)
            event_columns = [str(f.column) for f in event_fields]
            history_columns = [str(f.column) for f in history_fields]
            bare_events = _bare_insert_seconds(Event._meta.db_table, event_columns, rows)
            bare_all = bare_events + _bare_insert_seconds(
                history_model._meta.db_table, history_columns, history
            )
            for through, names, pairs in links:
                columns = [through._meta.get_field(name).column for name in names]
                bare_all += _bare_insert_seconds(through._meta.db_table, columns, pairs)
            bare_all += _bare_insert_seconds(
                EventOrganizer._meta.db_table,
                [
                    str(EventOrganizer._meta.get_field(n).column)  # type: ignore[union-attr]
                    for n in ("event", "organization", "position")
                ],
                organizers,
            )
            raise Rollback
    except Rollback:
        pass
    return wall, bare_events, bare_all


def _bare_insert_seconds(table: str, columns: list[str], rows: list[Any]) -> float:
    """Seconds to insert ``rows`` into an empty copy of ``table`` with no index, key or
    constraint (a temporary table, gone with the caller's rollback): what storing the
    rows costs the database at the very least, whatever the schema."""
    from django.db import connection

    quote = connection.ops.quote_name
    bare = quote(f"bare_{table}")
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {bare} AS SELECT {names} FROM {quote(table)} WHERE 1 = 0"
        )
        start = time.perf_counter()
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {bare} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {bare} ({names}) VALUES ({marks})", rows)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hours-rows", type=int, default=HOURS_ROWS, help="0: events only")
    parser.add_argument("--event-rows", type=int, default=EVENT_ROWS, help="0: no events")
    parser.add_argument("--no-xlsx", action="store_true", help="leave the workbook out")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppdrag.settings.test")
    with tempfile.TemporaryDirectory() as directory:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/bench-hours.sqlite3")
        import django

        django.setup()
        from django.db import connection

        database = "postgresql" if connection.vendor == "postgresql" else "sqlite"
        if args.hours_rows:
            results = measure(
                database,
                hours_rows=args.hours_rows,
                event_rows=args.event_rows,
                xlsx=not args.no_xlsx,
            )
        else:
            results = measure_events(database, args.event_rows)
        json.dump(
            results,
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
