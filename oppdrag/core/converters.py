"""URL converters for the numbers a path carries, so an absurd one is a 404 at the door.

``<int:year>`` matches any run of digits: ``/timer/0/`` reached the views, which
failed on a date in year 0, and twenty digits overflowed the database's integer
and answered 500. ``<year:year>`` matches only the years the registry holds (those
the importers and the API accept), so no view sees any other.
"""

from __future__ import annotations

import re

MIN_YEAR, MAX_YEAR = 1990, 2100


def parse_year(text: str) -> int | None:
    """``text`` as a year from ``MIN_YEAR`` to ``MAX_YEAR``, or None (also for "²", "٢٠٢٥")."""
    if not re.fullmatch(r"[0-9]{4}", text, flags=re.ASCII):
        return None
    year = int(text)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


class YearConverter:
    """A year from ``MIN_YEAR`` to ``MAX_YEAR``; anything else does not match (404).

    A page that takes the year from its query string checks it with ``parse_year``
    too, since a year it links to must match here.
    """

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = parse_year(value)
        if year is None:
            raise ValueError(value)  # Django takes it as "no match"
        return year

    def to_url(self, value: int) -> str:
        return str(value)
