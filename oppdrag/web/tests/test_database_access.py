"""Access follows the database: a session or membership removed by any means, even by
plain SQL on a connection Django knows nothing of, is refused on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from oppdrag.core.models import Membership

# The removal must be committed for the other connection to make it, so these tests
# commit for real and restore the database by serialized rollback.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_another_connection(sql: str, params: list[object]) -> None:
    """Run ``sql`` and commit on a new connection of the database's own driver (a
    psycopg connection on PostgreSQL, an sqlite3 one on the same database on SQLite),
    as an operator's console or another program would."""
    other = connection.get_new_connection(connection.get_connection_params())
    if connection.vendor == "sqlite":
        sql = sql.replace("%s", "?")  # sqlite3's own placeholder
    try:
        cursor = other.cursor()
        cursor.execute(sql, params)
        assert cursor.rowcount == 1
        other.commit()
    finally:
        other.close()


def dashboard(center) -> str:
    return reverse("web:dashboard", kwargs={"center": center.slug})


def test_a_membership_deleted_with_plain_sql_elsewhere_is_refused_at_the_next_request(
    client, center, make_user
):
    user = make_user("leser", center, Membership.Role.READER)
    client.force_login(user)
    assert client.get(dashboard(center)).status_code == 200
    assert client.get(dashboard(center)).status_code == 200  # anything cacheable is now
    table = Membership._meta.db_table
    in_another_connection(f"DELETE FROM {table} WHERE user_id = %s", [user.pk])
    assert client.get(dashboard(center)).status_code == 404


def test_a_role_lowered_with_plain_sql_elsewhere_is_refused_at_the_next_request(
    client, center, make_user
):
    user = make_user("redaktor", center, Membership.Role.EDITOR)
    client.force_login(user)
    create = reverse("activities:event_create", kwargs={"center": center.slug})
    assert client.get(create).status_code == 200
    assert client.get(create).status_code == 200
    table = Membership._meta.db_table
    sql = f"UPDATE {table} SET role = %s WHERE user_id = %s"
    in_another_connection(sql, [Membership.Role.READER.value, user.pk])
    assert client.get(create).status_code == 403


def test_a_session_deleted_with_plain_sql_elsewhere_signs_out_at_the_next_request(
    client, center, make_user
):
    client.force_login(make_user("leser", center, Membership.Role.READER))
    assert client.get(dashboard(center)).status_code == 200
    assert client.get(dashboard(center)).status_code == 200
    key = client.session.session_key
    in_another_connection("DELETE FROM django_session WHERE session_key = %s", [key])
    response = client.get(dashboard(center))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]
