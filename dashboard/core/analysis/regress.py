"""Least squares with a moving-block bootstrap, batched over all resamples (numpy).

Days in a row are not independent (a bad week stays bad for a while), so resampling single
days would understate the uncertainty of every link. A moving-block bootstrap draws runs of
BLOCK_DAYS consecutive rows instead, keeping most of that dependence inside each run.

Every resample is then a weighted least-squares fit in which row i counts as often as the
drawn blocks cover it. So the normal equations of all resamples come from one matrix product:
the (resamples × rows) matrix of those counts times the row products z_i z_iᵀ and z_i y_iᵀ.
The solves are one batched `np.linalg.solve`; nothing here is hand-written linear algebra.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

BLOCK_DAYS = 7
Z95 = 1.959963984540054  # the standard normal's 97.5 % point


def block_counts(n: int, resamples: int, seed: int, block: int = BLOCK_DAYS) -> Array:
    """(resamples, n - block + 1): how often each block start was drawn in each resample.

    ceil(n / block) blocks a resample, so each resample holds about n rows (up to block - 1
    more, which changes no estimate: least squares weighs rows, not their count)."""
    block = max(1, min(block, n))
    starts = n - block + 1
    per = math.ceil(n / block)
    rng = np.random.default_rng(seed)
    drawn = rng.integers(0, starts, size=(resamples, per))
    flat = (np.arange(resamples)[:, None] * starts + drawn).ravel()
    counts = np.bincount(flat, minlength=resamples * starts)
    return counts.reshape(resamples, starts).astype(np.float64)


def row_weights(counts: Array, n: int, block: int = BLOCK_DAYS) -> Array:
    """(resamples, n): how many drawn blocks cover each row, from block_counts' counts.

    A resample's sum over its blocks is the row-weighted sum over the rows, so one product
    W @ (per-row values) gives every resample's sums at once."""
    block = max(1, min(block, n))
    starts = counts.shape[1]
    total = np.zeros((counts.shape[0], starts + 1))
    np.cumsum(counts, axis=1, out=total[:, 1:])
    i = np.arange(n)
    hi = np.minimum(i, starts - 1) + 1  # block starts s with i - block < s <= i
    lo = np.maximum(i - block + 1, 0)
    return total[:, hi] - total[:, lo]


@dataclass(frozen=True)
class Moments:
    """The normal equations of the full sample and of every resample."""

    gram: Array  # (P, P): Σ w z zᵀ
    cross: Array  # (P, q): Σ w z yᵀ
    boot_gram: Array  # (B, P, P)
    boot_cross: Array  # (B, P, q)


def moments(z: Array, y: Array, weights: Array) -> Moments:
    """z (n, P) and y (n, q) with the rows that are not in the model zeroed out; weights
    (B, n) from row_weights. Only the upper triangle of z zᵀ is summed (it is symmetric)."""
    n, p = z.shape
    q = y.shape[1]
    iu, ju = np.triu_indices(p)
    rows = np.concatenate(
        [z[:, iu] * z[:, ju], np.einsum("ip,ir->ipr", z, y).reshape(n, p * q)], axis=1
    )
    boot = weights @ rows
    full = rows.sum(axis=0)
    b = weights.shape[0]
    t = iu.size

    def square(flat: Array, lead: tuple[int, ...]) -> Array:
        out = np.zeros((*lead, p, p))
        out[..., iu, ju] = flat
        out[..., ju, iu] = flat
        return out

    return Moments(
        gram=square(full[:t], ()),
        cross=full[t:].reshape(p, q),
        boot_gram=square(boot[:, :t], (b,)),
        boot_cross=boot[:, t:].reshape(b, p, q),
    )


def solve(gram: Array, cross: Array) -> Array:
    """The coefficients of (batched) normal equations; a singular system gives NaN.

    A resample can miss a rare cause altogether, which makes its system singular: that
    resample has no coefficient to give, and leaving it out is what "undefined" means."""
    try:
        return np.asarray(np.linalg.solve(gram, cross), dtype=np.float64)
    except np.linalg.LinAlgError:
        if gram.ndim == 2:
            return np.full(cross.shape, np.nan)
    out = np.full(cross.shape, np.nan)
    for i in range(gram.shape[0]):
        try:
            out[i] = np.linalg.solve(gram[i], cross[i])
        except np.linalg.LinAlgError:
            continue
    return out


def degenerate(boot_gram: Array, gram: Array, tol: float = 1e-3) -> Array:
    """(B,) True for a resample in which some column (the intercept, column 0, aside) barely
    varies: a rare cause the resample happened to miss. Its system is singular or close to
    it, and a near-singular solve gives wild coefficients rather than an error."""
    n = boot_gram[:, 0, 0]
    diag = np.diagonal(boot_gram, axis1=1, axis2=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = diag / n[:, None] - (boot_gram[:, 0, :] / n[:, None]) ** 2
    full = np.diag(gram) / gram[0, 0] - (gram[0] / gram[0, 0]) ** 2
    low = var[:, 1:] < tol * np.maximum(full[1:], 1e-300)
    return np.asarray(low.any(axis=1) | ~(n > 0))


def residual_share(gram: Array, others: list[int], j: int) -> float:
    """1 - R² of term j regressed on `others` (which must hold the intercept, term 0), from
    the Gram matrix alone: the share of j's variation the other terms cannot explain.

    lstsq copes with others that are themselves collinear: any solution of their normal
    equations gives the same fitted values."""
    centred = gram[j, j] - gram[j, 0] ** 2 / gram[0, 0] if gram[0, 0] > 0 else 0.0
    if centred <= 1e-12 * max(1.0, abs(gram[j, j])):
        return 0.0  # constant on these rows: nothing to separate
    g = gram[np.ix_(others, others)]
    b = gram[others, j]
    coef = np.linalg.lstsq(g, b, rcond=None)[0]
    resid = gram[j, j] - float(b @ coef)
    return max(0.0, resid / centred)


def independent(gram: Array, order: list[int], tol: float = 1e-7) -> list[int]:
    """Terms in `order` (the intercept first), skipping each one the kept terms already span.

    Dropping a term that is a combination of kept ones changes no other coefficient, and it
    keeps the normal equations solvable."""
    kept: list[int] = []
    for j in order:
        if not kept:
            if gram[j, j] > 0:
                kept.append(j)
            continue
        if residual_share(gram, kept, j) > tol:
            kept.append(j)
    return kept


@dataclass(frozen=True)
class Interval:
    value: float
    ci_low: float
    ci_high: float
    p_value: float
    se: float


def normal_interval(value: float, boots: Array, n: int, p: int) -> Interval | None:
    """value ± 1.96 bootstrap standard errors, with the two-sided p-value of the same z.

    The interval and the p-value come from one z, so "the interval leaves out zero" and
    "p < 0.05" never disagree. The standard error is scaled by sqrt(n / (n - p)), the usual
    small-sample correction for p fitted terms (HC1), since the bootstrap of a fit with many
    terms on few days is too narrow without it."""
    finite = boots[np.isfinite(boots)]
    if finite.size < max(20, boots.size // 2) or not math.isfinite(value) or n <= p:
        return None
    se = float(np.std(finite, ddof=1)) * math.sqrt(n / (n - p))
    if not math.isfinite(se):
        return None
    if se == 0.0:  # an exact fit: every resample agrees
        return Interval(value, value, value, 1.0 if value == 0 else 0.0, 0.0)
    z = value / se
    p_value = math.erfc(abs(z) / math.sqrt(2.0))
    return Interval(value, value - Z95 * se, value + Z95 * se, p_value, se)
