"""Fixtures shared by every test: centres, users and the NAPHA demo."""

from __future__ import annotations

import os
import sqlite3

import pytest
from django.contrib.auth import get_user_model
from hypothesis import settings

from oppdrag.core.models import Center, Membership
from oppdrag.core.services import add_member, create_center
from tests import reference_documents, shared_demo
from tests.database_templates import postgres_template, sqlite_template

# No per-example deadline: many properties write to a real database on two shared cores,
# where one slow example says nothing about the behaviour under test (a deadline failure
# was seen on an import property under load). Speed is measured in bench/, not here.
settings.register_profile("oppdrag", deadline=None)
settings.load_profile("oppdrag")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, django_db_use_migrations, django_db_blocker
):
    """Each worker's test database starts as a copy of the migrated template
    (tests/database_templates.py), so Django's set-up finds nothing left to migrate."""
    from django.db import connection

    if not django_db_use_migrations:
        return
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["TEMPLATE"] = postgres_template(os.environ["DATABASE_URL"])
        return
    # SQLite tests run in a shared in-memory database, which lives as long as this
    # connection: fill it now and Django's set-up opens it as it is.
    name = connection.creation._get_test_db_name()
    if not connection.creation.is_in_memory_db(name):
        return
    connection.settings_dict["NAME"] = name
    with django_db_blocker.unblock(), sqlite_template() as template:
        connection.ensure_connection()
        with sqlite3.connect(template) as source:
            source.backup(connection.connection)
        source.close()


@pytest.fixture
def make_center(db):
    def make(slug: str = "senter", name: str | None = None) -> Center:
        return create_center(slug=slug, name=name or f"Senter {slug}", short_name=slug.upper())

    return make


@pytest.fixture
def center(make_center) -> Center:
    return make_center("napha")


@pytest.fixture
def other_center(make_center) -> Center:
    return make_center("korus-nord")


@pytest.fixture
def make_user(db):
    def make(username: str, center: Center | None = None, role: str = Membership.Role.ADMIN):
        user = get_user_model().objects.create_user(username=username, password="pw-" + username)
        if center is not None:
            add_member(center=center, user=user, role=role)
        return user

    return make


@pytest.fixture
def demo(db):
    """The NAPHA 2025 demo's registries, loaded through the importers.

    Hours, teams and report texts are left out for speed; tests that need them load
    them with their app's ``load_*_demo`` (or use ``full_demo``). Consecutive tests
    share one load, rolled back after the last of them (tests/shared_demo.py).
    """
    return shared_demo.SHARED.center(shared_demo.REGISTRIES)


@pytest.fixture
def full_demo(db):
    """The whole NAPHA 2025 demo, as ``oppdrag load-demo`` builds it (shared as ``demo``)."""
    return shared_demo.SHARED.center(shared_demo.FULL)


@pytest.fixture(scope="session")
def _shared_demo_session(django_db_setup, django_db_blocker):
    """Rolls the shared demo back before the test database is destroyed."""
    shared_demo.SHARED.blocker = django_db_blocker
    yield shared_demo.SHARED
    shared_demo.SHARED.close()


@pytest.fixture(autouse=True)
def _shared_demo(request):
    """Opens the demo a test asks for before its own transaction starts: autouse, so
    it runs before ``db`` whatever the order of the test's other fixtures."""
    kind = shared_demo.wanted(request.node)
    if kind is not None:
        shared = request.getfixturevalue("_shared_demo_session")
        with shared.blocker.unblock():
            shared.prepare(kind)
    else:
        shared_demo.SHARED.close()  # already closed after the previous test
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test's fixtures are gone: keep the shared demo only for a next test that
    wants the same one, so no other test ever starts with it."""
    yield
    if shared_demo.SHARED.kind != shared_demo.wanted(nextitem):
        shared_demo.SHARED.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: primary keys are reused between tests,
    so a value cached under one test's centre must not reach the next test's."""
    from django.core.cache import cache

    cache.clear()
    yield


def _reference_document(name: str):
    reason = reference_documents.missing()
    if reason:
        pytest.skip(f"{reference_documents.SKIP_REASON}: {reason}")
    return reference_documents.document(name)


@pytest.fixture(scope="session")
def reference_grant_letter():
    """Helsedirektoratet's published grant letter to NAPHA for 2026, as text."""
    return _reference_document(reference_documents.GRANT_LETTER_2026)


@pytest.fixture(scope="session")
def reference_annual_report():
    """NAPHA's published annual report for 2025, as text."""
    return _reference_document(reference_documents.ANNUAL_REPORT_2025)


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def _requires_reference_documents() -> bool:
    return os.environ.get("CI") == "true"


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """Under CI a missing reference folder fails the run instead of skipping tests."""
    reason = reference_documents.missing()
    if reason and _requires_reference_documents() and not _is_worker(session.config):
        pytest.exit(f"The published reference documents are required under CI: {reason}", 1)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_sessionfinish(session):
    """After pytest's own summary, say on the last line how many tests did not run
    for want of the reference documents (also appended to ``$OPPDRAG_TEST_NOTES``,
    which ``scripts/test.sh`` prints at its end)."""
    yield
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    reason = reference_documents.missing()
    if reporter is None or reason is None or _is_worker(session.config):
        return
    if _requires_reference_documents():
        return  # the run was stopped at its start, saying why
    skipped = [
        report
        for report in reporter.stats.get("skipped", [])
        if reference_documents.SKIP_REASON in str(getattr(report, "longrepr", ""))
    ]
    line = f"{len(skipped)} tests that read the published reference documents did not run: {reason}"
    reporter.write_line(line, yellow=True, bold=True)
    notes = os.environ.get("OPPDRAG_TEST_NOTES")
    if notes:
        database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        with open(notes, "a", encoding="utf-8") as handle:
            handle.write(f"{database}: {line}\n")
