"""Each process hears of committed writes without asking (PostgreSQL LISTEN/NOTIFY),
so a cached page, session and user cost no query; SQLite reads the counters instead."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oppdrag.activities import models as m
from oppdrag.core import versions
from oppdrag.core.models import Membership, Person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
POSTGRES = "postgresql"


@pytest.fixture
def listener():
    versions.LISTENER.stop()
    with override_settings(DATA_VERSION_LISTENER=True):
        if connection.vendor == POSTGRES:
            deadline = time.monotonic() + 10
            while not versions.listening():
                assert time.monotonic() < deadline, "the listener did not connect"
                time.sleep(0.05)
        yield versions.LISTENER
    versions.LISTENER.stop()  # closes its connection before the test database goes


def in_another_connection(work) -> None:
    """Run ``work`` in a thread of its own: another connection, as another process."""

    def run() -> None:
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_commit_elsewhere_is_heard_without_a_query(listener, center):
    before = versions.current()
    assert before is not None
    in_another_connection(lambda: Person.objects.create(center=center, name="Kari Nordmann"))
    if connection.vendor != POSTGRES:
        # Nothing to listen to: the counter is read, one query each time.
        assert not versions.listening()
        with CaptureQueriesContext(connection) as read:
            now = versions.current()
        assert now is not None and now > before
        assert len(read) == 1
        return
    deadline = time.monotonic() + 5
    with CaptureQueriesContext(connection) as read:
        while versions.current() == before:
            assert time.monotonic() < deadline, "the notification never came"
            time.sleep(0.01)
    assert len(read) == 0


def dashboard(center):
    return reverse("web:dashboard", kwargs={"center": center.slug}) + "?year=2025"


def test_a_cached_page_costs_no_query_on_postgresql(listener, client, center, make_user):
    client.force_login(make_user("leser", center, Membership.Role.READER))
    m.Event.objects.create(center=center, year=2025, theme="Bolig", title="Fagdag om bolig")
    client.get(dashboard(center))
    with CaptureQueriesContext(connection) as again:
        assert "Fagdag om bolig" in client.get(dashboard(center)).content.decode()
    # PostgreSQL: session, user, memberships and the body all from the cache.
    # SQLite: the session, the user, and the memberships with the data version.
    assert len(again) == (0 if connection.vendor == POSTGRES else 3)


def test_signing_out_ends_a_cached_session_at_once(listener, client, center, make_user):
    client.force_login(make_user("leser", center, Membership.Role.READER))
    copy = type(client)()
    copy.cookies = client.cookies.__class__(client.cookies)  # the same session cookie
    assert copy.get(dashboard(center)).status_code == 200  # now cached
    client.post(reverse("web:logout"))
    response = copy.get(dashboard(center))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_a_changed_password_ends_cached_sessions(listener, client, center, make_user):
    user = make_user("leser", center, Membership.Role.READER)
    client.force_login(user)
    assert client.get(dashboard(center)).status_code == 200
    in_another_connection(lambda: _set_password(user.pk))
    _wait_for_auth_change()
    assert client.get(dashboard(center)).status_code == 302


def test_a_removed_membership_closes_the_centre_at_once(listener, client, center, make_user):
    user = make_user("leser", center, Membership.Role.READER)
    client.force_login(user)
    assert client.get(dashboard(center)).status_code == 200
    in_another_connection(lambda: Membership.objects.filter(user_id=user.pk).delete())
    _wait_for_data_change()
    assert client.get(dashboard(center)).status_code == 404


def _set_password(pk: int) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=pk)
    user.set_password("nytt-passord")
    user.save()


def _wait(counter: int) -> None:
    """Give the notification from the other connection time to arrive (PostgreSQL)."""
    if connection.vendor != POSTGRES:
        return
    seen = versions.LISTENER.values.get(counter)
    deadline = time.monotonic() + 5
    while versions.LISTENER.values.get(counter) == seen and time.monotonic() < deadline:
        time.sleep(0.01)


def _wait_for_auth_change() -> None:
    _wait(versions.AUTH)


def _wait_for_data_change() -> None:
    _wait(versions.DATA)
