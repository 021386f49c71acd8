"""Filters for the evaluation pages: look-ups, decimals and shares the Norwegian way."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return (mapping or {}).get(key)


@register.filter
def desimal(value: Any, places: int = 1) -> str:
    if value is None or value == "":
        return ""
    return f"{float(value):.{places}f}".replace(".", ",")


@register.filter
def prosent(value: Any) -> str:
    if value is None:
        return ""
    return f"{round(float(value) * 100)}\u00a0%"
