"""The amount still active: a one-compartment decay of the logged doses.

active(t) = sum over doses taken at or before t of leaf_g * 0.5 ** ((t - taken_at) / h), with
h = config.half_life_h. Published estimates of mitragynine's half-life run from about 23 h in
regular users to about 45 h after a single dose; 24 h is the default. It is a picture of how
slowly a step is felt (about 5 half-lives to settle), not a blood level: absorption, the
other alkaloids and the person are all left out.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.core import columns as C
from dashboard.core.config import Config
from dashboard.core.daily import Frame, local_doses
from dashboard.core.plan import SETTLE_HALF_LIVES, settle_days
from dashboard.core.schema import DOSES, UTC

# Doses this many half-lives old weigh under 0.1 % and are left out of the sum.
_HORIZON_HALF_LIVES = 10
# Where the plan is drawn as doses: the planned daily amount split over these local hours.
PLAN_DOSE_HOURS = (8, 14, 20)

__all__ = [
    "ACTIVE",
    "ACTIVE_VS_PLAN",
    "SETTLE_HALF_LIVES",
    "active_amount",
    "active_vs_plan",
    "plan_doses",
    "settle_days",
]

ACTIVE = pl.Schema({"at": UTC, "active_g": pl.Float64})


def active_amount(
    doses: Frame,
    config: Config,
    start: dt.datetime,
    end: dt.datetime,
    step_minutes: int = 60,
) -> pl.DataFrame:
    """The active amount (leaf-gram equivalents) at every `step_minutes` from start to end.

    `start` and `end` are aware instants; the result's `at` is UTC. Deleted doses are left out.
    """
    if step_minutes <= 0:
        raise ValueError("step_minutes must be more than 0")
    if end < start:
        return pl.DataFrame(schema=ACTIVE)
    grid = pl.DataFrame(
        {
            "at": pl.datetime_range(
                start.astimezone(dt.UTC),
                end.astimezone(dt.UTC),
                dt.timedelta(minutes=step_minutes),
                time_zone="UTC",
                eager=True,
            )
        }
    ).with_columns(pl.col("at").cast(UTC))
    live = local_doses(doses, config)
    horizon = dt.timedelta(hours=_HORIZON_HALF_LIVES * config.half_life_h)
    live = live.filter(
        pl.col("taken_at").is_between(start.astimezone(dt.UTC) - horizon, end.astimezone(dt.UTC))
    ).select("taken_at", "leaf_g")
    if live.is_empty():
        return grid.with_columns(pl.lit(0.0).alias("active_g"))
    hours = (pl.col("at") - pl.col("taken_at")).dt.total_seconds() / 3600.0
    summed = (
        grid.join(live, how="cross")
        .filter(pl.col("taken_at") <= pl.col("at"))
        .group_by("at")
        .agg((pl.col("leaf_g") * pl.lit(0.5).pow(hours / config.half_life_h)).sum().alias("active_g"))
    )
    return (
        grid.join(summed, on="at", how="left")
        .with_columns(pl.col("active_g").fill_null(0.0))
        .sort("at")
    )


def plan_doses(schedule: pl.DataFrame, config: Config, hours: tuple[int, ...] = PLAN_DOSE_HOURS) -> pl.DataFrame:
    """The plan as doses (the doses table's schema): each day's planned amount split evenly
    over `hours` local time, so active_amount can draw the plan's curve beside the real one."""
    tz = config.zone()
    rows: list[dict[str, object]] = []
    for day, grams in schedule.select(C.DATE, C.PLAN_G).iter_rows():
        if not grams:
            continue
        for hour in hours:
            local = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
            offset = local.utcoffset()
            rows.append(
                {
                    "id": len(rows) + 1,
                    "taken_at": local.astimezone(dt.UTC),
                    "utc_offset_min": int(offset.total_seconds() // 60) if offset else 0,
                    "grams": grams / len(hours),
                    "potency": 1.0,
                    "form": "other",
                    "deleted": False,
                }
            )
    return pl.DataFrame(rows, schema=DOSES) if rows else pl.DataFrame(schema=DOSES)


ACTIVE_VS_PLAN = pl.Schema({"at": UTC, "active_g": pl.Float64, "plan_active_g": pl.Float64})


def active_vs_plan(
    doses: Frame,
    schedule: pl.DataFrame,
    config: Config,
    start: dt.datetime,
    end: dt.datetime,
    step_minutes: int = 60,
) -> pl.DataFrame:
    """The logged doses' active amount beside the plan's (plan_active_g null without a plan),
    for the Taper screen's chart."""
    actual = active_amount(doses, config, start, end, step_minutes)
    if schedule.is_empty():
        return actual.with_columns(pl.lit(None, dtype=pl.Float64).alias("plan_active_g"))
    planned = active_amount(plan_doses(schedule, config), config, start, end, step_minutes)
    return actual.join(
        planned.rename({"active_g": "plan_active_g"}), on="at", how="left"
    ).select(list(ACTIVE_VS_PLAN))
