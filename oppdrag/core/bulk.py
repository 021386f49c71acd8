"""Insert many plain rows at the speed the database takes them, all or nothing.

``bulk_create`` builds a model instance per row and compiles its parameters value
by value; for the hundreds of thousands of rows an hours export holds, that costs
many times the database's own work. ``insert_rows`` takes rows as tuples of values
in the form the driver accepts (ints, strings, dates or ISO date strings, decimals,
``None``) and hands them over in bulk: ``COPY … FROM STDIN`` on PostgreSQL
(psycopg 3's ``cursor.copy``), ``executemany`` in chunks on SQLite. It consumes
an iterator, so a caller can stream rows without holding them all. It runs in one
transaction (a savepoint inside an outer one): a failing row, or an exception
raised by the iterator halfway, leaves nothing behind.

No signals are sent and no history is written: callers record what they did in
their own way (see ``oppdrag.hours.models.HoursImport``).
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

# Rows per ``executemany`` call on SQLite: large enough that the per-call cost
# vanishes, small enough that a chunk's tuples stay a few megabytes.
CHUNK_ROWS = 10_000


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Insert ``rows`` (one value per name in ``columns``) into ``model``'s table.

    ``columns`` are field names (``person`` or ``person_id`` for a foreign key).
    Values must be what the database stores: primary keys for foreign keys,
    ``uid_hex`` strings for UUID fields, prepared datetimes
    (``connection.ops.adapt_datetimefield_value``). Returns the number of rows.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    table = quote(model._meta.db_table)
    names = ", ".join(quote(str(field.column)) for field in fields)  # type: ignore[union-attr]
    count = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({names}) FROM STDIN"
            start = time.perf_counter()
            # The driver's own cursor (Django's wrapper has no COPY); its errors are
            # turned into Django's (IntegrityError …) as the wrapper would.
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                write = copy.write_row
                for count, row in enumerate(rows, start=1):  # noqa: B007
                    write(row)
            if connection.queries_logged:
                # COPY bypasses Django's cursor wrapper; log it like any query.
                connection.queries_log.append(
                    {"sql": f"{sql} -- {count} rows", "time": f"{time.perf_counter() - start:.3f}"}
                )
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            iterator = iter(rows)
            while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
                cursor.executemany(sql, chunk)
                count += len(chunk)
    return count


def copy_lines(
    model: type[models.Model],
    columns: Sequence[str],
    lines: Iterable[str],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """PostgreSQL only: ``COPY`` ready-made lines of text format into ``model``'s table.

    Each line is one row ending in ``\\n``: the values of ``columns`` separated by
    tabs, ``\\N`` for NULL. The caller formats them and must only pass values
    that need no escaping (numbers, ISO dates and times, 32-digit UUIDs, plain
    words): no tab, newline or backslash. For rows made by the hundred thousand
    from a few distinct values, formatting a line with one f-string costs about
    half of ``insert_rows``' value-by-value ``write_row``. Lines are sent in
    blocks of 8 192; returns the number of lines. All or nothing, as
    ``insert_rows``.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RuntimeError("copy_lines needs PostgreSQL; use insert_rows")
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    table = quote(model._meta.db_table)
    names = ", ".join(quote(str(field.column)) for field in fields)  # type: ignore[union-attr]
    sql = f"COPY {table} ({names}) FROM STDIN"
    count = 0
    start = time.perf_counter()
    iterator = iter(lines)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            while block := list(itertools.islice(iterator, 8192)):
                copy.write("".join(block))
                count += len(block)
        if connection.queries_logged:
            connection.queries_log.append(
                {"sql": f"{sql} -- {count} rows", "time": f"{time.perf_counter() - start:.3f}"}
            )
    return count


def uid_hex(count: int, *, now_ms: int | None = None) -> Iterator[str]:
    """``count`` new UUIDs (RFC 9562 version 7) as 32 hex digits, ascending, made lazily.

    Both databases take the 32-digit form for a ``UUIDField`` (SQLite stores it
    as is). Version 7 puts the time first, so a batch's keys land at the end of
    the unique index instead of at random places in it, which makes inserting
    them markedly cheaper (measured: about 40 % on SQLite for 200 000 rows). The
    12 bits after the version and the first 14 of the random part hold a counter
    (RFC 9562, 6.2, method 1) that keeps a batch in order; the remaining 48 bits
    are random, so an identifier is still not guessable from its neighbours. The
    identifiers are made in chunks, so ten million of them never sit in memory.
    """
    stamp = int(time.time() * 1000) if now_ms is None else now_ms
    room = 1 << _COUNTER_BITS
    made = 0
    while made < count:
        # The counter restarts each millisecond step (RFC 9562: on overflow,
        # advance the timestamp).
        index = made % room
        if made and index == 0:
            stamp += 1
        size = min(_UID_CHUNK, count - made, room - index)
        counter = np.arange(index, index + size, dtype=np.uint32)
        block = np.empty((size, 16), dtype=np.uint8)
        block[:, :6] = np.frombuffer((stamp & 0xFFFF_FFFF_FFFF).to_bytes(6, "big"), np.uint8)
        block[:, 6] = 0x70 | (counter >> 22)
        block[:, 7] = (counter >> 14) & 0xFF
        block[:, 8] = 0x80 | ((counter >> 8) & 0x3F)
        block[:, 9] = counter & 0xFF
        block[:, 10:] = np.frombuffer(os.urandom(6 * size), np.uint8).reshape(size, 6)
        text = block.tobytes().hex()
        for start in range(0, 32 * size, 32):
            yield text[start : start + 32]
        made += size


_COUNTER_BITS = 26
_UID_CHUNK = 65_536


def reserve_ids(
    model: type[models.Model], count: int, *, using: str = DEFAULT_DB_ALIAS
) -> list[int]:
    """``count`` primary keys for new rows of ``model``, taken before the rows exist.

    With the keys known, rows that point to the new ones (links, history) can be
    inserted by ``insert_rows`` too, which returns no keys. PostgreSQL hands them
    out from the table's sequence. SQLite has none: the keys follow the highest
    ever used (``sqlite_sequence`` remembers deleted ones, which must not come
    back, or a new record would inherit a deleted one's history); the
    transaction holds the write lock from its start (``IMMEDIATE``), so no other
    writer can take them meanwhile. Call inside ``transaction.atomic``.
    """
    if count <= 0:
        return []
    connection = connections[using]
    table = model._meta.db_table
    column = model._meta.pk.column  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids needs a transaction (the keys are free only in it)")
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")
        highest = cursor.fetchone()[0]
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
        )
        if cursor.fetchone():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row:
                highest = max(highest, row[0])
    return list(range(highest + 1, highest + 1 + count))


def create_with_history(
    objects: Sequence[M], *, user: Any = None, using: str = DEFAULT_DB_ALIAS
) -> Sequence[M]:
    """Insert unsaved instances of one model, with a «created» history row each.

    What ``simple_history.utils.bulk_create_with_history`` does, without its cost:
    the keys are reserved first (``reserve_ids``), each value is prepared once by
    its field, and both tables are filled by ``insert_rows``. The instances get
    their keys and count as saved. No signals are sent. All or nothing.
    """
    if not objects:
        return objects
    model = type(objects[0])
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields]
    with transaction.atomic(using=using):
        ids = reserve_ids(model, len(objects), using=using)
        rows = []
        for obj, pk in zip(objects, ids, strict=True):
            obj.pk = pk
            rows.append(
                tuple(
                    field.get_db_prep_save(field.pre_save(obj, True), connection)
                    for field in fields
                )
            )
        insert_rows(model, [f.attname for f in fields], rows, using=using)
        history = getattr(model, "history", None)
        if history is not None:
            history_model = history.model
            tracked = {f.attname: index for index, f in enumerate(fields)}
            stamp = connection.ops.adapt_datetimefield_value(timezone.now())
            fixed = {
                "history_date": stamp,
                "history_type": "+",
                "history_change_reason": None,
                "history_user_id": getattr(user, "pk", None),
            }
            columns = []
            picks: list[int | str] = []
            for field in history_model._meta.concrete_fields:
                if field.attname == "history_id":
                    continue
                columns.append(field.attname)
                if field.attname in tracked:
                    picks.append(tracked[field.attname])
                elif field.attname in fixed:
                    picks.append(field.attname)
                else:
                    raise ValueError(f"unknown history field {field.attname}")
            insert_rows(
                history_model,
                columns,
                (tuple(row[p] if isinstance(p, int) else fixed[p] for p in picks) for row in rows),
                using=using,
            )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = using
    return objects
