"""Periods and hours as time systems export them; position percentages over a year.

Pure Python, no Django imports. ``parse_period`` understands a day
(``14.03.2025``, ``2025-03-14``), an ISO week (``2025-W11``, ``uke 11 2025``), a
month (``2025-03``, ``03.2025``, ``mars 2025``) and a whole year (``2025``);
``parse_hours`` understands ``7,5``, ``7.5`` and ``7:30``. Errors are ``ValueError``
with a Norwegian message.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from fractions import Fraction

from oppdrag.core.parsing import parse_date, parse_decimal


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class Period:
    """A closed date interval with the unit it was given in."""

    start: dt.date
    end: dt.date
    granularity: Granularity

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.strftime("%d.%m.%Y")
        return "{a}–{b}".format(a=self.start.strftime("%d.%m.%Y"), b=self.end.strftime("%d.%m.%Y"))


MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "desember": 12, "des": 12,
}  # fmt: skip

_WEEK = (
    re.compile(r"^(?P<y>\d{4})-?w(?P<w>\d{1,2})$"),
    re.compile(r"^(?:uke|u|veke|week)\s*(?P<w>\d{1,2})[\s/,.-]+(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})[\s/,.-]+(?:uke|u|week)\s*(?P<w>\d{1,2})$"),
)
_MONTH = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$"),
    re.compile(r"^(?P<m>\d{1,2})[./](?P<y>\d{4})$"),
)
_MONTH_NAME = re.compile(r"^(?P<name>[a-zæøå]+)\.?\s+(?P<y>\d{4})$")
_YEAR = re.compile(r"^(?P<y>\d{4})$")
_CLOCK = re.compile(r"^(?P<sign>[-+]?)(?P<h>\d+):(?P<m>\d{2})$")


def _week(year: int, week: int, text: str) -> Period:
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise ValueError(f"«{text}»: uke {week} finnes ikke i {year}.") from exc
    return Period(start, start + dt.timedelta(days=6), Granularity.WEEK)


def _month(year: int, month: int, text: str) -> Period:
    if not 1 <= month <= 12:
        raise ValueError(f"«{text}»: måned {month} finnes ikke.")
    last = calendar.monthrange(year, month)[1]
    return Period(dt.date(year, month, 1), dt.date(year, month, last), Granularity.MONTH)


def parse_period(text: str) -> Period:
    """A day, an ISO week, a month or a year, as the time system writes it."""
    value = " ".join(text.strip().lower().split())
    match = _YEAR.match(value)
    if match:
        year = int(match["y"])
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), Granularity.YEAR)
    for pattern in _WEEK:
        match = pattern.match(value)
        if match:
            return _week(int(match["y"]), int(match["w"]), text)
    for pattern in _MONTH:
        match = pattern.match(value)
        if match:
            return _month(int(match["y"]), int(match["m"]), text)
    match = _MONTH_NAME.match(value)
    if match and match["name"] in MONTHS:
        return _month(int(match["y"]), MONTHS[match["name"]], text)
    try:
        day = parse_date(value)
    except ValueError:
        raise ValueError(
            f"«{text}» er ikke en periode. Bruk en dato (14.03.2025), en uke (2025-W11 "
            "eller uke 11 2025), en måned (2025-03 eller mars 2025) eller et år (2025)."
        ) from None
    return Period(day, day, Granularity.DAY)


def period_between(start: dt.date, end: dt.date) -> Period:
    """The period from ``start`` to ``end`` with its unit: a day, an ISO week (Monday to
    Sunday), a whole month or a whole year; anything else counts as days."""
    if start == end:
        unit = Granularity.DAY
    elif start.weekday() == 0 and (end - start).days == 6:
        unit = Granularity.WEEK
    elif (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        unit = Granularity.YEAR
    elif (
        start.day == 1
        and (start.year, start.month) == (end.year, end.month)
        and end.day == calendar.monthrange(end.year, end.month)[1]
    ):
        unit = Granularity.MONTH
    else:
        unit = Granularity.DAY
    return Period(start, end, unit)


def parse_hours(text: str) -> Decimal:
    """Hours as ``7,5``, ``7.5``, ``1 950`` or ``7:30`` (hours and minutes)."""
    value = text.strip()
    match = _CLOCK.match(value)
    if match:
        minutes = int(match["m"])
        if minutes >= 60:
            raise ValueError(
                f"«{text}» er ikke et klokkeslett-antall (minuttene må være under 60)."
            )
        hours = Decimal(int(match["h"])) + Decimal(minutes) / Decimal(60)
        hours = hours.quantize(Decimal("0.01"))
        return -hours if match["sign"] == "-" else hours
    try:
        return parse_decimal(value)
    except ValueError:
        raise ValueError(f"«{text}» er ikke et antall timer (skriv 7,5 eller 7:30).") from None


_HUNDREDTH = Decimal("0.01")


def round_hours(value: Decimal) -> Decimal:
    """Hours to the hundredth, half to even: what the database's ``hours`` column keeps."""
    return value.quantize(_HUNDREDTH, rounding=ROUND_HALF_EVEN)


def hours_hundredths(text: str) -> int:
    """``parse_hours`` as a whole number of hundredths (``7:30`` → 750), rounded as stored."""
    return int(round_hours(parse_hours(text)) * 100)


# --- position percentages over a year ------------------------------------------------


@dataclass(frozen=True)
class PositionPeriod:
    """From ``start`` (to ``end``, or onwards) the person works ``percentage`` per cent.

    A later-starting period overrides an earlier one for the days they share; so a
    leave or a reduction is a period on top of the position, and a retirement is a
    period of 0 % with no end.
    """

    start: dt.date
    end: dt.date | None
    percentage: Decimal


def percentage_on(periods: Sequence[PositionPeriod], day: dt.date) -> Decimal:
    """The percentage that applies on ``day`` (0 when no period covers it)."""
    best: tuple[dt.date, int] | None = None
    value = Decimal(0)
    for index, period in enumerate(periods):
        if period.start <= day and (period.end is None or day <= period.end):
            key = (period.start, index)
            if best is None or key > best:
                best, value = key, period.percentage
    return value


def yearly_fte(periods: Sequence[PositionPeriod], year: int) -> Fraction:
    """The time-weighted FTE of one person over ``year``, exact (not rounded)."""
    if not periods:
        return Fraction(0)
    first = dt.date(year, 1, 1)
    days = 366 if calendar.isleap(year) else 365
    # The percentage can only change where a period starts or ends, so the year is
    # cut at those days and each piece weighed by its length.
    cuts = {first, dt.date(year + 1, 1, 1)}
    for period in periods:
        for edge in (period.start, period.end and period.end + dt.timedelta(days=1)):
            if edge and first < edge <= dt.date(year, 12, 31):
                cuts.add(edge)
    ordered = sorted(cuts)
    total = Fraction(0)
    for start, stop in itertools.pairwise(ordered):
        total += Fraction(percentage_on(periods, start)) * (stop - start).days
    return total / 100 / days
