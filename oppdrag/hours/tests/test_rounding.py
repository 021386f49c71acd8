"""Shares add up to 100 and FTE follows the hours, for any hours table."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.hours.rounding import fte, largest_remainder, round_half_up, share

hours = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)
tables = st.lists(hours, min_size=1, max_size=40).filter(lambda t: sum(t) > 0)


@given(tables, st.integers(min_value=0, max_value=3))
def test_shares_always_add_up_to_exactly_100(table, places):
    shares = largest_remainder(table, places=places)
    assert sum(shares) == 100
    assert all(s.as_tuple().exponent == -places for s in shares)


@given(tables, st.integers(min_value=0, max_value=2))
def test_every_share_is_within_one_unit_of_its_exact_value(table, places):
    unit = Fraction(1, 10**places)
    total = sum(Fraction(v) for v in table)
    for value, rounded in zip(table, largest_remainder(table, places=places), strict=True):
        assert abs(Fraction(rounded) - Fraction(value) * 100 / total) < unit


@given(hours, st.integers(min_value=0, max_value=3))
def test_fte_equals_hours_divided_by_1950_to_the_stated_precision(value, places):
    result = fte(value, places=places)
    assert result.as_tuple().exponent == -places
    assert abs(Fraction(result) - Fraction(value) / 1950) <= Fraction(1, 2 * 10**places)


def test_it_gives_the_missing_unit_to_the_largest_remainder():
    assert largest_remainder([1, 1, 1]) == [Decimal(34), Decimal(33), Decimal(33)]
    assert largest_remainder([2392, 248, 10605]) == [Decimal(18), Decimal(2), Decimal(80)]


def test_it_rounds_fte_half_up_as_by_hand():
    assert fte(4786) == Decimal("2.5")
    assert fte(54079) == Decimal("27.7")
    assert round_half_up(Decimal("0.25"), 1) == Decimal("0.3")


def test_it_gives_zero_shares_when_there_are_no_hours():
    assert largest_remainder([0, 0]) == [Decimal(0), Decimal(0)]
    assert share(5, 0) == 0


def test_it_refuses_negative_hours():
    with pytest.raises(ValueError, match="negative"):
        largest_remainder([5, -1])
