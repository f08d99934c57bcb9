"""The canonical frames every importer returns.

These schemas are the single source of truth for the wearable tables; dashboard/core/store/schema.py
re-exports them next to the tables the dashboard owns (doses, check-ins, ledger), so the
dependency points one way: dashboard -> importers.

Time convention: every instant is a UTC datetime; `utc_offset_min` is the local offset
(local - UTC) at that instant, in minutes. Local dates (`night`, `date`) are computed with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

UTC = pl.Datetime("us", "UTC")

STAGES = ("awake", "light", "deep", "rem", "unknown")
SPORTS_HINT = ("running", "walking", "cycling", "swimming", "strength", "yoga", "hiking", "other")


def schema(columns: Mapping[str, Any]) -> pl.Schema:
    """A Polars schema from a dict mixing dtype classes (pl.String) and instances
    (pl.Datetime("us", "UTC")), which the type checker cannot join."""
    return pl.Schema(columns)


SLEEP_SESSIONS = schema(
    {
        "source": pl.String,  # e.g. "garmin", "oura", "fitbit", "diary"
        "source_id": pl.String,  # stable id within the source (file+start, logId, ...)
        "start": UTC,  # in bed / session start
        "end": UTC,
        "utc_offset_min": pl.Int32,
        "night": pl.Date,  # local date of (start - 12 h)
        "time_in_bed_min": pl.Float64,
        "asleep_min": pl.Float64,
        "awake_min": pl.Float64,
        "light_min": pl.Float64,  # null when the source has no stages
        "deep_min": pl.Float64,
        "rem_min": pl.Float64,
        "awakenings": pl.Int32,
        "latency_min": pl.Float64,  # time to fall asleep
        "waso_min": pl.Float64,  # wake after sleep onset
        "efficiency": pl.Float64,  # asleep / in bed, 0..1
        "score": pl.Float64,  # the vendor's own score, optional
        "is_nap": pl.Boolean,
    }
)

SLEEP_STAGES = schema(
    {
        "source": pl.String,
        "source_id": pl.String,  # the session's source_id
        "start": UTC,
        "end": UTC,
        "stage": pl.String,  # one of STAGES
    }
)

ACTIVITIES = schema(
    {
        "source": pl.String,
        "source_id": pl.String,
        "start": UTC,
        "end": UTC,
        "utc_offset_min": pl.Int32,
        "sport": pl.String,
        "duration_min": pl.Float64,
        "distance_m": pl.Float64,
        "calories": pl.Float64,
        "avg_hr": pl.Float64,
        "max_hr": pl.Float64,
    }
)

DAILY_ACTIVITY = schema(
    {
        "date": pl.Date,  # local date
        "source": pl.String,
        "steps": pl.Int64,
        "active_min": pl.Float64,
        "resting_hr": pl.Float64,
        "stress": pl.Float64,
    }
)

# A vendor's sleep score that comes in a file of its own (Fitbit's sleep_score.csv), for a
# session another file describes. Kept by the session's key, so the import can join the two
# whichever file comes first (dashboard/core/store/ingest.py copies `score` onto the session).
SLEEP_SCORES = pl.Schema(
    {
        "source": pl.String,
        "source_id": pl.String,  # the session's source_id
        "night": pl.Date,  # the night it scores (for reading the table; the join is by id)
        "score": pl.Float64,
        "deep_min": pl.Float64,
        "resting_hr": pl.Float64,
    }
)

WEARABLE_TABLES: dict[str, pl.Schema] = {
    "sleep_sessions": SLEEP_SESSIONS,
    "sleep_stages": SLEEP_STAGES,
    "activities": ACTIVITIES,
    "daily_activity": DAILY_ACTIVITY,
    "sleep_scores": SLEEP_SCORES,
}

# Rows with equal values in these columns describe the same thing: a re-import replaces them.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "sleep_sessions": ("source", "source_id"),
    "sleep_stages": ("source", "source_id"),
    "activities": ("source", "source_id"),
    "daily_activity": ("source", "date"),
    "sleep_scores": ("source", "source_id"),
}


class ImportRefused(Exception):
    """A file that cannot be imported. The message is one line naming what is wrong."""


@dataclass
class ImportResult:
    """What one file gave. `skipped` is set (with the reason) for files that hold no data we use."""

    format: str
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skipped: str | None = None

    def rows(self) -> dict[str, int]:
        return {name: frame.height for name, frame in self.tables.items() if frame.height}


def empty(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Select and cast `frame` to `schema`, adding missing columns as nulls."""
    cols = []
    for name, dtype in schema.items():
        if name in frame.columns:
            cols.append(pl.col(name).cast(dtype))
        else:
            cols.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(cols)


def local_of(utc_expr: pl.Expr, offset_min: pl.Expr) -> pl.Expr:
    """The local wall clock of a UTC instant: UTC + utc_offset_min, naive.

    The one conversion every screen and command uses: the offset stored with the row is the
    one the person was living in then (a Whoop night in New York reads 23:00, not the hour it
    was at home), so the configured zone never enters once a row has its offset.
    """
    return utc_expr.dt.replace_time_zone(None) + pl.duration(minutes=offset_min)


def local_of_py(
    utc: dt.datetime, offset_min: int | None, fallback: dt.tzinfo | None = None
) -> dt.datetime:
    """local_of for one value. A row without an offset (older stores) falls back to `fallback`,
    the configured zone, and to UTC without one."""
    if offset_min is None:
        aware = utc if utc.tzinfo is not None else utc.replace(tzinfo=dt.UTC)
        return aware.astimezone(fallback or dt.UTC).replace(tzinfo=None)
    if utc.tzinfo is not None:
        utc = utc.astimezone(dt.UTC)
    return utc.replace(tzinfo=None) + dt.timedelta(minutes=offset_min)


def end_offset(
    start_utc: dt.datetime, end_utc: dt.datetime, offset_min: int | None, home: dt.tzinfo | None
) -> int | None:
    """The offset to read a span's end in. Rows keep the offset of their start; a night at
    home that crosses a change of summer time ends in the new one (07:00, not 08:00), so when
    the start's offset is the home zone's, the home zone gives the end's. Away (a Whoop night
    in New York) the file's own offset holds for both ends."""
    if offset_min is None or home is None:
        return offset_min
    aware_start = start_utc if start_utc.tzinfo else start_utc.replace(tzinfo=dt.UTC)
    at_start = aware_start.astimezone(home).utcoffset()
    if at_start is None or int(at_start.total_seconds() // 60) != offset_min:
        return offset_min
    aware_end = end_utc if end_utc.tzinfo else end_utc.replace(tzinfo=dt.UTC)
    at_end = aware_end.astimezone(home).utcoffset()
    return offset_min if at_end is None else int(at_end.total_seconds() // 60)


def night_of(start_utc: pl.Expr, offset_min: pl.Expr) -> pl.Expr:
    """The night rule (ARCHITECTURE.md, "Data model"): the local date of (start - 12 h)."""
    return (local_of(start_utc, offset_min) - pl.duration(hours=12)).dt.date()


def night_of_py(
    start_utc: dt.datetime, offset_min: int | None, fallback: dt.tzinfo | None = None
) -> dt.date:
    return (local_of_py(start_utc, offset_min, fallback) - dt.timedelta(hours=12)).date()
