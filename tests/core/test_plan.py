from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import daily_frame
from dashboard.core.analysis.plan import (
    SCHEDULE,
    advise,
    round_to_step,
    schedule,
    target_date,
)
from dashboard.core.store.config import Config, Hold, PlanConfig
from tests.core.conftest import D0, at, checkins, doses, sessions, tables

WEEK = dt.timedelta(days=7)


def weekly(sched: pl.DataFrame) -> list[float]:
    """The planned dose on each step boundary (every 7th row)."""
    return sched[C.PLAN_G].gather_every(7).to_list()


@pytest.mark.parametrize(
    ("grams", "step", "expected"),
    [(3.6, 0.25, 3.5), (3.15, 0.25, 3.25), (2.3, 0.1, 2.3), (0.04, 0.25, 0.0), (1.23, 0.0, 1.23)],
)
def test_round_to_step(grams: float, step: float, expected: float) -> None:
    assert round_to_step(grams, step) == expected


def test_proportional_schedule_cuts_a_share_of_the_current_dose_each_week() -> None:
    plan = PlanConfig(start_dose_g=4.0, rate_pct=10.0, start=D0, step_g=0.25)
    sched = schedule(plan)
    # 4.0; 3.6 -> 3.5; 3.15 -> 3.25; 2.925 -> 3.0; 2.7 -> 2.75; 2.475 -> 2.5; 2.25; ...
    assert weekly(sched)[:7] == [4.0, 3.5, 3.25, 3.0, 2.75, 2.5, 2.25]
    assert sched[C.PLAN_G][-1] == 0.0
    assert sched.schema == SCHEDULE


def test_linear_schedule_cuts_a_share_of_the_start_dose_and_ends_on_the_target_date() -> None:
    plan = PlanConfig(start_dose_g=4.0, rate_pct=25.0, start=D0, mode="linear", target_g=1.0)
    sched = schedule(plan)
    expected = pl.DataFrame(
        {
            C.DATE: [D0 + WEEK * k for k in range(4)],
            C.PLAN_G: [4.0, 3.0, 2.0, 1.0],
            C.ON_HOLD: [False] * 4,
            "plan_step": [False, True, True, True],
        },
        schema=SCHEDULE,
    )
    assert_frame_equal(sched.gather_every(7), expected)
    assert target_date(plan) == D0 + 3 * WEEK


def test_rounding_to_the_scale_never_freezes_a_proportional_taper() -> None:
    plan = PlanConfig(start_dose_g=0.5, rate_pct=10.0, start=D0, step_g=0.25)
    assert weekly(schedule(plan)) == [0.5, 0.25, 0.0]


def test_a_hold_pauses_the_schedule_and_it_resumes_after() -> None:
    hold = Hold(D0 + dt.timedelta(days=5), D0 + dt.timedelta(days=11))  # 7 days
    plan = PlanConfig(start_dose_g=4.0, rate_pct=25.0, start=D0, mode="linear", holds=(hold,))
    sched = schedule(plan, until=D0 + dt.timedelta(days=30))
    steps = sched.filter(pl.col("plan_step"))[C.DATE].to_list()
    # Without the hold: days 7, 14, 21, 28; each is pushed back by the 7 held days.
    assert steps == [D0 + dt.timedelta(days=d) for d in (14, 21, 28)]
    assert sched.filter(pl.col(C.ON_HOLD))[C.PLAN_G].unique().to_list() == [4.0]


def test_no_plan_gives_an_empty_schedule() -> None:
    assert schedule(PlanConfig()).is_empty()
    assert target_date(PlanConfig()) is None


def test_a_plan_without_a_start_starts_today() -> None:
    sched = schedule(PlanConfig(start_dose_g=2.0), today=D0, until=D0 + WEEK)
    assert sched[C.DATE][0] == D0


# --- the advisor -------------------------------------------------------------------------


TODAY = D0 + dt.timedelta(days=35)


def history(
    cfg: Config,
    *,
    grams: list[float] | None = None,
    withdrawal: list[int] | None = None,
    asleep: list[float] | None = None,
    per_day: int = 1,
    single_g: float | None = None,
) -> pl.DataFrame:
    """35 days before TODAY: daily grams (split in `per_day` doses), check-ins, nights."""
    days = [D0 + dt.timedelta(days=i) for i in range(35)]
    grams = grams or [4.0] * 35
    dose_rows = []
    for day, g in zip(days, grams, strict=True):
        for k in range(per_day):
            dose_rows.append({"at": at(day, 8 + 3 * k), "g": single_g or g / per_day})
    withdrawal = withdrawal or [10] * 35
    asleep = asleep or [420.0] * 35
    t = tables(
        doses=doses(dose_rows),
        checkins=checkins(
            [{"date": d, "withdrawal": w} for d, w in zip(days, withdrawal, strict=True)]
        ),
        sleep_sessions=sessions(
            [{"night": d, "asleep": a, "in_bed": a + 30} for d, a in zip(days, asleep, strict=True)]
        ),
    )
    return daily_frame(
        t["doses"],
        t["checkins"],
        t["sleep_sessions"],
        t["activities"],
        t["daily_activity"],
        cfg,
        end=TODAY,
    )


@pytest.fixture
def planned(config: Config) -> Config:
    return replace(config, plan=PlanConfig(start_dose_g=4.0, rate_pct=10.0, start=D0))


def test_stable_withdrawal_and_sleep_continue_the_plan(planned: Config) -> None:
    advice = advise(history(planned), planned, TODAY)
    assert advice.action == "continue"
    assert advice.warnings == ()
    assert advice.today_plan_g is not None and advice.next_step_date is not None


@pytest.mark.parametrize(
    ("withdrawal_last5", "action"),
    [(30, "hold"), (25, "hold"), (20, "smaller_step"), (12, "continue")],
)
def test_withdrawal_over_the_threshold_suggests_a_hold(
    planned: Config, withdrawal_last5: int, action: str
) -> None:
    scores = [10] * 30 + [withdrawal_last5] * 5
    assert advise(history(planned, withdrawal=scores), planned, TODAY).action == action


@pytest.mark.parametrize(
    ("bad_nights", "action"), [(5, "hold"), (4, "smaller_step"), (3, "continue")]
)
def test_insomnia_nights_over_the_threshold_suggest_a_hold(
    planned: Config, bad_nights: int, action: str
) -> None:
    asleep = [420.0] * (35 - bad_nights) + [300.0] * bad_nights
    advice = advise(history(planned, asleep=asleep), planned, TODAY)
    assert (advice.action, advice.insomnia_nights) == (action, bad_nights)


def test_thresholds_come_from_the_advisor_config(planned: Config) -> None:
    lenient = replace(planned, advisor=replace(planned.advisor, withdrawal_hold=40.0))
    scores = [10] * 30 + [30] * 5
    assert advise(history(lenient, withdrawal=scores), lenient, TODAY).action == "continue"


def test_a_cut_of_more_than_a_quarter_in_a_week_is_flagged(config: Config) -> None:
    grams = [4.0] * 28 + [2.5] * 7  # -37.5 % in the last week
    advice = advise(history(config, grams=grams), config, TODAY)
    assert any(w.startswith("Sudden drop") for w in advice.warnings)


def test_a_cut_within_the_guidance_is_not_flagged(config: Config) -> None:
    grams = [4.0] * 28 + [3.5] * 7  # -12.5 %
    assert not any(
        "Sudden drop" in w for w in advise(history(config, grams=grams), config, TODAY).warnings
    )


def test_a_plan_faster_than_a_quarter_a_week_is_flagged(config: Config) -> None:
    fast = replace(config, plan=PlanConfig(start_dose_g=4.0, rate_pct=30.0, start=D0))
    assert any("30 % a week" in w for w in advise(history(fast), fast, TODAY).warnings)


def test_a_big_single_dose_taken_daily_for_weeks_is_flagged(config: Config) -> None:
    big = advise(history(config, grams=[6.0] * 35), config, TODAY)
    split = advise(history(config, grams=[6.0] * 35, per_day=2), config, TODAY)
    assert any("single dose over 5 g" in w for w in big.warnings)
    assert not any("single dose over 5 g" in w for w in split.warnings)


def test_rising_dose_and_frequency_are_flagged_as_tolerance(config: Config) -> None:
    grams = [3.0] * 21 + [4.0] * 14
    rising = advise(history(config, grams=grams), config, TODAY)
    assert any(w.startswith("Rising dose") for w in rising.warnings)
    freq = config
    d = history(freq, per_day=2)
    # two weeks of 2 doses a day, then two weeks of 3: frequency, not amount
    d = d.with_columns(
        pl.when(pl.col(C.DATE) >= TODAY - dt.timedelta(days=14))
        .then(3)
        .otherwise(pl.col(C.DOSES_N))
        .cast(pl.Int32)
        .alias(C.DOSES_N)
    )
    assert any(w.startswith("Dosing more often") for w in advise(d, freq, TODAY).warnings)


def test_strain_rotation_and_dose_frequency_are_reported(config: Config) -> None:
    d = history(config, per_day=2).with_columns(
        pl.when(pl.col(C.DATE).dt.day() % 2 == 0)
        .then(pl.lit(["green"]))
        .otherwise(pl.lit(["red"]))
        .alias(C.STRAINS)
    )
    advice = advise(d, config, TODAY)
    assert set(advice.strains_recent) == {"green", "red"}
    assert advice.strain_switches >= 10
    assert advice.doses_per_day_recent == 2.0
    assert any("Strains" in line for line in advice.lines())


def test_no_plan_is_said_and_no_schedule_is_invented(config: Config) -> None:
    advice = advise(history(config), config, TODAY)
    assert not advice.has_plan and advice.today_plan_g is None
    assert any("No taper plan" in r for r in advice.reasons)


# --- the CLI ---------------------------------------------------------------------------------


def test_cli_plan_set_then_show(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import json

    monkeypatch.setenv("TAPERDASH_TODAY", "2026-01-20")
    rc, out, err = cli(
        "plan", "set", "--start-dose", "4", "--rate", "25", "--mode", "linear",
        "--start", "2026-01-05", "--hold", "2026-01-10:2026-01-16",
    )  # fmt: skip
    assert (rc, err) == (0, "")
    # steps on Jan 19 (5 days before the hold + 2 after), 26, Feb 2 and 9
    assert "Reaches 0 g on 2026-02-09" in out
    rc, out, _ = cli("plan", "show", "--json")
    doc = json.loads(out)
    assert rc == 0
    assert doc["plan"]["holds"] == [{"start": "2026-01-10", "end": "2026-01-16"}]
    assert doc["today_plan_g"] == 3.0
    assert [s["plan_g"] for s in doc["steps"]] == [4.0, 3.0, 2.0, 1.0, 0.0]
    rc, out, _ = cli("plan", "show")
    assert rc == 0 and "Today (2026-01-20): 3 g" in out and "Not medical advice" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--start-dose", "0", "--rate", "10"],
        ["--start-dose", "4", "--rate", "0"],
        ["--start-dose", "4", "--rate", "10", "--target", "5"],
        ["--start-dose", "4", "--rate", "10", "--hold", "2026-02-10:2026-02-01"],
        ["--start-dose", "4", "--rate", "10", "--start", "soon"],
        ["--rate", "10"],
    ],
)
def test_cli_plan_set_refuses_nonsense_with_exit_2(cli, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    rc, _, err = cli("plan", "set", *args)
    assert rc == 2 and err and "Traceback" not in err


def test_cli_plan_set_warns_on_a_sudden_drop_rate(cli) -> None:  # type: ignore[no-untyped-def]
    rc, out, _ = cli("plan", "set", "--start-dose", "4", "--rate", "40")
    assert rc == 0 and "sudden drop" in out


def test_the_advisor_says_when_the_target_is_near_or_reached(config: Config) -> None:
    plan = PlanConfig(start_dose_g=4.0, rate_pct=25.0, start=D0, mode="linear", target_g=1.0)
    cfg = replace(config, plan=plan)  # reaches 1 g on D0 + 21
    near = advise(history(cfg), cfg, D0 + dt.timedelta(days=16))
    done = advise(history(cfg), cfg, TODAY)
    assert "The plan reaches its target of 1 g on 2026-01-26." in near.reasons
    assert "The plan reached its target of 1 g on 2026-01-26." in done.reasons
