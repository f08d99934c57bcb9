"""The relapse-prevention plan file, trigger counts, and life after zero."""

from __future__ import annotations

import datetime as dt
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from dashboard.core.clinical.relapse import (
    RelapsePlan,
    after_zero,
    load_plan,
    plan_path,
    save_plan,
    slip_note,
    trigger_counts,
    updated,
)
from dashboard.core.store.config import Config, ConfigError, PlanConfig
from tests.core.conftest import at, checkins, doses

NOW = dt.datetime(2026, 6, 1, 12, 0, 30, 123, tzinfo=dt.UTC)


def test_round_trip_private_and_tidy(tmp_path: Path) -> None:
    plan = updated(
        RelapsePlan(),
        triggers=["Stress ", "stress", "  payday"],
        reasons=["my kids"],
        contacts=["Sam 0170 1234567"],
    )
    saved = save_plan(tmp_path, plan, NOW)
    assert saved.triggers == ("Stress", "payday")  # duplicates by case and spacing dropped
    assert saved.updated_at == dt.datetime(2026, 6, 1, 12, 0, 30, tzinfo=dt.UTC)
    assert load_plan(tmp_path) == saved
    assert stat.S_IMODE(plan_path(tmp_path).stat().st_mode) == 0o600


def test_no_file_is_an_empty_plan(tmp_path: Path) -> None:
    plan = load_plan(tmp_path)
    assert plan.is_empty and plan == RelapsePlan()


def test_a_hand_edit_that_does_not_parse_is_never_overwritten(tmp_path: Path) -> None:
    plan_path(tmp_path).write_text("triggers = [unclosed\n")
    with pytest.raises(ConfigError, match=r"relapse_plan\.toml"):
        save_plan(tmp_path, RelapsePlan(triggers=("x",)), NOW)
    assert plan_path(tmp_path).read_text() == "triggers = [unclosed\n"


def test_unknown_entries_are_named(tmp_path: Path) -> None:
    plan_path(tmp_path).write_text('hobbies = ["chess"]\n')
    with pytest.raises(ConfigError, match="unknown entry 'hobbies'"):
        load_plan(tmp_path)


def test_trigger_counts_against_the_plan() -> None:
    d = dt.date(2026, 5, 1)
    c = checkins(
        [
            {"date": d, "triggers": ["stress at work"]},
            {"date": d + dt.timedelta(days=1), "triggers": ["Stress", "boredom"]},
            {"date": d + dt.timedelta(days=2), "triggers": ["distress"]},  # not the word "stress"
            {"date": d + dt.timedelta(days=3), "triggers": []},
        ]
    )
    plan = RelapsePlan(triggers=("stress", "payday"))
    rows = trigger_counts(c, plan).rows()
    assert rows == [
        ("stress", True, 2, d + dt.timedelta(days=1)),
        ("payday", True, 0, None),
        ("boredom", False, 1, d + dt.timedelta(days=1)),
        ("distress", False, 1, d + dt.timedelta(days=2)),
    ]
    since = trigger_counts(c, plan, since=d + dt.timedelta(days=1)).rows()
    assert since[0] == ("stress", True, 1, d + dt.timedelta(days=1))


def test_after_zero_days_since_and_slips(config: Config) -> None:
    # 2 g a day for a week, 1 g the next, then the plan is at zero from day 14 on.
    start = dt.date(2026, 5, 4)
    cfg = replace(config, plan=PlanConfig(start_dose_g=2.0, rate_pct=50.0, start=start, step_g=1.0))
    log = doses(
        [{"at": at(start + dt.timedelta(days=i), 9), "g": 2.0 if i < 7 else 1.0} for i in range(14)]
        + [{"at": at(start + dt.timedelta(days=20), 22), "g": 1.5}]  # a slip
    )
    today = start + dt.timedelta(days=25)
    status = after_zero(log, cfg, today)
    assert status.zero_date == start + dt.timedelta(days=14)
    assert status.reached
    assert status.days_since_last_dose == 5
    assert (status.slips, status.last_slip_date) == (1, start + dt.timedelta(days=20))
    before = after_zero(log, cfg, start + dt.timedelta(days=10))
    assert not before.reached and before.days_since_last_dose == 0 and before.slips == 0


def test_without_a_plan_to_zero_there_is_no_zero_date(config: Config) -> None:
    status = after_zero(doses([]), config, dt.date(2026, 5, 1))
    assert (status.zero_date, status.reached, status.days_since_last_dose, status.slips) == (
        None,
        False,
        None,
        0,
    )


def test_slip_notes_are_plain() -> None:
    assert slip_note() == "slip"
    assert slip_note("  party  at Jo's ") == "slip: party at Jo's"
