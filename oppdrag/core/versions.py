"""Two counters the database raises after every committed write: data and sign-ins.

Costly pages (the dashboard, the lists) are cached under a key that includes the
*data* counter, and sessions and signed-in users under one that includes the
*auth* counter (``django_session`` and the ``auth_*`` tables), so nothing cached
is older than the last write any process committed. Every connection runs its
statements through ``track_writes``; an ``INSERT``, ``UPDATE`` or ``DELETE`` (or
a ``COPY`` reported with ``note_write``) raises its counter once its transaction
has committed: at once in autocommit mode, on commit inside
``transaction.atomic`` (nothing on rollback). Raising after the commit, never
before, is what makes the caches safe: whoever reads the new number also sees
the new rows.

Raising a counter is a one-row ``UPDATE`` in a transaction of its own, so writers
never wait on each other's transactions for it (a counter raised inside the
writer's transaction would serialise every writer until commit, and could
deadlock two of them). The counters are global, not per centre: a write by any
centre makes every cached page be computed again once; writes are rare next to
reads, and a global counter needs no knowledge of which centre a statement
touched (bulk inserts, queryset updates and cascades included).

Reading the counters. On PostgreSQL each app process keeps a listener thread
(``LISTEN``) that the raise notifies (``pg_notify``), and that also re-reads the
counters every second, so a page costs no query for them; until the listener is
connected, and on SQLite, they are read with a query (for pages, as a column of
the memberships query, see ``annotation``). A process's own raises update its
copy at once.

While a connection has uncommitted writes of its own, ``current`` returns None:
such a request must neither read nor fill a shared cache (it would see its own
uncommitted rows). Tests running inside one transaction therefore never cache.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

logger = logging.getLogger(__name__)

TABLE = "core_dataversion"
DATA, AUTH = 1, 2  # the counters' rows
CHANNEL = "oppdrag_versions"
RECONCILE_SECONDS = 1.0
# While the database is unreachable the listener retries after 1, 2, 4 … seconds, at most this.
RETRY_MAX_SECONDS = 30.0
# Sessions and accounts: what a cached session or signed-in user depends on.
AUTH_TABLES = frozenset(
    {
        "django_session",
        "auth_user",
        "auth_user_groups",
        "auth_user_user_permissions",
        "auth_group",
        "auth_group_permissions",
        "auth_permission",
    }
)
# Writes that change nothing cached: the API tokens' "last used" time, the
# admin's own log and the counters themselves.
IGNORED_TABLES = frozenset({TABLE, "api_apitoken", "django_admin_log"})
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.IGNORECASE
)

# ``migrate`` writes before the counters' table exists; it runs outside any page.
_migrating = False


def migration_started(**_kwargs: Any) -> None:
    global _migrating
    _migrating = True


def migration_finished(**_kwargs: Any) -> None:
    global _migrating
    _migrating = False


def written_table(sql: str) -> str | None:
    """The table a data-changing statement writes to, or None for anything else."""
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


def counter_for(table: str) -> int | None:
    """Which counter a write to ``table`` raises (None: none)."""
    if table in IGNORED_TABLES:
        return None
    return AUTH if table in AUTH_TABLES else DATA


class _Raise:
    """The on-commit callback raising one counter; one per transaction and counter."""

    def __init__(self, alias: str, counter: int) -> None:
        self.alias = alias
        self.counter = counter

    def __call__(self) -> None:
        raise_version(self.alias, self.counter)


def raise_version(alias: str = "default", counter: int = DATA) -> None:
    """Add one to ``counter``, in autocommit (never inside the writer's transaction)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET counter = counter + 1 WHERE id = %s RETURNING counter", [counter]
        )
        row = cursor.fetchone()
        if row is None:  # a flushed test database: start the counter again
            cursor.execute(f"INSERT INTO {TABLE} (id, counter) VALUES (%s, 1)", [counter])
            row = (1,)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, f"{counter}:{row[0]}"])
    LISTENER.learn(counter, int(row[0]))


def _pending(connection: BaseDatabaseWrapper, counter: int | None = None) -> bool:
    # Django keeps (savepoint ids, callback, robust) per pending callback.
    return any(
        isinstance(entry[1], _Raise) and counter in (None, entry[1].counter)
        for entry in connection.run_on_commit
    )


def note_write(connection: BaseDatabaseWrapper, counter: int = DATA) -> None:
    """Record that ``connection`` changed data (called for every write; see module doc)."""
    if connection.in_atomic_block:
        if not _pending(connection, counter):
            connection.on_commit(_Raise(connection.alias, counter))
    else:
        raise_version(connection.alias, counter)


def track_writes(
    execute: Callable[..., Any],
    sql: str,
    params: Any,
    many: bool,
    context: dict[str, Any],
) -> Any:
    """Django execute wrapper: run the statement, then note it if it changed data."""
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is not None and not _migrating:
        counter = counter_for(table)
        if counter is not None:
            note_write(context["connection"], counter)
    return result


def install(connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    """``connection_created`` receiver: wrap every statement of the new connection."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


class Listener:
    """This process's copy of the counters, kept by a thread listening on PostgreSQL."""

    def __init__(self) -> None:
        self.values: dict[int, int] = {}
        self.connected = False
        self._pid: int | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def value(self, counter: int) -> int | None:
        """The counter as last heard, or None when not listening (read it instead)."""
        self._start()
        return self.values.get(counter) if self.connected else None

    def learn(self, counter: int, value: int) -> None:
        if self.connected:
            self.values[counter] = value

    def stop(self) -> None:
        """End the thread and its connection (within a second); forget the counters."""
        with self._lock:
            self._pid = None
            self.connected = False
            self.values = {}
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=10 * RECONCILE_SECONDS)

    def _start(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            from django.conf import settings

            if not settings.DATA_VERSION_LISTENER or connections["default"].vendor != "postgresql":
                self._pid = os.getpid()  # nothing to listen to; read with queries
                return
            self._pid = os.getpid()  # a forked worker starts its own thread
            self.connected = False
            params = connections["default"].get_connection_params()
            thread = threading.Thread(
                target=self._listen, args=(params,), name="oppdrag-versions", daemon=True
            )
            thread.start()
            self._thread = thread

    def _listen(self, params: dict[str, Any]) -> None:
        import psycopg

        pid = os.getpid()
        failures = 0  # in a row: one warning per outage, then waits that double
        while self._pid == pid:
            try:
                with psycopg.connect(**params, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    while self._pid == pid:  # until stop() or another process
                        # After LISTEN, so a raise between the two is not lost.
                        rows = conn.execute(f"SELECT id, counter FROM {TABLE}").fetchall()
                        self.values = {int(i): int(c) for i, c in rows}
                        if failures:
                            logger.warning("data version listener connected again")
                            failures = 0
                        self.connected = True
                        for note in conn.notifies(timeout=RECONCILE_SECONDS):
                            counter, _, value = note.payload.partition(":")
                            self.values[int(counter)] = int(value)
            except Exception:  # the database went away: read with queries meanwhile
                self.connected = False
                failures += 1
                delay = min(RECONCILE_SECONDS * 2 ** (failures - 1), RETRY_MAX_SECONDS)
                if failures == 1:
                    logger.warning("data version listener disconnected; retrying", exc_info=True)
                else:
                    logger.debug("data version listener still down; next try in %s s", delay)
                self._wait(pid, delay)

    def _wait(self, pid: int, seconds: float) -> None:
        """Sleep ``seconds``, ending early when the listener is stopped."""
        deadline = time.monotonic() + seconds
        while self._pid == pid and time.monotonic() < deadline:
            time.sleep(min(RECONCILE_SECONDS, deadline - time.monotonic()))


LISTENER = Listener()


def annotation() -> RawSQL:
    """The data counter as a column of another query (saves a round trip per page)."""
    return RawSQL(f"SELECT counter FROM {TABLE} WHERE id = {DATA}", [])


def current(alias: str = "default", *, read: int | None = None, counter: int = DATA) -> int | None:
    """The committed ``counter``, or None when this connection must not use a cache.

    ``read`` is the counter as this request already read it with ``annotation()``.
    """
    connection = connections[alias]
    if connection.in_atomic_block and _pending(connection):
        return None
    heard = LISTENER.value(counter)
    if heard is not None:
        return heard
    if read is not None:
        return read
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT counter FROM {TABLE} WHERE id = %s", [counter])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def listening() -> bool:
    """Whether the counters are known without a query (PostgreSQL, listener connected)."""
    LISTENER.value(DATA)
    return LISTENER.connected
