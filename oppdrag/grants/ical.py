"""iCalendar (RFC 5545) text for a grant's year plan. Pure Python, no Django imports.

Every item is an all-day event (a date, or a period of whole days); lines are
folded at 75 octets without splitting a UTF-8 character, text values are escaped,
and lines end in CRLF as the standard requires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODUCT_ID = "-//Oppdrag//Årshjul//NO"


@dataclass(frozen=True)
class CalendarItem:
    """One all-day event: ``start`` to ``end`` inclusive (``end`` is ``start`` for a day)."""

    uid: str
    summary: str
    start: dt.date
    end: dt.date
    description: str = ""
    categories: str = ""


def escape_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 says: backslash, semicolon, comma, newline."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str, limit: int = 75) -> str:
    """Fold a content line into lines of at most ``limit`` octets (RFC 5545 §3.1);
    continuation lines start with a space, which counts towards their length."""
    encoded = line.encode("utf-8")
    if len(encoded) <= limit:
        return line
    pieces: list[str] = []
    current = ""
    size = 0
    room = limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > room:
            pieces.append(current)
            current, size, room = "", 0, limit - 1
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def build_calendar(items: Iterable[CalendarItem], *, name: str, stamp: dt.datetime) -> str:
    """The VCALENDAR text for ``items``; ``stamp`` (UTC) becomes every DTSTAMP."""
    if stamp.tzinfo is None or stamp.utcoffset() != dt.timedelta(0):
        raise ValueError("stamp må være i UTC")
    stamp_text = stamp.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for item in items:
        if item.end < item.start:
            raise ValueError(f"slutt før start i {item.uid}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.uid}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{item.start:%Y%m%d}",
            # DTEND of an all-day event is the day after the last day.
            f"DTEND;VALUE=DATE:{item.end + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(item.summary)}",
        ]
        if item.description:
            lines.append(f"DESCRIPTION:{escape_text(item.description)}")
        if item.categories:
            lines.append(f"CATEGORIES:{escape_text(item.categories)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
