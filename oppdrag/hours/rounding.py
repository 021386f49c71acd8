"""Rounding for the hours tables: shares that add up to 100 and FTE from hours.

Pure Python, no Django imports. Two rules, used everywhere the hours are shown:

* Shares (per cent of a total) use the largest-remainder method: every share is
  first cut down to the stated precision, and the units still missing to reach
  exactly 100 go to the rows that lost the most by the cut. The column therefore
  always adds up to 100, and no share is more than one unit from its exact value.
* FTE (årsverk) is hours divided by 1 950, rounded half up to the stated number of
  decimals, row by row. A total's FTE is computed from the total's hours, never by
  adding rounded FTE, so the FTE column always follows from the hours column.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HOURS_PER_FTE = Decimal(1950)
SHARE_PLACES = 0
FTE_PLACES = 1

Number = Decimal | int | Fraction


def _fraction(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def _to_decimal(value: Fraction, places: int) -> Decimal:
    """An exact fraction rounded half up to ``places`` decimals."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_half_up(value: Number, places: int) -> Decimal:
    """Round the way people do by hand: 0,25 → 0,3 at one decimal."""
    return _to_decimal(_fraction(value), places)


def fte(hours: Number, places: int = FTE_PLACES, hours_per_fte: Decimal = HOURS_PER_FTE) -> Decimal:
    """Full-time equivalents (årsverk) for ``hours``, rounded half up to ``places``."""
    return round_half_up(_fraction(hours) / _fraction(hours_per_fte), places)


def largest_remainder(
    values: Sequence[Number], places: int = SHARE_PLACES, total: int = 100
) -> list[Decimal]:
    """Shares of ``total`` (per cent by default) that add up to exactly ``total``.

    Each value's exact share is cut down to ``places`` decimals; the units missing
    to reach ``total`` go one each to the largest remainders (ties to the larger
    value, then to the earlier row). Values must not be negative; when they add up
    to zero there is nothing to share and every share is zero.
    """
    exact_values = [_fraction(v) for v in values]
    if any(v < 0 for v in exact_values):
        raise ValueError("Andeler kan bare beregnes av tall som ikke er negative.")
    quantum = Decimal(1).scaleb(-places)
    grand = sum(exact_values, Fraction(0))
    if grand == 0:
        return [Decimal(0).quantize(quantum) for _ in exact_values]
    units = total * 10**places
    quotas = [v * units / grand for v in exact_values]
    floors = [q.numerator // q.denominator for q in quotas]
    missing = units - sum(floors)
    order = sorted(
        range(len(quotas)),
        key=lambda i: (quotas[i] - floors[i], exact_values[i], -i),
        reverse=True,
    )
    for i in order[:missing]:
        floors[i] += 1
    return [(Decimal(f) * quantum).quantize(quantum) for f in floors]


def share(part: Number, whole: Number, places: int = SHARE_PLACES) -> Decimal:
    """One share on its own (per cent, half up), for a row outside a 100 % column."""
    whole_f = _fraction(whole)
    if whole_f == 0:
        return Decimal(0).quantize(Decimal(1).scaleb(-places))
    return round_half_up(_fraction(part) * 100 / whole_f, places)
