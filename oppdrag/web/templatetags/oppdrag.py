"""Template filters for Norwegian number and date formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

register = template.Library()

THIN_SPACE = "\u2009"


@register.filter
def tall(value: Any) -> str:
    """A whole number with thin-space thousands separators: 45 500 000."""
    return desimal(value, 0)


def _decimal(value: Any, places: int, sign: bool) -> str:
    try:
        number = round(Decimal(str(value)), int(places))
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
    text = f"{abs(number):,.{int(places)}f}".replace(",", THIN_SPACE).replace(".", ",")
    if number < 0:
        return "−" + text
    if sign:
        return ("+" if number > 0 else "±") + text
    return text


@register.filter
def desimal(value: Any, places: Any = 1) -> str:
    """A number with ``places`` decimals, a decimal comma and thin-space thousands: 1 234,5."""
    if value is None or value == "":
        return "–"
    return _decimal(value, places, sign=False)


@register.filter
def fortegn(value: Any, places: Any = 0) -> str:
    """As ``desimal``, always with its sign: +1, −0,2, ±0."""
    if value is None or value == "":
        return "–"
    return _decimal(value, places, sign=True)


@register.filter
def dato(value: dt.date | None) -> str:
    """A date as 23.11.2026."""
    return value.strftime("%d.%m.%Y") if value else ""


@register.filter
def endring(value: Any, previous: Any) -> str:
    """The change from ``previous`` to ``value`` as a whole number with its sign."""
    try:
        delta = Decimal(str(value)) - Decimal(str(previous))
    except ArithmeticError:
        return ""
    return fortegn(delta)
