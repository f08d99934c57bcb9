"""The active amount: a one-compartment decay of the logged doses, at known points."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.decay import active_amount, active_vs_plan, plan_doses, settle_days
from dashboard.core.store.config import AdvisorConfig, Config
from tests.core.conftest import at, doses

D0 = dt.date(2026, 1, 5)
U = dt.UTC


def t(day: int, hour: float) -> dt.datetime:
    return at(D0 + dt.timedelta(days=day), hour)


def test_one_dose_halves_every_half_life(config: Config) -> None:
    log = doses([{"at": t(0, 8), "g": 4.0}])
    out = active_amount(log, config, t(0, 7), t(2, 8), step_minutes=24 * 60)
    # 07:00 before the dose, then 07:00 next day (23 h) and 07:00 the day after (47 h)
    assert out["active_g"].to_list() == pytest.approx(
        [0.0, 4 * 0.5 ** (23 / 24), 4 * 0.5 ** (47 / 24)]
    )
    on_the_dot = active_amount(log, config, t(0, 8), t(2, 8), step_minutes=24 * 60)
    assert on_the_dot["active_g"].to_list() == pytest.approx([4.0, 2.0, 1.0])


def test_doses_add_up_with_potency_and_deleted_ones_do_not_count(config: Config) -> None:
    log = doses(
        [
            {"at": t(0, 8), "g": 4.0},
            {"at": t(1, 8), "g": 2.0, "potency": 2.0},  # 4 leaf-gram equivalents
            {"at": t(1, 9), "g": 50.0, "deleted": True},
        ]
    )
    out = active_amount(log, config, t(2, 8), t(2, 8))
    assert out["active_g"].to_list() == pytest.approx([4 * 0.25 + 4 * 0.5])


def test_a_longer_half_life(config: Config) -> None:
    log = doses([{"at": t(0, 0), "g": 3.0}])
    out = active_amount(
        log, replace(config, half_life_h=45.0), t(0, 0), t(0, 0) + dt.timedelta(hours=90), 45 * 60
    )
    assert out["active_g"].to_list() == pytest.approx([3.0, 1.5, 0.75])
    assert out.schema["at"] == pl.Datetime("us", "UTC")


def test_no_doses_is_zero_everywhere(config: Config) -> None:
    out = active_amount(doses([]), config, t(0, 0), t(0, 3), step_minutes=60)
    assert out["active_g"].to_list() == [0.0] * 4


@pytest.mark.parametrize(
    ("half_life", "min_days", "days"), [(24.0, 7, 7), (24.0, 3, 5), (45.0, 7, 10), (23.0, 5, 5)]
)
def test_settle_days_are_five_half_lives_at_least_min_step_days(
    config: Config, half_life: float, min_days: int, days: int
) -> None:
    cfg = replace(config, half_life_h=half_life, advisor=AdvisorConfig(min_step_days=min_days))
    assert settle_days(cfg) == days


def test_the_plan_as_doses(config: Config) -> None:
    sched = pl.DataFrame({C.DATE: [D0, D0 + dt.timedelta(days=1)], C.PLAN_G: [6.0, 0.0]})
    out = plan_doses(sched, config)
    assert out["grams"].to_list() == [2.0, 2.0, 2.0]
    assert out["taken_at"].to_list() == [t(0, 8), t(0, 14), t(0, 20)]
    curve = active_amount(out, config, t(0, 20), t(0, 20))
    assert curve["active_g"][0] == pytest.approx(2 * 0.5 ** (12 / 24) + 2 * 0.5 ** (6 / 24) + 2.0)


def test_active_amount_beside_the_plan(config: Config) -> None:
    sched = pl.DataFrame({C.DATE: [D0], C.PLAN_G: [6.0]})
    log = doses([{"at": t(0, 8), "g": 6.0}])
    out = active_vs_plan(log, sched, config, t(0, 20), t(0, 20))
    assert out.row(0) == pytest.approx(
        (t(0, 20), 6 * 0.5 ** (12 / 24), 2 * 0.5 ** (12 / 24) + 2 * 0.5 ** (6 / 24) + 2.0)
    )
    none = active_vs_plan(log, sched.clear(), config, t(0, 20), t(0, 20))
    assert none["plan_active_g"].to_list() == [None]


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.lists(st.integers(-30 * 24 * 60, 6 * 24 * 60), max_size=25),
    step=st.sampled_from([1, 7, 60, 90, 24 * 60]),
    half_life=st.floats(0.5, 60.0),
)
def test_the_recurrence_equals_the_direct_sum(
    minutes: list[int], step: int, half_life: float
) -> None:
    """active_amount runs a recurrence on the grid; it must give the plain sum over doses,
    including doses before the start, on a grid point, and between points."""
    cfg = replace(Config(), half_life_h=half_life)
    start = t(0, 0)
    end = t(5, 0)
    taken = [start + dt.timedelta(minutes=m, seconds=(m % 7) * 3) for m in minutes]
    log = doses([{"at": when, "g": 1.0 + i % 4} for i, when in enumerate(taken)])
    out = active_amount(log, cfg, start, end, step_minutes=step)
    horizon = dt.timedelta(hours=10 * half_life)
    expected = []
    for point in out["at"].to_list():
        total = 0.0
        for i, when in enumerate(taken):
            if start - horizon <= when <= point and when <= end:
                total += (1.0 + i % 4) * 0.5 ** ((point - when).total_seconds() / 3600 / half_life)
        expected.append(total)
    assert out["active_g"].to_list() == pytest.approx(expected, rel=1e-9, abs=1e-12)
