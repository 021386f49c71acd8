"""Migrated template databases: the suite migrates once and copies the result.

Migrating an empty database takes most of a minute (Django re-renders the model states
for each CreateModel, and nearly every model points at core.Center), which every xdist
worker paid for its test database and the tests that need a fresh database paid again.
A template is keyed on a hash of every migration and of the project code the data
migrations run, so it is rebuilt whenever either changes; it is built under a lock and
under a temporary name, and renamed only when complete, so a stale or interrupted build
is never used. SQLite templates are files in ``.test-databases/``; PostgreSQL templates
are databases named ``<database>_template_<hash>`` on the test server.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
CACHE_DIR = PROJECT_DIR / ".test-databases"
# What the data migrations may read: the project's code and data files.
SOURCE_SUFFIXES = {".py", ".csv", ".json"}


@functools.cache
def fingerprint() -> str:
    """A hash of every installed app's migrations and of the project's code and data.

    Broader than the migrations alone, since the data migrations import project code
    (the reference data, the standard questionnaire); a change anywhere outside the
    tests costs one rebuild, never a stale template.
    """
    import django
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(django.get_version().encode())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for migration in sorted(loader.disk_migrations.values(), key=lambda m: m.__module__):
        module = sys.modules[migration.__module__]
        digest.update(migration.__module__.encode())
        digest.update(Path(module.__file__ or "").read_bytes())
    package = PROJECT_DIR / "oppdrag"
    for path in sorted(package.rglob("*")):
        if path.suffix in SOURCE_SUFFIXES and "tests" not in path.relative_to(package).parts:
            digest.update(str(path.relative_to(PROJECT_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (xdist workers and concurrent runs wait)."""
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def migrate(database_url: str) -> None:
    """Migrate the database at ``database_url`` as the test runner does (``run_syncdb``)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "oppdrag.settings.test",
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--run-syncdb", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"migrate {database_url} failed:\n{done.stderr}")


@contextmanager
def sqlite_template() -> Iterator[Path]:
    """The migrated SQLite template file, locked against a rebuild while in use."""
    CACHE_DIR.mkdir(exist_ok=True)
    template = CACHE_DIR / f"sqlite-{fingerprint()}.sqlite3"
    with file_lock(CACHE_DIR / "sqlite.lock"):
        if not template.exists():
            for old in CACHE_DIR.glob("sqlite-*"):
                old.unlink()
            building = CACHE_DIR / f"sqlite-{fingerprint()}.building"
            migrate(f"sqlite:///{building}")
            # The settings keep SQLite in WAL mode: fold the log into the file, so the
            # one file is the whole database.
            with sqlite3.connect(building) as database:
                database.execute("PRAGMA journal_mode=DELETE")
            database.close()
            os.replace(building, template)
        yield template


def postgres_template(database_url: str) -> str:
    """The name of the migrated template database on ``database_url``'s server.

    It is named after the URL's database, so suites that use different databases on
    one server never touch each other's templates; an advisory lock on that name lets
    one process build while the others wait.
    """
    import psycopg

    server, prefix = database_url.rsplit("/", 1)
    template = f"{prefix}_template_{fingerprint()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", [prefix])
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if exists.fetchone() is None:
            others = admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [prefix.replace("_", r"\_") + r"\_template\_%"],
            ).fetchall()
            # Nothing but an interrupted build connects to a template.
            for (old,) in others:
                admin.execute(f'DROP DATABASE "{old}" WITH (FORCE)')
            building = f"{template}_building"
            admin.execute(f'CREATE DATABASE "{building}"')
            migrate(f"{server}/{building}")
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
    return template


def main() -> None:
    """``python -m tests.database_templates``: build the template for ``DATABASE_URL``
    (SQLite when it is unset) ahead of the run, as scripts/test.sh does while mypy runs;
    nothing is done when it is already there."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppdrag.settings.test")
    import django

    django.setup()
    url = os.environ.get("DATABASE_URL")
    if url:
        postgres_template(url)
        return
    with sqlite_template():
        pass


if __name__ == "__main__":
    main()
