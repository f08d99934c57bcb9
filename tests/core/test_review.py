from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import polars as pl
import pytest

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import daily_frame
from dashboard.core.analysis.links import Link
from dashboard.core.clinical.review.compute import weekly_review
from dashboard.core.clinical.review.model import DISCLAIMER
from dashboard.core.clinical.review.render import to_markdown, to_text
from dashboard.core.store.config import Config, PlanConfig
from dashboard.core.store.schema import REFLECTIONS
from dashboard.core.weeks import WeekError, previous_week, week_bounds, week_of
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

WEEK = "2026-W02"  # Mon 5 Jan .. Sun 11 Jan 2026; D0 is its Monday


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def frame(cfg: Config, **given: pl.DataFrame) -> pl.DataFrame:
    t = tables(**given)
    return daily_frame(
        t["doses"], t["checkins"], t["sleep_sessions"], t["activities"], t["daily_activity"], cfg
    )


def review_json(cfg: Config, week: str = WEEK, **kw: Any) -> dict[str, Any]:
    daily = kw.pop("daily")
    return weekly_review(daily, cfg, week, links_now=[], links_prev=[], **kw).to_json()


# --- week labels ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("week", "week_start", "start"),
    [
        ("2026-W02", "monday", dt.date(2026, 1, 5)),
        ("2026-W02", "sunday", dt.date(2026, 1, 4)),
        ("2026-W01", "monday", dt.date(2025, 12, 29)),  # ISO week 1 starts in December
        ("2026-W53", "monday", dt.date(2026, 12, 28)),  # 2026 has 53 ISO weeks
    ],
)
def test_week_bounds(week: str, week_start: str, start: dt.date) -> None:
    assert week_bounds(week, week_start) == (start, start + dt.timedelta(days=6))
    # every day of the week carries the label back
    for i in range(7):
        assert week_of(start + dt.timedelta(days=i), week_start) == week


@pytest.mark.parametrize("bad", ["2026-2", "2026W02", "2025-W53", "2026-W00", "W02-2026"])
def test_a_bad_week_label_is_refused(bad: str) -> None:
    with pytest.raises(WeekError):
        week_bounds(bad)


def test_previous_week_crosses_the_year() -> None:
    assert previous_week("2026-W01") == "2025-W52"


# --- numbers against hand-computed ones ----------------------------------------------------


@pytest.fixture
def week_data() -> dict[str, pl.DataFrame]:
    prev = [{"at": at(day(i), 9), "g": 4.0} for i in range(-7, 0)]  # 4.0 g a day before
    this = []
    for i in range(7):
        this.append({"at": at(day(i), 8), "g": 2.0})
        # 0.5 g of a 2x extract: 1.0 leaf-g, so 3.0 leaf-g a day
        this.append({"at": at(day(i), 16), "g": 0.5, "potency": 2.0, "form": "extract"})
    asleep = {0: 420.0, 1: 300.0, 2: 400.0, 4: 380.0, 6: 450.0}  # nights 3 and 5 missing
    return tables(
        doses=doses(prev + this),
        sleep_sessions=sessions(
            [{"night": day(i), "asleep": a, "in_bed": a + 30} for i, a in asleep.items()]
        ),
        activities=activities([{"day": day(0), "min": 30}, {"day": day(2), "min": 45}]),
        daily_activity=daily_activity(
            [{"date": day(1), "steps": 8000}, {"date": day(3), "steps": 6000}]
        ),
        checkins=checkins(
            [
                {"date": day(0), "withdrawal": 10, "cravings": 3},
                {"date": day(4), "withdrawal": 14, "cravings": 5},
            ]
        ),
    )


def test_review_numbers_match_a_hand_count(config: Config, week_data: dict) -> None:
    doc = review_json(config, daily=frame(config, **week_data))
    eff = [420 / 450, 300 / 330, 400 / 430, 380 / 410, 450 / 480]
    assert (doc["week"], doc["start"], doc["end"]) == (WEEK, "2026-01-05", "2026-01-11")
    assert doc["dose"] == {
        "total_g": 21.0,
        "daily_mean_g": 3.0,
        "plan_daily_g": None,
        "change_pct_vs_prev_week": -25.0,
        "max_single_g": 2.0,
        "doses_per_day": 2.0,
    }
    assert doc["sleep"] == {
        "nights": 5,
        "asleep_mean_min": 390.0,
        "efficiency_mean": round(sum(eff) / 5, 3),
        "insomnia_nights": 1,  # the 300 min night
    }
    assert doc["activity"] == {"exercise_min_total": 75.0, "steps_mean": 7000.0}
    assert doc["symptoms"] == {"withdrawal_mean": 12.0, "cravings_mean": 4.0}


def test_missing_nights_and_check_ins_are_flagged_not_averaged(
    config: Config, week_data: dict
) -> None:
    doc = review_json(config, daily=frame(config, **week_data))
    assert "2 of 7 nights without sleep data." in doc["flags"]
    assert "5 of 7 days without a check-in." in doc["flags"]


def test_the_json_has_exactly_the_design_shape(config: Config, week_data: dict) -> None:
    doc = review_json(config, daily=frame(config, **week_data))
    assert list(doc) == [
        "week", "start", "end", "dose", "sleep", "activity", "symptoms", "links", "flags",
        "isi", "step_effects", "notes",
    ]  # fmt: skip
    assert list(doc["dose"]) == [
        "total_g", "daily_mean_g", "plan_daily_g", "change_pct_vs_prev_week", "max_single_g",
        "doses_per_day",
    ]  # fmt: skip
    assert list(doc["sleep"]) == ["nights", "asleep_mean_min", "efficiency_mean", "insomnia_nights"]
    assert list(doc["activity"]) == ["exercise_min_total", "steps_mean"]
    assert list(doc["symptoms"]) == ["withdrawal_mean", "cravings_mean"]
    json.dumps(doc)  # serialisable as is


@pytest.mark.parametrize(("this_week_g", "flagged"), [(3.0, False), (2.9, True), (2.0, True)])
def test_a_sudden_week_on_week_drop_is_flagged(
    config: Config, this_week_g: float, flagged: bool
) -> None:
    log = doses(
        [{"at": at(day(i), 9), "g": 4.0} for i in range(-7, 0)]
        + [{"at": at(day(i), 9), "g": this_week_g} for i in range(7)]
    )
    doc = review_json(config, daily=frame(config, doses=log))
    assert any(f.startswith("Sudden drop") for f in doc["flags"]) is flagged


def test_a_week_across_the_spring_dst_change(config: Config) -> None:
    # Berlin moves from +60 to +120 on Sun 29 Mar 2026 at 02:00; ISO week 13 is 23-29 Mar.
    berlin = replace(config, timezone="Europe/Berlin")
    mon, sun = dt.date(2026, 3, 23), dt.date(2026, 3, 29)
    log = doses(
        [
            {"at": at(mon, 0.5, 60), "g": 1.0, "offset": 60},  # 22 Mar 23:30 UTC: in W13
            {"at": at(sun, 12, 120), "g": 2.0, "offset": 120},
            {"at": at(sun, 23.75, 120), "g": 4.0, "offset": 120},  # 21:45 UTC, still Sunday
            {"at": at(sun + dt.timedelta(days=1), 0.5, 120), "g": 8.0, "offset": 120},  # Monday W14
        ]
    )
    nights = sessions(
        [
            {"night": mon - dt.timedelta(days=1), "asleep": 300.0, "bed": 23.5, "offset": 60},
            {"night": mon, "asleep": 400.0, "bed": 23.0, "offset": 60},
            # bed at 00:30 on the 30th (22:30 UTC on the 29th) is still the night of the 29th
            {"night": sun, "asleep": 420.0, "bed": 24.5, "offset": 120},
        ]
    ).with_columns(pl.lit(None, pl.Date).alias("night"))  # derived from start + offset
    doc = review_json(berlin, "2026-W13", daily=frame(berlin, doses=log, sleep_sessions=nights))
    assert (doc["start"], doc["end"]) == ("2026-03-23", "2026-03-29")
    assert doc["dose"]["total_g"] == 7.0
    assert doc["dose"]["daily_mean_g"] == 1.0
    assert doc["dose"]["max_single_g"] == 4.0
    assert doc["sleep"]["nights"] == 2
    assert doc["sleep"]["asleep_mean_min"] == 410.0


def test_plan_for_the_week_and_the_next_one(config: Config) -> None:
    planned = replace(
        config, plan=PlanConfig(start_dose_g=4.0, rate_pct=25.0, start=day(-7), mode="linear")
    )
    log = doses([{"at": at(day(i), 9), "g": 3.5} for i in range(-7, 7)])
    doc = review_json(planned, daily=frame(planned, doses=log))
    assert doc["dose"]["plan_daily_g"] == 3.0
    assert doc["notes"]["next_week"]["plan_daily_g"] == 2.0
    assert doc["notes"]["next_week"]["week"] == "2026-W03"
    assert "Above plan: 3.50 g a day against 3.00 g planned." in doc["flags"]


def test_a_running_week_leaves_out_today_and_tonight(config: Config) -> None:
    log = doses(
        [{"at": at(day(i), 9), "g": 3.0} for i in range(3)] + [{"at": at(day(3), 8), "g": 0.5}]
    )
    daily = frame(config, doses=log)
    rev = weekly_review(daily, config, WEEK, today=day(3), links_now=[], links_prev=[])
    assert not rev.complete and rev.days_elapsed == 3
    assert rev.dose.daily_mean_g == 3.0  # the 0.5 g of this morning is not a cut
    # the title names the last whole day the numbers hold
    assert f"(so far: to {day(2):%a %d %b})" in to_text(rev)


def test_the_reflection_of_the_week_is_the_latest_saved(config: Config, week_data: dict) -> None:
    stamp = dt.datetime(2026, 1, 11, 20, tzinfo=dt.UTC)
    refl = pl.DataFrame(
        {
            "week": [WEEK, WEEK, "2026-W01"],
            "triggers": ["old", "work stress", "other week"],
            "helped": ["", "evening walks", ""],
            "next_plan": ["", "hold at 3 g", ""],
            "updated_at": [stamp - dt.timedelta(hours=1), stamp, stamp],
        },
        schema=REFLECTIONS,
    )
    rev = weekly_review(
        frame(config, **week_data), config, WEEK, reflections=refl, links_now=[], links_prev=[]
    )
    assert rev.to_json()["notes"]["reflection"] == {
        "triggers": "work stress",
        "helped": "evening walks",
        "next_plan": "hold at 3 g",
    }
    md = to_markdown(rev)
    assert "**What helped:** evening walks" in md


def test_markdown_is_fit_for_a_clinician(config: Config, week_data: dict) -> None:
    md = to_markdown(
        weekly_review(frame(config, **week_data), config, WEEK, links_now=[], links_prev=[])
    )
    assert md.startswith("# Weekly review 2026-W02: Mon 05 Jan to Sun 11 Jan 2026")
    for heading in ("## Summary", "## Flags", "## Links", "## Next week"):
        assert heading in md
    assert "| Measure | This week | Previous week | Change |" in md
    assert "| Daily dose (leaf-g eq.) | 3.00 g | 4.00 g | −25.0 % |" in md
    assert "| Nights recorded | 5 of 7 | 0 of 7 |  |" in md
    assert md.count(DISCLAIMER) == 2


def _link(
    estimate: float | None, low: float | None, high: float | None, fdr_ok: bool = False
) -> Link:
    return Link(
        cause="exercise_30min",
        effect="asleep_min",
        lag_nights=0,
        method="difference in means, bootstrap",
        unit="min",
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        n=40,
        n_with=20,
        n_without=20,
        p_value=None,
        fdr_ok=fdr_ok,
        text="t",
    )


@pytest.mark.parametrize(
    ("before", "now", "change", "listed"),
    [
        (_link(None, None, None), _link(30.0, 10.0, 50.0), "new", True),
        (_link(None, None, None), _link(3.0, -10.0, 16.0), None, False),  # new but unclear
        (_link(10.0, -5.0, 25.0), _link(30.0, 10.0, 50.0), "now clear", True),
        (_link(30.0, 10.0, 50.0), _link(10.0, -5.0, 25.0), "no longer clear", True),
        (_link(10.0, -5.0, 25.0), _link(-10.0, -25.0, 5.0), "moved", True),
        (_link(30.0, 10.0, 50.0), _link(31.0, 12.0, 50.0, True), None, True),  # steady, holds
        (_link(30.0, 10.0, 50.0), _link(31.0, 12.0, 50.0), None, False),  # clear, not after BH
        (_link(1.0, -9.0, 11.0), _link(2.0, -8.0, 12.0), None, False),  # steady, nothing
    ],
)
def test_links_that_changed(
    config: Config, before: Link, now: Link, change: str | None, listed: bool
) -> None:
    daily = frame(config, doses=doses([{"at": at(day(0), 9), "g": 1.0}]))
    rev = weekly_review(daily, config, WEEK, links_now=[now], links_prev=[before])
    assert [lc.change for lc in rev.links] == ([change] if listed else [])


def test_review_computes_links_itself_and_five_years_stay_quick(config: Config) -> None:

    from tests.core.conftest import synthetic

    t = synthetic(1800)
    daily = daily_frame(
        t["doses"], t["checkins"], t["sleep_sessions"], t["activities"], t["daily_activity"], config
    )
    last = daily[C.DATE][-1]
    rev = weekly_review(daily, config, week_of(last))  # its speed: tests/bench/bench_core_speed.py
    assert any(lc.link.cause == "exercise_30min" for lc in rev.links)


# --- the CLI ---------------------------------------------------------------------------------


@pytest.fixture
def filled(home, week_data: dict, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from tests.core.conftest import fill_store

    fill_store(home, week_data)
    (home / "config.toml").write_text('timezone = "UTC"\n')
    monkeypatch.setenv("TAPERDASH_TODAY", "2026-01-12")  # the Monday after WEEK
    return home


def test_cli_review_defaults_to_the_week_holding_yesterday(cli, filled) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = cli("review", "--format", "json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert doc["week"] == WEEK and doc["dose"]["daily_mean_g"] == 3.0


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("text", "Weekly review 2026-W02"), ("markdown", "# Weekly review 2026-W02")],
)
def test_cli_review_formats(cli, filled, fmt: str, marker: str) -> None:  # type: ignore[no-untyped-def]
    rc, out, _ = cli("review", "--week", WEEK, "--format", fmt)
    assert rc == 0 and out.startswith(marker) and DISCLAIMER in out


@pytest.mark.parametrize("week", ["2026-02", "2025-W53", "2026-W30"])
def test_cli_review_refuses_bad_or_future_weeks(cli, filled, week: str) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = cli("review", "--week", week)
    assert rc == 2 and out == "" and err.startswith("taperdash: ")


def test_saving_a_reflection_replaces_that_weeks_row_only() -> None:
    from dashboard.core.clinical.review.compute import save_reflection
    from dashboard.core.clinical.review.model import Reflection

    t0 = dt.datetime(2026, 1, 11, 20, tzinfo=dt.UTC)
    table = pl.DataFrame(schema=REFLECTIONS)
    table = save_reflection(table, "2026-W01", Reflection("a", "b", "c"), t0)
    table = save_reflection(table, WEEK, Reflection("stress", "", ""), t0)
    table = save_reflection(table, WEEK, Reflection("stress", "walks", "hold"), t0)
    assert table.schema == REFLECTIONS
    assert table.select("week", "helped").rows() == [("2026-W01", "b"), (WEEK, "walks")]
    with pytest.raises(WeekError):
        save_reflection(table, "last week", Reflection("", "", ""), t0)
