"""Counts so far this year against the same date last year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.figures.todate import DATE_FIELDS, counts_to_date, same_day

pytestmark = pytest.mark.django_db


def event(center, year: int, day: dt.date | None) -> m.Event:
    return m.Event.objects.create(
        center=center, year=year, theme="Tema", title=f"Arrangement {day}", date_start=day
    )


def test_each_year_counts_up_to_the_same_day(center, other_center):
    on = dt.date(2026, 11, 27)
    event(center, 2026, dt.date(2026, 3, 1))
    event(center, 2026, on)  # the day itself counts
    event(center, 2026, dt.date(2026, 11, 28))  # planned after today
    event(center, 2026, None)
    event(center, 2025, dt.date(2025, 11, 27))
    event(center, 2025, dt.date(2025, 12, 1))  # after the same day last year
    event(center, 2025, None)
    event(center, 2025, None)
    event(other_center, 2026, dt.date(2026, 1, 5))  # another centre's
    result = counts_to_date(center, 2026, on)
    assert result["cutoff"] == on and result["previous_cutoff"] == dt.date(2025, 11, 27)
    assert result["kinds"]["events"] == {
        "this_year": 2,
        "last_year": 1,
        "undated_this_year": 1,
        "undated_last_year": 2,
    }
    assert result["kinds"]["presentations"]["this_year"] == 0


def test_a_past_year_is_compared_whole(center):
    event(center, 2024, dt.date(2024, 12, 31))
    event(center, 2023, dt.date(2023, 12, 31))
    result = counts_to_date(center, 2024, dt.date(2026, 11, 27))
    assert result["cutoff"] == dt.date(2024, 12, 31)
    assert result["kinds"]["events"]["this_year"] == 1
    assert result["kinds"]["events"]["last_year"] == 1


def test_the_29th_of_february_meets_the_28th():
    assert same_day(2025, dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert same_day(2023, dt.date(2024, 3, 1)) == dt.date(2023, 3, 1)


def test_one_query_for_all_kinds_whatever_the_data(center):
    on = dt.date(2026, 6, 1)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            counts_to_date(center, 2026, on)
        return len(captured)

    small = count()
    for day in range(1, 29):
        event(center, 2026, dt.date(2026, 2, day))
        event(center, 2025, dt.date(2025, 2, day))
    m.Presentation.objects.create(
        center=center, year=2026, date=dt.date(2026, 3, 3), title="Foredrag", kind="Foredrag"
    )
    assert count() == small == 1
    result = counts_to_date(center, 2026, on)
    assert result["kinds"]["events"]["this_year"] == result["kinds"]["events"]["last_year"] == 28
    assert result["kinds"]["presentations"]["this_year"] == 1
    assert set(result["kinds"]) == set(DATE_FIELDS)
