"""Samsung Health export CSVs (source `samsung`).

Layouts from FORMATS.md and public readers (nostalgia's SamsungSleep: `skiprows=1`, stage codes
40001 awake, 40002 light, 40003 deep, 40004 REM; a C# CsvHelper map of
com.samsung.health.sleep.{datauuid,time_offset,start_time,end_time} plus sleep_score and
efficiency; several readers of pedometer_day_summary with day_time, step_count, active_time):
line 1 is metadata (`com.samsung.shealth.sleep,6320001,11`), line 2 the header, and data rows
end with a trailing comma. Columns are partly prefixed (`com.samsung.health.sleep.start_time`),
so columns are found by their last dotted part.
- `samsung-sleep` (com.samsung.shealth.sleep.*.csv): start_time, end_time, time_offset,
  datauuid, [efficiency %, sleep_score, sleep_duration, sleep_latency]. sleep_duration is the
  minutes asleep and sleep_latency the minutes to fall asleep; app versions have been reported
  to write milliseconds instead (verify on a real file), so a value that cannot be minutes of
  this session (more than its span) but fits as milliseconds is read as milliseconds, and one
  that fits neither is left out with a warning. With minutes asleep, efficiency is asleep / in
  bed like every source; without, Samsung's own efficiency %. Stage minutes stay null here;
  stages come from the stage file.
- `samsung-sleep-stages` (com.samsung.health.sleep_stage.*.csv): start_time, end_time, stage,
  sleep_id (= the session's datauuid, which is its source_id), time_offset.
- `samsung-steps` (com.samsung.shealth.tracker.pedometer_day_summary.*.csv or
  com.samsung.shealth.step_daily_trend.*.csv): day_time, step_count|count, [active_time ms].
  One row per device per day: the largest count wins.

Time convention: start/end are UTC (`YYYY-MM-DD HH:MM:SS.mmm`) with `time_offset` (`UTC+0100`)
giving the local offset; ctx.tz is used only when time_offset is empty. day_time is the local
day (a date string, or epoch ms of that day's midnight read as a UTC date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from importers.model import ImportRefused, ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

SOURCE = "samsung"
SLEEP = "samsung-sleep"
STAGES_NAME = "samsung-sleep-stages"
STEPS = "samsung-steps"
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
_STAGE_CODES = {"40001": "awake", "40002": "light", "40003": "deep", "40004": "rem"}


def _meta(head: bytes) -> tuple[str, set[str]]:
    ls = c.lines(c.head_text(head), 2)
    if len(ls) < 2:
        return "", set()
    kind = c.norm(ls[0].split(",")[0])
    return kind, {k.rsplit(".", 1)[-1] for k in c.header_keys(ls[1], ",")}


def sniff_sleep(name: str, head: bytes) -> bool:
    kind, keys = _meta(head)
    return kind == "com.samsung.shealth.sleep" and {"start_time", "end_time"} <= keys


def sniff_stages(name: str, head: bytes) -> bool:
    kind, keys = _meta(head)
    return kind == "com.samsung.health.sleep_stage" and {"stage", "sleep_id"} <= keys


def sniff_steps(name: str, head: bytes) -> bool:
    kind, keys = _meta(head)
    return (
        kind
        in {
            "com.samsung.shealth.tracker.pedometer_day_summary",
            "com.samsung.shealth.step_daily_trend",
        }
        and "day_time" in keys
        and bool(keys & {"step_count", "count"})
    )


def _table(data: bytes) -> c.Table:
    text = c.decode(data).replace("\r\n", "\n")
    first, _, rest = text.partition("\n")
    if not first.lower().startswith("com.samsung"):
        raise ImportRefused("line 1: not Samsung's metadata line (com.samsung....)")
    t = c.read_table(rest, sep=",", first_line=2)
    # Samsung prefixes some columns with the table name: look them up by their last part.
    for key, i in list(t.index.items()):
        t.index.setdefault(key.rsplit(".", 1)[-1], i)
    return t


def _when(
    row: dict[str, str | None], key: str, k_off: str | None, ctx: ReadContext
) -> tuple[dt.datetime, int]:
    name = c.label(row, key)
    raw = c.required(c.text(row, key), name)
    utc = c.parse_naive(raw, TIME_FORMATS, name).replace(tzinfo=c.UTC)
    off_raw = c.text(row, k_off)
    if off_raw is None:
        local = utc.astimezone(ctx.tz)
        return utc, c.offset_of(local)
    return utc, c.parse_offset(off_raw, "time_offset")


def _minutes_of(value: float | None, span_min: float, what: str) -> float | None:
    """Minutes from a Samsung duration that may be minutes or milliseconds (see the docstring);
    None when it fits neither."""
    if value is None:
        return None
    if value <= span_min + 1:
        return value
    as_ms = value / 60000
    if as_ms <= span_min + 1:
        return round(as_ms, 1)
    raise c.RowError(
        f"column {what!r}: {value:g} is neither minutes nor milliseconds of a "
        f"{span_min:g}-min session"
    )


def read_sleep(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = _table(data)
    k_start, k_end = t.need("start_time", "start_time"), t.need("end_time", "end_time")
    k_off, k_id = t.find("time_offset"), t.find("datauuid")
    k_eff, k_score = t.find("efficiency"), t.find("sleep_score")
    k_asleep, k_latency = t.find("sleep_duration"), t.find("sleep_latency")
    warnings: list[str] = []

    def row_fn(item: tuple[int, dict[str, str | None]]) -> dict[str, Any]:
        line, row = item
        start, offset = _when(row, k_start, k_off, ctx)
        end, _ = _when(row, k_end, k_off, ctx)
        span = c.minutes_between(start, end)
        eff = c.number(row, k_eff, lo=0, hi=100)
        measured: dict[str, float | None] = {}
        for what, key in (("sleep_duration", k_asleep), ("sleep_latency", k_latency)):
            try:
                measured[what] = _minutes_of(c.number(row, key, lo=0, hi=1e9), span, what)
            except c.RowError as exc:
                warnings.append(f"line {line}: {exc}; left out")
                measured[what] = None
        return c.session(
            SOURCE,
            c.text(row, k_id) or start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            start,
            end,
            offset,
            asleep=measured["sleep_duration"],
            latency=measured["sleep_latency"],
            efficiency=None if eff is None else eff / 100,
            score=c.number(row, k_score, lo=0, hi=100),
        )

    col = c.Collector(ctx)
    sessions = col.each(((line, (line, row)) for line, row in t.records()), row_fn)
    return c.result(SLEEP, col.warnings + warnings, sessions=sessions)


def read_stages(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = _table(data)
    k_start, k_end = t.need("start_time", "start_time"), t.need("end_time", "end_time")
    k_stage, k_sleep = t.need("stage", "stage"), t.need("sleep_id", "sleep_id")

    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        start = c.parse_naive(
            c.required(c.text(row, k_start), "start_time"), TIME_FORMATS, "start_time"
        )
        end = c.parse_naive(c.required(c.text(row, k_end), "end_time"), TIME_FORMATS, "end_time")
        code = c.required(c.text(row, k_stage), "stage")
        if code not in _STAGE_CODES:
            raise c.RowError(f"column 'stage': unknown stage code {c.clip(code)!r} (40001..40004)")
        if end <= start:
            raise c.RowError("column 'end_time': not after start_time")
        sid = c.required(c.text(row, k_sleep), "sleep_id")
        return c.stage(
            SOURCE, sid, start.replace(tzinfo=c.UTC), end.replace(tzinfo=c.UTC), _STAGE_CODES[code]
        )

    col = c.Collector(ctx)
    stages = col.each(t.records(), row_fn)
    return c.result(STAGES_NAME, col.warnings, stages=stages)


def read_steps(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = _table(data)
    k_day = t.need("day_time", "day_time")
    k_count = t.need("step count", "step_count", "count")
    k_active = t.find("active_time")

    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        raw = c.required(c.text(row, k_day), "day_time")
        if raw.isdigit():
            try:
                date = dt.datetime.fromtimestamp(int(raw) / 1000, c.UTC).date()
            except (ValueError, OverflowError, OSError):
                raise c.RowError(
                    f"column 'day_time': {c.clip(raw)} is not an epoch-ms day"
                ) from None
        else:
            date = c.parse_naive(raw, (*TIME_FORMATS, "%Y-%m-%d"), "day_time").date()
        active = c.number(row, k_active, lo=0, hi=86_400_000)
        return c.day(
            SOURCE,
            date,
            steps=c.required(c.number(row, k_count, lo=0, hi=500_000), "step_count"),
            active_min=None if active is None else round(active / 60000, 1),
        )

    col = c.Collector(ctx)
    days = col.each(t.records(), row_fn)
    return c.result(STEPS, col.warnings, daily=days)


SLEEP_FORMAT = register(
    Format(SLEEP, "Samsung Health com.samsung.shealth.sleep CSV", sniff_sleep, read_sleep)
)
STAGES_FORMAT = register(
    Format(
        STAGES_NAME, "Samsung Health com.samsung.health.sleep_stage CSV", sniff_stages, read_stages
    )
)
STEPS_FORMAT = register(
    Format(
        STEPS,
        "Samsung Health daily steps CSV (pedometer_day_summary, step_daily_trend)",
        sniff_steps,
        read_steps,
    )
)
