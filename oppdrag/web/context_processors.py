from typing import Any

from django.http import HttpRequest

from .registry import KINDS


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The record kinds for the main menu."""
    return {"nav_kinds": KINDS.values()} if hasattr(request, "center") else {}
