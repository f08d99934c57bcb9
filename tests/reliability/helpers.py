"""Shared by the reliability tests: snapshots of every table, and files that make an import."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from dashboard.core.store.disk import Store
from dashboard.core.store.schema import TABLES

DATA_TABLES = tuple(t for t in TABLES if t != "imports")
T0 = dt.datetime(2024, 1, 1, 22, 0, tzinfo=dt.UTC)


def snapshot(home: Path) -> dict[str, pl.DataFrame]:
    """Every data table of a home (the ledger left out), each in a stable row order."""
    store = Store(home)
    out = {}
    for table in DATA_TABLES:
        frame = store.read(table)
        out[table] = frame.sort(frame.columns, nulls_last=True) if frame.height else frame
    return out


def assert_same_tables(
    before: dict[str, pl.DataFrame], after: dict[str, pl.DataFrame], what: str
) -> None:
    for table in DATA_TABLES:
        try:
            assert_frame_equal(before[table], after[table])
        except AssertionError as exc:
            raise AssertionError(f"{what}: table {table} changed: {exc}") from None


def taperdash_command() -> list[str]:
    """The installed console script, as a user runs it (falls back to `python -m dashboard`)."""
    script = Path(sys.executable).with_name("taperdash")
    if script.exists() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "dashboard"]


def sleep_fit(i: int) -> bytes:
    """A staged night from the FIT writer; night i is 2024-01-01 + i days (distinct per i)."""
    from sample_data.fitwrite import write_sleep_fit

    start = T0 + dt.timedelta(days=i)
    levels = [(0, "awake"), (10, "light"), (90, "deep"), (200, "rem"), (300, "light")]
    stages = [(start + dt.timedelta(minutes=m), lv) for m, lv in levels[: 2 + i % 4]]
    end = start + dt.timedelta(minutes=420 + i % 30)
    return write_sleep_fit(None, stages, start, end, 60, score=60 + i % 30, awakenings=i % 5)


def dose_csv(i: int, per_file: int = 3) -> bytes:
    """taperdash's own dose CSV: `per_file` doses whose notes name the file (f{i}-{j})."""
    lines = ["taken_at,grams,strain,form,potency,note"]
    for j in range(per_file):
        at = dt.datetime(2025, 6, 1, 8, tzinfo=dt.UTC) + dt.timedelta(days=i, hours=4 * j)
        lines.append(f"{at.isoformat()},{1 + j * 0.25},red,powder,1.0,f{i}-{j}")
    return ("\n".join(lines) + "\n").encode()
