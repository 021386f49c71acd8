"""The iCalendar builder: folding, escaping and all-day events as RFC 5545 wants them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.grants.ical import CalendarItem, build_calendar, escape_text, fold_line

STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_it_escapes_backslash_semicolon_comma_and_newline():
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


@given(st.text(max_size=300))
def test_folded_lines_are_at_most_75_octets_and_unfold_to_the_original(text):
    line = "SUMMARY:" + escape_text(text).replace("\r", "")
    folded = fold_line(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == line


def test_an_all_day_period_ends_the_day_after_its_last_day():
    item = CalendarItem("x@oppdrag", "Dialogmøte", dt.date(2026, 4, 1), dt.date(2026, 5, 31))
    text = build_calendar([item], name="Årshjul", stamp=STAMP)
    assert "DTSTART;VALUE=DATE:20260401\r\n" in text
    assert "DTEND;VALUE=DATE:20260601\r\n" in text
    assert "DTSTAMP:20260101T000000Z\r\n" in text
    assert text.endswith("END:VCALENDAR\r\n")


def test_long_norwegian_summaries_fold_without_splitting_letters():
    summary = "Dialogmøte om måloppnåelse og rapportering, æøå " * 4
    item = CalendarItem("y@oppdrag", summary, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    text = build_calendar([item], name="Årshjul", stamp=STAMP)
    text.encode("utf-8").decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert escape_text(summary) in unfold(text)


def test_it_refuses_a_local_timestamp_and_a_reversed_period():
    with pytest.raises(ValueError):
        build_calendar([], name="x", stamp=dt.datetime(2026, 1, 1))  # noqa: DTZ001
    item = CalendarItem("z", "x", dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    with pytest.raises(ValueError):
        build_calendar([item], name="x", stamp=STAMP)
