"""The agreement statistics against a published worked example, against established
libraries (pingouin, krippendorff, scikit-learn) and against invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oppdrag.teams.agreement import (
    AgreementError,
    agreement_report,
    agreement_within,
    exact_agreement,
    icc,
    krippendorff_alpha,
    mean_squares,
    weighted_kappa,
)

# Shrout & Fleiss (1979), table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]
PUBLISHED = {
    "ICC(1,1)": 0.17,
    "ICC(2,1)": 0.29,
    "ICC(3,1)": 0.71,
    "ICC(1,k)": 0.44,
    "ICC(2,k)": 0.62,
    "ICC(3,k)": 0.91,
}


def test_it_reproduces_the_shrout_fleiss_worked_example():
    result = icc(SHROUT_FLEISS)
    assert list(result) == list(PUBLISHED)
    for form, published in PUBLISHED.items():
        assert round(result[form].value, 2) == published, form


def test_it_names_the_model_of_every_icc_form():
    result = icc(SHROUT_FLEISS)
    assert "Enveis" in result["ICC(1,1)"].model
    assert "tilfeldig" in result["ICC(2,1)"].model
    assert "blandet" in result["ICC(3,k)"].model


def _random_matrix(seed: int, n: int = 12, k: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, size=n)
    noise = rng.integers(-1, 2, size=(n, k))
    return np.clip(truth[:, None] + noise, 1, 5).astype(float)


@pytest.mark.parametrize("seed", range(8))
def test_it_agrees_with_pingouin_on_random_data(seed):
    import pandas as pd
    import pingouin

    data = _random_matrix(seed, n=10 + seed, k=2 + seed % 3)
    long = pd.DataFrame(
        [
            {"target": i, "rater": j, "score": data[i, j]}
            for i in range(data.shape[0])
            for j in range(data.shape[1])
        ]
    )
    expected = pingouin.intraclass_corr(
        long, targets="target", raters="rater", ratings="score"
    ).set_index("Type")
    names = {
        # pingouin 0.5.5+ names the two-way forms by McGraw & Wong: A = absolute, C = consistency.
        "ICC(1,1)": "ICC(1,1)",
        "ICC(A,1)": "ICC(2,1)",
        "ICC(C,1)": "ICC(3,1)",
        "ICC(1,k)": "ICC(1,k)",
        "ICC(A,k)": "ICC(2,k)",
        "ICC(C,k)": "ICC(3,k)",
    }
    ours = icc(data)
    for theirs, form in names.items():
        assert ours[form].value == pytest.approx(expected.loc[theirs, "ICC"], abs=1e-9), form
        assert ours[form].f == pytest.approx(expected.loc[theirs, "F"], rel=1e-9), form
        lower, upper = expected.loc[theirs, "CI95"]
        ci95 = ours[form].ci95
        assert ci95 is not None
        # pingouin rounds its confidence limits to two decimals.
        assert ci95[0] == pytest.approx(lower, abs=0.006), form
        assert ci95[1] == pytest.approx(upper, abs=0.006), form


@pytest.mark.parametrize("seed", range(8))
def test_it_agrees_with_scikit_learn_on_weighted_kappa(seed):
    from sklearn.metrics import cohen_kappa_score

    data = _random_matrix(seed, n=30, k=2)
    labels = [1, 2, 3, 4, 5]
    for weights in ("linear", "quadratic"):
        theirs = cohen_kappa_score(data[:, 0], data[:, 1], labels=labels, weights=weights)
        ours = weighted_kappa(data[:, 0], data[:, 1], weights=weights, categories=labels)
        assert ours == pytest.approx(theirs, abs=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_it_agrees_with_the_krippendorff_package_with_missing_values(seed):
    import krippendorff

    data = _random_matrix(seed, n=15, k=4)
    rng = np.random.default_rng(seed + 100)
    data[rng.random(data.shape) < 0.2] = np.nan
    for level in ("ordinal", "interval", "nominal"):
        theirs = krippendorff.alpha(
            reliability_data=data.T, level_of_measurement=level, value_domain=[1, 2, 3, 4, 5]
        )
        ours = krippendorff_alpha(data, level=level)
        assert ours == pytest.approx(theirs, abs=1e-9), level


def test_it_computes_exact_agreement_and_agreement_within_one_point():
    data = [[1, 1], [2, 3], [4, 2], [5, 5], [3, None]]
    assert exact_agreement(data) == 0.5
    assert agreement_within(data, 1) == 0.75


def test_it_reports_undefined_kappa_as_none_when_both_raters_use_one_score():
    assert weighted_kappa([3, 3, 3], [3, 3, 3]) is None


def test_it_refuses_a_single_rater():
    with pytest.raises(AgreementError):
        agreement_report([[1], [2]])


def test_it_drops_incomplete_items_from_icc_and_says_so():
    report = agreement_report([[1, 2], [3, 3], [5, 4], [2, None]], ["A", "B"])
    assert report.complete_items == 3
    assert report.notes
    assert report.icc["ICC(1,1)"].value is not None
    assert report.as_dict()["pairs"][0]["raters"] == ["A", "B"]


# --- invariants ---------------------------------------------------------------------

scores = st.integers(min_value=1, max_value=5)


@st.composite
def matrices(draw, min_raters=2, max_raters=5):
    k = draw(st.integers(min_value=min_raters, max_value=max_raters))
    n = draw(st.integers(min_value=3, max_value=15))
    rows = draw(st.lists(st.lists(scores, min_size=k, max_size=k), min_size=n, max_size=n))
    return np.array(rows, dtype=float)


@given(st.lists(scores, min_size=2, max_size=30).filter(lambda xs: len(set(xs)) > 1))
def test_identical_raters_have_kappa_and_alpha_of_one(column):
    for weights in ("linear", "quadratic"):
        assert weighted_kappa(column, column, weights=weights) == pytest.approx(1.0)
    data = np.array([column, column, column], dtype=float).T
    assert krippendorff_alpha(data) == pytest.approx(1.0)
    assert exact_agreement(data) == 1.0


@settings(max_examples=60)
@given(matrices(), st.randoms(use_true_random=False))
def test_statistics_do_not_depend_on_rater_order(data, random):
    order = list(range(data.shape[1]))
    random.shuffle(order)
    shuffled = data[:, order]
    assert krippendorff_alpha(shuffled) == _approx(krippendorff_alpha(data))
    first, second = icc(data), icc(shuffled)
    for form in first:
        assert second[form].value == _approx(first[form].value)
    two = data[:, :2]
    assert weighted_kappa(two[:, 1], two[:, 0]) == _approx(weighted_kappa(two[:, 0], two[:, 1]))


@settings(max_examples=60)
@given(matrices())
def test_average_measure_iccs_follow_spearman_brown(data):
    k = data.shape[1]
    result = icc(data)
    for model in "123":
        single = result[f"ICC({model},1)"].value
        average = result[f"ICC({model},k)"].value
        if single is None or average is None or abs(1 + (k - 1) * single) < 1e-6:
            continue
        assert average == pytest.approx(k * single / (1 + (k - 1) * single), rel=1e-6, abs=1e-9)


@settings(max_examples=60)
@given(matrices(), st.integers(min_value=1, max_value=3))
def test_a_rater_who_scores_consistently_higher_leaves_consistency_but_not_agreement(data, shift):
    before = icc(data)
    shifted = data.copy()
    shifted[:, 0] += shift
    after = icc(shifted)
    assert after["ICC(3,1)"].value == _approx(before["ICC(3,1)"].value)
    if (
        before["ICC(2,1)"].value is not None
        and after["ICC(2,1)"].value is not None
        and before["ICC(2,1)"].value >= 0
        # A systematic rater difference can only lower a non-negative absolute
        # agreement when the other raters agree on average with the first one.
        and np.isclose(data[:, 0].mean(), data[:, 1:].mean())
    ):
        assert after["ICC(2,1)"].value <= before["ICC(2,1)"].value + 1e-9


@settings(max_examples=60)
@given(matrices())
def test_absolute_agreement_never_exceeds_consistency_when_raters_differ_beyond_noise(data):
    result = icc(data)
    icc2, icc3 = result["ICC(2,1)"].value, result["ICC(3,1)"].value
    squares = mean_squares(data)
    if icc2 is None or icc3 is None or icc3 < 0 or squares.jms < squares.ems:
        return
    # With positive consistency, adding rater variance to the denominator can only
    # lower the coefficient.
    assert icc2 <= icc3 + 1e-9


def _approx(value):
    return None if value is None else pytest.approx(value, abs=1e-9)
