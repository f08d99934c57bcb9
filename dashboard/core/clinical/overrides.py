"""Hand corrections of nights: new times, "that was a nap", "that was not sleep".

A correction is a row of the night_overrides table on top of the imported session, which is
never edited: a re-import of the same export would silently undo an edit, and the person can
always get the device's own version back by undoing the correction (undone = True; the row is
kept, so what was changed when stays visible). `apply_overrides` is the one place the
corrections take effect; the bundle and the CLI pass the sessions through it before daily.py.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.core.clock import SKEW
from dashboard.core.errors import UserError
from dashboard.core.store.disk import Store
from dashboard.core.store.schema import (
    NIGHT_OVERRIDES,
    OVERRIDE_KINDS,
    SLEEP_SESSIONS,
    as_table,
    conform,
)
from importers.model import night_of

MAX_NIGHT_MIN = 20 * 60.0
KEY = ["source", "source_id"]


class InvalidOverride(UserError):
    pass


def resolve_ref(sleep_sessions: pl.DataFrame, ref: str) -> tuple[str, str]:
    """`SOURCE:ID` -> (source, source_id) of a stored session.

    Sources may hold a colon themselves ("apple_health:Anna's Watch"), so every split is tried
    against the table and exactly one must name a session.
    """
    keys = set(as_table(sleep_sessions, SLEEP_SESSIONS).select(KEY).iter_rows())
    hits = []
    for i, ch in enumerate(ref):
        if ch == ":" and (ref[:i], ref[i + 1 :]) in keys:
            hits.append((ref[:i], ref[i + 1 :]))
    if not hits:
        raise InvalidOverride(
            f"no night {ref!r}: give SOURCE:ID as `taperdash night --list` shows it"
        )
    if len(hits) > 1:
        raise InvalidOverride(f"{ref!r} names {len(hits)} nights; cannot tell which")
    return hits[0]


def add_override(
    overrides: pl.DataFrame,
    source: str,
    source_id: str,
    kind: str,
    now: dt.datetime,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> tuple[pl.DataFrame, int]:
    """The overrides table with one correction added, and its id. Times are aware instants."""
    if kind not in OVERRIDE_KINDS:
        raise InvalidOverride(f"kind must be one of {', '.join(OVERRIDE_KINDS)}, got {kind!r}")
    if kind == "times":
        if start is None or end is None:
            raise InvalidOverride("a time correction needs both --start and --end")
        minutes = (end - start).total_seconds() / 60.0
        if minutes <= 0:
            raise InvalidOverride("the corrected night must end after it starts")
        if minutes > MAX_NIGHT_MIN:
            raise InvalidOverride(
                f"{minutes / 60:.1f} h is too long for one night; check the dates"
            )
        if end > now + SKEW:
            raise InvalidOverride(f"the end {end.isoformat(timespec='minutes')} is in the future")
    elif start is not None or end is not None:
        raise InvalidOverride(f"a {kind} correction takes no times")
    table = as_table(overrides, NIGHT_OVERRIDES)
    id_ = int(table["id"].max() or 0) + 1 if table.height else 1  # type: ignore[arg-type]
    row = pl.DataFrame(
        [
            {
                "id": id_,
                "source": source,
                "source_id": source_id,
                "kind": kind,
                "start": None if start is None else start.astimezone(dt.UTC),
                "end": None if end is None else end.astimezone(dt.UTC),
                "created_at": now.astimezone(dt.UTC),
                "undone": False,
            }
        ],
        schema=NIGHT_OVERRIDES,
    )
    return pl.concat([table, row]), id_


def undo_override(overrides: pl.DataFrame, id_: int) -> pl.DataFrame:
    table = as_table(overrides, NIGHT_OVERRIDES)
    match = table.filter(pl.col("id") == id_)
    if match.is_empty():
        raise InvalidOverride(f"no correction with id {id_}")
    if match["undone"].fill_null(False).any():
        raise InvalidOverride(f"correction {id_} is already undone")
    return table.with_columns(
        pl.when(pl.col("id") == id_).then(True).otherwise(pl.col("undone")).alias("undone")
    )


def active(overrides: pl.DataFrame) -> pl.DataFrame:
    return as_table(overrides, NIGHT_OVERRIDES).filter(~pl.col("undone").fill_null(False))


def apply_overrides(sleep_sessions: pl.DataFrame, overrides: pl.DataFrame) -> pl.DataFrame:
    """The sessions as corrected by the overrides that are not undone.

    not_sleep drops the session; nap marks it a nap (so it is no night); times moves its start
    and end (the latest such correction wins) and recomputes time in bed, the night and the
    efficiency. The device's asleep minutes are kept unless the new window is shorter: a
    shorter window caps them, since no one sleeps longer than they were in bed.
    """
    sessions = as_table(sleep_sessions, SLEEP_SESSIONS)
    live = active(overrides)
    if live.is_empty() or sessions.is_empty():
        return sessions
    dropped = live.filter(pl.col("kind") == "not_sleep").select(KEY).unique()
    naps = (
        live.filter(pl.col("kind") == "nap")
        .select(KEY)
        .unique()
        .with_columns(pl.lit(True).alias("_nap"))
    )
    times = (
        live.filter(pl.col("kind") == "times")
        .sort(["created_at", "id"])
        .group_by(KEY, maintain_order=True)
        .last()
        .select(*KEY, pl.col("start").alias("_start"), pl.col("end").alias("_end"))
    )
    in_bed = (pl.col("end") - pl.col("start")).dt.total_seconds() / 60.0
    moved = pl.col("_start").is_not_null()
    out = (
        sessions.join(dropped, on=KEY, how="anti")
        .join(naps, on=KEY, how="left")
        .join(times, on=KEY, how="left")
        .with_columns(
            pl.when(moved).then(pl.col("_start")).otherwise(pl.col("start")).alias("start"),
            pl.when(moved).then(pl.col("_end")).otherwise(pl.col("end")).alias("end"),
            pl.when(pl.col("_nap")).then(True).otherwise(pl.col("is_nap")).alias("is_nap"),
        )
        .with_columns(
            pl.when(moved)
            .then(in_bed)
            .otherwise(pl.col("time_in_bed_min"))
            .alias("time_in_bed_min"),
            pl.when(moved)
            .then(night_of(pl.col("start"), pl.col("utc_offset_min").fill_null(0)))
            .otherwise(pl.col("night"))
            .alias("night"),
        )
        .with_columns(
            pl.when(moved)
            .then(pl.min_horizontal(pl.col("asleep_min"), pl.col("time_in_bed_min")))
            .otherwise(pl.col("asleep_min"))
            .alias("asleep_min")
        )
        .with_columns(
            pl.when(moved & pl.col("asleep_min").is_not_null())
            .then(pl.col("time_in_bed_min") - pl.col("asleep_min"))
            .otherwise(pl.col("awake_min"))
            .alias("awake_min"),
            pl.when(moved & (pl.col("time_in_bed_min") > 0))
            .then(pl.col("asleep_min") / pl.col("time_in_bed_min"))
            .otherwise(pl.col("efficiency"))
            .alias("efficiency"),
        )
    )
    return conform(out, SLEEP_SESSIONS)


# -- the store edge ---------------------------------------------------------------------------


def fix_night(
    store: Store,
    ref: str,
    kind: str,
    now: dt.datetime,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> tuple[int, str, str]:
    """Records a correction of the session `ref` (SOURCE:ID); returns (id, source, source_id)."""
    with store.transaction() as tx:
        source, source_id = resolve_ref(tx.read("sleep_sessions"), ref)
        table, id_ = add_override(
            tx.read("night_overrides"), source, source_id, kind, now, start=start, end=end
        )
        tx.put("night_overrides", table)
    return id_, source, source_id


def undo(store: Store, id_: int) -> dict[str, object]:
    """Marks correction `id_` undone (the row stays); returns the row as it was."""
    with store.transaction() as tx:
        table = tx.read("night_overrides")
        new = undo_override(table, id_)
        tx.put("night_overrides", new)
    return table.filter(pl.col("id") == id_).row(0, named=True)
