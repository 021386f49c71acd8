"""The sign-in lockout holds across gunicorn worker processes, on SQLite and PostgreSQL.

gunicorn serves a copy of the migrated template (a file for SQLite, a new database for
PostgreSQL) with two sync workers; failed sign-ins arrive over fresh connections, so
either worker may take each, and each worker's process id is read from the access log.
A counter kept in a process's memory would let the worker that saw fewer failures
answer; the database's counter refuses whichever worker answers.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from bench.evaluations import free_port
from tests.database_templates import PROJECT_DIR, postgres_template, sqlite_template

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FAILURES = 5
MAX_REFUSED_TRIES = 40


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """A new migrated database that the server processes share, removed afterwards."""
    if connection.vendor == "sqlite":
        path = tmp_path / "gunicorn.sqlite3"
        with sqlite_template() as template:
            shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    import psycopg

    url = os.environ["DATABASE_URL"]
    server, prefix = url.rsplit("/", 1)
    name = f"{prefix}_gunicorn"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template(url)}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "oppdrag.settings.test",
        "DJANGO_SUPERUSER_PASSWORD": "pw-kari",
    }


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[tuple[int, Path]]:
    """gunicorn with two workers on a free port; yields the port and the access log."""
    env = server_env(database_url)
    subprocess.run(
        [sys.executable, "-m", "django", "createsuperuser", "--noinput",
         "--username", "kari", "--email", "kari@example.org"],
        env=env, cwd=PROJECT_DIR, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port, log = free_port(), tmp_path / "access.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(m)s %(s)s",
         "oppdrag.wsgi:application"],
        env=env, cwd=PROJECT_DIR,
    )  # fmt: skip
    try:
        wait_until_up(port, process)
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/logg-inn/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not start (see its output above)")


def sign_in(port: int, password: str) -> int:
    """One sign-in as a browser makes it, each request on a new connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/logg-inn/")
    page = conn.getresponse()
    token = CSRF.search(page.read().decode())
    cookie = SimpleCookie()
    cookie.load(page.getheader("Set-Cookie") or "")
    conn.close()
    assert token and "csrftoken" in cookie
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = {"username": "kari", "password": password, "csrfmiddlewaretoken": token.group(1)}
    conn.request(
        "POST",
        "/logg-inn/",
        body=urlencode(body),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie['csrftoken'].value}",
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def workers_that_refused(log: Path) -> set[str]:
    lines = log.read_text().splitlines() if log.exists() else []
    return {
        pid for pid, method, status in map(str.split, lines) if (method, status) == ("POST", "429")
    }


def test_the_lockout_holds_whichever_of_two_gunicorn_workers_answers(server):
    port, log = server
    statuses = [sign_in(port, "feil") for _ in range(FAILURES)]
    assert statuses == [200] * (FAILURES - 1) + [429]
    refused: list[int] = []
    while len(workers_that_refused(log)) < 2 and len(refused) < MAX_REFUSED_TRIES:
        refused.append(sign_in(port, "pw-kari"))
    assert set(refused) == {429}
    assert len(workers_that_refused(log)) == 2, log.read_text()
