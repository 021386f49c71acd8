"""API tokens: hashed at rest, revocable, and never more than the user's role."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from oppdrag.activities import models as m
from oppdrag.api.models import ApiToken
from oppdrag.api.tokens import create_token, revoke_tokens


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_only_a_hash_of_the_key_is_stored(center, make_user):
    user = make_user("skript", center, "editor")
    token, key = create_token(user, "eksport")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    row = ApiToken.objects.filter(pk=token.pk).values_list(
        "name", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at"
    )[0]
    assert key not in [str(value) for value in row]
    assert len(key) >= 40  # 32 random bytes, URL-safe


def test_a_token_signs_in_and_a_revoked_one_is_refused(center, make_user):
    user = make_user("skript", center, "reader")
    _token, key = create_token(user)
    client = client_with(key)
    assert client.get("/api/v1/napha/events/").status_code == 200
    assert ApiToken.objects.get(user=user).last_used_at is not None
    assert revoke_tokens(user) == 1
    response = client.get("/api/v1/napha/events/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token ukjent-nøkkel", "Bearer x"])
def test_malformed_or_unknown_tokens_answer_401(center, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/napha/events/").status_code == 401


def test_without_credentials_the_api_answers_401(center):
    assert APIClient().get("/api/v1/napha/events/").status_code == 401


def test_a_readers_token_cannot_write(center, make_user):
    user = make_user("leser", center, "reader")
    event = m.Event.objects.create(center=center, year=2025, theme="T", title="Fast")
    client = client_with(create_token(user)[1])
    assert (
        client.post(
            "/api/v1/napha/events/", {"year": 2025, "theme": "T", "title": "Ny"}, format="json"
        ).status_code
        == 403
    )
    url = f"/api/v1/napha/events/{event.uid}/"
    assert client.patch(url, {"title": "Endret"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    event.refresh_from_db()
    assert event.title == "Fast"
    assert m.Event.objects.count() == 1


def test_a_token_has_no_rights_in_a_centre_its_user_is_not_member_of(
    center, other_center, make_user
):
    user = make_user("skript", center, "admin")
    m.Event.objects.create(center=other_center, year=2025, theme="T", title="Hemmelig")
    client = client_with(create_token(user)[1])
    assert client.get(f"/api/v1/{other_center.slug}/events/").status_code == 404


def test_the_command_creates_lists_and_revokes(center, make_user):
    user = make_user("skript", center, "editor")
    out = StringIO()
    call_command(
        "api_token", "create", "skript", "--name", "rapport", stdout=out, stderr=StringIO()
    )
    key = out.getvalue().strip()
    assert client_with(key).get("/api/v1/napha/events/").status_code == 200
    listing = StringIO()
    call_command("api_token", "list", "skript", stdout=listing)
    assert key[:8] in listing.getvalue() and "aktiv" in listing.getvalue()
    call_command("api_token", "revoke", "skript", f"--prefix={key[:8]}", stdout=StringIO())
    assert client_with(key).get("/api/v1/napha/events/").status_code == 401
    assert ApiToken.objects.get(user=user).revoked_at is not None


def test_the_command_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="ukjent"):
        call_command("api_token", "create", "ukjent")
