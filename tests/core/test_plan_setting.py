"""The plan rules the CLI and the Taper form share, and dates that do not exist."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.analysis.plan_setting import InvalidPlan, make_plan
from dashboard.core.clock import parse_date
from dashboard.core.errors import UserError

DAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start_dose_g": 0.0, "rate_pct": 10.0}, "start dose must be above 0"),
        ({"start_dose_g": 101.0, "rate_pct": 10.0}, "at most 100 g a day"),
        ({"start_dose_g": 8.0, "rate_pct": 0.0}, "rate must be above 0"),
        ({"start_dose_g": 8.0, "rate_pct": 10.0, "target_g": 8.0}, "below the start dose"),
        ({"start_dose_g": 8.0, "rate_pct": 10.0, "step_g": 9.0}, "step must be above 0"),
    ],
)
def test_make_plan_refuses(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(InvalidPlan, match=message):
        make_plan(start=DAY, **kwargs)


def test_make_plan_keeps_what_was_given() -> None:
    plan = make_plan(start_dose_g=8.0, rate_pct=12.5, start=DAY, target_g=1.0)
    assert (plan.start_dose_g, plan.rate_pct, plan.start, plan.target_g) == (8.0, 12.5, DAY, 1.0)


def test_parse_date_names_a_day_that_does_not_exist() -> None:
    assert parse_date("2026-02-28") == dt.date(2026, 2, 28)
    with pytest.raises(UserError, match=r"^2026-02-30 is not a date$"):
        parse_date("2026-02-30")
    with pytest.raises(UserError, match="'soon' is not a date like 2026-11-24"):
        parse_date("soon")
