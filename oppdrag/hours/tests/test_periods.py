"""Periods and hours as time systems write them; FTE from position periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.hours.periods import (
    Granularity,
    PositionPeriod,
    hours_hundredths,
    parse_hours,
    parse_period,
    percentage_on,
    yearly_fte,
)


@pytest.mark.parametrize(
    ("text", "start", "end", "granularity"),
    [
        ("14.03.2025", dt.date(2025, 3, 14), dt.date(2025, 3, 14), Granularity.DAY),
        ("2025-03-14", dt.date(2025, 3, 14), dt.date(2025, 3, 14), Granularity.DAY),
        ("2025-W11", dt.date(2025, 3, 10), dt.date(2025, 3, 16), Granularity.WEEK),
        ("uke 11 2025", dt.date(2025, 3, 10), dt.date(2025, 3, 16), Granularity.WEEK),
        ("2025-02", dt.date(2025, 2, 1), dt.date(2025, 2, 28), Granularity.MONTH),
        ("02.2025", dt.date(2025, 2, 1), dt.date(2025, 2, 28), Granularity.MONTH),
        ("Mars 2025", dt.date(2025, 3, 1), dt.date(2025, 3, 31), Granularity.MONTH),
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), Granularity.YEAR),
    ],
)
def test_it_reads_days_weeks_months_and_years(text, start, end, granularity):
    period = parse_period(text)
    assert (period.start, period.end, period.granularity) == (start, end, granularity)


@pytest.mark.parametrize("text", ["uke 54 2025", "2025-13", "i fjor", "31.02.2025"])
def test_it_refuses_what_is_not_a_period(text):
    with pytest.raises(ValueError):
        parse_period(text)


@pytest.mark.parametrize(
    ("text", "hours"),
    [("7,5", "7.5"), ("7.5", "7.5"), ("7:30", "7.50"), ("0:45", "0.75"), ("1 950", "1950")],
)
def test_it_reads_hours_with_comma_point_or_minutes(text, hours):
    assert parse_hours(text) == Decimal(hours)


def test_it_refuses_minutes_of_60_or_more():
    with pytest.raises(ValueError, match="minuttene"):
        parse_hours("7:75")


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_clock_hours_equal_decimal_hours(h, m):
    assert parse_hours(f"{h}:{m:02d}") == (Decimal(h) + Decimal(m) / 60).quantize(Decimal("0.01"))


def test_a_reduction_from_september_is_weighted_by_days():
    periods = [
        PositionPeriod(dt.date(2020, 1, 1), None, Decimal(100)),
        PositionPeriod(dt.date(2025, 9, 1), None, Decimal(80)),
    ]
    assert yearly_fte(periods, 2025) == Fraction(243 + Fraction(4, 5) * 122, 365)
    assert percentage_on(periods, dt.date(2025, 12, 31)) == 80


def test_a_retirement_ends_the_position():
    periods = [
        PositionPeriod(dt.date(2025, 1, 1), None, Decimal(40)),
        PositionPeriod(dt.date(2025, 12, 1), None, Decimal(0)),
    ]
    assert yearly_fte(periods, 2025) == Fraction(40, 100) * 334 / 365


def test_a_leave_applies_only_inside_its_dates():
    periods = [
        PositionPeriod(dt.date(2025, 1, 1), None, Decimal(100)),
        PositionPeriod(dt.date(2025, 3, 1), dt.date(2025, 3, 31), Decimal(0)),
    ]
    assert yearly_fte(periods, 2025) == Fraction(365 - 31, 365)


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=5))
def test_fte_of_whole_year_periods_is_the_last_percentage(percentages):
    periods = [PositionPeriod(dt.date(2025, 1, 1), None, Decimal(p)) for p in percentages]
    assert yearly_fte(periods, 2025) == Fraction(percentages[-1], 100)


@given(
    whole=st.integers(min_value=0, max_value=9_999),
    minutes=st.integers(min_value=0, max_value=59),
)
def test_hours_in_hundredths_agree_for_every_spelling(whole, minutes):
    exact = Decimal(whole) + Decimal(minutes) / 60
    expected = int((exact * 100).quantize(Decimal(1), rounding="ROUND_HALF_EVEN"))
    assert hours_hundredths(f"{whole}:{minutes:02d}") == expected
    if minutes % 3 == 0:  # a whole number of hundredths: 0,05 h is 3 minutes
        decimal = f"{whole}.{minutes * 100 // 60:02d}"
        assert hours_hundredths(decimal) == expected
        assert hours_hundredths(decimal.replace(".", ",")) == expected


@given(value=st.decimals(min_value=0, max_value=10_000, places=4))
def test_hours_in_hundredths_round_half_to_even(value):
    assert hours_hundredths(f"{value:f}".replace(".", ",")) == int(
        (value * 100).quantize(Decimal(1), rounding="ROUND_HALF_EVEN")
    )


@pytest.mark.parametrize("text", ["-1", "7:60", "sju", "7,5,5", ""])
def test_hours_in_hundredths_refuse_what_parse_hours_refuses(text):
    try:
        parse_hours(text)
    except ValueError:
        with pytest.raises(ValueError):
            hours_hundredths(text)
    else:
        assert hours_hundredths(text) == int(parse_hours(text) * 100)
