"""Whoop account export CSVs (source `whoop`).

Layouts from FORMATS.md and public parsers of the export (a dbt staging model of
`physiological_cycles.csv` and a sleeps.csv column description found through the code search):
- `whoop-sleeps` (sleeps.csv): Cycle start time, Cycle end time, Cycle timezone, Sleep onset,
  Wake onset, Sleep performance %, Respiratory rate (rpm), Asleep duration (min), In bed
  duration (min), Light sleep duration (min), Deep (SWS) duration (min), REM duration (min),
  Awake duration (min), Sleep need (min), Sleep debt (min), Sleep efficiency %, [Sleep
  consistency %], Nap.
- `whoop-workouts` (workouts.csv): Cycle start/end time, Cycle timezone, Workout start time,
  Workout end time, Duration (min), Activity name, Activity Strain, Energy burned (cal), Max HR
  (bpm), Average HR (bpm), HR zones, GPS enabled, [Distance (meters)] — columns vary.
- `whoop-cycles` (physiological_cycles.csv): Cycle start/end time, Cycle timezone, Recovery
  score %, Resting heart rate (bpm), ... -> daily_activity.resting_hr on the local date of Wake
  onset (the morning the recovery is measured), else of the cycle end. The same file repeats each
  cycle's sleep (Sleep onset, Wake onset, Sleep performance %, Asleep / In bed / Light / Deep
  (SWS) / REM / Awake duration (min)) -> sleep_sessions with sleeps.csv's source_id (the onset
  in UTC), so importing both files gives one night, not two.

Time convention: times are local wall clock (`2025-02-03 22:33:01`); `Cycle timezone` gives that
row's offset (`UTC+07:00`, `UTC-08:00`) and changes within a file when the person travels.
ctx.tz is used only for a row without a Cycle timezone. The current cycle has an empty end.
Header names are matched case- and space-insensitively; localised headers were not found in
any public source, so only the English names are known. Whoop gives no stage timeline (only
minutes) and no awakening count; efficiency = asleep / in bed, Whoop's Sleep performance % is
the score, is_nap from the Nap column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from importers.model import ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

SOURCE = "whoop"
SLEEPS = "whoop-sleeps"
WORKOUTS = "whoop-workouts"
CYCLES = "whoop-cycles"
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
)


def _keys(head: bytes) -> set[str]:
    first = c.lines(c.head_text(head), 1)
    return set(c.header_keys(first[0])) if first else set()


def sniff_sleeps(name: str, head: bytes) -> bool:
    k = _keys(head)
    return {
        "cycle timezone",
        "sleep onset",
        "wake onset",
        "asleep duration (min)",
        "nap",
    } <= k and "recovery score %" not in k


def sniff_workouts(name: str, head: bytes) -> bool:
    k = _keys(head)
    return {"cycle timezone", "workout start time", "workout end time"} <= k


def sniff_cycles(name: str, head: bytes) -> bool:
    k = _keys(head)
    return {"cycle start time", "cycle timezone", "recovery score %"} <= k


def _tz(row: dict[str, str | None], k_tz: str | None, ctx: ReadContext) -> dt.tzinfo:
    raw = c.text(row, k_tz)
    return ctx.tz if raw is None else c.fixed_offset(c.parse_offset(raw, "Cycle timezone"))


def _at(row: dict[str, str | None], key: str, label: str, tz: dt.tzinfo) -> tuple[dt.datetime, int]:
    raw = c.required(c.text(row, key), label)
    return c.localize(c.parse_naive(raw, TIME_FORMATS, label), tz)


def _sleep_keys(t: c.Table) -> dict[str, str | None]:
    return {
        "asleep": t.find("Asleep duration (min)"),
        "bed": t.find("In bed duration (min)"),
        "light": t.find("Light sleep duration (min)"),
        "deep": t.find("Deep (SWS) duration (min)", "Deep sleep duration (min)"),
        "rem": t.find("REM duration (min)", "REM sleep duration (min)"),
        "awake": t.find("Awake duration (min)"),
    }


def _sleep(
    row: dict[str, str | None],
    *,
    k_tz: str | None,
    k_on: str,
    k_wake: str,
    k: dict[str, str | None],
    k_perf: str | None,
    is_nap: bool,
    dec: bool,
    ctx: ReadContext,
) -> dict[str, Any]:
    """One sleep row. sleeps.csv and physiological_cycles.csv both carry a cycle's sleep: the
    same source_id (the onset in UTC) makes the two files one night in the store."""
    tz = _tz(row, k_tz, ctx)
    start, offset = _at(row, k_on, "Sleep onset", tz)
    end, _ = _at(row, k_wake, "Wake onset", tz)
    m = {name: c.number(row, key, decimal_comma=dec, lo=0, hi=1440) for name, key in k.items()}
    return c.session(
        SOURCE,
        start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        start,
        end,
        offset,
        in_bed=m["bed"],
        asleep=m["asleep"],
        awake=m["awake"],
        light=m["light"],
        deep=m["deep"],
        rem=m["rem"],
        score=c.number(row, k_perf, decimal_comma=dec, lo=0, hi=100),
        is_nap=is_nap,
    )


def read_sleeps(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = c.read_table(c.decode(data))
    dec = t.separator == ";"
    k_tz = t.find("Cycle timezone")
    k_on = t.need("sleep onset", "Sleep onset")
    k_wake = t.need("wake onset", "Wake onset")
    k = _sleep_keys(t)
    k_perf = t.find("Sleep performance %")
    k_nap = t.find("Nap")

    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        return _sleep(
            row,
            k_tz=k_tz,
            k_on=k_on,
            k_wake=k_wake,
            k=k,
            k_perf=k_perf,
            is_nap=bool(c.as_bool(row, k_nap)),
            dec=dec,
            ctx=ctx,
        )

    col = c.Collector(ctx)
    sessions = col.each(t.records(), row_fn)
    return c.result(SLEEPS, col.warnings, sessions=sessions)


def read_workouts(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = c.read_table(c.decode(data))
    dec = t.separator == ";"
    k_tz = t.find("Cycle timezone")
    k_start = t.need("workout start time", "Workout start time")
    k_end = t.need("workout end time", "Workout end time")
    k_name = t.find("Activity name", "Sport")
    k_kcal = t.find("Energy burned (cal)", "Calories burned (cal)")
    k_max = t.find("Max HR (bpm)")
    k_avg = t.find("Average HR (bpm)")
    k_dist = t.find("Distance (meters)", "Distance (m)")

    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        tz = _tz(row, k_tz, ctx)
        start, offset = _at(row, k_start, "Workout start time", tz)
        end, _ = _at(row, k_end, "Workout end time", tz)
        sport = c.text(row, k_name)
        return c.activity(
            SOURCE,
            start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            start,
            end,
            offset,
            c.sport_of(sport),
            distance_m=c.number(row, k_dist, decimal_comma=dec, lo=0, hi=1_000_000),
            calories=c.number(row, k_kcal, decimal_comma=dec, lo=0, hi=20_000),
            avg_hr=c.number(row, k_avg, decimal_comma=dec, lo=20, hi=250),
            max_hr=c.number(row, k_max, decimal_comma=dec, lo=20, hi=250),
        )

    col = c.Collector(ctx)
    acts = col.each(t.records(), row_fn)
    return c.result(WORKOUTS, col.warnings, activities=acts)


def read_cycles(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = c.read_table(c.decode(data))
    dec = t.separator == ";"
    k_tz = t.find("Cycle timezone")
    k_end = t.find("Cycle end time")
    k_on = t.find("Sleep onset")
    k_wake = t.find("Wake onset")
    k_rhr = t.need("resting heart rate", "Resting heart rate (bpm)")
    k = _sleep_keys(t)
    k_perf = t.find("Sleep performance %")

    def row_fn(row: dict[str, str | None]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """(the cycle's sleep, its day): a row is read whole or skipped whole, so a bad
        resting HR does not leave its sleep behind, nor a bad sleep value lose its HR."""
        sleep: dict[str, Any] | None = None
        # each cycle's main sleep (cycles hold no naps); the current cycle has no wake yet
        if k_on and k_wake and c.text(row, k_on) and c.text(row, k_wake):
            sleep = _sleep(
                row,
                k_tz=k_tz,
                k_on=k_on,
                k_wake=k_wake,
                k=k,
                k_perf=k_perf,
                is_nap=False,
                dec=dec,
                ctx=ctx,
            )
        rhr = c.number(row, k_rhr, decimal_comma=dec, lo=20, hi=250)
        if rhr is None:
            return sleep, None
        key = k_wake if c.text(row, k_wake) else k_end
        if key is None or c.text(row, key) is None:
            # the current, unfinished cycle: its morning is not known yet
            return sleep, None
        raw = c.text(row, key)
        assert raw is not None
        # the wall clock is already local, so its date is the day; no zone needed
        local = c.parse_naive(
            raw, TIME_FORMATS, "Wake onset" if key == k_wake else "Cycle end time"
        )
        return sleep, c.day(SOURCE, local.date(), resting_hr=rhr)

    col = c.Collector(ctx)
    parts = col.each(t.records(), row_fn)
    sessions = [sleep for sleep, _ in parts if sleep is not None]
    days = [day for _, day in parts if day is not None]
    return c.result(CYCLES, col.warnings, sessions=sessions, daily=days)


SLEEPS_FORMAT = register(Format(SLEEPS, "Whoop sleeps.csv", sniff_sleeps, read_sleeps))
WORKOUTS_FORMAT = register(Format(WORKOUTS, "Whoop workouts.csv", sniff_workouts, read_workouts))
CYCLES_FORMAT = register(
    Format(
        CYCLES,
        "Whoop physiological_cycles.csv (resting heart rate, each cycle's sleep)",
        sniff_cycles,
        read_cycles,
    )
)
