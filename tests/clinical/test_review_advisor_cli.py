"""`taperdash review --week` on a week with no data and on a week with no plan in force: the
clinician's report says what the advisor could not know, and never "Continue the plan"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.core.conftest import at, checkins, doses, fill_store, sessions

Cli = Callable[..., tuple[int, str, str]]
DAYS = [dt.date(2024, 4, 29) + dt.timedelta(days=i) for i in range(14)]  # 2024-W18 and W19
EMPTY_WEEK = "2024-W20"  # 13-19 May 2024: nothing recorded


@pytest.fixture
def filled(home: Path) -> Path:
    fill_store(
        home,
        {
            "doses": doses([{"at": at(d, 9), "g": 4.0} for d in DAYS]),
            "checkins": checkins([{"date": d, "withdrawal": 10} for d in DAYS]),
            "sleep_sessions": sessions([{"night": d, "asleep": 420.0} for d in DAYS]),
        },
    )
    (home / "config.toml").write_text('timezone = "UTC"\n')
    return home


def markdown(cli: Cli, week: str) -> str:
    rc, out, err = cli("review", "--week", week, "--format", "markdown")
    assert (rc, err) == (0, "")
    return out


def test_an_empty_week_says_the_advisor_cannot_judge(cli: Cli, filled: Path) -> None:
    assert cli("plan", "set", "--start-dose", "4", "--rate", "10", "--start", "2024-04-29")[0] == 0
    out = markdown(cli, EMPTY_WEEK)
    assert "7 of 7 nights without sleep data." in out
    assert "7 of 7 days without a check-in." in out
    assert (
        "Advisor: No recent check-ins or sleep: the advisor cannot judge withdrawal or sleep."
        in out
    )
    assert "No check-in in the last 5 days: withdrawal cannot be judged." in out
    assert "No sleep data in the last 7 nights: sleep cannot be judged." in out
    assert "stable" not in out and "Continue the plan" not in out


def test_a_week_without_a_plan_gets_no_plan_advice(cli: Cli, filled: Path) -> None:
    out = markdown(cli, "2024-W19")
    assert "No taper plan set for 2024-W20." in out
    assert "Advisor: No taper plan set: the advisor watches symptoms and dose only." in out
    assert "Continue the plan" not in out and "smaller next step" not in out


def test_a_week_before_the_plan_starts_says_when_it_starts(cli: Cli, filled: Path) -> None:
    assert cli("plan", "set", "--start-dose", "4", "--rate", "10", "--start", "2026-11-02")[0] == 0
    out = markdown(cli, EMPTY_WEEK)
    assert (
        "Advisor: The taper plan starts on 2 Nov 2026; no recent check-ins or sleep to judge"
        " withdrawal or sleep by." in out
    )
    assert "Continue the plan" not in out
