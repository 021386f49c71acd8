"""Inter-rater agreement for fidelity reviews and rater training. No Django here.

Input is a score matrix: one row per rated item (or target), one column per rater,
``None``/NaN where a rater gave no score. The statistics:

* exact agreement and agreement within one point (share of items where all raters'
  scores are equal, or differ by at most one);
* Cohen's weighted kappa for two raters, with linear or quadratic disagreement
  weights computed from the score values (so a scale 1–5 with no 3 observed still
  treats 2 and 4 as two points apart);
* the six intraclass correlations of Shrout & Fleiss (1979), each with its model
  named: ICC(1,1)/ICC(1,k) one-way random, ICC(2,1)/ICC(2,k) two-way random
  (absolute agreement), ICC(3,1)/ICC(3,k) two-way mixed (consistency);
* Krippendorff's alpha (ordinal by default; interval and nominal too) for any
  number of raters with missing values.

ICC and kappa need complete rows: items that a rater left empty are dropped for
them (listwise) and the number used is reported. Values that cannot be computed
(too few items, no variation) are ``None``, never a silent zero.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

Matrix = Sequence[Sequence[float | int | None]]
Weights = Literal["linear", "quadratic"]
Level = Literal["ordinal", "interval", "nominal"]

ICC_FORMS: dict[str, str] = {
    "ICC(1,1)": "Enveis tilfeldig modell, én bedømmer (absolutt samsvar)",
    "ICC(2,1)": "Toveis tilfeldig modell, én bedømmer (absolutt samsvar)",
    "ICC(3,1)": "Toveis blandet modell, én bedømmer (konsistens)",
    "ICC(1,k)": "Enveis tilfeldig modell, gjennomsnitt av k bedømmere (absolutt samsvar)",
    "ICC(2,k)": "Toveis tilfeldig modell, gjennomsnitt av k bedømmere (absolutt samsvar)",
    "ICC(3,k)": "Toveis blandet modell, gjennomsnitt av k bedømmere (konsistens)",
}


class AgreementError(ValueError):
    """The matrix cannot be used (wrong shape, too few raters or items)."""


def as_array(matrix: Matrix | NDArray[np.float64]) -> NDArray[np.float64]:
    """A float matrix with NaN for missing scores; refuses ragged or empty input."""
    rows = [
        [math.nan if value is None else float(value) for value in row]
        for row in np.asarray(matrix, dtype=object).tolist()
    ]
    if not rows or not rows[0]:
        raise AgreementError("Matrisen er tom.")
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise AgreementError("Alle rader må ha like mange skårer.")
    return np.array(rows, dtype=float)


def complete_rows(data: NDArray[np.float64]) -> NDArray[np.float64]:
    """The rows in which every rater gave a score."""
    return data[~np.isnan(data).any(axis=1)]


def _ratio(numerator: float, denominator: float) -> float | None:
    # A denominator that is zero in exact arithmetic comes out as ±1e-17 or so.
    if abs(denominator) < 1e-12 or not math.isfinite(denominator):
        return None
    return float(np.float64(numerator) / np.float64(denominator))


# --- simple agreement --------------------------------------------------------------


def exact_agreement(matrix: Matrix | NDArray[np.float64]) -> float | None:
    """Share of items (with all scores given) where every rater gave the same score."""
    data = complete_rows(as_array(matrix))
    if len(data) == 0:
        return None
    spread = data.max(axis=1) - data.min(axis=1)
    return float(np.mean(spread == 0))


def agreement_within(matrix: Matrix | NDArray[np.float64], points: float = 1) -> float | None:
    """Share of items where the highest and lowest score differ by at most ``points``."""
    data = complete_rows(as_array(matrix))
    if len(data) == 0:
        return None
    spread = data.max(axis=1) - data.min(axis=1)
    return float(np.mean(spread <= points + 1e-9))


# --- weighted kappa ----------------------------------------------------------------


def weighted_kappa(
    first: Sequence[float | int | None] | NDArray[np.float64],
    second: Sequence[float | int | None] | NDArray[np.float64],
    *,
    weights: Weights = "linear",
    categories: Sequence[float] | None = None,
) -> float | None:
    """Cohen's weighted kappa of two raters' scores (pairs with a missing score dropped).

    ``categories`` are the possible scores (default: every value either rater used).
    Disagreement weights are |a−b| (linear) or (a−b)² (quadratic) in score units;
    the scale of the weights cancels out. ``None`` when both raters used a single,
    common score, where chance agreement is total and kappa is undefined.
    """
    data = complete_rows(as_array(list(zip(first, second, strict=True))))
    if len(data) == 0:
        return None
    values = np.array(sorted(set(categories or []) | set(data.ravel().tolist())), dtype=float)
    index = {value: position for position, value in enumerate(values.tolist())}
    size = len(values)
    observed = np.zeros((size, size))
    for a, b in data:
        observed[index[a], index[b]] += 1
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    difference = np.abs(values[:, None] - values[None, :])
    weight = difference if weights == "linear" else difference**2
    expected_disagreement = float((weight * expected).sum())
    if expected_disagreement == 0:
        return None
    return 1.0 - float((weight * observed).sum()) / expected_disagreement


# --- intraclass correlation --------------------------------------------------------


@dataclass(frozen=True)
class ICC:
    """One intraclass correlation with its model and the ANOVA behind it."""

    form: str
    value: float | None
    model: str
    f: float | None
    df1: int
    df2: int
    p: float | None
    ci95: tuple[float, float] | None


@dataclass(frozen=True)
class MeanSquares:
    """The two-way ANOVA of an n × k matrix (Shrout & Fleiss's notation)."""

    n: int
    k: int
    bms: float  # between targets
    wms: float  # within targets
    jms: float  # between judges
    ems: float  # residual


def mean_squares(matrix: Matrix | NDArray[np.float64]) -> MeanSquares:
    data = complete_rows(as_array(matrix))
    n, k = data.shape
    if k < 2:
        raise AgreementError("Minst to bedømmere trengs.")
    if n < 2:
        raise AgreementError("Minst to enheter med skår fra alle bedømmere trengs.")
    grand = data.mean()
    row_means = data.mean(axis=1)
    col_means = data.mean(axis=0)
    ss_rows = k * float(((row_means - grand) ** 2).sum())
    ss_cols = n * float(((col_means - grand) ** 2).sum())
    ss_total = float(((data - grand) ** 2).sum())
    ss_within = ss_total - ss_rows
    ss_error = ss_total - ss_rows - ss_cols
    # Rounding leaves tiny non-zero sums where the exact value is zero (e.g. a
    # matrix shifted by a constant); treat them as zero so degenerate cases stay
    # undefined instead of producing arbitrary ratios.
    tolerance = 1e-10 * max(1.0, float((data**2).sum()))
    ss_rows, ss_cols, ss_within, ss_error = (
        0.0 if abs(value) < tolerance else value
        for value in (ss_rows, ss_cols, ss_within, ss_error)
    )
    return MeanSquares(
        n=n,
        k=k,
        bms=ss_rows / (n - 1),
        wms=ss_within / (n * (k - 1)),
        jms=ss_cols / (k - 1),
        ems=ss_error / ((n - 1) * (k - 1)),
    )


def _f_test(f: float | None, df1: int, df2: int) -> float | None:
    from scipy import stats

    if f is None or not math.isfinite(f):
        return None
    return float(stats.f.sf(f, df1, df2))


def icc(matrix: Matrix | NDArray[np.float64]) -> dict[str, ICC]:
    """The six Shrout & Fleiss ICCs keyed "ICC(1,1)" … "ICC(3,k)".

    Confidence intervals follow Shrout & Fleiss (1979) and McGraw & Wong (1996),
    as pingouin and R's ``psych::ICC`` compute them.
    """
    ms = mean_squares(matrix)
    # Degenerate matrices (no spread between targets, perfect agreement) make some
    # F ratios and confidence limits infinite or undefined; those become None.
    with np.errstate(divide="ignore", invalid="ignore"):
        return _icc(ms)


def _finite_or_none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(value) if all(math.isfinite(v) for v in value) else None
    return float(value) if math.isfinite(value) else None


def _icc(ms: MeanSquares) -> dict[str, ICC]:
    from scipy import stats

    n, k, bms, wms, jms, ems = ms.n, ms.k, ms.bms, ms.wms, ms.jms, ms.ems
    results: dict[str, ICC] = {}

    def add(form: str, value: float | None, f: float | None, df1: int, df2: int, ci: Any) -> None:
        if ci is not None:
            ci = tuple(float(limit) for limit in ci)
        f = _finite_or_none(f)
        results[form] = ICC(
            form,
            _finite_or_none(value),
            ICC_FORMS[form],
            f,
            df1,
            df2,
            _f_test(f, df1, df2),
            _finite_or_none(ci),
        )

    alpha = 0.05
    # One-way random: targets random, raters not separated from error.
    f1 = _ratio(bms, wms)
    df1, df1w = n - 1, n * (k - 1)
    ci1 = ci1k = None
    if f1 is not None:
        f_lower = f1 / stats.f.ppf(1 - alpha / 2, df1, df1w)
        f_upper = f1 * stats.f.ppf(1 - alpha / 2, df1w, df1)
        ci1 = ((f_lower - 1) / (f_lower + k - 1), (f_upper - 1) / (f_upper + k - 1))
        ci1k = (1 - 1 / f_lower, 1 - 1 / f_upper)
    add("ICC(1,1)", _ratio(bms - wms, bms + (k - 1) * wms), f1, df1, df1w, ci1)
    add("ICC(1,k)", _ratio(bms - wms, bms), f1, df1, df1w, ci1k)

    # Two-way: the residual mean square is the error term.
    f3 = _ratio(bms, ems)
    df2e = (n - 1) * (k - 1)
    icc2 = _ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n)
    icc2k = _ratio(bms - ems, bms + (jms - ems) / n)
    ci2 = ci2k = ci3 = ci3k = None
    if f3 is not None:
        f_lower = f3 / stats.f.ppf(1 - alpha / 2, df1, df2e)
        f_upper = f3 * stats.f.ppf(1 - alpha / 2, df2e, df1)
        ci3 = ((f_lower - 1) / (f_lower + k - 1), (f_upper - 1) / (f_upper + k - 1))
        ci3k = (1 - 1 / f_lower, 1 - 1 / f_upper)
    if icc2 is not None and ems > 0:
        # Satterthwaite's approximate degrees of freedom (McGraw & Wong 1996, table 7).
        fj = jms / ems
        vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        vd = (n - 1) * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        if vd > 0:
            v = vn / vd
            f_star_u = stats.f.ppf(1 - alpha / 2, n - 1, v)
            f_star_l = stats.f.ppf(1 - alpha / 2, v, n - 1)
            lower = (
                n
                * (bms - f_star_u * ems)
                / (f_star_u * (k * jms + (k * n - k - n) * ems) + n * bms)
            )
            upper = (
                n * (f_star_l * bms - ems) / (k * jms + (k * n - k - n) * ems + n * f_star_l * bms)
            )
            ci2 = (lower, upper)
            ci2k = (lower * k / (1 + lower * (k - 1)), upper * k / (1 + upper * (k - 1)))
    f2 = _ratio(bms, ems)
    add("ICC(2,1)", icc2, f2, df1, df2e, ci2)
    add("ICC(3,1)", _ratio(bms - ems, bms + (k - 1) * ems), f3, df1, df2e, ci3)
    add("ICC(2,k)", icc2k, f2, df1, df2e, ci2k)
    add("ICC(3,k)", _ratio(bms - ems, bms), f3, df1, df2e, ci3k)
    return {form: results[form] for form in ICC_FORMS}


# --- Krippendorff's alpha ----------------------------------------------------------


def krippendorff_alpha(
    matrix: Matrix | NDArray[np.float64],
    *,
    level: Level = "ordinal",
    categories: Sequence[float] | None = None,
) -> float | None:
    """Krippendorff's alpha for rows = units, columns = raters, NaN/None = missing.

    Units with fewer than two scores are not pairable and are left out, as the
    method prescribes. The ordinal metric uses the marginal frequencies of the
    values (``categories`` adds possible values nobody used; they change nothing
    for ordinal data but are accepted for symmetry with kappa). ``None`` when there
    is no variation to measure agreement against.
    """
    data = as_array(matrix)
    values = sorted(set(categories or []) | {v for v in data.ravel().tolist() if not math.isnan(v)})
    if not values:
        return None
    index = {value: position for position, value in enumerate(values)}
    size = len(values)
    coincidences = np.zeros((size, size))
    for unit in data:
        scores = [index[v] for v in unit.tolist() if not math.isnan(v)]
        m = len(scores)
        if m < 2:
            continue
        counts = np.bincount(scores, minlength=size).astype(float)
        pairs = np.outer(counts, counts) - np.diag(counts)
        coincidences += pairs / (m - 1)
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    if n <= 1:
        return None
    value_array = np.array(values, dtype=float)
    if level == "nominal":
        delta = 1.0 - np.eye(size)
    elif level == "interval":
        delta = (value_array[:, None] - value_array[None, :]) ** 2
    else:
        cumulative = np.cumsum(totals)
        delta = np.zeros((size, size))
        for c, k in itertools.product(range(size), repeat=2):
            low, high = min(c, k), max(c, k)
            between = cumulative[high] - (cumulative[low - 1] if low > 0 else 0.0)
            delta[c, k] = (between - (totals[c] + totals[k]) / 2) ** 2
    observed = float((coincidences * delta).sum()) / n
    expected = float((np.outer(totals, totals) * delta).sum()) / (n * (n - 1))
    if expected == 0:
        return None
    return 1.0 - observed / expected


# --- the full report ----------------------------------------------------------------


@dataclass
class PairAgreement:
    """Agreement between two raters."""

    raters: tuple[str, str]
    items: int
    exact: float | None
    within_one: float | None
    kappa_linear: float | None
    kappa_quadratic: float | None


@dataclass
class AgreementReport:
    """Every statistic for one score matrix; ``as_dict`` is the JSON of the command."""

    raters: list[str]
    items: int
    complete_items: int
    exact: float | None
    within_one: float | None
    kappa_linear: float | None
    kappa_quadratic: float | None
    icc: dict[str, ICC] = field(default_factory=dict)
    krippendorff_alpha_ordinal: float | None = None
    pairs: list[PairAgreement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        result = asdict(self)
        result["icc"] = {
            form: {
                "value": value.value,
                "model": value.model,
                "f": value.f,
                "df1": value.df1,
                "df2": value.df2,
                "p": value.p,
                "ci95": list(value.ci95) if value.ci95 else None,
            }
            for form, value in self.icc.items()
        }
        result["pairs"] = [{**asdict(pair), "raters": list(pair.raters)} for pair in self.pairs]
        return _finite(result)


def _finite(value: Any) -> Any:
    """JSON has no NaN: turn non-finite floats into None throughout."""
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def agreement_report(
    matrix: Matrix | NDArray[np.float64],
    raters: Sequence[str] | None = None,
    *,
    categories: Sequence[float] | None = None,
) -> AgreementReport:
    """All statistics for a score matrix (rows = items, columns = raters)."""
    data = as_array(matrix)
    n, k = data.shape
    labels = list(raters) if raters is not None else [str(i + 1) for i in range(k)]
    if len(labels) != k:
        raise AgreementError("Antall bedømmernavn stemmer ikke med antall kolonner.")
    if k < 2:
        raise AgreementError("Minst to bedømmere trengs.")
    complete = complete_rows(data)
    notes: list[str] = []
    if len(complete) < n:
        notes.append(
            f"{n - len(complete)} av {n} enheter mangler skår fra minst én bedømmer; "
            "de er utelatt fra ICC og kappa, men tatt med i Krippendorffs alfa."
        )
    report = AgreementReport(
        raters=labels,
        items=n,
        complete_items=len(complete),
        exact=exact_agreement(data),
        within_one=agreement_within(data, 1),
        kappa_linear=None,
        kappa_quadratic=None,
        krippendorff_alpha_ordinal=krippendorff_alpha(data, categories=categories),
        notes=notes,
    )
    if k == 2:
        report.kappa_linear = weighted_kappa(
            data[:, 0], data[:, 1], weights="linear", categories=categories
        )
        report.kappa_quadratic = weighted_kappa(
            data[:, 0], data[:, 1], weights="quadratic", categories=categories
        )
    if len(complete) >= 2:
        report.icc = icc(complete)
    else:
        notes.append("For få fullstendige enheter til å beregne ICC.")
    for a, b in itertools.combinations(range(k), 2):
        pair = data[:, [a, b]]
        report.pairs.append(
            PairAgreement(
                raters=(labels[a], labels[b]),
                items=len(complete_rows(pair)),
                exact=exact_agreement(pair),
                within_one=agreement_within(pair, 1),
                kappa_linear=weighted_kappa(
                    pair[:, 0], pair[:, 1], weights="linear", categories=categories
                ),
                kappa_quadratic=weighted_kappa(
                    pair[:, 0], pair[:, 1], weights="quadratic", categories=categories
                ),
            )
        )
    return report
