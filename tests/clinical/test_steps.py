"""Per-step before/after on a crafted history: days -7..-1 against +1..+7."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.steps import step_effects, step_effects_json
from dashboard.core.store.config import Config
from dashboard.core.store.schema import conform

D0 = dt.date(2026, 3, 2)
STEP = D0 + dt.timedelta(days=10)


def crafted() -> pl.DataFrame:
    days = [D0 + dt.timedelta(days=i) for i in range(21)]
    asleep: list[float | None] = [None] * 21
    eff: list[float | None] = [None] * 21
    withdrawal: list[int | None] = [None] * 21
    cravings: list[int | None] = [None] * 21
    for k in range(7):
        asleep[3 + k] = 400.0 + 10 * k  # before: 400..460, mean 430
        asleep[11 + k] = 380.0 + 10 * k  # after: 380..440, mean 410
        eff[3 + k], eff[11 + k] = 0.9, 0.85
        withdrawal[3 + k] = 10
        cravings[3 + k] = 2
    asleep[10] = 1000.0  # the step day itself is in neither window
    for k in range(4):
        withdrawal[11 + k] = 14  # four days after: enough
    for k in range(3):
        cravings[11 + k] = 5  # three days after: not enough for an estimate
    frame = pl.DataFrame(
        {
            C.DATE: days,
            C.REFERENCE_G: [4.0 if d < STEP else 3.5 for d in days],
            C.TAPER_STEP: [d == STEP for d in days],
            C.ASLEEP_MIN: asleep,
            C.EFFICIENCY: eff,
            C.WITHDRAWAL: withdrawal,
            C.CRAVINGS: cravings,
        }
    )
    return conform(frame, C.DAILY)


def by_measure(out: pl.DataFrame) -> dict[str, dict]:
    return {r["measure"]: r for r in out.iter_rows(named=True)}


def test_before_after_on_a_crafted_history(config: Config) -> None:
    out = step_effects(crafted(), config, resamples=500)
    rows = by_measure(out)
    assert out["step_date"].unique().to_list() == [STEP]
    a = rows[C.ASLEEP_MIN]
    assert (a["before_g"], a["after_g"], a["complete"]) == (4.0, 3.5, True)
    assert (a["n_before"], a["n_after"]) == (7, 7)
    assert (a["before_mean"], a["after_mean"], a["diff"]) == (430.0, 410.0, -20.0)
    assert a["ci_low"] < -20.0 < a["ci_high"]
    e = rows[C.EFFICIENCY]  # shown in percent, the difference in points
    assert (e["before_mean"], e["after_mean"]) == pytest.approx((90.0, 85.0))
    assert (e["diff"], e["ci_low"], e["ci_high"]) == pytest.approx((-5.0, -5.0, -5.0))
    w = rows[C.WITHDRAWAL]
    assert (w["n_before"], w["n_after"], w["diff"]) == (7, 4, 4.0)
    c = rows[C.CRAVINGS]
    assert (c["n_after"], c["after_mean"], c["diff"], c["ci_low"]) == (3, 5.0, None, None)


def test_the_interval_is_seeded(config: Config) -> None:
    assert step_effects(crafted(), config).equals(step_effects(crafted(), config))


def test_a_step_whose_week_after_has_not_passed_is_marked(config: Config) -> None:
    out = step_effects(crafted(), config, until=STEP + dt.timedelta(days=5))
    row = by_measure(out)[C.ASLEEP_MIN]
    assert row["complete"] is False
    assert row["n_after"] == 5


def test_no_steps_no_rows(config: Config) -> None:
    frame = crafted().with_columns(pl.lit(False).alias(C.TAPER_STEP))
    assert step_effects(frame, config).is_empty()
    assert step_effects(pl.DataFrame(schema=C.DAILY), config).is_empty()


def test_json_groups_the_measures_of_a_step(config: Config) -> None:
    doc = step_effects_json(step_effects(crafted(), config, resamples=200))
    assert len(doc) == 1
    assert doc[0]["step_date"] == STEP.isoformat()
    assert set(doc[0]["measures"]) == {C.ASLEEP_MIN, C.EFFICIENCY, C.WITHDRAWAL, C.CRAVINGS}
    assert doc[0]["measures"][C.ASLEEP_MIN]["diff"] == -20.0
