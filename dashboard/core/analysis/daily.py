"""The daily frame: one row per local day joining doses, plan, check-in, activity and the night.

Everything the analysis needs is a column of this frame (see columns.DAILY): links.py and
review.py never go back to the raw tables. Night d is the main sleep starting on the evening of
day d, so the doses, exercise and check-in of a row are linked to the night on the same row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from dashboard.core.analysis import columns as C
from dashboard.core.analysis.plan import adherence_exprs, mark_taper_steps, schedule
from dashboard.core.scalars import as_date
from dashboard.core.store.config import DIARY_SOURCE, Config, InsomniaConfig
from dashboard.core.store.schema import (
    ACTIVITIES,
    CHECKINS,
    DAILY_ACTIVITY,
    DOSES,
    SLEEP_SESSIONS,
    conform,
)

Frame = pl.DataFrame | pl.LazyFrame

LATE_DOSE_MIN = 180.0  # "a dose within 3 h before sleep"
EVENING_HOUR = 18  # workouts starting at or after 18:00 local are "late"


def _lazy(frame: Frame, schema: pl.Schema) -> pl.LazyFrame:
    # Conform first: a table read from an older store (or built in a test) may lack columns.
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    return conform(frame, schema).lazy()


def _local(ts: str, offset: str, zone: str) -> pl.Expr:
    """Local wall time from a UTC instant and its stored offset (the zone when it is missing)."""
    by_offset = pl.col(ts).dt.replace_time_zone(None) + pl.duration(minutes=pl.col(offset))
    by_zone = pl.col(ts).dt.convert_time_zone(zone).dt.replace_time_zone(None)
    return pl.when(pl.col(offset).is_not_null()).then(by_offset).otherwise(by_zone)


def _priority(sources: tuple[str, ...]) -> pl.Expr:
    """Rank of a source in config.source_priority; unknown sources after all listed ones."""
    ranks = {name: i for i, name in enumerate(sources)}
    exact = pl.col("source").replace_strict(ranks, default=None, return_dtype=pl.Int32)
    # "apple_health:Anna's Watch" ranks as "apple_health" unless listed in full
    family = (
        pl.col("source")
        .str.split(":")
        .list.first()
        .replace_strict(ranks, default=len(sources), return_dtype=pl.Int32)
    )
    return pl.coalesce(exact, family)


def local_doses(doses: Frame, config: Config) -> pl.DataFrame:
    """Live (not deleted) doses with local_at, date and leaf_g (grams x potency), by time."""
    return (
        _lazy(doses, DOSES)
        .filter(~pl.col("deleted").fill_null(False))
        .with_columns(
            _local("taken_at", "utc_offset_min", config.zone().key).alias("local_at"),
            (pl.col("grams") * pl.col("potency").fill_null(1.0)).alias("leaf_g"),
        )
        .with_columns(pl.col("local_at").dt.date().alias(C.DATE))
        .sort("taken_at")
        .collect()
    )


def _insomnia_expr(cfg: InsomniaConfig) -> pl.Expr:
    checks = [
        pl.col(C.ASLEEP_MIN) < cfg.asleep_min,
        pl.col(C.EFFICIENCY) < cfg.efficiency,
        pl.col(C.LATENCY_MIN) > cfg.latency_min,
        pl.col(C.WASO_MIN) > cfg.waso_min,
    ]
    # A missing measure cannot make a night an insomnia night, but a night with neither sleep
    # time nor efficiency says nothing at all.
    return (
        pl.when(pl.col(C.ASLEEP_MIN).is_null() & pl.col(C.EFFICIENCY).is_null())
        .then(None)
        .otherwise(pl.any_horizontal([c.fill_null(False) for c in checks]))
    )


def is_diary() -> pl.Expr:
    return pl.col("source").str.split(":").list.first() == DIARY_SOURCE


def series_kind(sleep_sessions: Frame, config: Config) -> str:
    """Which nights feed the analysis: "device" or "diary" (config.sleep_series resolved).

    "auto" picks devices as soon as the home holds one device night, and the diary only for a
    person without a tracker: a whole-history choice, so the series never switches source from
    one night to the next (diaries run 30-40 min longer than devices).
    """
    if config.sleep_series in ("device", "diary"):
        return config.sleep_series
    frame = _lazy(sleep_sessions, SLEEP_SESSIONS).filter(~pl.col("is_nap").fill_null(False))
    devices = frame.filter(~is_diary()).select(pl.len()).collect().item()
    diaries = frame.filter(is_diary()).select(pl.len()).collect().item()
    return "diary" if diaries and not devices else "device"


def nights(sleep_sessions: Frame, config: Config, *, kind: str | None = None) -> pl.DataFrame:
    """One row per night: the main (non-nap) session of the highest-priority source.

    Several non-nap sessions of one source for a night (a split night, a re-synced duplicate)
    are resolved to the longest; the other sources' sessions are kept in the store, not merged.
    Only one kind of night takes part: devices (ranked by config.source_priority) or the sleep
    diary, as `kind` or config.sleep_series says (see series_kind); never a mix of the two.
    """
    kind = kind or series_kind(sleep_sessions, config)
    wanted = is_diary() if kind == "diary" else ~is_diary()
    in_bed = pl.coalesce(
        pl.col("time_in_bed_min"),
        (pl.col("end") - pl.col("start")).dt.total_seconds() / 60.0,
    )
    night_expr = (
        _local("start", "utc_offset_min", config.zone().key) - pl.duration(hours=12)
    ).dt.date()
    return (
        _lazy(sleep_sessions, SLEEP_SESSIONS)
        .filter(~pl.col("is_nap").fill_null(False) & wanted)
        .with_columns(
            pl.coalesce(pl.col("night"), night_expr).alias(C.DATE),
            in_bed.alias(C.IN_BED_MIN),
            _priority(config.source_priority).alias("_rank"),
        )
        .sort(
            [C.DATE, "_rank", "source", C.IN_BED_MIN, "start"],
            descending=[False, False, False, True, False],
            nulls_last=True,
        )
        .group_by(C.DATE, maintain_order=True)
        .first()
        .select(
            C.DATE,
            pl.col("source").alias(C.SLEEP_SOURCE),
            pl.col("start").alias(C.SLEEP_START),
            pl.col("end").alias(C.SLEEP_END),
            # Minutes after local noon of the night's date, so 23:30 and 00:30 are an hour
            # apart rather than 23 hours (a regular bedtime is a small spread of these).
            (
                (
                    _local("start", "utc_offset_min", config.zone().key)
                    - pl.col(C.DATE).cast(pl.Datetime("us"))
                ).dt.total_seconds()
                / 60.0
                - 720.0
            ).alias(C.BEDTIME_MIN),
            pl.col("asleep_min").alias(C.ASLEEP_MIN),
            C.IN_BED_MIN,
            pl.coalesce(
                pl.col("efficiency"),
                pl.when(pl.col(C.IN_BED_MIN) > 0).then(pl.col("asleep_min") / pl.col(C.IN_BED_MIN)),
            ).alias(C.EFFICIENCY),
            pl.col("latency_min").alias(C.LATENCY_MIN),
            pl.col("awakenings").alias(C.AWAKENINGS),
            pl.col("waso_min").alias(C.WASO_MIN),
            pl.col("light_min").alias(C.LIGHT_MIN),
            pl.col("deep_min").alias(C.DEEP_MIN),
            pl.col("rem_min").alias(C.REM_MIN),
            pl.col("score").alias(C.SLEEP_SCORE),
        )
        .with_columns(_insomnia_expr(config.insomnia).alias(C.INSOMNIA_NIGHT))
        .collect()
    )


def _dose_days(live: pl.DataFrame) -> pl.LazyFrame:
    return (
        live.lazy()
        .group_by(C.DATE)
        .agg(
            pl.col("leaf_g").sum().alias(C.DOSE_G),
            pl.len().cast(pl.Int32).alias(C.DOSES_N),
            pl.col("leaf_g").max().alias(C.MAX_SINGLE_G),
            pl.col("local_at").min().alias(C.FIRST_DOSE_AT),
            pl.col("local_at").max().alias(C.LAST_DOSE_AT),
            pl.col("strain").drop_nulls().unique().sort().alias(C.STRAINS),
        )
        .with_columns(
            pl.when(pl.col(C.DOSES_N) > 1)
            .then(
                (pl.col(C.LAST_DOSE_AT) - pl.col(C.FIRST_DOSE_AT)).dt.total_seconds()
                / 60.0
                / (pl.col(C.DOSES_N) - 1)
            )
            .alias(C.MEAN_INTERVAL_MIN)
        )
    )


def _checkin_days(checkins: Frame) -> pl.LazyFrame:
    tidy = pl.element().str.strip_chars().str.to_lowercase()
    return (
        _lazy(checkins, CHECKINS)
        .sort("updated_at", nulls_last=False)
        .unique(subset="date", keep="last")
        .select(
            pl.col("date").alias(C.DATE),
            pl.lit(True).alias(C.CHECKED_IN),
            C.WITHDRAWAL,
            C.CRAVINGS,
            C.MOOD,
            pl.col("insomnia").alias(C.INSOMNIA_RATING),
            # "Magnesium " and "magnesium" are one supplement to the links.
            pl.col("supplements")
            .list.eval(tidy.filter(tidy != ""))
            .list.unique()
            .list.sort()
            .alias(C.SUPPLEMENTS),
            C.EXERCISE,
            C.MINDFULNESS,
            C.SUPPORT,
            C.TRIGGERS,
        )
    )


def _activity_days(activities: Frame, daily_activity: Frame, config: Config) -> pl.LazyFrame:
    zone = config.zone().key
    rank = _priority(config.source_priority)
    # One run recorded by a watch and again by a phone app must not count twice: each day takes
    # the workouts of its highest-priority source.
    workouts = (
        _lazy(activities, ACTIVITIES)
        .with_columns(_local("start", "utc_offset_min", zone).alias("_local"), rank.alias("_rank"))
        .with_columns(
            pl.col("_local").dt.date().alias(C.DATE),
            pl.coalesce(
                pl.col("duration_min"),
                (pl.col("end") - pl.col("start")).dt.total_seconds() / 60.0,
            ).alias("_min"),
        )
        .filter(pl.col("_rank") == pl.col("_rank").min().over(C.DATE))
        .group_by(C.DATE)
        .agg(
            pl.col("_min").sum().alias(C.WORKOUT_MIN),
            pl.len().cast(pl.Int32).alias(C.WORKOUTS_N),
            pl.col("_min")
            .filter(pl.col("_local").dt.hour() < EVENING_HOUR)
            .sum()
            .alias(C.WORKOUT_EARLY_MIN),
            pl.col("_min")
            .filter(pl.col("_local").dt.hour() >= EVENING_HOUR)
            .sum()
            .alias(C.WORKOUT_LATE_MIN),
        )
    )
    steps = (
        _lazy(daily_activity, DAILY_ACTIVITY)
        .with_columns(rank.alias("_rank"))
        .sort([C.DATE, "_rank", "source"])
        .group_by(C.DATE, maintain_order=True)
        .first()
        .select(C.DATE, C.STEPS, C.ACTIVE_MIN, C.RESTING_HR)
    )
    return steps.join(workouts, on=C.DATE, how="full", coalesce=True)


def _late_doses(night_rows: pl.DataFrame, live: pl.DataFrame) -> pl.DataFrame:
    """Minutes from the last dose to the night's sleep start (within a day), per night."""
    starts = night_rows.select(C.DATE, C.SLEEP_START).drop_nulls().sort(C.SLEEP_START)
    if starts.is_empty() or live.is_empty():
        return pl.DataFrame(schema={C.DATE: pl.Date, C.LAST_DOSE_BEFORE_SLEEP_MIN: pl.Float64})
    taken = live.select(pl.col("taken_at").alias("_taken")).sort("_taken")
    return starts.join_asof(
        taken,
        left_on=C.SLEEP_START,
        right_on="_taken",
        strategy="backward",
        tolerance=dt.timedelta(days=1),
    ).select(
        C.DATE,
        ((pl.col(C.SLEEP_START) - pl.col("_taken")).dt.total_seconds() / 60.0).alias(
            C.LAST_DOSE_BEFORE_SLEEP_MIN
        ),
    )


def _workout_coverage(
    activities: Frame, config: Config, within: Callable[[dt.date | None, dt.date | None], pl.Expr]
) -> pl.Expr:
    """True on days some workout source covered: from its first to its last workout, per
    source. A day outside every span has unknown exercise, not none: years of sleep from a
    ring with no workout source imported must not count as years without exercise (and a
    step counter's days say nothing about workouts)."""
    spans = (
        _lazy(activities, ACTIVITIES)
        .with_columns(_local("start", "utc_offset_min", config.zone().key).dt.date().alias("_d"))
        .group_by("source")
        .agg(pl.col("_d").min().alias("lo"), pl.col("_d").max().alias("hi"))
        .collect()
    )
    if spans.is_empty():
        return pl.lit(False)
    return pl.any_horizontal([within(lo, hi) for lo, hi in spans.select("lo", "hi").iter_rows()])


def _dates(frame: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    return frame.lazy().select(C.DATE)


def daily_frame(
    doses: Frame,
    checkins: Frame,
    sleep_sessions: Frame,
    activities: Frame,
    daily_activity: Frame,
    config: Config,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pl.DataFrame:
    """The daily frame (columns.DAILY), one row per local day from the first data to `end`.

    Pass `end=today` so the plan and the 0 g days after the last logged dose reach today.
    dose_g is 0 (not null) on days between the first logged dose and the end with no dose: a
    dose log is taken to be complete once started. Workout minutes are 0 on days inside the
    span some workout source covered (per source, first to last workout), null outside it.
    """
    live = local_doses(doses, config)
    night_rows = nights(sleep_sessions, config)
    dose_days = _dose_days(live)
    checkin_days = _checkin_days(checkins)
    activity_days = _activity_days(activities, daily_activity, config)

    bounds = (
        pl.concat(
            [
                _dates(dose_days),
                _dates(checkin_days),
                _dates(night_rows),
                _dates(activity_days),
            ]
        )
        .select(pl.col(C.DATE).min().alias("lo"), pl.col(C.DATE).max().alias("hi"))
        .collect()
    )
    lo, hi = bounds["lo"][0], bounds["hi"][0]
    if start is not None:
        lo = start
    if end is not None:
        hi = end
    if lo is None or hi is None or lo > hi:
        return pl.DataFrame(schema=C.DAILY)

    spine = pl.LazyFrame({C.DATE: pl.date_range(lo, hi, "1d", eager=True)})
    sched = schedule(config.plan, until=hi, today=end or hi).lazy()
    first_dose = as_date(live[C.DATE].min()) if not live.is_empty() else None

    def within(first: dt.date | None, last: dt.date | None) -> pl.Expr:
        if first is None or last is None:
            return pl.lit(False)
        return pl.col(C.DATE).is_between(first, last)

    covered = _workout_coverage(activities, config, within)

    frame = (
        spine.join(dose_days, on=C.DATE, how="left")
        .join(sched.drop("plan_step"), on=C.DATE, how="left")
        .join(checkin_days, on=C.DATE, how="left")
        .join(activity_days, on=C.DATE, how="left")
        .join(night_rows.lazy(), on=C.DATE, how="left")
        .join(_late_doses(night_rows, live).lazy(), on=C.DATE, how="left")
        .with_columns(
            pl.when(within(first_dose, hi)).then(pl.col(c).fill_null(0)).otherwise(pl.col(c))
            for c in (C.DOSE_G, C.DOSES_N)
        )
        .with_columns(
            pl.when(within(first_dose, hi))
            .then(pl.col(C.STRAINS).fill_null(pl.lit([], dtype=pl.List(pl.String))))
            .otherwise(pl.col(C.STRAINS)),
            *(
                pl.when(covered).then(pl.col(c).fill_null(0)).otherwise(pl.col(c))
                for c in (C.WORKOUT_MIN, C.WORKOUTS_N, C.WORKOUT_EARLY_MIN, C.WORKOUT_LATE_MIN)
            ),
            pl.col(C.CHECKED_IN).fill_null(False),
            # A night inside the dose log with no dose in the day before it had no late dose.
            pl.when(pl.col(C.SLEEP_START).is_not_null() & within(first_dose, hi))
            .then((pl.col(C.LAST_DOSE_BEFORE_SLEEP_MIN) <= LATE_DOSE_MIN).fill_null(False))
            .alias(C.LATE_DOSE),
            *adherence_exprs(config.plan.step_g),
        )
        .sort(C.DATE)
        .collect()
    )
    frame = mark_taper_steps(frame, config.plan)
    return conform(frame, C.DAILY)
