"""Fixtures for the API tests: token clients for each role in two centres."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from oppdrag.api.tokens import create_token
from oppdrag.core.models import Membership

ROLES = (Membership.Role.READER, Membership.Role.EDITOR, Membership.Role.ADMIN)


def token_client(user: Any) -> APIClient:
    _token, key = create_token(user, "test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def clients(center, make_user) -> dict[str, APIClient]:
    """A token client per role in ``center`` (napha)."""
    return {str(role): token_client(make_user(f"api-{role}", center, role)) for role in ROLES}
