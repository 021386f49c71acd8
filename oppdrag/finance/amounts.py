"""Amounts of money as accounting systems and people write them, the Norwegian way.

Pure Python, no Django imports. ``parse_amount`` reads ``1 234,50``, ``1234.50``,
``1.234,50``, ``−1 234`` (with the typographic minus), ``-1234``, ``1234-`` (a
trailing minus, as some ledgers print credits), ``(1 234)`` (accountants' brackets
for a negative amount) and ``kr 1 234,-``; at most two decimals (øre). Anything
else raises ``ValueError`` with a Norwegian message. It runs in time linear in the
text (one pass of each regular expression, none of them backtracking).
"""

from __future__ import annotations

import re
from decimal import Decimal

# Ordinary, non-breaking, thin and narrow no-break spaces: thousands separators.
_SPACES = str.maketrans("", "", " \u00a0\u2009\u202f")
_MINUS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash
_PLAIN = re.compile(r"[0-9]+(?:[.,][0-9]{1,2})?")
_DOT_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]{1,2})?")
_COMMA_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]{1,2}")
# The largest amount the database column holds (14 digits, 2 of them decimals).
LIMIT = Decimal("999999999999.99")


def parse_amount(text: str) -> Decimal:
    """The amount ``text`` states, in kroner with øre; ``ValueError`` when it is none."""
    value = text.strip().translate(_SPACES)
    negative = False
    if value.startswith("(") and value.endswith(")"):
        value, negative = value[1:-1], True
    lowered = value.lower()
    if lowered.startswith("kr"):
        value = value[2:].lstrip(".:")
    elif lowered.endswith("kr"):
        value = value[:-2]
    if value.endswith((",-", ".-")):
        value = value[:-2]
    if not value:
        raise ValueError(_message(text))
    if value[0] in _MINUS or value[0] == "+":
        negative = negative != (value[0] != "+")
        value = value[1:]
    elif value[-1] in _MINUS:
        negative = not negative
        value = value[:-1]
    if _PLAIN.fullmatch(value):
        number = value.replace(",", ".")
    elif _DOT_THOUSANDS.fullmatch(value):
        # ``1.234`` is 1 234 kr: three digits after a point cannot be øre.
        number = value.replace(".", "").replace(",", ".")
    elif _COMMA_THOUSANDS.fullmatch(value):
        number = value.replace(",", "")
    else:
        raise ValueError(_message(text))
    amount = Decimal(number)
    if amount > LIMIT:
        raise ValueError(f"«{text}» er et for stort beløp.")
    return -amount if negative else amount


def _message(text: str) -> str:
    return (
        f"«{text}» er ikke et beløp. Skriv for eksempel 1 234,50, −1 234 eller (1 234); "
        "høyst to desimaler."
    )


def format_amount(amount: Decimal) -> str:
    """An amount the way the interface shows it: ``-1 234,50`` with thin spaces."""
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + "\u2009".join(groups) + "," + fraction
