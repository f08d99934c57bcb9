"""Seeded bootstrap statistics on Polars series: mean differences (the per-step before/after)
and Benjamini–Hochberg. The links' model and its block bootstrap are in regress.py (numpy).

The resampling here is done with Polars alone: one
`sample(with_replacement=True)` draws the indices of all B resamples at once (UInt32), and
`reshape((rows, n)).arr` reduces them row-wise a block of rows at a time. That keeps a
2000-resample bootstrap of a few thousand values to a few milliseconds, and its peak memory to
the index draw plus one block (years of days times 2000 resamples as Float64, all at once, was
~30 MB per intermediate).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import polars as pl

DEFAULT_RESAMPLES = 2000
CI_LEVEL = 0.95
BLOCK_VALUES = 1 << 18  # resampled values reduced at a time (2 MB as Float64)


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its percentile bootstrap interval and two-sided p-value."""

    value: float
    ci_low: float
    ci_high: float
    p_value: float


def stable_seed(*parts: object, base: int = 0) -> int:
    """A seed derived from names, so one link's interval does not move when the list changes."""
    text = "|".join(str(p) for p in parts)
    return (zlib.crc32(text.encode()) + base) % (2**32)


def _draw(n: int, resamples: int, seed: int) -> pl.Series:
    """The row indices of all resamples, as one flat draw: the same stream as
    `values.sample(n * resamples, with_replacement=True, seed=seed)` (tested)."""
    return pl.int_range(0, n, dtype=pl.UInt32, eager=True).sample(
        n * resamples, with_replacement=True, seed=seed
    )


def _blocks(idx: pl.Series, n: int) -> Iterator[tuple[pl.Series, int]]:
    """Consecutive whole resamples of the draw, at most BLOCK_VALUES values a block."""
    resamples = idx.len() // n
    per_block = max(1, BLOCK_VALUES // n)
    for first in range(0, resamples, per_block):
        rows = min(per_block, resamples - first)
        yield idx.slice(first * n, rows * n), rows


def _resample_means(values: pl.Series, resamples: int, seed: int) -> pl.Series:
    n = values.len()
    values = values.cast(pl.Float64)
    means = [
        values.gather(block).reshape((rows, n)).arr.mean()
        for block, rows in _blocks(_draw(n, resamples, seed), n)
    ]
    return pl.concat(means)


def _summarise(point: float, boots: pl.Series, level: float = CI_LEVEL) -> Estimate:
    boots = boots.drop_nulls().drop_nans()
    b = boots.len()
    if b == 0 or math.isnan(point):
        return Estimate(point, math.nan, math.nan, math.nan)
    alpha = (1.0 - level) / 2.0
    low = boots.quantile(alpha, interpolation="linear")
    high = boots.quantile(1.0 - alpha, interpolation="linear")
    # Inverting the percentile interval: p < 0.05 exactly when the 95 % interval leaves out
    # zero, so the p-value and the interval shown beside it never contradict each other.
    # The +1s keep a finite bootstrap from ever claiming p = 0.
    below = int((boots <= 0).sum())
    above = int((boots >= 0).sum())
    p = min(1.0, 2.0 * (min(below, above) + 1) / (b + 1))
    return Estimate(point, float(low), float(high), p)  # type: ignore[arg-type]


def mean_difference(
    with_: pl.Series,
    without: pl.Series,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> Estimate:
    """mean(with_) - mean(without), each side resampled on its own (a two-sample bootstrap)."""
    a = with_.drop_nulls().cast(pl.Float64)
    b = without.drop_nulls().cast(pl.Float64)
    if a.len() == 0 or b.len() == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan)
    point = float(a.mean()) - float(b.mean())  # type: ignore[arg-type]
    boots = _resample_means(a, resamples, seed) - _resample_means(b, resamples, seed + 1)
    return _summarise(point, boots)


def bh_adjust(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the input order.

    A None (a link without enough data) stays None but still counts in m: the family is the
    fixed list of links, and leaving the untested ones out would loosen the threshold for the
    rest exactly when data are thin.
    """
    m = len(p_values)
    order = sorted((i for i, p in enumerate(p_values) if p is not None), key=lambda i: p_values[i])  # type: ignore[arg-type, return-value]
    adjusted: list[float | None] = [None] * m
    running = 1.0
    for rank in range(len(order), 0, -1):
        i = order[rank - 1]
        p = p_values[i]
        assert p is not None
        running = min(running, p * m / rank)
        adjusted[i] = running
    return adjusted


def bh_reject(p_values: Sequence[float | None], q: float = 0.05) -> list[bool]:
    return [a is not None and a <= q for a in bh_adjust(p_values)]
