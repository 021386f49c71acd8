"""The hours import's checks across rows, on compact columns of integers.

Pure Python and numpy, no Django. An hours export is kept during the import as
a few arrays of small integers (row number, person, project, period, hours in
hundredths: 16 bytes a row, so ten million rows fit in 160 MB), and the rules
that span rows are answered by sorting and summing those arrays instead of a
Python object per row:

* ``overlaps``: a person's periods on one project must not overlap;
* ``day_totals_over``: one person cannot have more than 24 hours on one day.

Both return positions in the arrays (the caller turns them into messages) and
stop collecting after ``limit`` findings. ``parts`` cuts the rows into pieces by
a column (person, project) so that each check, or the save's sort, holds its
temporaries for one piece at a time: memory bounded by the piece, not the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.signedinteger[Any]]


def parts(values: Ints, *, most: int, order: Sequence[int] | None = None) -> Iterator[Ints]:
    """The positions of the rows, cut by their ``values`` into pieces of about ``most`` rows.

    ``values`` are small integers (-1 and up: a person or project index). The
    pieces take the values in ``order`` (every value that occurs, by default
    ascending), consecutive values together while their rows number at most
    ``most``; a value with more rows makes a piece of its own. Within a piece
    the positions are in file order. Rows with equal values are never split, so
    a rule within one person (or project) can be checked piece by piece, and
    taken in turn the pieces list the rows in the order of their values. One
    piece is made at a time (a generator): its positions, 8 bytes a row, and
    a boolean mask over all rows while it is found.
    """
    if len(values) == 0:
        return
    low = int(values.min())
    counts = np.bincount(values - low).tolist()
    taken = range(low, low + len(counts)) if order is None else order
    pieces: list[list[int]] = [[]]
    size = 0
    for value in taken:
        count = counts[value - low] if 0 <= value - low < len(counts) else 0
        if not count:
            continue
        if size and size + count > most:
            pieces.append([])
            size = 0
        pieces[-1].append(value)
        size += count
    if len(pieces) == 1:
        yield np.arange(len(values))
        return
    for piece in pieces:
        yield np.flatnonzero(np.isin(values, piece))


@dataclass(frozen=True)
class Overlap:
    """Row ``position`` overlaps the period of row ``other`` (an earlier one in the sort)."""

    position: int
    other: int
    identical: bool  # same period and hours: the row repeats the other


def overlaps(
    group: Ints, start: Ints, end: Ints, hours: Ints, *, limit: int = 1_000
) -> tuple[list[Overlap], int]:
    """Rows whose period begins before an earlier period of their group has ended.

    ``group`` identifies person and project; ``start`` and ``end`` are day numbers
    (inclusive, at most 999 days apart from the smallest ``start``). Rows are taken
    in order of start day, file order breaking ties, as a person would read them;
    the row a finding names as ``other`` is the one whose period reaches furthest
    among those before it (the first such on a tie), and ``identical`` says it
    has the same period and hours. Returns the first ``limit`` findings in the
    order of the sort and how many there are in all.
    """
    count = len(group)
    if count < 2:
        return [], 0
    base = int(start.min())
    if int(end.max()) - base >= 1_000:
        raise ValueError("periods span more than 999 days")
    # One int64 key per row: group, then start day. The arrays below are made
    # in place where numpy allows, so ten million rows need about 30 bytes each.
    key = group.astype(np.int64)
    key *= 1_000
    key += start
    key -= base
    order = np.argsort(key, kind="stable")
    key = key[order]
    # ``reach``: the group's base plus the furthest end day so far. Earlier
    # groups' values all lie below a later group's base, so the running maximum
    # restarts by itself in each group, and a row overlaps exactly when the
    # reach before it is at least its own key (group base plus start day).
    reach = end[order].astype(np.int64)
    reach -= base
    reach += key
    reach -= key % 1_000
    np.maximum.accumulate(reach, out=reach)
    hits = np.flatnonzero(reach[:-1] >= key[1:]) + 1
    total = len(hits)
    found: list[Overlap] = []
    for index in hits[:limit].tolist():
        group_key = int(key[index]) // 1_000 * 1_000
        first = int(np.searchsorted(key, group_key))
        # The furthest-reaching row before this one (the first on a tie).
        span = end[order[first:index]]
        other = first + int(np.argmax(span))
        position, earlier = int(order[index]), int(order[other])
        identical = bool(
            start[position] == start[earlier]
            and end[position] == end[earlier]
            and hours[position] == hours[earlier]
        )
        if not identical:
            previous = int(order[index - 1])
            if (
                start[position] == start[previous]
                and end[position] == end[previous]
                and hours[position] == hours[previous]
            ):
                identical, earlier = True, previous
        found.append(Overlap(position, earlier, identical))
    return found, total


@dataclass(frozen=True)
class DayTotal:
    """The rows (positions) of one person and day, and their hours in hundredths."""

    positions: list[int]
    hundredths: int


def day_totals_over(
    key: Ints, hours: Ints, *, most: int = 2_400, limit: int = 1_000
) -> tuple[list[DayTotal], int]:
    """Groups of rows with the same ``key`` (person and day) whose hours pass ``most``.

    ``key`` is -1 for rows that take no part (periods longer than a day, no
    person) and otherwise small (a sum per key value is kept). Returns the
    first ``limit`` groups (by key), ordered by their first row, and the count.
    """
    if len(key) == 0 or int(key.max()) < 0:
        return [], 0
    # Keys are small (people × periods of one year), so a sum per key is one
    # bincount; key -1 lands in bin 0 and is left out.
    totals = np.bincount(key + 1, weights=hours)[1:]
    over = np.flatnonzero(totals > most)
    if len(over) == 0:
        return [], 0
    chosen = over[:limit]
    positions = np.flatnonzero(np.isin(key, chosen))
    members: dict[int, list[int]] = {}
    for position, group in zip(positions.tolist(), key[positions].tolist(), strict=True):
        members.setdefault(group, []).append(position)
    found = [DayTotal(members[g], round(float(totals[g]))) for g in chosen.tolist()]
    found.sort(key=lambda d: d.positions[0])
    return found, len(over)
