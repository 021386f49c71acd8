"""System checks, and the production guard against the demo account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

# The demo's grantor and partner accounts (oppdrag/web/demo.py) count as demo accounts too.
OTHER_DEMO_USERNAMES = ("demo-hdir", "demo-partner")


def demo_user_exists() -> bool:
    from django.contrib.auth import get_user_model

    names = [settings.DEMO_USERNAME, *OTHER_DEMO_USERNAMES]
    try:
        return get_user_model().objects.filter(username__in=names).exists()
    except DatabaseError:  # no tables yet: nothing to refuse
        return False


def refuse_demo_user() -> None:
    """Raise when production settings meet a database that holds the demo account."""
    if settings.REFUSE_DEMO_USER and demo_user_exists():
        raise ImproperlyConfigured(
            f"The demo account «{settings.DEMO_USERNAME}» exists in this database; "
            "production refuses to start. Delete the account (or use the dev settings)."
        )


@register("security", deploy=True)
def check_demo_user(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.REFUSE_DEMO_USER and demo_user_exists():
        return [
            Error(
                f"The demo account «{settings.DEMO_USERNAME}» exists.",
                hint="Delete it before running with production settings.",
                id="oppdrag.E001",
            )
        ]
    return []
