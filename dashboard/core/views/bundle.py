"""The immutable bundle of frames the dashboard shows, built off the UI thread.

Frozen and compared by identity (eq=False): a Textual reactive holding a new bundle fires its
watchers, and no one compares DataFrames for truth.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import polars as pl

from dashboard.core.clinical.overrides import apply_overrides
from dashboard.core.clock import today_for
from dashboard.core.store import config as config_mod
from dashboard.core.store.config import Config
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import TABLES

if TYPE_CHECKING:
    from dashboard.core.analysis.links import Link
    from dashboard.core.analysis.plan import Advice

# Tables whose writes come from a screen that keeps its own state: no reload for them.
QUIET_TABLES = ("reflections",)


@dataclass(frozen=True, eq=False)
class Bundle:
    home: Path
    config: Config
    tz: ZoneInfo
    today: dt.date
    signature: tuple[tuple[str, str], ...]
    tables: dict[str, pl.DataFrame]
    daily: pl.DataFrame
    advice: Advice | None = None
    schedule: pl.DataFrame | None = None
    # the statistics, computed after the numbers (with_statistics)
    links: tuple[Link, ...] = ()
    step_effects: pl.DataFrame | None = None  # steps.step_effects: each taper step's before/after
    active_daily: pl.DataFrame | None = None  # the modelled active amount by day, and the plan's
    complete: bool = True  # False while the statistics are still being computed

    def table(self, name: str) -> pl.DataFrame:
        return self.tables[name]

    @property
    def is_empty(self) -> bool:
        return all(
            self.tables[t].height == 0
            for t in ("doses", "checkins", "sleep_sessions", "activities", "daily_activity")
        )


def load_bundle(home: Path, pinned_today: str | None = None) -> Bundle:
    """Everything the dashboard shows, statistics included."""
    return with_statistics(load_core(home, pinned_today))


def load_core(home: Path, pinned_today: str | None = None) -> Bundle:
    """The tables, the daily frame and the advice: enough for the first screens. The
    statistics (links, per-step effects, the decay curve) come after, in with_statistics."""
    store = Store(home)
    signature = store.signature(ignore=QUIET_TABLES)
    cfg = config_mod.load(home)
    tz = cfg.zone()
    tables = {name: store.read(name) for name in TABLES}
    # Hand corrections (night_overrides) sit on top of the imported rows; every screen sees them.
    tables["sleep_sessions"] = apply_overrides(tables["sleep_sessions"], tables["night_overrides"])
    return _core(home, cfg, tz, today_for(tz, pinned_today), signature, tables)


def for_day(core: Bundle, day: dt.date) -> Bundle:
    """The same tables seen from another day: what a start on `day` would show if nothing is
    written before then (the saved glance for tomorrow morning)."""
    return _core(core.home, core.config, core.tz, day, core.signature, core.tables)


def _core(
    home: Path,
    cfg: Config,
    tz: ZoneInfo,
    today: dt.date,
    signature: tuple[tuple[str, str], ...],
    tables: dict[str, pl.DataFrame],
) -> Bundle:
    from dashboard.core.analysis import daily, plan

    frame = daily.daily_frame(
        tables["doses"],
        tables["checkins"],
        tables["sleep_sessions"],
        tables["activities"],
        tables["daily_activity"],
        cfg,
        end=today,
    )
    advice = plan.advise(frame, cfg, today) if frame.height else None
    sched = plan.schedule(cfg.plan, today=today) if plan.has_plan(cfg.plan) else None
    return Bundle(
        home=home,
        config=cfg,
        tz=tz,
        today=today,
        signature=signature,
        tables=tables,
        daily=frame,
        advice=advice,
        schedule=sched,
        complete=frame.height == 0,
    )


def with_statistics(core: Bundle) -> Bundle:
    if core.complete:
        return core
    from dashboard.core.analysis import links as links_mod

    frame, cfg = core.daily, core.config
    return dataclasses.replace(
        core,
        links=tuple(links_mod.compute_links(frame, cfg)),
        step_effects=_step_effects(frame, cfg),
        active_daily=active_daily(core.tables["doses"], cfg, core.tz, core.today),
        complete=True,
    )


ACTIVE_DAYS = 120  # the decay sum is doses x hours: bound it to the recent taper


def active_daily(doses: pl.DataFrame, cfg: Config, tz: ZoneInfo, today: dt.date) -> pl.DataFrame:
    """Daily mean of the modelled active amount, and the plan's, for the last ACTIVE_DAYS."""
    from dashboard.core.analysis import decay, plan

    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    start = end - dt.timedelta(days=ACTIVE_DAYS)
    sched = (
        plan.schedule(cfg.plan, until=today, today=today)
        if plan.has_plan(cfg.plan)
        else pl.DataFrame(schema={"date": pl.Date, "plan_g": pl.Float64})
    )
    hourly = decay.active_vs_plan(doses, sched, cfg, start, end, 60)
    day = pl.col("at").dt.convert_time_zone(str(tz)).dt.date().alias("date")
    return (
        hourly.group_by(day)
        .agg(pl.col("active_g").mean(), pl.col("plan_active_g").mean())
        .filter(pl.col("date") <= today)
        .sort("date")
    )


def _step_effects(daily: pl.DataFrame, cfg: Config) -> pl.DataFrame:
    from dashboard.core.analysis import steps

    return steps.step_effects(daily, cfg)
