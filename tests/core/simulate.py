"""Synthetic daily frames with known effects, confounding and autocorrelated noise.

The shape of a real taper: a cut every ~2 weeks; in the 3 days from a cut people exercise
less and dose later in the evening. Sleep drifts slowly on its own, weekends run longer, and
the night-to-night noise is AR(1) (a bad night tends to follow a bad night).

Planted (true) effects, everything else zero:
- asleep_min: +40 after >= 30 min of exercise, -50 in the 3 nights from a step, 0 for a late
  dose (which still travels with steps, so a plain comparison sees a big false effect);
- withdrawal_score: +4 in the 3 days from a step.

Used by tests/core/test_links_simulation.py (a few dozen histories) and by the benchmark
tests/bench/bench_links_coverage.py (hundreds, prints the coverage table).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl

from dashboard.core.analysis import columns as C
from dashboard.core.store.schema import conform

START = dt.date(2026, 1, 5)  # a Monday
TRUE = {
    ("exercise_30min", C.ASLEEP_MIN): 40.0,
    ("taper_step", C.ASLEEP_MIN): -50.0,
    ("late_dose", C.ASLEEP_MIN): 0.0,
    ("taper_step", C.WITHDRAWAL): 4.0,
}


def _ar1(rng: np.random.Generator, n: int, rho: float, sd: float) -> np.ndarray:
    """AR(1) noise with marginal standard deviation sd."""
    e = rng.normal(0.0, sd * math.sqrt(1.0 - rho * rho), n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for i in range(1, n):
        out[i] = rho * out[i - 1] + e[i]
    return out


def confounded_history(seed: int, days: int = 224) -> pl.DataFrame:
    """One history as a daily frame (columns.DAILY); `seed` fixes everything."""
    rng = np.random.default_rng(seed)
    rho = float(rng.uniform(0.3, 0.5))
    dates = [START + dt.timedelta(days=i) for i in range(days)]
    # a cut every 12-16 days, 0.5 g at a time
    step = np.zeros(days, dtype=bool)
    i = int(rng.integers(7, 14))
    while i < days:
        step[i] = True
        i += int(rng.integers(12, 17))
    level = 8.0 - 0.5 * np.cumsum(step)
    window = np.zeros(days, dtype=bool)
    for k in np.flatnonzero(step):
        window[k : k + 3] = True
    # confounding: after a step less exercise and more late doses
    exercised = rng.random(days) < np.where(window, 0.15, 0.5)
    late = rng.random(days) < np.where(window, 0.65, 0.2)
    doses_n = rng.integers(2, 5, days)
    dose = level + rng.normal(0.0, 0.3, days)
    t = np.arange(days)
    weekday = np.array([d.weekday() for d in dates])
    drift = 20.0 * np.sin(2 * math.pi * t / 150.0 + rng.uniform(0, 2 * math.pi))
    asleep = (
        410.0
        + drift
        + 25.0 * np.isin(weekday, (4, 5))
        + 40.0 * exercised
        - 50.0 * window
        + 0.0 * late
        + _ar1(rng, days, rho, 30.0)
    )
    withdrawal = np.clip(np.round(12.0 + 4.0 * window + _ar1(rng, days, rho, 4.0)), 0, 64)
    cravings = np.clip(np.round(4.0 + _ar1(rng, days, rho, 1.5)), 0, 10)
    efficiency = np.clip(0.86 + _ar1(rng, days, rho, 0.04), 0.5, 0.99)
    awakenings = rng.poisson(2.0, days)
    strain_names = ["red", "green", "white"]
    strains: list[list[str]] = []
    current = 0
    for _ in range(days):
        if rng.random() < 0.2:
            current = int(rng.integers(0, 3))
        strains.append([strain_names[current]])
    frame = pl.DataFrame(
        {
            C.DATE: dates,
            C.DOSE_G: dose,
            C.DOSES_N: doses_n.astype(np.int32),
            C.STRAINS: strains,
            C.REFERENCE_G: level,
            C.TAPER_STEP: step,
            C.CHECKED_IN: np.ones(days, dtype=bool),
            C.WITHDRAWAL: withdrawal.astype(np.int16),
            C.CRAVINGS: cravings.astype(np.int8),
            C.SUPPLEMENTS: [["magnesium"] if r < 0.4 else [] for r in rng.random(days)],
            C.MINDFULNESS: rng.random(days) < 0.3,
            C.SUPPORT: rng.random(days) < 0.2,
            C.WORKOUT_MIN: np.where(exercised, 45.0, 0.0),
            C.ASLEEP_MIN: asleep,
            C.EFFICIENCY: efficiency,
            C.AWAKENINGS: awakenings.astype(np.int32),
            C.BEDTIME_MIN: 660.0 + rng.normal(0.0, 40.0, days),
            C.LATE_DOSE: late,
        }
    )
    return conform(frame, C.DAILY)
