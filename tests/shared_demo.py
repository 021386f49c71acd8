"""The NAPHA demo loaded once for a run of consecutive tests, not once per test.

Loading the demo through the importers is the most expensive set-up in the suite (a few
seconds for the registries, many more for the whole demo), and about two hundred tests
ask for it. Each of them only needs to *start* from the loaded demo; what a test writes
must not reach the next one.

So the demo is loaded in a transaction opened *outside* the test's own (pytest-django
wraps each test in ``TestCase``'s atomic block, which then becomes a savepoint inside
ours) and rolled back at the end of that test only. The next test finds the database
exactly as the demo loader left it, and no other test ever sees it:

* before a test that wants the demo, the outer transaction is opened and the demo
  loaded, unless the same kind of demo is already open there;
* after each test, it is rolled back unless the next test (pytest's ``nextitem``)
  wants the same kind, so a test without the demo always starts on the migrated
  template alone, whatever the order of its fixtures;
* tests that commit (``transactional_db``, ``live_server``, ``transaction=True``) and
  tests whose set-up opened their transaction before ours load the demo inside the
  test as before.

Only the database is shared: each test gets its own ``Center`` object, and the cache is
still cleared before every test (conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from oppdrag.core.models import Center

REGISTRIES = "registries"
FULL = "full"
# The fixture that asks for each kind of demo.
FIXTURES = {"demo": REGISTRIES, "full_demo": FULL}
# Tests that commit cannot run inside a transaction of ours.
COMMITTING_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def wanted(item: pytest.Item | None) -> str | None:
    """The kind of demo ``item`` may share, or None (no demo, or one it must load itself)."""
    if item is None:
        return None
    names = set(getattr(item, "fixturenames", ()))
    kinds = {FIXTURES[name] for name in names & FIXTURES.keys()}
    if len(kinds) != 1 or names & COMMITTING_FIXTURES:
        return None
    for marker in item.iter_markers("django_db"):
        if any(marker.kwargs.get(flag) for flag in ("transaction", "reset_sequences")):
            return None
        if marker.kwargs.get("serialized_rollback") or marker.kwargs.get("databases"):
            return None
    return kinds.pop()


class SharedDemo:
    """The outer transaction holding a loaded demo (at most one per process)."""

    def __init__(self) -> None:
        self.kind: str | None = None
        self._atomic: Any = None
        # pytest-django's database blocker, set by the session fixture in conftest.py.
        self.blocker: Any = None

    def open(self, kind: str) -> None:
        """Load ``kind`` of demo in a new outer transaction (none may be open)."""
        from oppdrag.core.demo import load_demo

        assert self._atomic is None
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(registries_only=kind == REGISTRIES)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
        self.kind, self._atomic = kind, atomic

    def close(self) -> None:
        """Roll the demo back: the database is the migrated template again."""
        if self._atomic is None:
            return
        atomic, self._atomic, self.kind = self._atomic, None, None
        with self.blocker.unblock():
            if len(connection.atomic_blocks) != 1:
                raise RuntimeError(
                    "The shared demo cannot be rolled back: a transaction is open inside it."
                )
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def prepare(self, kind: str | None) -> None:
        """Before a test: have ``kind`` of demo open, if it can be shared."""
        if self.kind == kind:
            return
        self.close()
        # A test whose django_db marker opened its transaction before this fixture ran
        # loads the demo itself (``center``).
        if kind is not None and not connection.in_atomic_block:
            self.open(kind)

    def center(self, kind: str) -> Center:
        """The demo centre for a test that asked for ``kind``: shared when it is open,
        otherwise loaded now inside the test's own transaction."""
        if self.kind != kind:
            from oppdrag.core.demo import load_demo

            load_demo(registries_only=kind == REGISTRIES)
        return Center.objects.get(slug="napha")


SHARED = SharedDemo()
