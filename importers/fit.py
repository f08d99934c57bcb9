"""Garmin FIT files: sleep, daily monitoring (steps, resting HR, stress) and activities.

Decoding uses fitparse's machinery (header, definitions, base types, compressed timestamps)
through a subclass that decodes only the message numbers listed in `fit_profile.MESSAGES` and
steps over the bytes of every other message (per-second `record`, `hr`, `lap`, raw sleep
blobs...) without building objects for them. Values are read by field number, raw, and
scaled here (see fit_profile's docstring for why).

Integrity is checked before any decoding: header size and signature, header CRC, declared
data size against the file size, and the file CRC of every chained segment. Anything wrong
raises `ImportRefused` with one line; files of a type we do not use (settings, workouts,
courses, metrics...) come back as `ImportResult(skipped=...)`.

What each file type gives (source "garmin"):

- Sleep files (file_id.type 49): `sleep_level` (275) records are change points; a stage lasts
  until the next record or the sleep stop. The night is the window of the sleep start/stop
  events (event 74) or, without them, the first to the last level record. Time in that window
  before the first level record is stage "unknown" (the watch said nothing about it), as are
  "unmeasurable" levels. awakenings = awake periods between the first and the last asleep
  stage (sleep_assessment's awakenings_count overrides it), waso = awake minutes in that
  span, latency = window start to the first asleep stage.
  Unstaged watches (e.g. Forerunner 55) write sleep files around the clock whose levels are
  only awake/unmeasurable, with no sleep start/stop: nothing in them separates a night from
  a quiet afternoon, so such files are *skipped* with that reason rather than turned into
  an invented night. Their nights come from Garmin Connect's sleep export.
- Monitoring files (monitoring_b and friends): `cycles` and `active_time` are cumulative per
  activity type since local midnight, so a day's figure is the largest value seen that local
  day (records at exactly midnight still carry the day that ended). steps = walking + running
  cycles (raw: fitparse's scale 2 would halve them). active_min = active_time of every type
  except sedentary/generic: the packed "intensity" is not used, because real files show
  intensity 4-5 while sedentary at night. resting_hr = message 211's figure for the day.
  A file covers part of a day, so a later file of the same day gives larger totals; stress
  is left empty because it is no running total (a per-file mean is not the day's mean).
  Local time: monitoring_info.local_timestamp - UTC.
- Activity files: one row per `session`; end = start_time +
  total_elapsed_time, duration_min = timer time (pauses excluded). UTC offset from
  activity.local_timestamp, else the configured zone.
- Multisport files (triathlon, duathlon): each leg is its own workout, with its own sport,
  distance and heart rate, as the watch records it; the legs of one race are summed per day by
  the analysis as any two workouts are. One row for the race would need a sport "multisport"
  and would lose how far the person ran and rode. Left out: the summary session spanning the
  legs (sport multisport) and the transitions between legs (sport transition, or sub_sport
  swim_to_bike / bike_to_run / run_to_bike_transition): changing shoes is not a workout. A file
  that holds nothing but a transition keeps it (it is what was recorded).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import struct
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl
from fitparse.base import FitFile
from fitparse.records import (
    BASE_TYPE_BYTE,
    BASE_TYPES,
    DefinitionMessage,
    FieldDefinition,
    MessageHeader,
)
from fitparse.utils import FitEOFError, FitParseError

from importers import fit_profile as fp
from importers.model import (
    ACTIVITIES,
    DAILY_ACTIVITY,
    SLEEP_SESSIONS,
    SLEEP_STAGES,
    ImportRefused,
    ImportResult,
    conform,
    night_of_py,
)
from importers.registry import Format, ReadContext, register

SOURCE = "garmin"
FORMAT = "fit"

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
# Below this a date_time is seconds since device power-on, not a date (FIT profile).
MIN_DATE_TIME = 0x10000000
MAX_UINT32 = 0xFFFFFFFF
MAX_OFFSET_MIN = 14 * 60
MAX_NIGHT_S = 24 * 3600
MAX_SESSION_S = 7 * 24 * 3600
STAGE_ASLEEP = frozenset({"light", "deep", "rem"})

WANTED = frozenset(fp.MESSAGES)


# --------------------------------------------------------------------------------------------
# Framing: header, sizes and CRCs of each chained segment, before fitparse sees a byte


def _crc_table() -> tuple[int, ...]:
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16(data: bytes, crc: int = 0) -> int:
    """The FIT CRC (CRC-16/ARC); a byte-wide table is ~4x faster than fitparse's nibble loop."""
    table = _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def _segments(data: bytes) -> tuple[list[bytes], list[str]]:
    if not data:
        raise ImportRefused("empty file")
    segments: list[bytes] = []
    warnings: list[str] = []
    pos, total = 0, len(data)
    while pos < total:
        rest = total - pos
        if segments and (rest < 12 or data[pos + 8 : pos + 12] != b".FIT"):
            warnings.append(f"ignored {rest} bytes after the FIT data")
            break
        if rest < 12:
            if data[pos] in (12, 14) and b".FIT".startswith(data[pos + 8 : pos + 12]):
                raise ImportRefused(f"truncated FIT file: only {rest} bytes of header")
            raise ImportRefused("not a FIT file (no .FIT signature in the header)")
        if data[pos + 8 : pos + 12] != b".FIT":
            raise ImportRefused("not a FIT file (no .FIT signature in the header)")
        header_size = data[pos]
        if header_size not in (12, 14):
            raise ImportRefused(f"bad FIT header: header size {header_size}, expected 12 or 14")
        if rest < header_size:
            raise ImportRefused(f"truncated FIT file: only {rest} bytes of header")
        if header_size == 14:
            (header_crc,) = struct.unpack_from("<H", data, pos + 12)
            if header_crc and header_crc != crc16(data[pos : pos + 12]):
                raise ImportRefused("bad FIT header CRC: the header is damaged")
        (size,) = struct.unpack_from("<I", data, pos + 4)
        if size == 0:
            raise ImportRefused("FIT header declares no data (a file the device never finished?)")
        end = pos + header_size + size
        if end + 2 > total:
            have = max(0, total - pos - header_size)
            raise ImportRefused(
                f"truncated FIT file: header declares {size} bytes of data, {have} present"
            )
        (crc_read,) = struct.unpack_from("<H", data, end)
        if crc16(data[pos:end]) != crc_read:
            raise ImportRefused("bad FIT file CRC: the file is damaged")
        segments.append(data[pos : end + 2])
        pos = end + 2
    return segments, warnings


# --------------------------------------------------------------------------------------------
# Decoding: fitparse, restricted to the messages we use


@dataclass(frozen=True)
class _Plan:
    mesg_num: int
    wanted: bool
    definition: DefinitionMessage
    nums: tuple[int, ...]
    size: int
    ts_at: tuple[int, str] | None  # (byte offset, struct format) of the timestamp field


class _Decoder(FitFile):
    """fitparse's FitFile, decoding only `wanted` message numbers.

    Overrides fitparse 1.2.0 internals (`_parse_definition_message`, and replaces the message
    loop) because its public API decodes and keeps every message; fitparse is pinned.
    Developer fields are sized from their definitions and never decoded, so no global
    developer-type registry (fitparse's DEV_TYPES) is read or written.
    """

    _compressed_ts_accumulator: int  # fitparse's, set in its __init__ (untyped upstream)

    def __init__(self, segment: bytes, wanted: frozenset[int]) -> None:
        self._wanted = wanted
        self._plans: dict[int, _Plan] = {}
        super().__init__(io.BytesIO(segment), check_crc=False)  # _segments checked the CRCs

    def _parse_definition_message(self, header: MessageHeader) -> DefinitionMessage:
        endian = ">" if self._read_struct("xB") else "<"
        mesg_num, num_fields = self._read_struct("HB", endian=endian)
        field_defs: list[FieldDefinition] = []
        nums: list[int] = []
        offset = 0
        ts_at: tuple[int, str] | None = None
        for _ in range(num_fields):
            num, size, base_num = self._read_struct("3B", endian=endian)
            if size == 0:  # occupies no bytes; fitparse would fail unpacking it
                continue
            base = BASE_TYPES.get(base_num, BASE_TYPE_BYTE)
            if size % base.size:
                # a size that is no multiple of its type: keep the bytes, ignore the value
                base, num = BASE_TYPE_BYTE, -1
            if num == fp.TIMESTAMP and size == 4 and base.fmt in ("I", "i"):
                ts_at = (offset, endian + "I")
            field_defs.append(FieldDefinition(field=None, def_num=num, base_type=base, size=size))
            nums.append(num)
            offset += size
        if header.is_developer_data:
            for _ in range(self._read_struct("B", endian=endian)):
                _num, size, _index = self._read_struct("3B", endian=endian)
                if size:
                    field_defs.append(
                        FieldDefinition(field=None, def_num=-1, base_type=BASE_TYPE_BYTE, size=size)
                    )
                    nums.append(-1)
                    offset += size
        definition = DefinitionMessage(
            header=header,
            endian=endian,
            mesg_type=None,
            mesg_num=mesg_num,
            field_defs=field_defs,
            dev_field_defs=[],
        )
        self._local_mesgs[header.local_mesg_num] = definition
        self._plans[header.local_mesg_num] = _Plan(
            mesg_num, mesg_num in self._wanted, definition, tuple(nums), offset, ts_at
        )
        return definition

    def decoded(self) -> Iterator[tuple[int, dict[int, Any]]]:
        """(message number, {field number: raw value}) for each wanted data message."""
        plans = self._plans
        read = self._read
        while self._bytes_left > 0:
            # The header byte is decoded inline: fitparse's MessageHeader objects cost more
            # than skipping a whole record message.
            byte = read(1)[0]
            time_offset: int | None = None
            if byte & 0x80:  # compressed timestamp header
                local, time_offset = (byte >> 5) & 0x3, byte & 0x1F
            elif byte & 0x40:
                self._parse_definition_message(
                    MessageHeader(
                        is_definition=True,
                        is_developer_data=bool(byte & 0x20),
                        local_mesg_num=byte & 0xF,
                        time_offset=None,
                    )
                )
                continue
            else:
                local = byte & 0xF
            plan = plans.get(local)
            if plan is None:
                raise FitParseError(f"data message of undefined local type {local}")
            if plan.wanted:
                raw = self._parse_raw_values_from_data_message(plan.definition)
                values = {num: value for num, value in zip(plan.nums, raw, strict=True) if num >= 0}
                ts = values.get(fp.TIMESTAMP)
                if time_offset is not None:
                    ts = self._apply_compressed_accumulation(
                        time_offset, self._compressed_ts_accumulator, 5
                    )
                    values[fp.TIMESTAMP] = ts
                if isinstance(ts, int):
                    self._compressed_ts_accumulator = ts
                yield plan.mesg_num, values
            else:
                data = read(plan.size)
                # keep the compressed-timestamp base right even through skipped messages
                if time_offset is not None:
                    self._compressed_ts_accumulator = self._apply_compressed_accumulation(
                        time_offset, self._compressed_ts_accumulator, 5
                    )
                elif plan.ts_at is not None and data:
                    (ts,) = struct.unpack_from(plan.ts_at[1], data, plan.ts_at[0])
                    if ts != MAX_UINT32:
                        self._compressed_ts_accumulator = ts
        if self._bytes_left < 0:
            raise FitParseError("a message runs past the end of the declared data")


def _clean(value: Any) -> int | None:
    """A raw value as a 32-bit integer, or None. Every field we read is a ≤32-bit integer."""
    if isinstance(value, tuple):  # arrays and byte fields: the first element
        value = value[0] if value else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = int(value)
    if not isinstance(value, int) or not -(1 << 31) <= value <= MAX_UINT32:
        return None
    return value


class _Msg:
    """One decoded message: raw integer values by profile field name."""

    __slots__ = ("num", "raw")

    def __init__(self, num: int, values: dict[int, Any]) -> None:
        self.num = num
        fields = fp.MESSAGES[num].fields
        self.raw: dict[str, int] = {}
        for fnum, value in values.items():
            spec = fields.get(fnum)
            if spec is not None:
                clean = _clean(value)
                if clean is not None:
                    self.raw[spec.name] = clean

    def int(self, name: str) -> int | None:
        return self.raw.get(name)

    def num_(self, name: str) -> float | None:
        value = self.raw.get(name)
        if value is None:
            return None
        return value / _SCALES[self.num][name]


_SCALES: dict[int, dict[str, float]] = {
    num: {spec.name: spec.scale for spec in mspec.fields.values()}
    for num, mspec in fp.MESSAGES.items()
}


def _decode(segment: bytes) -> list[_Msg]:
    out: list[_Msg] = []
    for num, values in _Decoder(segment, WANTED).decoded():
        msg = _Msg(num, values)
        out.append(msg)
        if num == 0 and len([m for m in out if m.num == 0]) == 1:
            ftype = msg.int("type")
            if ftype is not None and not _supported(ftype):
                break  # nothing else in a settings/workout/... file is of use
    return out


def _supported(ftype: int) -> bool:
    return ftype in (fp.FILE_ACTIVITY, fp.FILE_SLEEP) or ftype in fp.FILE_MONITORING


def _decode_all(segments: list[bytes]) -> list[list[_Msg]]:
    try:
        return [_decode(segment) for segment in segments]
    except FitEOFError:
        raise ImportRefused("corrupt FIT data: a message runs past the end of the file") from None
    except FitParseError as exc:
        raise ImportRefused(f"corrupt FIT data: {_one_line(exc)}") from None
    except (
        struct.error,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        OverflowError,
        UnicodeDecodeError,
    ) as exc:  # fitparse's own bugs on malformed definitions surface as these
        raise ImportRefused(f"corrupt FIT data ({type(exc).__name__}: {_one_line(exc)})") from None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__


# --------------------------------------------------------------------------------------------
# Time helpers


def _when(value: int | None) -> dt.datetime | None:
    if value is None or not MIN_DATE_TIME <= value <= MAX_UINT32:
        return None
    return FIT_EPOCH + dt.timedelta(seconds=value)


def _offset(local: int | None, utc: int | None) -> int | None:
    """local - UTC of one instant, in minutes, when both are plausible dates."""
    if _when(local) is None or _when(utc) is None:
        return None
    assert local is not None and utc is not None
    minutes = round((local - utc) / 60)
    return minutes if abs(minutes) <= MAX_OFFSET_MIN else None


def _zone_offset(ctx: ReadContext, when: dt.datetime) -> int:
    off = when.astimezone(ctx.tz).utcoffset()
    return int(off.total_seconds() // 60) if off is not None else 0


# --------------------------------------------------------------------------------------------
# Sleep


@dataclass
class _Stage:
    start: int
    end: int
    stage: str


def _stages(levels: list[tuple[int, int]], start: int, end: int) -> list[_Stage]:
    rows: list[_Stage] = []

    def add(s: int, e: int, stage: str) -> None:
        if e <= s:
            return
        if rows and rows[-1].stage == stage and rows[-1].end == s:
            rows[-1].end = e
        else:
            rows.append(_Stage(s, e, stage))

    if levels[0][0] > start:
        add(start, min(levels[0][0], end), "unknown")
    nexts = [t for t, _ in levels[1:]] + [end]
    for (t0, level), t1 in zip(levels, nexts, strict=True):
        add(max(t0, start), min(t1, end), fp.SLEEP_LEVEL_STAGE[level])
    return rows


def _sleep(
    msgs: list[_Msg], ident: str, ctx: ReadContext, warnings: list[str]
) -> dict[str, pl.DataFrame] | str:
    levels: list[tuple[int, int]] = []
    odd = 0
    for m in msgs:
        if m.num != 275:
            continue
        ts, level = m.int("timestamp"), m.int("sleep_level")
        if _when(ts) is None or level not in fp.SLEEP_LEVEL_STAGE:
            odd += 1
            continue
        assert ts is not None and level is not None
        levels.append((ts, level))
    if odd:
        warnings.append(f"ignored {odd} sleep level records without a valid time or level")
    if not levels:
        return "sleep file holds no sleep level records"
    if not any(level in fp.STAGED_LEVELS for _, level in levels):
        return (
            "sleep file from a watch that does not stage sleep (only awake/unmeasurable levels, "
            "no night boundaries); its nights are computed by Garmin Connect: import Connect's "
            "sleep export instead"
        )
    levels.sort(key=lambda item: item[0])

    starts: list[tuple[int, int | None]] = []
    stops: list[int] = []
    for m in msgs:
        if m.num != 21 or m.int("event") != fp.EVENT_SLEEP:
            continue
        ts = m.int("timestamp")
        if _when(ts) is None:
            continue
        assert ts is not None
        if m.int("event_type") == fp.EVENT_TYPE_START:
            starts.append((ts, m.int("data")))
        elif m.int("event_type") in fp.EVENT_TYPE_STOP:
            stops.append(ts)
    start_ev = min(starts, key=lambda item: item[0]) if starts else None
    start = start_ev[0] if start_ev else levels[0][0]
    end = max(stops) if stops else levels[-1][0]
    if not 0 < end - start <= MAX_NIGHT_S:
        return f"sleep file with an implausible sleep window ({(end - start) / 3600:.1f} h)"

    offset = _offset(start_ev[1], start_ev[0]) if start_ev else None
    if offset is None:
        for m in msgs:
            if m.num == 273:
                offset = _offset(m.int("local_timestamp"), m.int("timestamp"))
                if offset is not None:
                    break
    start_dt, end_dt = _when(start), _when(end)
    assert start_dt is not None and end_dt is not None
    if offset is None:
        offset = _zone_offset(ctx, start_dt)

    rows = _stages(levels, start, end)
    minutes: dict[str, float] = defaultdict(float)
    for r in rows:
        minutes[r.stage] += (r.end - r.start) / 60
    asleep_rows = [r for r in rows if r.stage in STAGE_ASLEEP]
    asleep = minutes["light"] + minutes["deep"] + minutes["rem"]
    in_bed = (end - start) / 60
    latency = waso = None
    awakenings: int | None = 0
    if asleep_rows:
        onset, final = asleep_rows[0].start, asleep_rows[-1].end
        latency = (onset - start) / 60
        inner = [r for r in rows if r.stage == "awake" and r.start >= onset and r.end <= final]
        waso = sum(r.end - r.start for r in inner) / 60
        awakenings = len(inner)
    score = None
    for m in msgs:
        if m.num == 346:
            if m.int("awakenings_count") is not None:
                awakenings = m.int("awakenings_count")
            if m.int("overall_sleep_score") is not None:
                score = float(m.raw["overall_sleep_score"])
    sid = f"{ident}:{start}"
    session = {
        "source": SOURCE,
        "source_id": sid,
        "start": start_dt,
        "end": end_dt,
        "utc_offset_min": offset,
        "night": night_of_py(start_dt, offset),
        "time_in_bed_min": in_bed,
        "asleep_min": asleep,
        "awake_min": minutes["awake"],
        "light_min": minutes["light"],
        "deep_min": minutes["deep"],
        "rem_min": minutes["rem"],
        "awakenings": awakenings,
        "latency_min": latency,
        "waso_min": waso,
        "efficiency": asleep / in_bed,
        "score": score,
        "is_nap": False,
    }
    stages = {
        "source": [SOURCE] * len(rows),
        "source_id": [sid] * len(rows),
        "start": [_when(r.start) for r in rows],
        "end": [_when(r.end) for r in rows],
        "stage": [r.stage for r in rows],
    }
    return {
        "sleep_sessions": conform(pl.DataFrame([session], schema=SLEEP_SESSIONS), SLEEP_SESSIONS),
        "sleep_stages": conform(pl.DataFrame(stages, schema=SLEEP_STAGES), SLEEP_STAGES),
    }


# --------------------------------------------------------------------------------------------
# Monitoring


def _monitoring(
    msgs: list[_Msg], ctx: ReadContext, warnings: list[str]
) -> dict[str, pl.DataFrame] | str:
    offset: int | None = None
    for m in msgs:
        if m.num == 103:
            offset = _offset(m.int("local_timestamp"), m.int("timestamp"))
            if offset is not None:
                break
    if offset is None:
        warnings.append("monitoring file without a local time: days follow the configured zone")

    def day(ts: int) -> dt.date:
        when = _when(ts)
        assert when is not None
        off = offset if offset is not None else _zone_offset(ctx, when)
        # a record at exactly local midnight still carries the day that ended
        return (when.replace(tzinfo=None) + dt.timedelta(minutes=off, seconds=-1)).date()

    cycles: dict[tuple[dt.date, int], int] = {}
    active: dict[tuple[dt.date, int], int] = {}
    rhr: dict[dt.date, int] = {}
    last: int | None = None
    lost16 = 0
    for m in msgs:
        if m.num == 103:
            ts = m.int("timestamp")
            if _when(ts) is not None:
                last = ts
        elif m.num == 55:
            ts = m.int("timestamp")
            if _when(ts) is not None:
                last = ts
            else:
                t16 = m.int("timestamp_16")
                if t16 is None:
                    continue
                if last is None:
                    lost16 += 1
                    continue
                ts = last + ((t16 - (last & 0xFFFF)) & 0xFFFF)
                if _when(ts) is None:
                    continue
                last = ts
            assert ts is not None
            kind = m.int("activity_type")
            packed = m.int("current_activity_type_intensity")
            if kind is None and packed is not None:
                kind = packed & 0x1F
            if kind is None:
                continue
            d = day(ts)
            c, a = m.int("cycles"), m.int("active_time")
            if c is not None and c >= 0:
                cycles[(d, kind)] = max(c, cycles.get((d, kind), 0))
            if a is not None and a >= 0:
                active[(d, kind)] = max(a, active.get((d, kind), 0))
        elif m.num == 211:
            ts = m.int("timestamp")
            value = m.int("current_day_resting_heart_rate") or m.int("resting_heart_rate")
            if _when(ts) is not None and value and 20 <= value <= 250:
                assert ts is not None
                rhr[day(ts)] = value
    if lost16:
        warnings.append(f"ignored {lost16} monitoring records with no full timestamp before them")

    days = sorted({d for d, _ in cycles} | {d for d, _ in active} | set(rhr))
    if not days:
        return "monitoring file holds no steps, resting heart rate or stress data"
    rows = []
    for d in days:
        step_types = [k for (dd, k) in cycles if dd == d]
        active_types = [k for (dd, k) in active if dd == d]
        steps = (
            sum(cycles[(d, k)] for k in step_types if k in fp.STEP_ACTIVITIES)
            if step_types
            else None
        )
        active_min = (
            sum(active[(d, k)] for k in active_types if k not in fp.INACTIVE_ACTIVITIES) / 60000
            if active_types
            else None
        )
        rows.append(
            {
                "date": d,
                "source": SOURCE,
                "steps": steps,
                "active_min": active_min,
                "resting_hr": float(rhr[d]) if d in rhr else None,
                # a file covers part of a day and stress is no running total: a per-file mean
                # would be replaced by the next file's, so stress stays empty here
                "stress": None,
            }
        )
    frame = pl.DataFrame(rows, schema=DAILY_ACTIVITY)
    return {"daily_activity": conform(frame, DAILY_ACTIVITY)}


# --------------------------------------------------------------------------------------------
# Activities


def _sport(m: _Msg) -> str:
    sub = m.int("sub_sport")
    if sub is not None and sub in fp.SUB_SPORT_NAMES:
        return fp.SUB_SPORT_NAMES[sub]
    sport = m.int("sport")
    return fp.SPORT_NAMES.get(sport, "other") if sport is not None else "other"


def _is_transition(m: _Msg) -> bool:
    return m.int("sport") == fp.SPORT_TRANSITION or m.int("sub_sport") in fp.SUB_SPORT_TRANSITIONS


def _hr(value: int | None) -> float | None:
    return float(value) if value and 20 <= value <= 250 else None


def _activities(
    msgs: list[_Msg], ident: str, ctx: ReadContext, warnings: list[str]
) -> dict[str, pl.DataFrame] | str:
    sessions = [m for m in msgs if m.num == 18]
    if not sessions:
        return "activity file holds no session (a recording that was never saved?)"
    if len(sessions) > 1:
        legs = [m for m in sessions if m.int("sport") != fp.SPORT_MULTISPORT]
        if legs and len(legs) < len(sessions):
            warnings.append("left out a multisport summary session that spans its legs")
            sessions = legs
    moves = [m for m in sessions if _is_transition(m)]
    if moves and len(moves) < len(sessions):
        # the minutes spent changing shoes between legs are not a workout: counted as one they
        # made a duathlon "5 workouts", two of them 3-4 min long
        n = len(moves)
        warnings.append(f"left out {n} transition{'s' if n != 1 else ''} between multisport legs")
        sessions = [m for m in sessions if not _is_transition(m)]
    offset: int | None = None
    for m in msgs:
        if m.num == 34:
            offset = _offset(m.int("local_timestamp"), m.int("timestamp"))
            if offset is not None:
                break
    rows = []
    seen: set[str] = set()
    for i, m in enumerate(sessions, start=1):
        start_raw = m.int("start_time")
        start = _when(start_raw)
        if start is None or start_raw is None:
            warnings.append(f"session {i} has no valid start time: left out")
            continue
        elapsed = m.num_("total_elapsed_time")
        if elapsed is None:
            ts = m.int("timestamp")
            if ts is not None and _when(ts) is not None and ts >= start_raw:
                elapsed = float(ts - start_raw)
        if elapsed is None or not 0 <= elapsed <= MAX_SESSION_S:
            warnings.append(f"session {i} has no plausible elapsed time: left out")
            continue
        timer = m.num_("total_timer_time")
        duration = timer if timer is not None and 0 <= timer <= elapsed + 1 else elapsed
        sport = _sport(m)
        sid = f"{ident}:{start_raw}:{sport}"
        if sid in seen:
            sid = f"{sid}:{i}"
        seen.add(sid)
        rows.append(
            {
                "source": SOURCE,
                "source_id": sid,
                "start": start,
                "end": start + dt.timedelta(seconds=elapsed),
                "utc_offset_min": offset if offset is not None else _zone_offset(ctx, start),
                "sport": sport,
                "duration_min": duration / 60,
                "distance_m": m.num_("total_distance"),
                "calories": float(c) if (c := m.int("total_calories")) is not None else None,
                "avg_hr": _hr(m.int("avg_heart_rate")),
                "max_hr": _hr(m.int("max_heart_rate")),
            }
        )
    if not rows:
        return "activity file holds no session with a valid start and duration"
    return {"activities": conform(pl.DataFrame(rows, schema=ACTIVITIES), ACTIVITIES)}


# --------------------------------------------------------------------------------------------
# Entry points


def _identity(msgs: list[_Msg]) -> tuple[int | None, str]:
    for m in msgs:
        if m.num == 0:
            serial, created = m.int("serial_number"), m.int("time_created")
            ident = str(serial) if serial else f"t{created}" if created is not None else "fit"
            return m.int("type"), ident
    return None, "fit"


def _kind(ftype: int | None, msgs: list[_Msg]) -> str | None:
    if ftype == fp.FILE_SLEEP:
        return "sleep"
    if ftype == fp.FILE_ACTIVITY:
        return "activity"
    if ftype in fp.FILE_MONITORING:
        return "monitoring"
    if ftype is None:  # no file_id: judge by what is inside
        nums = {m.num for m in msgs}
        if 18 in nums:
            return "activity"
        if 275 in nums:
            return "sleep"
        if 55 in nums:
            return "monitoring"
    return None


def read_fit(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    segments, warnings = _segments(data)
    decoded = _decode_all(segments)
    tables: dict[str, list[pl.DataFrame]] = defaultdict(list)
    reasons: list[str] = []
    for msgs in decoded:
        ftype, ident = _identity(msgs)
        kind = _kind(ftype, msgs)
        if not msgs and len(decoded) > 1:
            continue  # a chained part with nothing we read (e.g. cached heart-rate data)
        if kind is None:
            what = (
                fp.FILE_TYPE_NAMES.get(ftype, f"type {ftype}") if ftype is not None else "untyped"
            )
            reasons.append(f"FIT {what} file: no sleep, activity or monitoring data in it")
            continue
        if kind == "sleep":
            got = _sleep(msgs, ident, ctx, warnings)
        elif kind == "activity":
            got = _activities(msgs, ident, ctx, warnings)
        else:
            got = _monitoring(msgs, ctx, warnings)
        if isinstance(got, str):
            reasons.append(got)
            continue
        for table, frame in got.items():
            tables[table].append(frame)
    if not tables:
        why = "; ".join(dict.fromkeys(reasons)) or "FIT file holds no message taperdash reads"
        return ImportResult(format=FORMAT, warnings=warnings, skipped=why)
    if reasons:
        warnings.extend(f"chained part skipped: {r}" for r in dict.fromkeys(reasons))
    merged = {table: pl.concat(frames) for table, frames in tables.items()}
    return ImportResult(format=FORMAT, tables=merged, warnings=warnings)


def sniff_fit(name: str, head: bytes) -> bool:
    return len(head) >= 12 and head[0] in (12, 14) and head[8:12] == b".FIT"


FIT = register(Format(FORMAT, "Garmin FIT file", sniff=sniff_fit, read=read_fit))
