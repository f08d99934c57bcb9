from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import daily_frame, local_doses, nights
from dashboard.core.store.config import Config, PlanConfig
from tests.core.conftest import (
    D0,
    activities,
    at,
    checkins,
    daily_activity,
    doses,
    sessions,
    tables,
)


def build(cfg: Config, *, end: dt.date | None = None, **given: pl.DataFrame) -> pl.DataFrame:
    t = tables(**given)
    return daily_frame(
        t["doses"],
        t["checkins"],
        t["sleep_sessions"],
        t["activities"],
        t["daily_activity"],
        cfg,
        end=end,
    )


def test_empty_store_gives_an_empty_frame_with_the_daily_schema(config: Config) -> None:
    out = build(config)
    assert out.height == 0
    assert out.schema == C.DAILY


def test_dose_aggregates_use_leaf_equivalents_and_skip_deleted(config: Config) -> None:
    log = doses(
        [
            {"at": at(D0, 8), "g": 2.0, "strain": "red"},
            {"at": at(D0, 12), "g": 2.0, "strain": "green", "potency": 1.5},  # 3.0 leaf-g
            {"at": at(D0, 14), "g": 9.0, "deleted": True},
            {"at": at(D0, 20), "g": 1.0, "strain": "red"},
        ]
    )
    out = build(config, doses=log).select(
        C.DATE, C.DOSE_G, C.DOSES_N, C.MAX_SINGLE_G, C.MEAN_INTERVAL_MIN, C.STRAINS
    )
    expected = pl.DataFrame(
        {
            C.DATE: [D0],
            C.DOSE_G: [6.0],
            C.DOSES_N: [3],
            C.MAX_SINGLE_G: [3.0],
            C.MEAN_INTERVAL_MIN: [360.0],  # 08:00 -> 20:00 over two gaps
            C.STRAINS: [["green", "red"]],
        },
        schema={
            k: C.DAILY[k]
            for k in (C.DATE, C.DOSE_G, C.DOSES_N, C.MAX_SINGLE_G, C.MEAN_INTERVAL_MIN, C.STRAINS)
        },
    )
    assert_frame_equal(out, expected)


@pytest.mark.parametrize(
    ("utc_hour", "offset_min", "local_day"),
    [
        (23.5, 0, D0),  # 23:30 UTC in London winter: same day
        (23.5, 120, D0 + dt.timedelta(days=1)),  # 01:30 the next day in Athens summer
        (1.0, -300, D0 - dt.timedelta(days=1)),  # 20:00 the evening before in New York
    ],
)
def test_a_dose_counts_on_its_local_day(
    config: Config, utc_hour: float, offset_min: int, local_day: dt.date
) -> None:
    log = doses([{"at": at(D0, utc_hour), "g": 1.0, "offset": offset_min}])
    live = local_doses(log, config)
    assert live[C.DATE].to_list() == [local_day]


def test_days_without_a_dose_inside_the_log_are_zero_not_missing(config: Config) -> None:
    log = doses([{"at": at(D0, 9), "g": 4.0}, {"at": at(D0 + dt.timedelta(days=2), 9), "g": 3.0}])
    out = build(config, doses=log, end=D0 + dt.timedelta(days=3))
    assert out[C.DOSE_G].to_list() == [4.0, 0.0, 3.0, 0.0]
    assert out[C.DOSES_N].to_list() == [1, 0, 1, 0]


@pytest.mark.parametrize(
    ("priority", "winner"),
    [
        (("garmin", "oura"), "garmin"),
        (("oura", "garmin"), "oura"),
        (("fitbit",), "garmin"),  # neither listed: alphabetical, stable
    ],
)
def test_the_first_source_in_the_priority_wins_a_night(
    config: Config, priority: tuple[str, ...], winner: str
) -> None:
    s = sessions(
        [
            {"night": D0, "asleep": 400.0, "source": "oura"},
            {"night": D0, "asleep": 380.0, "source": "garmin"},
        ]
    )
    out = nights(s, replace(config, source_priority=priority))
    assert out[C.SLEEP_SOURCE].to_list() == [winner]


def test_naps_are_left_out_and_the_longest_session_of_a_source_is_the_night(
    config: Config,
) -> None:
    s = sessions(
        [
            {"night": D0, "asleep": 90.0, "bed": 14.0, "is_nap": True, "in_bed": 600.0},
            {"night": D0, "asleep": 150.0, "bed": 22.0, "in_bed": 160.0, "id": "short"},
            {"night": D0, "asleep": 300.0, "bed": 25.0, "in_bed": 330.0, "id": "long"},
        ]
    )
    out = nights(s, config)
    assert out.select(C.DATE, C.ASLEEP_MIN, C.IN_BED_MIN).rows() == [(D0, 300.0, 330.0)]


@pytest.mark.parametrize(
    ("fields", "insomnia"),
    [
        ({"asleep": 420.0, "in_bed": 450.0}, False),
        ({"asleep": 350.0, "in_bed": 370.0}, True),  # under 6 h
        ({"asleep": 420.0, "in_bed": 520.0}, True),  # efficiency 0.81
        ({"asleep": 420.0, "in_bed": 450.0, "latency": 45.0}, True),
        ({"asleep": 420.0, "in_bed": 450.0, "waso": 31.0}, True),
        ({"asleep": 420.0, "in_bed": 450.0, "waso": 30.0}, False),  # "more than 30"
    ],
)
def test_insomnia_night_thresholds(config: Config, fields: dict, insomnia: bool) -> None:
    out = nights(sessions([{"night": D0, **fields}]), config)
    assert out[C.INSOMNIA_NIGHT].to_list() == [insomnia]


def test_insomnia_thresholds_come_from_config(config: Config) -> None:
    strict = replace(config, insomnia=replace(config.insomnia, asleep_min=450.0))
    s = sessions([{"night": D0, "asleep": 420.0, "in_bed": 450.0}])
    assert nights(s, config)[C.INSOMNIA_NIGHT].to_list() == [False]
    assert nights(s, strict)[C.INSOMNIA_NIGHT].to_list() == [True]


def test_night_of_day_is_the_sleep_starting_that_evening_even_after_midnight(
    config: Config,
) -> None:
    # Bed at 00:30 local on D0+1 is still the night of D0 (local start - 12 h).
    s = sessions([{"night": D0, "asleep": 400.0, "bed": 24.5, "offset": 60}])
    out = build(config, sleep_sessions=s.with_columns(pl.lit(None, pl.Date).alias("night")))
    assert out.select(C.DATE, C.ASLEEP_MIN).rows() == [(D0, 400.0)]


def test_workouts_split_at_six_pm_and_the_best_source_per_day(config: Config) -> None:
    acts = activities(
        [
            {"day": D0, "hour": 7, "min": 30},
            {"day": D0, "hour": 19, "min": 45},
            {"day": D0, "hour": 19, "min": 45, "source": "strava"},  # the same run, again
            {"day": D0 + dt.timedelta(days=2), "hour": 12, "min": 20, "source": "strava"},
        ]
    )
    steps = daily_activity([{"date": D0, "steps": 9000}, {"date": D0, "steps": 1, "source": "zzz"}])
    out = build(config, activities=acts, daily_activity=steps).select(
        C.DATE, C.WORKOUT_MIN, C.WORKOUTS_N, C.WORKOUT_EARLY_MIN, C.WORKOUT_LATE_MIN, C.STEPS
    )
    expected = pl.DataFrame(
        {
            C.DATE: [D0, D0 + dt.timedelta(days=1), D0 + dt.timedelta(days=2)],
            C.WORKOUT_MIN: [75.0, 0.0, 20.0],
            C.WORKOUTS_N: [2, 0, 1],
            C.WORKOUT_EARLY_MIN: [30.0, 0.0, 20.0],
            C.WORKOUT_LATE_MIN: [45.0, 0.0, 0.0],
            C.STEPS: [9000, None, None],
        },
        schema={
            k: C.DAILY[k]
            for k in (
                C.DATE,
                C.WORKOUT_MIN,
                C.WORKOUTS_N,
                C.WORKOUT_EARLY_MIN,
                C.WORKOUT_LATE_MIN,
                C.STEPS,
            )
        },
    )
    assert_frame_equal(out, expected)


@pytest.mark.parametrize(("dose_hour", "late"), [(21.5, True), (19.5, False), (23.2, False)])
def test_late_dose_is_a_dose_within_three_hours_before_sleep(
    config: Config, dose_hour: float, late: bool
) -> None:
    # Bed at 23:00; a dose at 23:12 is after sleep start and so not "before sleep".
    log = doses([{"at": at(D0, 8), "g": 2.0}, {"at": at(D0, dose_hour), "g": 1.0}])
    s = sessions([{"night": D0, "asleep": 400.0, "bed": 23.0}])
    out = build(config, doses=log, sleep_sessions=s)
    assert out[C.LATE_DOSE].to_list() == [late]


def test_checkin_columns_and_supplement_names_are_tidied(config: Config) -> None:
    c = checkins(
        [
            {
                "date": D0,
                "withdrawal": 14,
                "cravings": 3,
                "supplements": ["Magnesium ", "valerian", ""],
            }
        ]
    )
    out = build(config, checkins=c)
    assert out.select(C.CHECKED_IN, C.WITHDRAWAL, C.CRAVINGS).rows() == [(True, 14, 3)]
    assert out[C.SUPPLEMENTS].to_list() == [["magnesium", "valerian"]]


def test_plan_target_and_adherence_join_by_day(config: Config) -> None:
    plan = PlanConfig(start_dose_g=4.0, rate_pct=25.0, start=D0, mode="linear")
    log = doses(
        [{"at": at(D0 + dt.timedelta(days=i), 9), "g": g} for i, g in enumerate([4.0] * 7 + [3.5])]
    )
    out = build(replace(config, plan=plan), doses=log).tail(2)
    assert out.select(C.PLAN_G, C.PLAN_DIFF_G, C.ADHERENT, C.TAPER_STEP).rows() == [
        (4.0, 0.0, True, False),
        (3.0, 0.5, False, True),
    ]


def test_without_a_plan_a_taper_step_is_a_fall_of_the_7_day_median(config: Config) -> None:
    daily_g = [8.0] * 10 + [7.5] * 10 + [7.4] * 10  # a 6 % cut, then a 1 % one
    log = doses([{"at": at(D0 + dt.timedelta(days=i), 9), "g": g} for i, g in enumerate(daily_g)])
    out = build(config, doses=log)
    assert out.filter(pl.col(C.TAPER_STEP))[C.DATE].to_list() == [D0 + dt.timedelta(days=10)]


def test_a_large_history_has_a_row_a_day(config: Config) -> None:
    from tests.core.conftest import synthetic

    out = build(config, **synthetic(1800))  # its speed: tests/bench/bench_core_speed.py
    assert out.height == 1800


def test_lazy_frames_are_accepted(config: Config) -> None:
    from tests.core.conftest import synthetic

    t = synthetic(20)
    eager = build(config, **t)
    lazy = daily_frame(
        t["doses"].lazy(),
        t["checkins"].lazy(),
        t["sleep_sessions"].lazy(),
        t["activities"].lazy(),
        t["daily_activity"].lazy(),
        config,
    )
    assert_frame_equal(lazy, eager)


def test_a_dose_without_an_offset_takes_the_configured_zone(config: Config) -> None:
    # 23:30 UTC on a January day is 00:30 the next day in Berlin (UTC+1).
    log = doses([{"at": at(D0, 23.5), "g": 1.0, "offset": None}])
    berlin = replace(config, timezone="Europe/Berlin")
    assert local_doses(log, berlin)[C.DATE].to_list() == [D0 + dt.timedelta(days=1)]
    assert local_doses(log, config)[C.DATE].to_list() == [D0]
