"""Polars schemas of every table: the single source of truth.

The wearable tables are defined in importers/model.py (importers must not import dashboard/)
and re-exported here beside the tables the dashboard owns.
"""

from __future__ import annotations

import polars as pl

from dashboard.core.store.vocab import FORMS, LIFESTYLE, SOWS_COLUMNS, SOWS_ITEMS
from importers.model import (
    ACTIVITIES,
    DAILY_ACTIVITY,
    SLEEP_SESSIONS,
    SLEEP_STAGES,
    STAGES,
    TABLE_KEYS,
    UTC,
    WEARABLE_TABLES,
    conform,
    empty,
    schema,
)

SCHEMA_VERSION = 1


DOSES = schema(
    {
        "id": pl.Int64,
        "taken_at": UTC,
        "utc_offset_min": pl.Int32,
        "grams": pl.Float64,
        "strain": pl.String,
        "form": pl.String,
        "potency": pl.Float64,  # leaf-gram equivalents per gram
        "note": pl.String,
        "created_at": UTC,
        "updated_at": UTC,
        "deleted": pl.Boolean,
    }
)

CHECKINS = schema(
    {
        "date": pl.Date,
        **{c: pl.Int8 for c in SOWS_COLUMNS},
        "withdrawal_score": pl.Int16,  # sum of the answered SOWS items, 0..64
        "cravings": pl.Int8,
        "mood": pl.Int8,
        "insomnia": pl.Int8,  # self-rating 0..4
        "supplements": pl.List(pl.String),
        **{c: pl.Boolean for c in LIFESTYLE},
        "triggers": pl.List(pl.String),
        "note": pl.String,
        "updated_at": UTC,
    }
)

IMPORTS = schema(
    {
        "sha256": pl.String,
        "path": pl.String,
        "format": pl.String,
        "size": pl.Int64,
        "mtime_ns": pl.Int64,
        "imported_at": UTC,
        "rows": pl.String,  # JSON object: table -> rows
        "status": pl.String,  # imported | skipped | failed
        "message": pl.String,
    }
)

REFLECTIONS = schema(
    {
        "week": pl.String,  # ISO week, "2026-W47"
        "triggers": pl.String,
        "helped": pl.String,
        "next_plan": pl.String,
        "updated_at": UTC,
    }
)

OVERRIDE_KINDS = ("times", "nap", "not_sleep")

# A hand correction of an imported night. The imported row is never edited: a re-import would
# undo the fix, and the person may want the device's version back (undone = True).
NIGHT_OVERRIDES = schema(
    {
        "id": pl.Int64,
        "source": pl.String,
        "source_id": pl.String,
        "kind": pl.String,  # one of OVERRIDE_KINDS
        "start": UTC,  # kind "times" only
        "end": UTC,
        "created_at": UTC,
        "undone": pl.Boolean,
    }
)

ISI_COLUMNS = tuple(f"i{n}" for n in range(1, 8))

# Insomnia Severity Index (Morin 1993): 7 items 0-4 about the last two weeks; one row per week.
ISI = schema(
    {
        "date": pl.Date,  # local date it was answered
        "week": pl.String,  # the review week it belongs to, "2026-W47"
        **{c: pl.Int8 for c in ISI_COLUMNS},
        "total": pl.Int16,  # 0..28
        "updated_at": UTC,
    }
)


def as_table(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """`conform`, except that a frame without columns (pl.DataFrame()) is the empty table: conform
    would select one row of null literals from it."""
    return empty(schema) if frame.width == 0 else conform(frame, schema)


TABLES: dict[str, pl.Schema] = {
    "doses": DOSES,
    "checkins": CHECKINS,
    **WEARABLE_TABLES,
    "imports": IMPORTS,
    "reflections": REFLECTIONS,
    "night_overrides": NIGHT_OVERRIDES,
    "isi": ISI,
}

__all__ = [
    "ACTIVITIES",
    "CHECKINS",
    "DAILY_ACTIVITY",
    "DOSES",
    "FORMS",
    "IMPORTS",
    "ISI",
    "ISI_COLUMNS",
    "LIFESTYLE",
    "NIGHT_OVERRIDES",
    "OVERRIDE_KINDS",
    "REFLECTIONS",
    "SCHEMA_VERSION",
    "SLEEP_SESSIONS",
    "SLEEP_STAGES",
    "SOWS_COLUMNS",
    "SOWS_ITEMS",
    "STAGES",
    "TABLES",
    "TABLE_KEYS",
    "UTC",
    "as_table",
    "conform",
    "empty",
]
