"""Creating, checking and revoking API tokens; the key itself is never stored."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone

from .models import ApiToken

PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user: Any, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; the key is returned once and only its hash is saved."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key)
    )
    return token, key


def user_for_key(key: str) -> tuple[Any, ApiToken] | None:
    """The active token's user, or None for an unknown or revoked key."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


def revoke_tokens(user: Any, prefix: str | None = None) -> int:
    """Revoke the user's active tokens (those starting with ``prefix``, or all)."""
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if prefix:
        tokens = tokens.filter(prefix=prefix[:PREFIX_LENGTH])
    return tokens.update(revoked_at=timezone.now())
