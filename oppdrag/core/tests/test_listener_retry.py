"""While the database cannot be reached the listener warns once and waits longer each time."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from oppdrag.core import versions


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_database_gives_one_warning_and_doubling_waits(caplog):
    caplog.set_level(logging.DEBUG, logger=versions.__name__)
    listener = versions.Listener()
    listener._pid = os.getpid()  # as _start does for this process
    params = {"host": "127.0.0.1", "port": closed_port(), "dbname": "x", "user": "x"}
    thread = threading.Thread(target=listener._listen, args=(params,), daemon=True)
    thread.start()
    time.sleep(3.6)  # tries at 0, 1 and 3 seconds
    listener._pid = None  # what stop() does
    started = time.monotonic()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert time.monotonic() - started < 2 * versions.RECONCILE_SECONDS  # a wait ends early
    records = [r for r in caplog.records if r.name == versions.__name__]
    assert [r.levelno for r in records][:1] == [logging.WARNING]
    assert all(r.levelno == logging.DEBUG for r in records[1:]), [r.getMessage() for r in records]
    waits = [r.args[0] for r in records[1:]]  # type: ignore[index]
    assert waits[:2] == [2.0, 4.0][: len(waits)] and len(waits) >= 1
    assert not listener.connected
