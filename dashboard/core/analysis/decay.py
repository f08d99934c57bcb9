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

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.daily import Frame, local_doses
from dashboard.core.analysis.plan import SETTLE_HALF_LIVES, settle_days
from dashboard.core.store.config import Config
from dashboard.core.store.schema import DOSES, UTC
from importers.model import schema

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

ACTIVE = schema({"at": UTC, "active_g": pl.Float64})


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
    # The sum is a first-order recurrence on the grid: active(t_k) = r * active(t_k-1) + the
    # doses of (t_k-1, t_k], each decayed to t_k, with r = 0.5 ** (step / h). Each dose is put
    # on its grid point and ewm_mean runs the recurrence, so memory and time grow with grid +
    # doses, not grid x doses (a cross join over 120 days was ~90 MB).
    step_us = step_minutes * 60_000_000
    start_us = int(start.astimezone(dt.UTC).timestamp() * 1_000_000)
    grid = grid.with_row_index("k")
    since = pl.col("taken_at").dt.epoch("us") - start_us
    k = (-(-since // step_us)).clip(lower_bound=0)  # ceiling division: the first point >= it
    lag_h = (k * step_us - since).cast(pl.Float64) / 3_600_000_000
    placed = (
        live.select(
            k.cast(pl.UInt32).alias("k"),
            (pl.col("leaf_g") * pl.lit(0.5).pow(lag_h / config.half_life_h)).alias("g"),
        )
        .group_by("k")
        .agg(pl.col("g").sum())
    )
    keep = 0.5 ** (step_minutes / 60.0 / config.half_life_h)
    inflow = grid.join(placed, on="k", how="left").sort("k")["g"].fill_null(0.0)
    # ewm_mean(adjust=False) is y_k = keep * y_k-1 + (1 - keep) * x_k from y_0 = x_0; a
    # leading 0 makes y start from nothing, and dividing by (1 - keep) gives the plain sum.
    padded = pl.concat([pl.Series([0.0]), inflow])
    active = padded.ewm_mean(alpha=1.0 - keep, adjust=False).slice(1) / (1.0 - keep)
    return grid.select("at", active.alias("active_g"))


def plan_doses(
    schedule: pl.DataFrame, config: Config, hours: tuple[int, ...] = PLAN_DOSE_HOURS
) -> pl.DataFrame:
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


ACTIVE_VS_PLAN = schema({"at": UTC, "active_g": pl.Float64, "plan_active_g": pl.Float64})


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
    return actual.join(planned.rename({"active_g": "plan_active_g"}), on="at", how="left").select(
        list(ACTIVE_VS_PLAN)
    )
