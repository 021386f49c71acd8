"""Time entries packed per person and project read back as they were written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from oppdrag.hours.periods import Granularity, parse_period
from oppdrag.hours.series import Entry, pack_entries, period_of, unpack

YEAR = 2024  # a leap year: day 366 is 31.12


def periods_of_the_year() -> st.SearchStrategy[str]:
    day = st.dates(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)).map(lambda d: d.isoformat())
    week = st.integers(1, 52).map(lambda w: f"{YEAR}-W{w:02d}")
    month = st.integers(1, 12).map(lambda m: f"{YEAR}-{m:02d}")
    return st.one_of(day, week, month, st.just(str(YEAR)))


@given(
    st.dictionaries(
        periods_of_the_year(),
        st.decimals(min_value=0, max_value=9999, places=2),
        max_size=40,
    )
)
def test_packed_entries_unpack_to_the_same_periods_and_hours(written):
    entries = [Entry(parse_period(text), hours) for text, hours in written.items()]
    # Distinct start days, as the importer guarantees for one person and project.
    by_start = {e.start: e for e in entries}
    entries = sorted(by_start.values(), key=lambda e: e.start)
    assert unpack(YEAR, pack_entries(YEAR, entries)) == entries


def test_a_period_follows_from_its_first_day_and_unit():
    assert period_of(dt.date(2024, 2, 1), Granularity.MONTH).end == dt.date(2024, 2, 29)
    assert period_of(dt.date(2024, 12, 30), Granularity.WEEK).end == dt.date(2025, 1, 5)
    assert period_of(dt.date(2024, 1, 1), Granularity.YEAR).end == dt.date(2024, 12, 31)
    assert unpack(YEAR, b"") == []
    assert pack_entries(YEAR, [Entry(parse_period("31.12.2024"), Decimal("0.01"))]) == bytes(
        [0x6D, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00]
    )  # day 365 (0x016D) little-endian, unit 0 (day), 1 hundredth
