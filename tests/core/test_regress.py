"""The least squares and block bootstrap under the links, checked against plain loops."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.core.analysis import regress


def test_row_weights_count_the_drawn_blocks_covering_each_row() -> None:
    n, block = 23, 7
    counts = regress.block_counts(n, resamples=5, seed=3, block=block)
    assert counts.shape == (5, n - block + 1)
    assert (counts.sum(axis=1) == math.ceil(n / block)).all()
    weights = regress.row_weights(counts, n, block)
    expected = np.zeros((5, n))
    for b in range(5):
        for start, times in enumerate(counts[b]):
            expected[b, start : start + block] += times
    assert np.array_equal(weights, expected)


def test_moments_are_the_weighted_normal_equations() -> None:
    rng = np.random.default_rng(0)
    z = np.column_stack([np.ones(30), rng.normal(size=(30, 2))])
    y = rng.normal(size=(30, 2))
    w = rng.integers(0, 3, size=(4, 30)).astype(float)
    m = regress.moments(z, y, w)
    assert np.allclose(m.gram, z.T @ z) and np.allclose(m.cross, z.T @ y)
    for b in range(4):
        assert np.allclose(m.boot_gram[b], z.T @ np.diag(w[b]) @ z)
        assert np.allclose(m.boot_cross[b], z.T @ np.diag(w[b]) @ y)


def test_a_singular_resample_gives_nan_not_an_error() -> None:
    good = np.array([[2.0, 0.0], [0.0, 1.0]])
    bad = np.array([[1.0, 1.0], [1.0, 1.0]])
    out = regress.solve(np.stack([good, bad]), np.ones((2, 2, 1)))
    assert np.allclose(out[0, :, 0], [0.5, 1.0]) and np.isnan(out[1]).all()


def test_independent_drops_an_exact_combination() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=40), rng.normal(size=40)
    z = np.column_stack([np.ones(40), a, b, a + 2 * b, rng.normal(size=40)])
    assert regress.independent(z.T @ z, [0, 1, 2, 3, 4]) == [0, 1, 2, 4]


def test_normal_interval_scales_the_se_for_the_terms_fitted() -> None:
    boots = np.random.default_rng(2).normal(5.0, 2.0, size=400)
    got = regress.normal_interval(5.0, boots, n=40, p=10)
    assert got is not None
    se = float(np.std(boots, ddof=1)) * math.sqrt(40 / 30)
    assert got.se == pytest.approx(se)
    assert (got.ci_low, got.ci_high) == pytest.approx((5 - regress.Z95 * se, 5 + regress.Z95 * se))
    assert got.p_value == pytest.approx(math.erfc(abs(5 / se) / math.sqrt(2)))
    # too few usable resamples, or as many terms as days: no interval
    assert regress.normal_interval(5.0, np.full(400, np.nan), n=40, p=10) is None
    assert regress.normal_interval(5.0, boots, n=10, p=10) is None
