"""Android Health Connect export (format `health-connect`, source `health_connect:<package>`).

Layout (FORMATS.md, from AOSP packages/modules/HealthFitness): Health Connect's scheduled export
writes `Health Connect.zip` with one member, `health_connect_export.db`, a copy of the phone's
`healthconnect.db`. Read here:
- `sleep_session_record_table` + `sleep_stages_table` (parent_key -> session row_id; stage_type
  0 unknown, 1 awake, 2 sleeping, 3 out of bed, 4 light, 5 deep, 6 REM, 7 awake in bed; 1, 3
  and 7 are not sleep) -> sleep_sessions, sleep_stages;
- `steps_record_table.count`, summed per local day of each record's start -> daily_activity;
- `exercise_session_record_table.exercise_type` (the platform's ExerciseSessionType codes, not
  the Jetpack SDK's) -> activities.
Times are epoch milliseconds with the zone offset of each end in seconds; a record without an
offset falls back to the configured zone. Columns are selected by name (older databases got
some by ALTER TABLE).

Every record names the app that wrote it (`app_info_id` -> `application_info_table`), and each
app is its own source: a night Samsung Health and Oura both wrote is kept twice, once per
source, and the daily frame ranks the two by source_priority (`health_connect` as a family, or
`health_connect:<package>` listed in full) instead of adding them up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Any

from importers.databases import sqlite
from importers.databases.nights import Span, session_row, stage_rows
from importers.model import ImportRefused, ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

NAME = "health-connect"
SOURCE = "health_connect"
DB_NAME = "health_connect_export.db"

SESSIONS = "sleep_session_record_table"
STAGES = "sleep_stages_table"
STEPS = "steps_record_table"
EXERCISE = "exercise_session_record_table"
APPS = "application_info_table"
RECORD_TABLES = (SESSIONS, STEPS, EXERCISE)
# what every interval record needs; the rest is optional
INTERVAL_COLUMNS = ("start_time", "end_time", "app_info_id")

STAGE_KIND = {
    0: "unknown",
    1: "awake",
    2: "asleep",
    3: "out",
    4: "light",
    5: "deep",
    6: "rem",
    7: "awake",
}

# android.health.connect.datatypes.ExerciseSessionType (the platform's codes)
EXERCISE_SPORT = {
    4: "cycling",
    5: "cycling",
    21: "hiking",
    27: "strength",
    33: "running",
    34: "running",
    45: "strength",
    48: "swimming",
    49: "swimming",
    53: "walking",
    55: "strength",
    57: "yoga",
}

MAX_STEPS_PER_RECORD = 1_000_000  # a larger count is a corrupt value, not a walk


def sniff(name: str, head: bytes) -> bool:
    if not sqlite.is_sqlite(head):
        return False
    base = PurePosixPath(name.replace("\\", "/")).name.lower().replace(" ", "_")
    # the schema may sit beyond the first pages, so the name is the surer sign
    return base.startswith("health_connect") or b"sleep_session_record_table" in head


def _instant(ms: Any, offset_s: Any, tz: dt.tzinfo, what: str) -> tuple[dt.datetime, int]:
    if not isinstance(ms, int):
        raise c.RowError(f"{what} is not a time ({c.clip(ms)})")
    at = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
    if isinstance(offset_s, int) and abs(offset_s) <= 18 * 3600:
        return at, offset_s // 60
    off = at.astimezone(tz).utcoffset() or dt.timedelta(0)
    return at, int(off.total_seconds() // 60)


def _source_id(uuid: Any, row_id: Any) -> str:
    # the uuid is what Health Connect keeps across devices and exports; row_id only in one db
    if isinstance(uuid, bytes) and uuid:
        return uuid.hex()
    if isinstance(uuid, str) and uuid:
        return uuid
    return f"row-{row_id}"


class _Reader:
    def __init__(self, db: sqlite.Database, ctx: ReadContext) -> None:
        self.db = db
        self.ctx = ctx
        self.col = c.Collector(ctx, unit="record")
        self.apps = self._apps()

    def _apps(self) -> dict[int, str]:
        if not self.db.has(APPS):
            return {}
        k_id = self.db.pick(APPS, "row_id")
        k_pkg = self.db.pick(APPS, "package_name")
        if k_id is None or k_pkg is None:
            return {}
        return {
            row_id: str(pkg)
            for row_id, pkg in self.db.select(APPS, [k_id, k_pkg])
            if isinstance(row_id, int) and pkg
        }

    def source(self, app_id: Any) -> str:
        pkg = self.apps.get(app_id) if isinstance(app_id, int) else None
        return f"{SOURCE}:{pkg}" if pkg else SOURCE

    def interval(self, table: str, *extra: str) -> list[tuple[Any, ...]]:
        self.db.require(table, *INTERVAL_COLUMNS)
        cols = [
            self.db.pick(table, "row_id"),
            self.db.pick(table, "uuid"),
            self.db.pick(table, "start_time"),
            self.db.pick(table, "end_time"),
            self.db.pick(table, "start_zone_offset"),
            self.db.pick(table, "end_zone_offset"),
            self.db.pick(table, "app_info_id"),
            *(self.db.pick(table, e) for e in extra),
        ]
        return list(self.db.select(table, cols, order="start_time"))

    def sleep(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        stages: dict[Any, list[tuple[Any, Any, Any]]] = defaultdict(list)
        if self.db.has(STAGES):
            self.db.require(
                STAGES, "parent_key", "stage_start_time", "stage_end_time", "stage_type"
            )
            for parent, s, e, kind in self.db.select(
                STAGES,
                ["PARENT_KEY", "STAGE_START_TIME", "STAGE_END_TIME", "STAGE_TYPE"],
                order="stage_start_time",
            ):
                stages[parent].append((s, e, kind))
        stage_out: list[dict[str, Any]] = []

        def one(row: tuple[Any, ...]) -> dict[str, Any]:
            row_id, uuid, s_ms, e_ms, s_off, e_off, app = row
            start, offset = _instant(s_ms, s_off, self.ctx.tz, "start_time")
            end, _ = _instant(e_ms, e_off, self.ctx.tz, "end_time")
            spans = []
            for ss, se, kind in stages.get(row_id, []):
                if not isinstance(ss, int) or not isinstance(se, int) or se <= ss:
                    raise c.RowError(f"sleep stage with bad times ({c.clip(ss)}, {c.clip(se)})")
                # apps write stages a second past their session now and then: clip, so the
                # stages never add up to more than the session
                s_at = max(dt.datetime.fromtimestamp(ss / 1000, dt.UTC), start)
                e_at = min(dt.datetime.fromtimestamp(se / 1000, dt.UTC), end)
                if e_at > s_at:
                    kind_name = STAGE_KIND.get(kind, "unknown") if isinstance(kind, int) else None
                    spans.append(Span(s_at, e_at, kind_name or "unknown"))
            source, sid = self.source(app), _source_id(uuid, row_id)
            out = session_row(source, sid, start, end, offset, spans)
            stage_out.extend(stage_rows(source, sid, spans))
            return out

        sessions = self.col.each(
            ((f"{SESSIONS} row {r[0]}", r) for r in self.interval(SESSIONS)), one
        )
        return sessions, stage_out

    def steps(self) -> list[dict[str, Any]]:
        self.db.require(STEPS, *INTERVAL_COLUMNS, "count")
        totals: dict[tuple[str, dt.date], int] = defaultdict(int)

        def one(row: tuple[Any, ...]) -> None:
            _, _, s_ms, _, s_off, _, app, count = row
            start, offset = _instant(s_ms, s_off, self.ctx.tz, "start_time")
            if not isinstance(count, int) or not 0 <= count <= MAX_STEPS_PER_RECORD:
                raise c.RowError(f"step count {c.clip(count)} is out of range")
            day = (start.replace(tzinfo=None) + dt.timedelta(minutes=offset)).date()
            totals[(self.source(app), day)] += count

        self.col.each(((f"{STEPS} row {r[0]}", r) for r in self.interval(STEPS, "count")), one)
        return [c.day(src, day, steps=n) for (src, day), n in sorted(totals.items())]

    def exercise(self) -> list[dict[str, Any]]:
        self.db.require(EXERCISE, *INTERVAL_COLUMNS, "exercise_type")

        def one(row: tuple[Any, ...]) -> dict[str, Any]:
            row_id, uuid, s_ms, e_ms, s_off, _, app, kind, title = row
            start, offset = _instant(s_ms, s_off, self.ctx.tz, "start_time")
            end, _ = _instant(e_ms, None, self.ctx.tz, "end_time")
            sport = EXERCISE_SPORT.get(kind) if isinstance(kind, int) else None
            if sport is None:
                # the model keeps a few sports; the rest (badminton, golf ...) are "other"
                sport = c.sport_of(str(title) if title else None)
            return c.activity(self.source(app), _source_id(uuid, row_id), start, end, offset, sport)

        rows = self.interval(EXERCISE, "exercise_type", "title")
        return self.col.each(((f"{EXERCISE} row {r[0]}", r) for r in rows), one)


def read_db(db: sqlite.Database, ctx: ReadContext) -> ImportResult:
    present = [t for t in RECORD_TABLES if db.has(t)]
    if not present:
        raise ImportRefused(
            "not a Health Connect export: no sleep_session_record_table, steps_record_table or "
            f"exercise_session_record_table (user_version {db.user_version})"
        )
    reader = _Reader(db, ctx)
    sessions, stages = reader.sleep() if db.has(SESSIONS) else ([], [])
    days = reader.steps() if db.has(STEPS) else []
    acts = reader.exercise() if db.has(EXERCISE) else []
    warnings = list(reader.col.warnings)
    missing = [t for t in RECORD_TABLES if t not in present]
    if missing:
        warnings.append("no " + ", ".join(missing) + " in this database")
    return c.result(NAME, warnings, sessions=sessions, stages=stages, activities=acts, daily=days)


read, read_stream = sqlite.readers(read_db)


FORMAT = register(
    Format(
        NAME,
        "Android Health Connect export (Health Connect.zip / health_connect_export.db)",
        sniff,
        read,
        read_stream,
    )
)
