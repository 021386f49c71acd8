"""Summary statistics for evaluation answers: pure Python, no Django, no SciPy.

Means carry a 95 % confidence interval from Student's t distribution. The t quantile
is found by Newton's method (from a Cornish-Fisher guess, inside a shrinking bracket)
on the distribution function, which is computed from the regularised incomplete beta
function (continued fraction, Lentz's method); the tests check it against SciPy. Groups
smaller than ``MIN_GROUP`` are never summarised, so a single answer cannot be recognised
in a breakdown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

MIN_GROUP = 5


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_pdf(t: float, df: float) -> float:
    """The density of Student's t with ``df`` degrees of freedom."""
    log_norm = math.lgamma((df + 1.0) / 2.0) - math.lgamma(df / 2.0) - 0.5 * math.log(df * math.pi)
    return math.exp(log_norm - (df + 1.0) / 2.0 * math.log1p(t * t / df))


def _t_quantile_guess(p: float, df: float) -> float:
    """A close first guess of the upper quantile (p > 0.5): exact for 1 and 2 degrees of
    freedom, otherwise the Cornish-Fisher expansion around the normal quantile."""
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2.0 * p - 1.0) / math.sqrt(2.0 * p * (1.0 - p))
    z = NormalDist().inv_cdf(p)
    z2 = z * z
    g1 = (z2 + 1.0) * z / 4.0
    g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0
    g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0
    g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t (0 < p < 1).

    Newton's method on ``t_cdf`` with the density as derivative, from a close first
    guess, inside a bracket that every step narrows; a step that would leave the
    bracket bisects (or doubles, while there is no upper bound yet) instead. Two or
    three distribution-function evaluations instead of bisection's ~45.
    """
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, math.inf
    t = _t_quantile_guess(p, df)
    if not 0.0 < t < math.inf:
        t = 1.0
    for _ in range(400):
        error = t_cdf(t, df) - p
        if error < 0:
            low = t
        else:
            high = t
        density = t_pdf(t, df)
        following = t - error / density if density > 0 else math.nan
        if not low < following < high:
            following = (low + high) / 2.0 if high < math.inf else t * 2.0
        if abs(following - t) < 1e-13 * max(1.0, abs(t)) or high - low < 1e-12:
            return following
        t = following
    return t


@dataclass(frozen=True)
class MeanSummary:
    """A mean with its sample standard deviation and 95 % confidence interval."""

    n: int
    mean: float
    sd: float | None
    ci_low: float | None
    ci_high: float | None


def mean_ci(values: Sequence[float], confidence: float = 0.95) -> MeanSummary | None:
    """Mean and t-based confidence interval; ``None`` for no values.

    With one value there is no spread, so the interval is left open (``None``).
    """
    n = len(values)
    if n == 0:
        return None
    mean = math.fsum(values) / n
    if n == 1:
        return MeanSummary(1, mean, None, None, None)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_quantile(1.0 - (1.0 - confidence) / 2.0, n - 1) * sd / math.sqrt(n)
    return MeanSummary(n, mean, sd, mean - half, mean + half)


def distribution(values: Iterable[str], options: Sequence[str]) -> list[tuple[str, int]]:
    """Counts per option in the options' order; values outside ``options`` follow."""
    counts = dict.fromkeys(options, 0)
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return list(counts.items())


def response_rate(responses: int, invited: int | None) -> float | None:
    """Share of the invited who answered, when the number invited is known and positive."""
    if not invited:
        return None
    return responses / invited


def suppressed(n: int) -> bool:
    """Whether a group of ``n`` answers is too small to be shown separately."""
    return n < MIN_GROUP
