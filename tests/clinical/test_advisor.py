"""The advisor's clinical additions: the 7-day vs 28-day sudden-drop ratio, and a step judged
only after about five half-lives."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest

from dashboard.core.analysis.daily import daily_frame
from dashboard.core.analysis.plan import advise, dose_ratio
from dashboard.core.store.config import Config, ConfigError, PlanConfig, parse
from tests.core.conftest import D0, at, doses, tables

TODAY = D0 + dt.timedelta(days=28)


def frame(config: Config, grams_per_day: list[float], first: int = 0) -> pl.DataFrame:
    log = doses(
        [
            {"at": at(D0 + dt.timedelta(days=first + i), 9), "g": g}
            for i, g in enumerate(grams_per_day)
        ]
    )
    t = tables(doses=log)
    return daily_frame(
        t["doses"],
        t["checkins"],
        t["sleep_sessions"],
        t["activities"],
        t["daily_activity"],
        config,
        end=TODAY,
    )


def test_a_fall_over_two_weeks_that_no_weekly_cut_shows(config: Config) -> None:
    # Two 20 % cuts in a row: neither week is over 25 %, but the last 7 days average 2.56 g
    # against a 28-day mean of (14*4 + 7*3.2 + 7*2.56) / 28 = 3.44 g: 74 % < 75 %.
    daily = frame(config, [4.0] * 14 + [3.2] * 7 + [2.56] * 7)
    short, long, ratio = dose_ratio(daily, TODAY)
    assert (short, long) == pytest.approx((2.56, 3.44))
    assert ratio == pytest.approx(2.56 / 3.44)
    advice = advise(daily, config, TODAY)
    assert not any(w.startswith("Sudden drop") for w in advice.warnings)
    assert any(w.startswith("Steep fall") and "74 %" in w for w in advice.warnings)
    assert advice.dose_ratio_7_28 == pytest.approx(2.56 / 3.44)


def test_a_gentle_taper_is_not_flagged(config: Config) -> None:
    daily = frame(config, [4.0] * 14 + [3.6] * 7 + [3.24] * 7)  # ratio 3.24 / 3.71 = 0.87
    assert not any(w.startswith("Steep fall") for w in advise(daily, config, TODAY).warnings)


def test_the_ratio_threshold_is_configurable(config: Config) -> None:
    daily = frame(config, [4.0] * 14 + [3.6] * 7 + [3.24] * 7)
    strict = replace(config, advisor=replace(config.advisor, sudden_drop_ratio=0.9))
    assert any(w.startswith("Steep fall") for w in advise(daily, strict, TODAY).warnings)
    with pytest.raises(ConfigError, match="sudden_drop_ratio"):
        parse("[advisor]\nsudden_drop_ratio = 1.5\n")


def test_following_the_plan_down_is_not_a_steep_fall(config: Config) -> None:
    planned = replace(
        config,
        plan=PlanConfig(
            start_dose_g=4.0, rate_pct=20.0, start=D0 + dt.timedelta(days=7), step_g=0.01
        ),
    )
    # the plan: 4 g, then 3.2 from day 14, 2.56 from day 21 — the same fall, asked for
    daily = frame(planned, [4.0] * 14 + [3.2] * 7 + [2.56] * 7)
    assert not any(w.startswith("Steep fall") for w in advise(daily, planned, TODAY).warnings)


def test_too_few_days_give_no_ratio(config: Config) -> None:
    # a log started 10 days ago: 28 days of history are not there yet
    assert dose_ratio(frame(config, [4.0] * 10, first=18), TODAY) == (None, None, None)


def test_stopping_outright_is_a_steep_fall(config: Config) -> None:
    # The log is complete once started: days without a dose are 0 g, and stopping is a drop.
    daily = frame(config, [4.0] * 21)
    assert dose_ratio(daily, TODAY) == pytest.approx((0.0, 3.0, 0.0))
    assert any(w.startswith("Steep fall") for w in advise(daily, config, TODAY).warnings)


@pytest.mark.parametrize(("half_life", "settle"), [(24.0, 7), (45.0, 10)])
def test_a_step_is_judged_after_five_half_lives(
    config: Config, half_life: float, settle: int
) -> None:
    # A 4 -> 3 g cut on day 25: three days before TODAY.
    cfg = replace(config, half_life_h=half_life)
    daily = frame(cfg, [4.0] * 25 + [3.0] * 3)
    advice = advise(daily, cfg, TODAY)
    assert advice.settle_days == settle
    step = D0 + dt.timedelta(days=25)
    assert advice.settles_on == step + dt.timedelta(days=settle)
    assert any(f"settles over about {settle} days" in r for r in advice.reasons)
