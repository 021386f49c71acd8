"""The report's one rounding rule: half up, as Norwegian tables print (0,25 → 0,3).

Pure Python. Python's ``round`` and ``format`` round a binary float to the nearest even
digit (``round(0.25, 1)`` is 0.2, ``f"{2.675:.2f}"`` is 2.67); a number is rounded
here from its shortest decimal form instead, so what was typed or computed as 0,25
prints as 0,3 everywhere in the report, the figures and the charts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def half_up(value: float | int | Decimal | Fraction, places: int = 0) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (away from zero for negatives)."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def half_up_number(value: float | int | Decimal, places: int = 0) -> int | float:
    """The same, as an int when whole and a float otherwise (for table cells and JSON)."""
    rounded = half_up(value, places)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)
