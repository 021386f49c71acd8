"""Published figures written with a qualifier: «over 50», «ca. 130», «under 10».

A qualified figure is a bound or an estimate, not a count: a registry count of 53
agrees with «over 50». The importer reads the qualifier off the value's text and the
report's check compares with ``agrees``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from oppdrag.core.parsing import parse_decimal

from .models import PublishedFigure

Qualifier = PublishedFigure.Qualifier

# The words a published text uses before the number, folded to lower case.
WORDS: dict[str, str] = {
    "over": Qualifier.OVER,
    "mer enn": Qualifier.OVER,
    "flere enn": Qualifier.OVER,
    "under": Qualifier.UNDER,
    "mindre enn": Qualifier.UNDER,
    "færre enn": Qualifier.UNDER,
    "ca.": Qualifier.ABOUT,
    "ca": Qualifier.ABOUT,
    "cirka": Qualifier.ABOUT,
    "omtrent": Qualifier.ABOUT,
    "om lag": Qualifier.ABOUT,
    "rundt": Qualifier.ABOUT,
    "nøyaktig": Qualifier.EXACT,
}
_PREFIX = re.compile(
    r"\s*(?P<word>" + "|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True)) + r")"
    r"(?=[\s\d])\s*(?P<number>.*)",
    re.IGNORECASE,
)
# «ca. 130» agrees with a registry count within this share of the published figure.
ABOUT_TOLERANCE = Decimal("0.10")


def parse_qualified(text: str) -> tuple[str, Decimal]:
    """The qualifier and the number of a published value such as «over 50»."""
    match = _PREFIX.fullmatch(text)
    if match is None:
        return Qualifier.EXACT, parse_decimal(text)
    return WORDS[match["word"].lower()], parse_decimal(match["number"])


def agrees(qualifier: str, published: Decimal | float, registered: Decimal | float) -> bool:
    """Whether a registry count agrees with the published figure read with its qualifier."""
    published, registered = Decimal(str(published)), Decimal(str(registered))
    if qualifier == Qualifier.OVER:
        return registered > published
    if qualifier == Qualifier.UNDER:
        return registered < published
    if qualifier == Qualifier.ABOUT:
        return abs(registered - published) <= published * ABOUT_TOLERANCE
    return registered == published


def qualified(qualifier: str, value: Decimal | float) -> str:
    """The published figure as written: «over 50», or «50» when it is exact."""
    if qualifier == Qualifier.EXACT:
        return str(value)
    return f"{Qualifier(qualifier).label} {value}"
