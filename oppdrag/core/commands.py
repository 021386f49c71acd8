"""What the ``oppdrag`` commands share: the centre and user named on the command line."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import CommandError

from .models import Center


def center_option(slug: str) -> Center:
    """The centre named by ``--center``, or a clear refusal."""
    try:
        return Center.objects.get(slug=slug)
    except Center.DoesNotExist as exc:
        raise CommandError(f"Ukjent senter «{slug}».") from exc


def user_option(username: str | None) -> AbstractBaseUser | None:
    """The user named by ``--user`` (changes are recorded on them), None when not given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Ukjent bruker «{username}».")
    return user
