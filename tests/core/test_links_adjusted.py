"""Adjusted links on small frames worked out by hand, and the cases with no number to give."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import daily_frame
from dashboard.core.analysis.links import (
    EXERCISE,
    REGULAR_BEDTIME,
    STRAIN_SWITCH,
    TAPER_STEP,
    Link,
    cause_expr,
    compute_links,
)
from dashboard.core.store.config import Config
from dashboard.core.store.schema import conform
from tests.core.conftest import activities, daily_activity, synthetic, tables

D0 = dt.date(2026, 1, 5)
DAYS = 60
STEPS = (5, 17, 29, 41, 53)  # each opens a 3-night window: 15 window nights
WINDOW = {s + k for s in STEPS for k in range(3)}
# 20 exercise days: one inside a step window (day 6), 19 outside it
EXERCISED = {6, *[d for d in range(DAYS) if d not in WINDOW][:38:2]}


def frame(**columns: Any) -> pl.DataFrame:
    """A daily frame of DAYS days with only the given columns filled (others unknown)."""
    data: dict[str, Any] = {C.DATE: [D0 + dt.timedelta(days=i) for i in range(DAYS)], **columns}
    return conform(pl.DataFrame(data), C.DAILY)


def hand_frame(**extra: Any) -> pl.DataFrame:
    exercise = [i in EXERCISED for i in range(DAYS)]
    window = [i in WINDOW for i in range(DAYS)]
    # asleep = 400 + 10 per exercise night - 20 per step-window night, exactly
    asleep = [400.0 + 10.0 * e - 20.0 * w for e, w in zip(exercise, window, strict=True)]
    return frame(
        **{
            C.WORKOUT_MIN: [45.0 if e else 0.0 for e in exercise],
            C.TAPER_STEP: [i in STEPS for i in range(DAYS)],
            C.REFERENCE_G: [5.0] * DAYS,
            C.ASLEEP_MIN: asleep,
            **extra,
        }
    )


def links_of(daily: pl.DataFrame) -> dict[tuple[str, str, int], Link]:
    return {lk.key: lk for lk in compute_links(daily, Config(timezone="UTC"), resamples=200)}


def test_hand_worked_coefficient_and_plain_difference() -> None:
    assert len(EXERCISED) == 20 and len(WINDOW) == 15
    links = links_of(hand_frame())
    ex = links[(EXERCISE, C.ASLEEP_MIN, 0)]
    # Held fixed, exercise adds exactly its planted 10 min (the fit is exact).
    assert ex.estimate == pytest.approx(10.0, abs=1e-6)
    assert ex.ci_low == pytest.approx(10.0, abs=1e-6) and ex.ci_high == pytest.approx(
        10.0, abs=1e-6
    )
    # Plain: 10 - 20 * (P(window | exercise) - P(window | no exercise)) = 10 - 20 * (1/20 - 14/40)
    assert ex.naive_estimate == pytest.approx(10.0 - 20.0 * (1 / 20 - 14 / 40))  # = 16
    assert (ex.n_with, ex.n_without) == (20, 40)
    assert ex.note == "part of the plain difference came with taper steps"
    step = links[(TAPER_STEP, C.ASLEEP_MIN, 0)]
    assert step.estimate == pytest.approx(-20.0, abs=1e-6)
    # Plain: -20 + 10 * (P(exercise | window) - P(exercise | other)) = -20 + 10 * (1/15 - 19/45)
    assert step.naive_estimate == pytest.approx(-20.0 + 10.0 * (1 / 15 - 19 / 45))
    assert set(ex.adjusted_for) == {TAPER_STEP, "time_trend", "weekend"}


def test_a_perfectly_collinear_pair_is_said_in_words() -> None:
    # Magnesium taken exactly on the step-window days: which of the two did it cannot be known.
    supplements = [["magnesium"] if i in WINDOW else [] for i in range(DAYS)]
    links = links_of(hand_frame(**{C.CHECKED_IN: [True] * DAYS, C.SUPPLEMENTS: supplements}))
    step = links[(TAPER_STEP, C.ASLEEP_MIN, 0)]
    mag = links[("supplement:magnesium", C.ASLEEP_MIN, 0)]
    assert step.estimate is None and step.adjusted_for == ()
    assert "cannot be told apart from magnesium in your data" in step.text
    assert mag.estimate is None and "cannot be told apart from taper steps" in mag.text
    assert step.naive_estimate is not None  # the plain comparison is still shown
    ex = links[(EXERCISE, C.ASLEEP_MIN, 0)]  # the rest of the model is unharmed
    assert ex.estimate == pytest.approx(10.0, abs=1e-6)


def test_a_cause_present_on_every_day_has_nothing_to_compare() -> None:
    asleep = [400.0 - 20.0 * (i in WINDOW) for i in range(DAYS)]
    links = links_of(hand_frame(**{C.WORKOUT_MIN: [45.0] * DAYS, C.ASLEEP_MIN: asleep}))
    ex = links[(EXERCISE, C.ASLEEP_MIN, 0)]
    assert ex.estimate is None and ex.naive_estimate is None
    assert "not enough data yet (60 vs 0 nights" in ex.text
    assert links[(TAPER_STEP, C.ASLEEP_MIN, 0)].estimate == pytest.approx(-20.0, abs=1e-6)


def test_too_few_days_per_term_leaves_the_later_causes_out() -> None:
    # 40 nights hold 4 terms at 10 a term: intercept, trend, weekend and taper steps (first
    # by priority); exercise cannot be added and says so, with its plain comparison.
    links = links_of(hand_frame().head(40))
    ex = links[(EXERCISE, C.ASLEEP_MIN, 0)]
    assert ex.estimate is None and ex.naive_estimate is not None
    assert "not enough nights yet to add it to the model with the other causes" in ex.text
    assert "(40 nights hold 4 terms; about 10 per term); plain comparison +16." in ex.text
    step = links[(TAPER_STEP, C.ASLEEP_MIN, 0)]
    assert step.estimate is not None and set(step.adjusted_for) == {"time_trend", "weekend"}


def test_a_history_with_no_sleep_at_all(config: Config) -> None:
    t = synthetic(200)
    t["sleep_sessions"] = tables()["sleep_sessions"]
    daily = daily_frame(
        t["doses"], t["checkins"], t["sleep_sessions"], t["activities"], t["daily_activity"], config
    )
    links = compute_links(daily, config, resamples=200)
    sleep = [lk for lk in links if lk.effect in (C.ASLEEP_MIN, C.EFFICIENCY, C.AWAKENINGS)]
    assert sleep and all(lk.estimate is None and "not enough data yet" in lk.text for lk in sleep)
    symptoms = [lk for lk in links if lk.effect == C.WITHDRAWAL and lk.cause == EXERCISE]
    assert symptoms[0].estimate is not None


def test_days_no_workout_source_covers_are_unknown_not_zero(config: Config) -> None:
    """Steps from a phone for the whole history, workouts from a watch for its last 60 days:
    the 140 days before the watch are unknown exercise, not days without it."""
    t = synthetic(200)
    first_watch = D0 + dt.timedelta(days=140)
    watch = t["activities"].filter(pl.col("start").dt.date() >= first_watch)
    t["activities"] = watch.with_columns(pl.lit("watch").alias("source"))
    t["daily_activity"] = daily_activity(
        [{"date": D0 + dt.timedelta(days=i), "source": "phone", "steps": 5000} for i in range(200)]
    )
    daily = daily_frame(
        t["doses"], t["checkins"], t["sleep_sessions"], t["activities"], t["daily_activity"], config
    )
    first = watch["start"].dt.date().min()
    assert isinstance(first, dt.date)
    unknown = (first - D0).days
    assert 135 <= unknown <= 145
    assert daily[C.WORKOUT_MIN].null_count() == unknown
    assert daily.filter(pl.col(C.DATE) >= first)[C.WORKOUT_MIN].null_count() == 0
    link = {lk.key: lk for lk in compute_links(daily, config, resamples=200)}[
        (EXERCISE, C.ASLEEP_MIN, 0)
    ]
    assert link.left_out == unknown and link.n == 200 - unknown
    assert (link.n_with or 0) + (link.n_without or 0) == link.n
    assert f"{unknown} nights left out: no activity source covers them and no check-in says" in (
        link.text
    )


def test_each_source_covers_only_its_own_span(config: Config) -> None:
    # Two watches a year apart: the gap between them is nobody's coverage.
    acts = activities(
        [
            {"day": D0, "min": 40, "source": "a"},
            {"day": D0 + dt.timedelta(days=9), "min": 40, "source": "a"},
            {"day": D0 + dt.timedelta(days=30), "min": 40, "source": "b"},
            {"day": D0 + dt.timedelta(days=39), "min": 40, "source": "b"},
        ]
    )
    t = tables(activities=acts)
    daily = daily_frame(
        t["doses"], t["checkins"], t["sleep_sessions"], t["activities"], t["daily_activity"], config
    )
    known = daily.filter(pl.col(C.WORKOUT_MIN).is_not_null())[C.DATE].to_list()
    assert len(known) == 20 and D0 + dt.timedelta(days=20) not in known


def test_the_check_in_says_exercise_where_no_device_covers() -> None:
    daily = frame(
        **{
            C.CHECKED_IN: [True] * 3 + [False] * (DAYS - 3),
            C.EXERCISE: [True, False, None] + [None] * (DAYS - 3),
            C.WORKOUT_MIN: [None] * 50 + [10.0] * 10,
        }
    )
    got = daily.select(cause_expr(EXERCISE).alias("x"))["x"].to_list()
    assert got[:4] == [True, False, None, None]  # a check-in without an answer is unknown
    assert got[50:] == [False] * 10


def test_regular_bedtime_and_strain_switch() -> None:
    bed = [660.0 + (0 if i < 20 else 90 * (i % 2)) for i in range(DAYS)]
    strains = [["red"] if i % 10 < 5 else ["green"] for i in range(DAYS)]
    daily = frame(**{C.BEDTIME_MIN: bed, C.STRAINS: strains})
    regular = daily.select(cause_expr(REGULAR_BEDTIME).alias("x"))["x"].to_list()
    assert regular[:5] == [None] * 5  # fewer than 5 of the 7 nights before
    assert regular[5:20] == [True] * 15
    assert regular[30:] == [False] * 30  # bedtimes 90 min apart every other night
    switch = daily.select(cause_expr(STRAIN_SWITCH).alias("x"))["x"].to_list()
    assert switch[0] is None and switch[5] is True and switch[6] is False and switch[10] is True


def test_the_partner_named_is_a_term_of_the_model() -> None:
    """The day's dose moves with yesterday's, but yesterday's dose is not in the model: the
    link must not be 'cannot be told apart from the previous day's dose'."""
    import numpy as np

    from dashboard.core.analysis.links import DOSE, EXERCISE, _Design, _partner

    rng = np.random.default_rng(1)
    dose = rng.normal(size=60)
    z = np.column_stack(
        [np.ones(60), dose, dose + rng.normal(scale=0.01, size=60), -dose + rng.normal(size=60)]
    )
    names = ["intercept", DOSE, f"{DOSE}@1", EXERCISE]
    design = _Design([], names, z, {}, {}, np.full(60, True))
    gram = z.T @ z
    assert _partner(design, gram, 1, among=[0, 1, 2, 3]) == "the previous day's dose"
    assert _partner(design, gram, 1, among=[0, 1, 3]) == "exercise"
