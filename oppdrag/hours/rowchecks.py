"""The hours import's checks across rows, on compact columns of integers.

Pure Python and numpy, no Django. An hours export is kept during the import as
a few arrays of small integers (row number, person, project, period, hours in
hundredths: 16 bytes a row, so ten million rows fit in 160 MB), and the rules
that span rows are answered by sorting and summing those arrays instead of a
Python object per row:

* ``overlaps``: a person's periods on one project must not overlap;
* ``day_totals_over``: one person cannot have more than 24 hours on one day.

Both return positions in the arrays (the caller turns them into messages) and
stop collecting after ``limit`` findings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


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
    days_start = start - base
    days_end = end - base
    if int(days_end.max()) >= 1_000:
        raise ValueError("periods span more than 999 days")
    order = np.argsort(group * 1_000 + days_start, kind="stable")
    g = group[order]
    s = days_start[order]
    # The furthest end so far, made to restart in each group: a group's values
    # all lie above the previous group's.
    reach = np.maximum.accumulate(g * 1_000 + days_end[order])
    same_group = np.zeros(count, dtype=bool)
    same_group[1:] = g[1:] == g[:-1]
    flagged = np.zeros(count, dtype=bool)
    flagged[1:] = same_group[1:] & (reach[:-1] - g[1:] * 1_000 >= s[1:])
    hits = np.flatnonzero(flagged)
    total = len(hits)
    found: list[Overlap] = []
    ends = g * 1_000 + days_end[order]
    for index in hits[:limit].tolist():
        first = int(np.searchsorted(g, g[index]))
        other = first + int(np.argmax(ends[first:index]))
        position, earlier = int(order[index]), int(order[other])
        identical = bool(
            start[position] == start[earlier]
            and end[position] == end[earlier]
            and hours[position] == hours[earlier]
        )
        if not identical and index - 1 >= first:
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
    person). Returns the first ``limit`` groups by their first row and the count.
    """
    taking = np.flatnonzero(key >= 0)
    if len(taking) == 0:
        return [], 0
    keys, inverse = np.unique(key[taking], return_inverse=True)
    totals = np.bincount(inverse, weights=hours[taking].astype(np.float64), minlength=len(keys))
    over = np.flatnonzero(totals > most)
    if len(over) == 0:
        return [], 0
    chosen = over[:limit]
    inside = np.isin(inverse, chosen)
    members: dict[int, list[int]] = {}
    for position, group in zip(taking[inside].tolist(), inverse[inside].tolist(), strict=True):
        members.setdefault(group, []).append(position)
    found = [DayTotal(members[g], round(float(totals[g]))) for g in chosen.tolist()]
    found.sort(key=lambda d: d.positions[0])
    return found, len(over)
