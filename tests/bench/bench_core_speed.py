"""Speed of the core on years of data (were timing asserts in the default suite).

Each figure is printed beside a baseline measured in the same run: the same call on 30 days,
so the ratio shows how the work grows with history rather than how busy the machine is.
The bounds on the ratio only catch work that grows faster than the history.

    .venv/bin/python -m pytest tests/bench/bench_core_speed.py -s -p no:cacheprovider -o addopts=""
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from dashboard.core.analysis.daily import daily_frame
from dashboard.core.analysis.links import compute_links
from dashboard.core.clinical.review.compute import weekly_review
from dashboard.core.store.config import Config
from dashboard.core.weeks import week_of
from tests.core.conftest import synthetic

CFG = Config(timezone="UTC")
DAYS = 1800


def _median(fn: Callable[[], object], repeats: int = 3) -> float:
    fn()  # first-call allocation, not the thing measured
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _frame(days: int):  # type: ignore[no-untyped-def]
    t = synthetic(days)
    return t, daily_frame(
        t["doses"], t["checkins"], t["sleep_sessions"], t["activities"], t["daily_activity"], CFG
    )


def _report(name: str, big: float, small: float, max_ratio: float) -> None:
    ratio = big / small
    print(f"\n{name}: {DAYS} days {big:.3f} s; 30 days {small:.3f} s; ratio {ratio:.1f}x")
    # 60x the days: far above that, the work grew faster than the history (a quadratic step)
    assert ratio < max_ratio


def test_daily_frame_on_five_years() -> None:
    t_big, _ = _frame(DAYS)
    t_small, _ = _frame(30)
    big = _median(lambda: daily_frame(*(t_big[k] for k in _KEYS), CFG))
    small = _median(lambda: daily_frame(*(t_small[k] for k in _KEYS), CFG))
    _report("daily frame", big, small, 120)


def test_links_on_five_years() -> None:
    _, big_frame = _frame(DAYS)
    _, small_frame = _frame(30)
    big = _median(lambda: compute_links(big_frame, CFG), repeats=1)
    small = _median(lambda: compute_links(small_frame, CFG), repeats=1)
    _report("links", big, small, 250)


def test_weekly_review_on_five_years() -> None:
    _, big_frame = _frame(DAYS)
    _, small_frame = _frame(30)
    big_week = week_of(big_frame["date"][-1])
    small_week = week_of(small_frame["date"][-1])
    big = _median(lambda: weekly_review(big_frame, CFG, big_week), repeats=1)
    small = _median(lambda: weekly_review(small_frame, CFG, small_week), repeats=1)
    _report("weekly review", big, small, 250)


_KEYS = ("doses", "checkins", "sleep_sessions", "activities", "daily_activity")
