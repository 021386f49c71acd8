"""The checks across rows on compact arrays agree with the plain rules, for any rows."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.hours.rowchecks import day_totals_over, overlaps, parts

# (group, start day, length in days, hours in hundredths)
ROWS = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(1, 10), st.integers(0, 2_400)),
    max_size=60,
)


def plain_overlaps(rows):
    """The rule as a person states it: take each group's rows by start day (file
    order on a tie); a row overlaps when it starts before the furthest end so far."""
    found = []
    by_group = defaultdict(list)
    for position, (group, start, length, hours) in enumerate(rows):
        by_group[group].append((start, position, start + length - 1, hours))
    for group_rows in by_group.values():
        group_rows.sort()
        latest = group_rows[0]
        for row in group_rows[1:]:
            if row[0] <= latest[2]:
                found.append((row[1], latest[1]))
            if row[2] > latest[2]:
                latest = row
    return sorted(found)


def arrays(rows):
    group = np.array([r[0] for r in rows], dtype=np.int64)
    start = np.array([r[1] for r in rows], dtype=np.int64) + 739_000
    end = start + np.array([r[2] for r in rows], dtype=np.int64) - 1
    hours = np.array([r[3] for r in rows], dtype=np.int64)
    return group, start, end, hours


@given(rows=ROWS)
def test_overlaps_are_those_of_the_plain_rule(rows):
    found, total = overlaps(*arrays(rows))
    expected = plain_overlaps(rows)
    assert total == len(expected)
    # A repeated row may name the identical row before it instead of the furthest.
    named = {(o.position, o.other) for o in found if not o.identical}
    assert named <= set(expected)
    assert sorted(o.position for o in found) == sorted(p for p, _ in expected)
    for overlap in found:
        if overlap.identical:
            a, b = rows[overlap.position], rows[overlap.other]
            assert a[1:] == b[1:] and a[0] == b[0]


@given(rows=ROWS)
def test_the_limit_keeps_the_count(rows):
    found, total = overlaps(*arrays(rows), limit=2)
    assert len(found) == min(2, total)


@given(
    rows=st.lists(st.tuples(st.integers(-1, 5), st.integers(0, 1_500)), max_size=80),
    most=st.integers(0, 3_000),
)
def test_day_totals_over_are_the_sums_above_the_most(rows, most):
    key = np.array([r[0] for r in rows], dtype=np.int64)
    hours = np.array([r[1] for r in rows], dtype=np.int64)
    found, total = day_totals_over(key, hours, most=most)
    sums: dict[int, int] = defaultdict(int)
    members = defaultdict(list)
    for position, (k, h) in enumerate(rows):
        if k >= 0:
            sums[k] += h
            members[k].append(position)
    over = {k for k, s in sums.items() if s > most}
    assert total == len(over)
    assert sorted((d.positions, d.hundredths) for d in found) == sorted(
        (members[k], sums[k]) for k in over
    )


def test_a_repeated_row_is_reported_as_identical():
    rows = [(1, 5, 1, 750), (1, 5, 1, 750)]
    [found], total = overlaps(*arrays(rows))
    assert (found.position, found.other, found.identical, total) == (1, 0, True, 1)


@given(
    values=st.lists(st.integers(-1, 6), max_size=60),
    most=st.integers(1, 12),
    reverse=st.booleans(),
)
def test_parts_hold_every_row_once_and_never_split_a_value(values, most, reverse):
    array = np.array(values, dtype=np.int32)
    order = sorted(set(values), reverse=reverse) if reverse else None
    pieces = [piece.tolist() for piece in parts(array, most=most, order=order)]
    assert sorted(p for piece in pieces for p in piece) == list(range(len(values)))
    seen: list[set[int]] = [{values[p] for p in piece} for piece in pieces]
    for piece, piece_values in zip(pieces, seen, strict=True):
        assert piece == sorted(piece)  # file order within a piece
        assert len(piece) <= most or len(piece_values) == 1 or len(pieces) == 1
    # A value lies in one piece only, and the pieces follow the order of the values.
    for one, other in itertools.pairwise(seen):
        assert not one & other
        assert (max(one) < min(other)) if not reverse else (min(one) > max(other))
