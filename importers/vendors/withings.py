"""Withings account export CSVs (source `withings`).

Layouts from FORMATS.md and public readers of the export (withings-to-influxdb's notes on
sleep.csv / raw_tracker_*.csv, withings-sleep-analysis):
- `withings-sleep` (sleep.csv): from, to, light (s), deep (s), rem (s), awake (s), wake up,
  Duration to sleep (s), Duration to wake up (s), Snoring (s), Snoring episodes, Average heart
  rate, Heart rate (min), Heart rate (max), [Night events, Notes]. Localised first columns:
  German von, bis, leicht (s), tief (s), wach (s), Aufwachen; Spanish de, a, ligero (s),
  profundo (s), despierto (s); the Duration/Heart rate columns stay English.
  asleep = light + deep + rem; awakenings = `wake up`; latency = Duration to sleep.
- `withings-steps` (aggregates_steps.csv): date, value -> daily steps. Only sniffed when the
  file name says steps, since `date,value` alone says nothing.
- `withings-activities` (activities.csv): from, to, Timezone (IANA), Activity type, Data (JSON
  with calories, distance, hr_average, hr_max, ...), GPS, ... Real exports also carry
  "from (manual)", "to (manual)" and Modified, and localise from/to like sleep.csv (German:
  `von,bis,"from (manual)","to (manual)",Timezone,"Activity type",Data,GPS,Modified`; the
  other names stay English). The manual times stand in where from/to are empty.

Time convention: from/to are ISO 8601 with the local offset (exact instants). A value without
an offset is read in the row's Timezone column (activities) or ctx.tz. Withings gives no stage
timeline in this export and no nap flag; efficiency = asleep / in bed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from importers.model import ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

SOURCE = "withings"
SLEEP = "withings-sleep"
STEPS = "withings-steps"
ACTIVITIES = "withings-activities"

# Only the localisations seen in FORMATS.md; other languages need their names added here.
FROM = ("from", "von", "de")
TO = ("to", "bis", "a")
LIGHT = ("light (s)", "leicht (s)", "ligero (s)")
DEEP = ("deep (s)", "tief (s)", "profundo (s)")
REM = ("rem (s)",)
AWAKE = ("awake (s)", "wach (s)", "despierto (s)")
WAKEUPS = ("wake up", "aufwachen")


def _keys(head: bytes) -> set[str]:
    first = c.lines(c.head_text(head), 1)
    return set(c.header_keys(first[0])) if first else set()


def sniff_sleep(name: str, head: bytes) -> bool:
    k = _keys(head)
    return (
        bool(k & set(FROM))
        and bool(k & set(LIGHT))
        and bool(k & set(DEEP))
        and "duration to sleep (s)" in k
    )


def sniff_steps(name: str, head: bytes) -> bool:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "steps" in base and base.endswith(".csv") and _keys(head) == {"date", "value"}


FROM_MANUAL = ("from (manual)",)
TO_MANUAL = ("to (manual)",)


def sniff_activities(name: str, head: bytes) -> bool:
    k = _keys(head)
    return (
        bool(k & {*FROM, *FROM_MANUAL})
        and bool(k & {*TO, *TO_MANUAL})
        and {"timezone", "activity type", "data"} <= k
    )


def _when(raw: str, label: str, tz: dt.tzinfo) -> tuple[dt.datetime, int]:
    try:
        aware = c.parse_aware(raw, label)
    except c.RowError:
        return c.localize(c.parse_naive(raw, ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"), label), tz)
    return aware.astimezone(c.UTC), c.offset_of(aware)


def read_sleep(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = c.read_table(c.decode(data))
    dec = t.separator == ";"
    k_from = t.need("from", *FROM)
    k_to = t.need("to", *TO)
    k_light, k_deep, k_rem, k_awake = t.find(*LIGHT), t.find(*DEEP), t.find(*REM), t.find(*AWAKE)
    k_wakes = t.find(*WAKEUPS)
    k_lat = t.find("Duration to sleep (s)")

    def secs(row: dict[str, str | None], key: str | None) -> float | None:
        v = c.number(row, key, decimal_comma=dec, lo=0, hi=86400)
        return None if v is None else round(v / 60, 2)

    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        l_from, l_to = c.label(row, k_from), c.label(row, k_to)
        start, offset = _when(c.required(c.text(row, k_from), l_from), l_from, ctx.tz)
        end, _ = _when(c.required(c.text(row, k_to), l_to), l_to, ctx.tz)
        light, deep, rem = secs(row, k_light), secs(row, k_deep), secs(row, k_rem)
        parts = [v for v in (light, deep, rem) if v is not None]
        return c.session(
            SOURCE,
            start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            start,
            end,
            offset,
            asleep=round(sum(parts), 2) if parts else None,
            awake=secs(row, k_awake),
            light=light,
            deep=deep,
            rem=rem,
            awakenings=c.integer(c.number(row, k_wakes, decimal_comma=dec, lo=0, hi=1000)),
            latency=secs(row, k_lat),
        )

    col = c.Collector(ctx)
    sessions = col.each(t.records(), row_fn)
    return c.result(SLEEP, col.warnings, sessions=sessions)


def read_steps(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = c.read_table(c.decode(data))
    dec = t.separator == ";"
    k_date = t.need("date", "date")
    k_value = t.need("value", "value")

    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        raw = c.required(c.text(row, k_date), "date")
        date = c.parse_naive(raw[:10], ("%Y-%m-%d",), "date").date()
        return c.day(
            SOURCE,
            date,
            steps=c.required(c.number(row, k_value, decimal_comma=dec, lo=0, hi=500_000), "value"),
        )

    col = c.Collector(ctx)
    days = col.each(t.records(), row_fn)
    return c.result(STEPS, col.warnings, daily=days)


def _json_field(blob: dict[str, Any], *keys: str, hi: float) -> float | None:
    for key in keys:
        value = blob.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not 0 <= value <= hi:
                raise c.RowError(f"column 'Data': {key} {value} is out of range (0..{hi:g})")
            return float(value)
    return None


def read_activities(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = c.read_table(c.decode(data))
    k_from, k_to = t.find(*FROM), t.find(*TO)
    k_from_manual, k_to_manual = t.find(*FROM_MANUAL), t.find(*TO_MANUAL)
    if k_from is None and k_from_manual is None:
        t.need("from", *FROM, *FROM_MANUAL)
    if k_to is None and k_to_manual is None:
        t.need("to", *TO, *TO_MANUAL)
    k_tz, k_type, k_data = t.find("Timezone"), t.find("Activity type"), t.find("Data")

    def when(
        row: dict[str, str | None], keys: tuple[str | None, str | None], tz: dt.tzinfo
    ) -> tuple[dt.datetime, int]:
        for key in keys:
            raw = c.text(row, key)
            if raw:
                return _when(raw, c.label(row, key), tz)
        raise c.RowError(f"column '{c.label(row, keys[0] or keys[1])}': empty")

    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        tz_raw = c.text(row, k_tz)
        tz = c.zone(tz_raw, "Timezone") if tz_raw else ctx.tz
        start, offset = when(row, (k_from, k_from_manual), tz)
        end, _ = when(row, (k_to, k_to_manual), tz)
        blob: dict[str, Any] = {}
        raw = c.text(row, k_data)
        if raw:
            try:
                loaded = json.loads(raw)
            except json.JSONDecodeError:
                raise c.RowError(f"column 'Data': not JSON ({c.clip(raw)!r})") from None
            if isinstance(loaded, dict):
                blob = loaded
        return c.activity(
            SOURCE,
            start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            start,
            end,
            offset,
            c.sport_of(c.text(row, k_type)),
            distance_m=_json_field(blob, "distance", "manual_distance", hi=1_000_000),
            calories=_json_field(blob, "calories", "manual_calories", hi=20_000),
            avg_hr=_json_field(blob, "hr_average", hi=250),
            max_hr=_json_field(blob, "hr_max", hi=250),
        )

    col = c.Collector(ctx)
    acts = col.each(t.records(), row_fn)
    return c.result(ACTIVITIES, col.warnings, activities=acts)


SLEEP_FORMAT = register(
    Format(SLEEP, "Withings sleep.csv (localised headers)", sniff_sleep, read_sleep)
)
STEPS_FORMAT = register(
    Format(STEPS, "Withings aggregates_steps.csv (date,value)", sniff_steps, read_steps)
)
ACTIVITIES_FORMAT = register(
    Format(ACTIVITIES, "Withings activities.csv", sniff_activities, read_activities)
)
