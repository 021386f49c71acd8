"""/healthz: what a load balancer needs to know, and nothing more."""

import json
import logging

import pytest
from django.db import connection

from oppdrag.web import health


@pytest.fixture(autouse=True)
def _forget_migration_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_checked_at", 0.0)


@pytest.mark.django_db
def test_it_answers_ok_with_the_checks_it_ran(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": True, "migrations": True, "worker": True},
    }
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_it_answers_for_any_host_before_the_host_check(client, settings):
    settings.ALLOWED_HOSTS = ["oppdrag.example.invalid"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.django_db
def test_it_answers_503_while_a_migration_is_unapplied(client):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'core' AND name = "
            "(SELECT MAX(name) FROM django_migrations WHERE app = 'core')"
        )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "migrations": False},
    }


@pytest.mark.django_db
def test_a_failing_check_tells_the_log_and_not_the_caller(client, monkeypatch, caplog):
    def broken() -> bool:
        raise RuntimeError("password authentication failed for user secret-user")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    with caplog.at_level(logging.ERROR, logger="oppdrag.health"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "secret-user" not in response.content.decode()
    assert json.loads(response.content)["checks"] == {"database": False}
    assert "secret-user" in caplog.text


@pytest.mark.django_db
def test_it_refuses_anything_but_reading(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_a_probe_makes_no_session(client):
    from django.contrib.sessions.models import Session

    client.get("/healthz")
    assert not Session.objects.exists()
    assert "sessionid" not in client.cookies
