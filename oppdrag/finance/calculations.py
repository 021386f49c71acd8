"""The arithmetic of budget against accounts, in plain Python (no Django imports).

``split`` shares an amount in proportion to weights to the øre, so that the parts add
up to the whole exactly (largest remainder); the salary allocation by hours and the
spreading of spending over budget lines both use it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
ORE = Decimal("0.01")
ZERO = Decimal(0)


def split(amount: Decimal, weights: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """``amount`` shared in proportion to ``weights`` (non-negative, not all zero), in
    øre; the parts add up to ``amount``. Ties in the remainder go to the earlier key."""
    total = sum(weights.values(), ZERO)
    if total <= 0:
        raise ValueError("weights must have a positive sum")
    cents = int((amount / ORE).to_integral_value())
    sign = -1 if cents < 0 else 1
    exact = {k: Fraction(abs(cents)) * Fraction(w) / Fraction(total) for k, w in weights.items()}
    floors = {k: int(v) for k, v in exact.items()}
    left = abs(cents) - sum(floors.values())
    order = sorted(exact, key=lambda k: exact[k] - floors[k], reverse=True)
    for k in order[:left]:
        floors[k] += 1
    return {k: Decimal(sign * floors[k]) * ORE for k in weights}


@dataclass(frozen=True)
class SalaryAllocation:
    """Salaries with no project in the ledger, shared by the hours registered per
    assignment: each assignment gets its hours × the cost per hour."""

    pool: Decimal
    hours: dict[str, Decimal]  # by assignment key
    shares: dict[str, Decimal]

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours.values(), ZERO)

    @property
    def cost_per_hour(self) -> Decimal | None:
        if not self.total_hours:
            return None
        return (self.pool / self.total_hours).quantize(ORE)


def allocate_salaries(pool: Decimal, hours: Mapping[str, Decimal]) -> SalaryAllocation:
    """Share ``pool`` over the assignments by ``hours``; nothing is shared without hours."""
    worked = {k: h for k, h in hours.items() if h > 0}
    if not worked or not pool:
        return SalaryAllocation(pool, dict(worked), {})
    return SalaryAllocation(pool, dict(worked), split(pool, worked))


@dataclass
class Line:
    """One row of budget against accounts: planned, spent, and what follows."""

    key: str
    label: str
    planned: Decimal = ZERO
    spent: Decimal = ZERO
    explanation: str = ""
    needs_explanation: bool = False

    @property
    def difference(self) -> Decimal:
        """Planned minus spent: positive when less was spent than planned."""
        return self.planned - self.spent

    @property
    def percent(self) -> Decimal | None:
        """Spent as a percentage of planned, one decimal; None when nothing was planned."""
        if not self.planned:
            return None
        return (self.spent * 100 / self.planned).quantize(Decimal("0.1"))


def passes_threshold(line: Line, percent: Decimal, minimum: Decimal) -> bool:
    """Whether a row's deviation is large enough to need an explanation: at least
    ``minimum`` kroner, and more than ``percent`` of the plan (any share when
    nothing was planned)."""
    gap = abs(line.difference)
    if gap == 0 or gap < minimum:
        return False
    if not line.planned:
        return True
    return gap * 100 / abs(line.planned) > percent
