"""Writes real Garmin-style FIT files with fit-tool, for tests, the demo history and benchmarks.

Three writers, each returning the file's bytes (and writing them to `path` when given):

- `write_sleep_fit`: a staged sleep file (file_id.type 49) as a fenix-class watch writes it:
  sleep start/stop events (event 74, local time in `data`), `sleep_level` (275) change points
  with a last record at the stop time, `sleep_data_info` (273) and optionally a
  `sleep_assessment` (346) with the score and awakenings count.
- `write_monitoring_fit`: one or more local days of `monitoring_b` data: `monitoring_info`
  with the local time, a full-timestamp record, then minute records with `timestamp_16`,
  cumulative `cycles` / `active_time` per activity type (reset at local midnight), the packed
  activity type/intensity byte, optional per-minute heart rate, and resting HR (message 211).
- `write_activity_fit`: an activity file with one `session` (and `lap`) per `Session`, so
  several make a multisport file, an `activity` message with the local time, and optional
  per-second `record` messages.

Messages are written by number with raw (already scaled) values through fit-tool's generic
`DataMessage`/`Field`, because fit-tool's generated classes take milliseconds for times and
apply their own scales; writing raw keeps the bytes exactly what the FIT profile says. Sport
and activity type numbers come from fit-tool's profile enums, not from taperdash's reader, so
a wrong table in the reader cannot be hidden by the same mistake here.

Deterministic: no clock, no randomness: equal inputs give identical bytes. Fast: fit-tool
encodes each definition and the first message of each shape, later messages of that shape
are struct-packed to the same layout (tests check the bytes equal fit-tool's own builder's).
Measured: a monitoring day ~1 ms (~4 ms with per-minute heart rate), a night ~0.2 ms, an
hour of per-second records ~11 ms.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fit_tool.base_type import BaseType
from fit_tool.data_message import DataMessage
from fit_tool.definition_message import DefinitionMessage
from fit_tool.field import Field
from fit_tool.fit_file import FitFile
from fit_tool.fit_file_builder import FitFileBuilder, calc_records_size
from fit_tool.fit_file_header import FitFileHeader
from fit_tool.profile.profile_type import ActivityType, Sport, SubSport
from fit_tool.record import Record

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
GARMIN = 1  # manufacturer
DEFAULT_SERIAL = 3_990_000_001
DEFAULT_PRODUCT = 3_869

LEVELS = {"unknown": 0, "unmeasurable": 0, "awake": 1, "light": 2, "deep": 3, "rem": 4}

Level = int | str
RawField = tuple[int, BaseType, int | Sequence[int]]


def fit_time(when: dt.datetime) -> int:
    """FIT date_time (seconds since 1989-12-31 UTC) of an aware datetime."""
    if when.tzinfo is None:
        raise ValueError("FIT times need an aware (UTC) datetime")
    return int((when - FIT_EPOCH).total_seconds())


def _crc_table() -> tuple[int, ...]:
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def _crc16(data: bytes) -> int:
    # byte-wide table: same CRC as fit_tool.utils.crc16, several times faster on big files
    crc, table = 0, _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


# False: every message through FitFileBuilder (the reference the tests compare against)
FAST = True


@dataclass
class _Shape:
    local_id: int
    definition: bytes = b""  # the definition record fit-tool wrote for this shape
    packer: struct.Struct | None = None  # set once fit-tool has encoded a first message
    invalid: tuple[int, ...] = ()  # each value's "invalid" bit pattern


class _Writer:
    """fit-tool's encoding with one local message number per message shape, and a fast path.

    fit-tool re-defines a local number whenever the fields change; giving each shape its own
    number (FIT allows 16) keeps one definition per shape, like devices do. fit-tool encodes
    every definition and the first message of each shape; later messages of the same shape
    are packed with the struct layout of that definition (~10x faster than a full
    FitFileBuilder.add, which rebuilds the definition for every message). With FAST = False
    everything goes through FitFileBuilder; tests check both give identical bytes.
    """

    def __init__(self) -> None:
        self.builder = FitFileBuilder(auto_define=True)
        self.shapes: dict[tuple, _Shape] = {}
        self.current: dict[int, bytes] = {}  # local id -> the definition it holds now
        self.chunks: list[bytes] = []

    def add(self, global_id: int, fields: Sequence[RawField]) -> None:
        flat: list[int] = []
        layout = []
        for num, base, value in fields:
            values = list(value) if isinstance(value, Sequence) else [value]
            flat.extend(values)
            layout.append((num, base, len(values)))
        key = (global_id, tuple(layout))
        shape = self.shapes.get(key)
        if shape is None:
            shape = self.shapes[key] = _Shape(len(self.shapes) % 16)
        if (
            FAST
            and shape.packer is not None
            and self.current.get(shape.local_id) == shape.definition
            # fit-tool leaves a field holding its invalid value out of the definition
            and all(map(int.__ne__, flat, shape.invalid))
        ):
            self.chunks.append(shape.packer.pack(shape.local_id, *flat))
            return
        built = []
        values_in = iter(flat)
        for num, base, count in layout:
            f = Field(field_id=num, name=f"field_{num}", base_type=base, growable=True)
            for k in range(count):
                f.set_encoded_value(k, next(values_in))
            built.append(f)
        message = DataMessage(
            global_id=global_id, local_id=shape.local_id, name=f"m{global_id}", fields=built
        )
        if not FAST:
            self.builder.add(message)
            return
        definition = DefinitionMessage.from_data_message(message)
        record = Record.from_message(definition).to_bytes()
        if self.current.get(shape.local_id) != record:
            self.chunks.append(record)
            self.current[shape.local_id] = record
        message.set_definition_message(definition)
        self.chunks.append(Record.from_message(message).to_bytes())
        if shape.packer is None and len(definition.field_definitions) == len(layout):
            shape.definition = record
            shape.packer = struct.Struct(
                "<B"
                + "".join(
                    f"{fd.size // fd.base_type.size}{fd.base_type.struct_format}"
                    for fd in definition.field_definitions
                )
            )
            shape.invalid = tuple(
                base.invalid_raw_value() for _, base, count in layout for _ in range(count)
            )

    def file_id(self, file_type: int, created: dt.datetime, serial: int) -> None:
        self.add(
            0,
            [
                (0, BaseType.ENUM, file_type),
                (1, BaseType.UINT16, GARMIN),
                (2, BaseType.UINT16, DEFAULT_PRODUCT),
                (3, BaseType.UINT32Z, serial),
                (4, BaseType.UINT32, fit_time(created)),
            ],
        )

    def finish(self, path: str | Path | None) -> bytes:
        # a 14-byte header with its CRC, as Garmin devices write (fit-tool's default is 12)
        if FAST:
            body = b"".join(self.chunks)
            header = FitFileHeader(len(body), gen_crc=True).to_bytes()
            # the header's own CRC makes the running CRC zero again, so the file CRC is the body's
            data = header + body + struct.pack("<H", _crc16(body))
        else:
            self.builder.validate()
            header = FitFileHeader(calc_records_size(self.builder.records), gen_crc=True)
            data = FitFile(header, self.builder.records).to_bytes()
        if path is not None:
            Path(path).write_bytes(data)
        return data


def _level(level: Level) -> int:
    if isinstance(level, str):
        return LEVELS[level]
    if level not in range(5):
        raise ValueError(f"sleep level must be 0-4, got {level}")
    return level


# --------------------------------------------------------------------------------------------
# Sleep


def write_sleep_fit(
    path: str | Path | None,
    stages: Sequence[tuple[dt.datetime, Level]],
    start: dt.datetime,
    end: dt.datetime,
    utc_offset_min: int,
    score: int | None = None,
    awakenings: int | None = None,
    *,
    serial: int = DEFAULT_SERIAL,
    events: bool = True,
) -> bytes:
    """A staged sleep file.

    `stages` are change points (UTC time, level 0-4 or "awake"/"light"/"deep"/"rem"/
    "unknown"); each lasts until the next one or `end`, where a last record with the final
    level is written, as watches do. `events=False` leaves out the start/stop events, so the
    night is the first to the last level record.
    """
    if not stages:
        raise ValueError("a sleep file needs at least one stage")
    w = _Writer()
    w.file_id(49, end, serial)
    off = utc_offset_min * 60
    if events:
        w.add(
            21,
            [
                (253, BaseType.UINT32, fit_time(start)),
                (0, BaseType.ENUM, 74),
                (1, BaseType.ENUM, 0),  # start
                (3, BaseType.UINT32, fit_time(start) + off),
            ],
        )
    points = sorted(((fit_time(t), _level(lv)) for t, lv in stages), key=lambda p: p[0])
    for ts, level in points:
        w.add(275, [(253, BaseType.UINT32, ts), (0, BaseType.ENUM, level)])
    if points[-1][0] < fit_time(end):
        w.add(275, [(253, BaseType.UINT32, fit_time(end)), (0, BaseType.ENUM, points[-1][1])])
    if events:
        w.add(
            21,
            [
                (253, BaseType.UINT32, fit_time(end)),
                (0, BaseType.ENUM, 74),
                (1, BaseType.ENUM, 1),  # stop
                (3, BaseType.UINT32, fit_time(end) + off),
            ],
        )
    # 273's timestamp is the sync time (after the night), field 2 the same instant locally
    w.add(
        273,
        [
            (253, BaseType.UINT32, fit_time(end) + 60),
            (0, BaseType.ENUM, 2),
            (1, BaseType.UINT16, 60),
            (2, BaseType.UINT32, fit_time(end) + 60 + off),
        ],
    )
    if score is not None or awakenings is not None:
        fields: list[RawField] = [(253, BaseType.UINT32, fit_time(end))]
        if score is not None:
            fields.append((6, BaseType.UINT8, score))
        if awakenings is not None:
            fields.append((11, BaseType.UINT8, awakenings))
        fields.append((15, BaseType.UINT16, 2550))  # average stress 25.50, scale 100
        w.add(346, fields)
    return w.finish(path)


# --------------------------------------------------------------------------------------------
# Monitoring


@dataclass(frozen=True)
class MonitoringDay:
    """One local day. `steps` maps an activity type ("walking", "running", "cycling", ...)
    to its day total of cycles (steps for walking/running). Each type's cycles are spread
    over `active_min` minutes (default: one minute per 100 cycles, at least 1) from its
    start hour (local), so that type's active time is exactly that many minutes."""

    day: dt.date
    steps: Mapping[str, int] = field(default_factory=dict)
    active_min: Mapping[str, int] | None = None
    resting_hr: int | None = None


START_HOUR = {"walking": 7, "running": 18, "cycling": 12, "swimming": 6, "fitness_equipment": 16}


def _plan_day(day: MonitoringDay) -> dict[int, list[tuple[int, int]]]:
    """{minute of day: [(activity type, cycles in that minute)]}."""
    plan: dict[int, list[tuple[int, int]]] = {}
    for offset, (name, total) in enumerate(sorted(day.steps.items())):
        kind = ActivityType[name.upper()].value
        minutes = (day.active_min or {}).get(name, max(1, math.ceil(total / 100)))
        if minutes < 1 or total < 0:
            raise ValueError(f"{name}: need at least one active minute and non-negative cycles")
        first = START_HOUR.get(name, 9 + offset) * 60 + 1
        if first + minutes >= 1440:
            raise ValueError(f"{name}: {minutes} active minutes do not fit in the day")
        per, extra = divmod(total, minutes)
        for i in range(minutes):
            plan.setdefault(first + i, []).append((kind, per + (1 if i < extra else 0)))
    return plan


def write_monitoring_fit(
    path: str | Path | None,
    days: Sequence[MonitoringDay],
    utc_offset_min: int,
    *,
    heart_rate: bool = False,
    full_timestamps: bool = True,
    serial: int = DEFAULT_SERIAL,
) -> bytes:
    """A monitoring_b file covering consecutive local `days`, from 00:01 of the first to 24:00
    of the last (so a file of two days holds a midnight reset).

    Every cycles/active_time value is cumulative since local midnight per activity type
    (sedentary included, as devices count it). Full timestamps: monitoring_info's, the day's
    211 resting HR, one record at 00:01 of each day and the day's totals (one record per
    activity type with `activity_type`) at 24:00, which belong to the day that ends. All
    other records carry `timestamp_16`. `full_timestamps=False` writes even the day records
    with `timestamp_16`, so only monitoring_info anchors the 16-bit chain (a day spans more
    than its 18.2 h wrap). `heart_rate=True` adds one heart rate record a minute (~1,440
    messages a day; off by default for speed).
    """
    if not days:
        raise ValueError("a monitoring file needs at least one day")
    off = utc_offset_min * 60
    local_midnight = dt.datetime.combine(days[0].day, dt.time(), tzinfo=dt.UTC)
    first_utc = fit_time(local_midnight) - off + 60
    w = _Writer()
    w.file_id(32, FIT_EPOCH + dt.timedelta(seconds=first_utc), serial)
    w.add(
        103,
        [
            (253, BaseType.UINT32, first_utc),
            (0, BaseType.UINT32, first_utc + off),
            (1, BaseType.ENUM, [ActivityType.WALKING.value, ActivityType.RUNNING.value]),
            (3, BaseType.UINT16, [8190, 12285]),
            (5, BaseType.UINT16, 1800),
        ],
    )
    sedentary = ActivityType.SEDENTARY.value

    def when(ts: int) -> RawField:
        if full_timestamps:
            return (253, BaseType.UINT32, ts)
        return (26, BaseType.UINT16, ts & 0xFFFF)

    for index, day in enumerate(days):
        if index and day.day != days[index - 1].day + dt.timedelta(days=1):
            raise ValueError("monitoring days must be consecutive")
        day_utc = fit_time(dt.datetime.combine(day.day, dt.time(), tzinfo=dt.UTC)) - off
        plan = _plan_day(day)
        cycles: dict[int, int] = {}
        active: dict[int, int] = {}
        busy = 0  # active minutes so far; the rest of the day is sedentary
        # the day's first record, as devices write after the midnight reset
        w.add(55, [when(day_utc + 60), (24, BaseType.BYTE, sedentary)])
        if day.resting_hr is not None:
            w.add(
                211,
                [
                    (253, BaseType.UINT32, day_utc + 120),
                    (0, BaseType.UINT8, day.resting_hr + 2),  # 7-day average: not the day's
                    (1, BaseType.UINT8, day.resting_hr),
                ],
            )
        for minute in range(1, 1440):
            ts = day_utc + minute * 60
            t16 = ts & 0xFFFF
            if heart_rate:
                w.add(
                    55, [(26, BaseType.UINT16, t16), (27, BaseType.UINT8, 55 + (minute * 7) % 40)]
                )
            for kind, count in plan.get(minute, []):
                cycles[kind] = cycles.get(kind, 0) + count
                active[kind] = active.get(kind, 0) + 60_000
                busy += 1
                intensity = 3 if kind == ActivityType.RUNNING.value else 2
                w.add(
                    55,
                    [
                        (3, BaseType.UINT32, cycles[kind]),
                        (4, BaseType.UINT32, active[kind]),
                        (26, BaseType.UINT16, t16),
                        (24, BaseType.BYTE, (intensity << 5) | kind),
                    ],
                )
            if plan.get(minute - 1) and not plan.get(minute):
                # back to sitting; packed type 8 with a non-zero intensity, as real files show
                active[sedentary] = (minute - busy) * 60_000
                w.add(
                    55,
                    [
                        (4, BaseType.UINT32, active[sedentary]),
                        (26, BaseType.UINT16, t16),
                        (24, BaseType.BYTE, (4 << 5) | sedentary),
                    ],
                )
        # the day's totals at local midnight (the first instant of the next day)
        active[sedentary] = (1440 - busy) * 60_000
        for kind in sorted(active):
            fields = [when(day_utc + 86_400), (5, BaseType.ENUM, kind)]
            if kind in cycles:
                fields.append((3, BaseType.UINT32, cycles[kind]))
            fields.append((4, BaseType.UINT32, active[kind]))
            w.add(55, fields)
    return w.finish(path)


# --------------------------------------------------------------------------------------------
# Activities


@dataclass(frozen=True)
class Session:
    """One session of an activity. `sport` / `sub_sport` are FIT profile names
    ("running", "cycling", "training" + sub_sport "strength_training", ...)."""

    sport: str
    start: dt.datetime  # UTC, aware
    elapsed_s: int
    timer_s: int | None = None  # defaults to elapsed_s
    distance_m: float | None = None
    calories: int | None = None
    avg_hr: int | None = None
    max_hr: int | None = None
    sub_sport: str | None = None


def write_activity_fit(
    path: str | Path | None,
    sessions: Sequence[Session],
    utc_offset_min: int,
    *,
    records: bool = False,
    serial: int = DEFAULT_SERIAL,
) -> bytes:
    """An activity file: one session (and lap) per `Session`, in order; several sessions make
    a multisport file. `records=True` adds a `record` message per second of every session
    (heart rate and distance), as a watch recording at 1 s does."""
    if not sessions:
        raise ValueError("an activity file needs at least one session")
    w = _Writer()
    first = fit_time(sessions[0].start)
    last = max(fit_time(s.start) + s.elapsed_s for s in sessions)
    w.file_id(4, sessions[0].start, serial)
    w.add(21, [(253, BaseType.UINT32, first), (0, BaseType.ENUM, 0), (1, BaseType.ENUM, 0)])
    for s in sessions:
        begin = fit_time(s.start)
        if records:
            dist = s.distance_m or 0.0
            for sec in range(s.elapsed_s + 1):
                hr = (s.avg_hr or 120) + (sec % 11) - 5
                w.add(
                    20,
                    [
                        (253, BaseType.UINT32, begin + sec),
                        (3, BaseType.UINT8, max(30, min(hr, 250))),
                        (5, BaseType.UINT32, round(dist * sec / max(s.elapsed_s, 1) * 100)),
                    ],
                )
        stamp: RawField = (253, BaseType.UINT32, begin + s.elapsed_s)
        w.add(19, [stamp, *_summary(s, LAP_FIELDS)])
        w.add(18, [stamp, *_summary(s, SESSION_FIELDS)])
    w.add(21, [(253, BaseType.UINT32, last), (0, BaseType.ENUM, 0), (1, BaseType.ENUM, 4)])
    w.add(
        34,
        [
            (253, BaseType.UINT32, last),
            (0, BaseType.UINT32, sum((s.timer_s or s.elapsed_s) for s in sessions) * 1000),
            (1, BaseType.UINT16, len(sessions)),
            (2, BaseType.ENUM, 0 if len(sessions) == 1 else 1),  # manual / auto_multi_sport
            (5, BaseType.UINT32, last + utc_offset_min * 60),
        ],
    )
    return w.finish(path)


# Lap (19) and session (18) carry the same totals under different field numbers.
SESSION_FIELDS = {"sport": 5, "sub_sport": 6, "avg_hr": 16, "max_hr": 17}
LAP_FIELDS = {"sport": 25, "sub_sport": 39, "avg_hr": 15, "max_hr": 16}


def _summary(s: Session, nums: Mapping[str, int]) -> list[RawField]:
    fields: list[RawField] = [
        (2, BaseType.UINT32, fit_time(s.start)),
        (nums["sport"], BaseType.ENUM, Sport[s.sport.upper()].value),
        (nums["sub_sport"], BaseType.ENUM, SubSport[(s.sub_sport or "generic").upper()].value),
        (7, BaseType.UINT32, s.elapsed_s * 1000),
        (8, BaseType.UINT32, (s.timer_s if s.timer_s is not None else s.elapsed_s) * 1000),
    ]
    if s.distance_m is not None:
        fields.append((9, BaseType.UINT32, round(s.distance_m * 100)))
    if s.calories is not None:
        fields.append((11, BaseType.UINT16, s.calories))
    if s.avg_hr is not None:
        fields.append((nums["avg_hr"], BaseType.UINT8, s.avg_hr))
    if s.max_hr is not None:
        fields.append((nums["max_hr"], BaseType.UINT8, s.max_hr))
    return fields
