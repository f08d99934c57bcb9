"""What each Gadgetbridge device family stores, read into taperdash's frames (facts from
FORMATS.md, Gadgetbridge schema 92). Sessions from per-minute samples are built as
gadgetbridge_sessions.py describes; families with their own session records (Xiaomi, Garmin,
Pebble) keep those bounds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from importers.databases import sqlite
from importers.databases.gadgetbridge_sessions import (
    change_points,
    merged,
    runs_to_spans,
    utc_ms,
    utc_s,
)
from importers.databases.nights import Span, offset_at, session_row, stage_rows
from importers.registry import ReadContext
from importers.vendors import _csv as c

SOURCE = "gadgetbridge"

HUAMI = "MI_BAND_ACTIVITY_SAMPLE"
ZEPP = "HUAMI_EXTENDED_ACTIVITY_SAMPLE"
XIAOMI_TIME = "XIAOMI_SLEEP_TIME_SAMPLE"
XIAOMI_STAGE = "XIAOMI_SLEEP_STAGE_SAMPLE"
XIAOMI_ACTIVITY = "XIAOMI_ACTIVITY_SAMPLE"
GARMIN_ACTIVITY = "GARMIN_ACTIVITY_SAMPLE"
GARMIN_STAGE = "GARMIN_SLEEP_STAGE_SAMPLE"
GARMIN_EVENT = "GARMIN_EVENT_SAMPLE"
PEBBLE_OVERLAY = "PEBBLE_HEALTH_ACTIVITY_OVERLAY"
PEBBLE_ACTIVITY = "PEBBLE_HEALTH_ACTIVITY_SAMPLE"
SUMMARY = "BASE_ACTIVITY_SUMMARY"
DEVICE = "DEVICE"

KNOWN_TABLES = (
    HUAMI,
    ZEPP,
    XIAOMI_TIME,
    XIAOMI_STAGE,
    XIAOMI_ACTIVITY,
    GARMIN_ACTIVITY,
    GARMIN_STAGE,
    GARMIN_EVENT,
    PEBBLE_OVERLAY,
    PEBBLE_ACTIVITY,
    SUMMARY,
)
# Tables whose STEPS are the steps of that sample (summed per day); Garmin's are running totals.
PER_SAMPLE_STEPS = (HUAMI, ZEPP, XIAOMI_ACTIVITY, PEBBLE_ACTIVITY)
MAX_STEPS_PER_SAMPLE = 100_000  # more in one sample is a corrupt value

# Huami RAW_KIND & 0xF (MiBand2SampleProvider): 0 and 10 carry the previous kind.
HUAMI_KIND = {9: "light", 11: "deep"}
HUAMI_CARRY = (0, 10)
ZEPP_SLEEP = 120
# Xiaomi stage change points; Garmin stages (the timestamp ends the stage)
XIAOMI_STAGE_KIND = {2: "deep", 3: "light", 4: "rem", 5: "awake"}
GARMIN_STAGE_KIND = {1: "awake", 2: "light", 3: "deep", 4: "rem"}
GARMIN_SLEEP_EVENT = 74
# Pebble overlays: 1 sleep, 2 deep sleep, 3 nap, 4 deep nap
PEBBLE_SLEEP, PEBBLE_DEEP, PEBBLE_NAP, PEBBLE_DEEP_NAP = 1, 2, 3, 4

# ActivityKind codes of BASE_ACTIVITY_SUMMARY (bit flags in Gadgetbridge's ActivityKind)
ACTIVITY_KIND = {
    16: "running",
    32: "walking",
    64: "swimming",
    128: "cycling",
    256: "running",  # treadmill
    1024: "swimming",  # open water
    2048: "cycling",  # indoor cycling
}


class Families:
    def __init__(self, db: sqlite.Database, ctx: ReadContext) -> None:
        self.db = db
        self.ctx = ctx
        self.col = c.Collector(ctx, unit="sample")
        self.devices = self._devices()
        self.sessions: list[dict[str, Any]] = []
        self.stages: list[dict[str, Any]] = []

    # ---------------------------------------------------------------- devices and helpers

    def _devices(self) -> dict[int, str]:
        """Device names for the sources. NAME (the model, e.g. "Amazfit Bip") and not the
        user's ALIAS, which can change and would split one device's history in two; two devices
        of one model are told apart by the end of their IDENTIFIER (the MAC address)."""
        if not self.db.has(DEVICE):
            return {}
        k_id = self.db.pick(DEVICE, "_ID")
        k_name = self.db.pick(DEVICE, "NAME")
        k_ident = self.db.pick(DEVICE, "IDENTIFIER")
        if k_id is None or k_name is None:
            return {}
        rows = [
            (dev_id, str(name).replace(":", " ").strip(), str(ident or dev_id))
            for dev_id, name, ident in self.db.select(DEVICE, [k_id, k_name, k_ident])
            if isinstance(dev_id, int) and name and str(name).strip()
        ]
        seen: dict[str, int] = defaultdict(int)
        for _, name, _ in rows:
            seen[name] += 1
        return {
            dev_id: name if seen[name] == 1 else f"{name} {ident.replace(':', '')[-4:]}"
            for dev_id, name, ident in rows
        }

    def source(self, device_id: Any) -> str:
        name = self.devices.get(device_id) if isinstance(device_id, int) else None
        return f"{SOURCE}:{name}" if name else SOURCE

    def _offset(self, at: dt.datetime) -> int:
        return offset_at(at, self.ctx.tz)

    def _by_device(
        self, table: str, columns: list[str | None], order: str = "TIMESTAMP"
    ) -> dict[Any, list[tuple[Any, ...]]]:
        k_dev = self.db.pick(table, "DEVICE_ID")
        out: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
        for row in self.db.select(table, [k_dev, *columns], order=order):
            out[row[0]].append(row[1:])
        return out

    def _add_session(
        self,
        device: Any,
        spans: list[Span],
        start: dt.datetime,
        end: dt.datetime,
        *,
        rem: bool = True,
        is_nap: bool | None = None,
    ) -> None:
        source = self.source(device)
        sid = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        offset = self._offset(start)

        def one(_: None) -> dict[str, Any]:
            row = session_row(source, sid, start, end, offset, spans, rem_measured=rem)
            if is_nap is not None:
                row["is_nap"] = is_nap
            return row

        rows = self.col.each([(f"session {sid}", None)], one)
        if rows:
            self.sessions.extend(rows)
            self.stages.extend(stage_rows(source, sid, spans))

    # ---------------------------------------------------------------- sleep

    def sleep(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        if self.db.has(HUAMI):
            self._samples(HUAMI, self._huami_kinds, rem=False)  # Huami raw kinds have no REM
        if self.db.has(ZEPP):
            self._samples(ZEPP, self._zepp_kinds, rem=True)
        if self.db.has(XIAOMI_TIME):
            self._xiaomi()
        if self.db.has(GARMIN_EVENT):
            self._garmin()
        if self.db.has(PEBBLE_OVERLAY):
            self._pebble()
        return self.sessions, self.stages

    def _huami_kinds(self, table: str) -> Iterator[tuple[Any, Iterable[tuple[int, str | None]]]]:
        self.db.require(table, "TIMESTAMP", "DEVICE_ID", "RAW_KIND")
        for device, rows in self._by_device(table, ["TIMESTAMP", "RAW_KIND"]).items():

            def kinds(rows: list[tuple[Any, ...]] = rows) -> Iterator[tuple[int, str | None]]:
                last: str | None = None
                for ts, raw in rows:
                    if not isinstance(ts, int) or not isinstance(raw, int):
                        continue
                    k = raw & 0xF
                    if k not in HUAMI_CARRY:
                        last = HUAMI_KIND.get(k)
                    yield ts, last

            yield device, kinds()

    def _zepp_kinds(self, table: str) -> Iterator[tuple[Any, Iterable[tuple[int, str | None]]]]:
        self.db.require(table, "TIMESTAMP", "DEVICE_ID", "RAW_KIND")
        cols = [
            "TIMESTAMP",
            "RAW_KIND",
            self.db.pick(table, "DEEP_SLEEP"),
            self.db.pick(table, "REM_SLEEP"),
        ]
        for device, rows in self._by_device(table, cols).items():

            def kinds(rows: list[tuple[Any, ...]] = rows) -> Iterator[tuple[int, str | None]]:
                for ts, raw, deep, rem in rows:
                    if not isinstance(ts, int):
                        continue
                    if raw != ZEPP_SLEEP:
                        yield ts, None
                    elif isinstance(rem, int) and rem & 127 > 55:
                        yield ts, "rem"
                    elif isinstance(deep, int) and deep & 127 > 42:
                        yield ts, "deep"
                    else:
                        yield ts, "light"

            yield device, kinds()

    def _samples(self, table: str, kinds_of: Any, *, rem: bool) -> None:
        for device, kinds in kinds_of(table):
            for spans in runs_to_spans(list(kinds)):
                self._add_session(device, spans, spans[0].start, spans[-1].end, rem=rem)

    def _xiaomi(self) -> None:
        self.db.require(XIAOMI_TIME, "TIMESTAMP", "DEVICE_ID", "WAKEUP_TIME")
        points: dict[Any, list[tuple[dt.datetime, str]]] = defaultdict(list)
        if self.db.has(XIAOMI_STAGE):
            self.db.require(XIAOMI_STAGE, "TIMESTAMP", "DEVICE_ID", "STAGE")
            for device, rows in self._by_device(XIAOMI_STAGE, ["TIMESTAMP", "STAGE"]).items():
                for ts, stage in rows:
                    if isinstance(ts, int):
                        kind = XIAOMI_STAGE_KIND.get(stage, "unknown")
                        points[device].append((utc_ms(ts), kind))
        d = self.db
        t = XIAOMI_TIME
        cols = [
            "TIMESTAMP",
            "WAKEUP_TIME",
            d.pick(t, "TOTAL_DURATION"),
            d.pick(t, "DEEP_SLEEP_DURATION", "DEEP_DURATION"),
            d.pick(t, "LIGHT_SLEEP_DURATION", "LIGHT_DURATION"),
            d.pick(t, "REM_SLEEP_DURATION", "REM_DURATION"),
            d.pick(t, "AWAKE_DURATION"),
        ]
        for device, rows in self._by_device(t, cols).items():
            for ts, wake, total, deep, light, rem, awake in rows:
                start, end = utc_ms(ts), utc_ms(wake)
                spans = change_points(points.get(device, []), start, end)
                if spans:
                    self._add_session(device, spans, start, end)
                    continue
                # no stage timeline for this night: the minutes the band summed up
                source, sid = self.source(device), start.strftime("%Y-%m-%dT%H:%M:%SZ")
                offset = self._offset(start)
                staged = [deep, light, rem]

                def one(
                    _: None,
                    source: str = source,
                    sid: str = sid,
                    start: dt.datetime = start,
                    end: dt.datetime = end,
                    offset: int = offset,
                    total: Any = total,
                    staged: list[Any] = staged,
                    awake: Any = awake,
                ) -> dict[str, Any]:
                    nums = [v if isinstance(v, int | float) else None for v in staged]
                    asleep = total if isinstance(total, int | float) else None
                    if asleep is None and all(v is not None for v in nums):
                        asleep = sum(v for v in nums if v is not None)
                    return c.session(
                        source,
                        sid,
                        start,
                        end,
                        offset,
                        asleep=asleep,
                        deep=nums[0],
                        light=nums[1],
                        rem=nums[2],
                        awake=awake if isinstance(awake, int | float) else None,
                    )

                self.sessions.extend(self.col.each([(f"{t} {sid}", None)], one))

    def _garmin(self) -> None:
        self.db.require(GARMIN_EVENT, "TIMESTAMP", "DEVICE_ID", "EVENT", "EVENT_TYPE")
        ends: dict[Any, list[tuple[dt.datetime, str]]] = defaultdict(list)
        if self.db.has(GARMIN_STAGE):
            self.db.require(GARMIN_STAGE, "TIMESTAMP", "DEVICE_ID", "STAGE")
            for device, rows in self._by_device(GARMIN_STAGE, ["TIMESTAMP", "STAGE"]).items():
                for ts, stage in rows:
                    if isinstance(ts, int):
                        ends[device].append((utc_ms(ts), GARMIN_STAGE_KIND.get(stage, "unknown")))
        events = self._by_device(GARMIN_EVENT, ["TIMESTAMP", "EVENT", "EVENT_TYPE"])
        for device, rows in events.items():
            started: dt.datetime | None = None
            for ts, event, kind in rows:
                if event != GARMIN_SLEEP_EVENT or not isinstance(ts, int):
                    continue
                if kind == 0:
                    started = utc_ms(ts)
                elif kind == 1 and started is not None:
                    stop = utc_ms(ts)
                    spans: list[Span] = []
                    prev = started
                    # each stage sample marks the end of its stage
                    for at, stage in ends.get(device, []):
                        if started < at <= stop:
                            spans.append(Span(prev, at, stage))
                            prev = at
                    self._add_session(device, merged(spans), started, stop)
                    started = None

    def _pebble(self) -> None:
        t = PEBBLE_OVERLAY
        self.db.require(t, "TIMESTAMP_FROM", "TIMESTAMP_TO", "DEVICE_ID", "RAW_KIND")
        rows_by = self._by_device(
            t, ["TIMESTAMP_FROM", "TIMESTAMP_TO", "RAW_KIND"], "TIMESTAMP_FROM"
        )
        for device, rows in rows_by.items():
            good = [
                (a, b, k) for a, b, k in rows if isinstance(a, int) and isinstance(b, int) and b > a
            ]
            deep = [(a, b) for a, b, k in good if k in (PEBBLE_DEEP, PEBBLE_DEEP_NAP)]
            for a, b, k in good:
                if k not in (PEBBLE_SLEEP, PEBBLE_NAP):
                    continue
                # the sleep overlay spans the whole session; deep overlays mark parts of it
                points: list[tuple[dt.datetime, str]] = [(utc_s(a), "light")]
                for da, db_ in deep:
                    if a <= da < b:
                        points.append((utc_s(da), "deep"))
                        if db_ < b:
                            points.append((utc_s(db_), "light"))
                points.sort(key=lambda p: p[0])
                spans = change_points(points, utc_s(a), utc_s(b))
                self._add_session(
                    device, spans, utc_s(a), utc_s(b), rem=False, is_nap=k == PEBBLE_NAP
                )

    # ---------------------------------------------------------------- steps and workouts

    def steps(self) -> list[dict[str, Any]]:
        totals: dict[tuple[str, dt.date], int] = defaultdict(int)
        for table in PER_SAMPLE_STEPS:
            if not self.db.has(table) or self.db.pick(table, "STEPS") is None:
                continue
            self.db.require(table, "TIMESTAMP", "DEVICE_ID")
            for device, rows in self._by_device(table, ["TIMESTAMP", "STEPS"]).items():
                for ts, n in rows:
                    # -1 / 0 / absurd: no steps recorded in that sample
                    if isinstance(ts, int) and isinstance(n, int) and 0 < n <= MAX_STEPS_PER_SAMPLE:
                        totals[(self.source(device), self._local_date(ts))] += n
        if self.db.has(GARMIN_ACTIVITY) and self.db.pick(GARMIN_ACTIVITY, "STEPS"):
            self.db.require(GARMIN_ACTIVITY, "TIMESTAMP", "DEVICE_ID")
            for device, rows in self._by_device(GARMIN_ACTIVITY, ["TIMESTAMP", "STEPS"]).items():
                # running totals since local midnight: the day's steps are the sum of the
                # increases credited to the day of each sample
                last: int | None = None
                for ts, n in rows:
                    if not isinstance(ts, int) or not isinstance(n, int) or n < 0:
                        continue
                    day = self._local_date(ts)
                    # a drop is the reset (at local midnight, or whenever the watch made it);
                    # a new day without a drop yet still shows yesterday's total
                    gain = n if last is None or n < last else n - last
                    if 0 < gain <= MAX_STEPS_PER_SAMPLE * 10:
                        totals[(self.source(device), day)] += gain
                    last = n
        return [c.day(src, day, steps=n) for (src, day), n in sorted(totals.items())]

    def _local_date(self, ts: int) -> dt.date:
        at = utc_s(ts)
        return (at.replace(tzinfo=None) + dt.timedelta(minutes=self._offset(at))).date()

    def workouts(self) -> list[dict[str, Any]]:
        if not self.db.has(SUMMARY):
            return []
        t = SUMMARY
        self.db.require(t, "START_TIME", "END_TIME")
        cols = [
            self.db.pick(t, "DEVICE_ID"),
            "START_TIME",
            "END_TIME",
            self.db.pick(t, "ACTIVITY_KIND"),
            self.db.pick(t, "NAME"),
        ]

        def one(row: tuple[Any, ...]) -> dict[str, Any]:
            device, s_ms, e_ms, kind, name = row
            start, end = utc_ms(s_ms), utc_ms(e_ms)
            sport = ACTIVITY_KIND.get(kind) if isinstance(kind, int) else None
            return c.activity(
                self.source(device),
                f"summary-{s_ms}",
                start,
                end,
                self._offset(start),
                sport or c.sport_of(str(name) if name else None),
            )

        rows = list(self.db.select(t, cols, order="START_TIME"))
        return self.col.each(((f"{t} {r[1]}", r) for r in rows), one)

    def unread_tables(self) -> list[tuple[str, int]]:
        """Sample tables of device families this module does not read, that hold rows."""
        out = []
        for real in sorted(self.db.tables.values()):
            upper = real.upper()
            if upper in KNOWN_TABLES or not upper.endswith("_SAMPLE"):
                continue
            if "ACTIVITY" not in upper and "SLEEP" not in upper:
                continue  # heart rate, stress, SpO2 ... : not what taperdash tracks
            n = self.db.conn.execute(f"SELECT COUNT(*) FROM {sqlite.ident(real)}").fetchone()[0]
            if n:
                out.append((real, int(n)))
        return out
