"""Sign-in throttling and the password-reset limit, through the pages a person uses.

The lockout across processes is proved in ``test_throttle_gunicorn.py``.
"""

from __future__ import annotations

import importlib
import sys
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import reverse

from oppdrag.web import ratelimit
from oppdrag.web.models import RateLimitHit
from oppdrag.web.throttle import client_address, normalize_username

LOGIN = reverse("web:login")
ADMIN_LOGIN = reverse("admin:login")
RESET = reverse("web:password_reset")


def sign_in(client, username, password, address="192.0.2.10", url=LOGIN, **headers):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail_five_times(client, username="kari", address="192.0.2.10", url=LOGIN, **headers):
    return [sign_in(client, username, "feil", address, url, **headers) for _ in range(5)]


def assert_locked_out(response):
    assert response.status_code == 429
    body = response.content.decode()
    assert "For mange mislykkede forsøk" in body
    assert "Vent 15 minutter før du prøver igjen." in body


@pytest.fixture
def kari(make_user, center):
    return make_user("kari", center)


def test_five_failures_lock_the_staff_sign_in_with_a_norwegian_page_saying_how_long(client, kari):
    responses = fail_five_times(client)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    response = sign_in(client, "kari", "pw-kari")
    assert_locked_out(response)
    assert "_auth_user_id" not in client.session


def test_the_variants_sign_in_accepts_share_one_counter(client, kari, make_user, center):
    make_user("ola", center)
    for variant in [" kari", "kari ", "\tkari", "ｋａｒｉ", "kari\u3000"]:
        sign_in(client, variant, "feil")
    assert_locked_out(sign_in(client, "kari", "pw-kari"))
    # The counter was kari's, not the address's: ola behind the same address signs in.
    assert sign_in(client, "ola", "pw-ola").status_code == 302


def test_the_username_is_normalised_as_django_normalises_it():
    assert normalize_username(" ｄｅｍｏ\t") == "demo"
    assert normalize_username("Demo") == "Demo"  # usernames are case-sensitive in Django


def test_a_different_user_behind_the_same_address_is_not_locked(client, kari, make_user, center):
    make_user("ola", center)
    fail_five_times(client)
    assert sign_in(client, "ola", "pw-ola").status_code == 302


def test_the_lock_is_per_username_and_address(client, kari):
    fail_five_times(client, address="192.0.2.10")
    assert_locked_out(sign_in(client, "kari", "pw-kari", address="192.0.2.10"))
    assert sign_in(client, "kari", "pw-kari", address="198.51.100.7").status_code == 302


def test_a_forwarded_address_is_ignored_without_a_trusted_proxy_header(client, kari):
    fail_five_times(client, address="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.1")
    response = sign_in(
        client, "kari", "pw-kari", address="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.99"
    )
    assert_locked_out(response)


def test_a_trusted_proxy_header_gives_each_client_behind_the_proxy_its_own_count(
    client, kari, settings
):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "10.0.0.2"
    fail_five_times(client, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1")
    # What the client wrote before the proxy's own entry changes nothing.
    forged = "198.51.100.5, 203.0.113.1"
    assert_locked_out(
        sign_in(client, "kari", "pw-kari", address=proxy, HTTP_X_FORWARDED_FOR=forged)
    )
    other = sign_in(client, "kari", "pw-kari", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert other.status_code == 302


def test_the_client_address_comes_from_the_configured_header_counted_from_the_right(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.1, 10.0.0.2"
    )
    assert client_address(request) == "10.0.0.3"
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "203.0.113.1"
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.3")) == "10.0.0.3"


def test_five_failures_lock_the_admin_sign_in(client, kari):
    kari.is_staff = True
    kari.save()
    responses = fail_five_times(client, url=ADMIN_LOGIN)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert_locked_out(sign_in(client, "kari", "pw-kari", url=ADMIN_LOGIN))
    assert "_auth_user_id" not in client.session


def test_a_lock_from_the_admin_sign_in_holds_on_the_staff_sign_in(client, kari):
    fail_five_times(client, url=ADMIN_LOGIN)
    assert_locked_out(sign_in(client, "kari", "pw-kari"))


def test_a_locked_out_user_cannot_reach_the_api_token_page(client, kari):
    """The API takes no password: its keys are made on /api/v1/tokens/ (behind the
    throttled sign-in) or with ``oppdrag api-token``. Every password check, including
    any later API endpoint's, goes through ``authenticate()``, where axes refuses."""
    tokens = reverse("api:tokens")
    fail_five_times(client)
    response = client.post(
        f"{LOGIN}?next={tokens}",
        {"username": "kari", "password": "pw-kari", "next": tokens},
        REMOTE_ADDR="192.0.2.10",
    )
    assert_locked_out(response)
    assert client.get(tokens, REMOTE_ADDR="192.0.2.10").status_code == 302
    request = RequestFactory().post(tokens, REMOTE_ADDR="192.0.2.10")
    assert authenticate(request, username="kari", password="pw-kari") is None
    basic = client.get(
        reverse("api:events-list", kwargs={"center": "napha"}),
        HTTP_AUTHORIZATION="Basic a2FyaTpwdy1rYXJp",  # kari:pw-kari
        REMOTE_ADDR="192.0.2.10",
    )
    assert basic.status_code in (401, 403)


def test_the_failures_are_counted_in_the_database_not_the_process_cache(client, kari):
    fail_five_times(client)
    cache.clear()
    assert_locked_out(sign_in(client, "kari", "pw-kari"))


def test_a_successful_sign_in_clears_the_count(client, kari):
    for _ in range(4):
        sign_in(client, "kari", "feil")
    assert sign_in(client, "kari", "pw-kari").status_code == 302
    client.logout()
    assert [r.status_code for r in fail_five_times(client)][-2:] == [200, 429]


def request_reset(client, email, address="192.0.2.10"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_password_reset_requests_are_limited_per_email_address(client, kari):
    kari.email = "kari@example.org"
    kari.save()
    for _ in range(3):
        assert request_reset(client, "kari@example.org").status_code == 302
    assert len(mail.outbox) == 3
    refused = request_reset(client, "KARI@example.org", address="198.51.100.7")
    assert refused.status_code == 429
    assert "For mange forespørsler om nytt passord. Vent 60 minutter" in refused.content.decode()
    assert len(mail.outbox) == 3
    assert request_reset(client, "ola@example.org").status_code == 302


def test_password_reset_requests_are_limited_per_client_address(client, settings, db):
    settings.PASSWORD_RESET_LIMITS = {"address": (2, 600), "email": (3, 3600)}
    assert request_reset(client, "a@example.org").status_code == 302
    assert request_reset(client, "b@example.org").status_code == 302
    refused = request_reset(client, "c@example.org")
    assert refused.status_code == 429
    assert "Vent 10 minutter" in refused.content.decode()
    assert request_reset(client, "c@example.org", address="198.51.100.7").status_code == 302


def test_the_reset_limit_is_kept_in_the_database_without_the_addresses(client, settings, db):
    settings.PASSWORD_RESET_LIMITS = {"address": (1, 600), "email": (3, 3600)}
    request_reset(client, "a@example.org")
    cache.clear()
    assert request_reset(client, "b@example.org").status_code == 429
    keys = " ".join(RateLimitHit.objects.values_list("key", flat=True))
    assert "192.0.2.10" not in keys and "a@example.org" not in keys


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), ("X-Forwarded-For", "HTTP_X_FORWARDED_FOR"), ("HTTP_X_REAL_IP", "HTTP_X_REAL_IP")],
)
def test_production_trusts_a_proxy_header_only_when_the_environment_names_one(
    monkeypatch, value, expected
):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-secret-for-the-test-" + "x" * 40)
    if value is None:
        monkeypatch.delenv("TRUSTED_PROXY_HEADER", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_PROXY_HEADER", value)
    sys.modules.pop("oppdrag.settings.production", None)
    production = importlib.import_module("oppdrag.settings.production")
    sys.modules.pop("oppdrag.settings.production", None)
    header, count = production.TRUSTED_PROXY_HEADER, production.TRUSTED_PROXY_COUNT
    assert (header, count) == (expected, 1)


@pytest.mark.parametrize("count", ["0", "to", "-1"])
def test_production_refuses_a_proxy_count_that_is_not_a_positive_number(monkeypatch, count):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-secret-for-the-test-" + "x" * 40)
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", count)
    sys.modules.pop("oppdrag.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        importlib.import_module("oppdrag.settings.production")
    sys.modules.pop("oppdrag.settings.production", None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_reset_requests_never_go_over_the_limit():
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: SQLite's in-memory test database is in shared-cache mode, where "
            "a second writer fails at once instead of waiting; on a file, as in use, "
            "IMMEDIATE transactions already serialise the counts."
        )
    barrier, answers = threading.Barrier(8), []

    def request_one():
        barrier.wait()
        try:
            answers.append(ratelimit.hit("test", "kari@example.org", 3, timedelta(hours=1)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8
    assert sum(answer is None for answer in answers) == 3
