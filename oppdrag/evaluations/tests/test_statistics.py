"""The pure statistics module against SciPy's implementations."""

import random

import pytest
from scipy import stats as sp

from oppdrag.evaluations.statistics import (
    MIN_GROUP,
    distribution,
    incomplete_beta,
    mean_ci,
    response_rate,
    suppressed,
    t_cdf,
    t_quantile,
)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 7, 12, 30, 99, 500])
@pytest.mark.parametrize("p", [0.6, 0.9, 0.975, 0.995, 0.025])
def test_t_quantile_matches_scipy(df, p):
    assert t_quantile(p, df) == pytest.approx(sp.t.ppf(p, df), rel=1e-8, abs=1e-9)


@pytest.mark.parametrize("t", [-6.0, -1.3, 0.0, 0.4, 2.2, 15.0])
@pytest.mark.parametrize("df", [1, 5, 40])
def test_t_cdf_matches_scipy(t, df):
    assert t_cdf(t, df) == pytest.approx(sp.t.cdf(t, df), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize(
    ("a", "b", "x"), [(0.5, 0.5, 0.3), (2, 3, 0.9), (10, 0.5, 0.2), (1, 1, 0.5)]
)
def test_incomplete_beta_matches_scipy(a, b, x):
    from scipy.special import betainc

    assert incomplete_beta(a, b, x) == pytest.approx(betainc(a, b, x), rel=1e-10)


@pytest.mark.parametrize("n", [2, 5, 17, 120])
def test_mean_ci_matches_scipy_interval(n):
    rng = random.Random(n)
    values = [float(rng.randint(1, 5)) for _ in range(n)]
    summary = mean_ci(values)
    assert summary is not None
    values[0] = 1.0 if values[1] != 1.0 else 5.0  # some spread, or SciPy answers NaN
    summary = mean_ci(values)
    assert summary is not None
    low, high = sp.t.interval(0.95, n - 1, loc=sp.tmean(values), scale=sp.sem(values))
    assert summary.mean == pytest.approx(sum(values) / n)
    assert summary.sd == pytest.approx(sp.tstd(values))
    assert summary.ci_low == pytest.approx(low, rel=1e-8)
    assert summary.ci_high == pytest.approx(high, rel=1e-8)


def test_mean_ci_of_nothing_or_one_value_has_no_interval():
    assert mean_ci([]) is None
    one = mean_ci([4.0])
    assert one is not None and one.mean == 4.0 and one.ci_low is None and one.sd is None


def test_t_quantile_refuses_probabilities_outside_the_open_interval():
    for p in (0.0, 1.0, -0.1):
        with pytest.raises(ValueError):
            t_quantile(p, 3)


def test_distribution_keeps_option_order_and_counts_unknown_values_after():
    assert distribution(["b", "a", "b", "x"], ["a", "b", "c"]) == [
        ("a", 1),
        ("b", 2),
        ("c", 0),
        ("x", 1),
    ]


def test_response_rate_needs_a_known_positive_number_invited():
    assert response_rate(3, 12) == 0.25
    assert response_rate(3, None) is None
    assert response_rate(3, 0) is None


def test_groups_below_five_are_suppressed():
    assert MIN_GROUP == 5
    assert suppressed(4) and not suppressed(5)
