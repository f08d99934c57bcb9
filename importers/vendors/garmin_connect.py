"""Garmin Connect account exports (source `garmin_connect`); FIT files are importers/fit.py.

Layouts from FORMATS.md and public readers of the Connect data (garth's SleepData model; a
Garmin data-mapping document found through the code search for the sleep keys):
- `garmin-connect-sleep-json` (`*_sleepData.json` in the account export): a JSON array of nights
  with calendarDate (wake date), sleepStartTimestampGMT, sleepEndTimestampGMT (GMT, no offset),
  deepSleepSeconds, lightSleepSeconds, remSleepSeconds, awakeSleepSeconds, unmeasurableSeconds,
  awakeCount, sleepScores{overallScore | overall{value}}. asleep = deep + light + rem; no stage
  timeline in this file. Entries without start/end (days not worn) are skipped with a warning.
- `garmin-connect-activities` (the web Activities list exported as CSV): Activity Type, Date,
  Favorite, Title, Distance, Calories, Time (hh:mm:ss), Avg HR, Max HR, ... `--` is missing,
  numbers carry thousands separators, columns vary with the account's settings. Distance is read
  as km (metres for swims, which Connect lists in m); an imperial account's miles can be chosen
  with ctx.options["garmin_distance_unit"] = "mi".

Time convention: the sleep JSON gives GMT instants; the local offset is ctx.tz's at that
instant (the file does not carry it). The activities CSV `Date` is local wall clock without an
offset and is read in ctx.tz; end = start + Time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from importers.model import ImportRefused, ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

SOURCE = "garmin_connect"
SLEEP = "garmin-connect-sleep-json"
ACTIVITIES = "garmin-connect-activities"
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M")


def sniff_sleep(name: str, head: bytes) -> bool:
    text = c.head_text(head).lstrip()
    return text.startswith("[") and '"sleepStartTimestampGMT"' in text


def _seconds(obj: dict[str, Any], key: str) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 86400:
        raise c.RowError(f"key '{key}': not a duration in seconds ({c.clip(value)!r})")
    return round(value / 60, 2)


def _score(obj: dict[str, Any]) -> float | None:
    scores = obj.get("sleepScores")
    if not isinstance(scores, dict):
        return None
    value = scores.get("overallScore", scores.get("overall"))
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
        return float(value)
    return None


def _gmt(raw: Any, key: str) -> dt.datetime:
    if not isinstance(raw, str):
        raise c.RowError(f"key '{key}': not a date/time string")
    text = raw.strip().rstrip("Z")
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise c.RowError(f"key '{key}': not a date/time ({c.clip(raw)!r})") from None
    return value.replace(tzinfo=c.UTC) if value.tzinfo is None else value


def read_sleep(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    try:
        nights = json.loads(c.decode(data))
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(nights, list):
        raise ImportRefused("top level: expected a JSON array of nights")
    col = c.Collector(ctx, unit="record")
    sessions = []
    for i, obj in enumerate(nights, start=1):
        try:
            if not isinstance(obj, dict):
                raise c.RowError("not a JSON object")
            if obj.get("sleepStartTimestampGMT") is None:
                col.warnings.append(
                    f"record {i}: no sleep recorded ({obj.get('calendarDate', '?')}), skipped"
                )
                continue
            start = _gmt(obj.get("sleepStartTimestampGMT"), "sleepStartTimestampGMT")
            end = _gmt(obj.get("sleepEndTimestampGMT"), "sleepEndTimestampGMT")
            deep, light, rem = (
                _seconds(obj, k)
                for k in ("deepSleepSeconds", "lightSleepSeconds", "remSleepSeconds")
            )
            parts = [v for v in (deep, light, rem) if v is not None]
            wakes = obj.get("awakeCount")
            sessions.append(
                c.session(
                    SOURCE,
                    start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    start,
                    end,
                    c.offset_of(start.astimezone(ctx.tz)),
                    asleep=round(sum(parts), 2) if parts else None,
                    awake=_seconds(obj, "awakeSleepSeconds"),
                    light=light,
                    deep=deep,
                    rem=rem,
                    awakenings=wakes
                    if isinstance(wakes, int) and not isinstance(wakes, bool) and 0 <= wakes < 1000
                    else None,
                    score=_score(obj),
                )
            )
        except c.RowError as exc:
            col.bad(i, str(exc))
        except (OverflowError, ValueError) as exc:
            col.bad(i, f"value out of range ({c.clip(exc, 80)})")
    return c.result(SLEEP, col.warnings, sessions=sessions)


def sniff_activities(name: str, head: bytes) -> bool:
    first = c.lines(c.head_text(head), 1)
    if not first:
        return False
    k = set(c.header_keys(first[0]))
    return {"activity type", "date", "title", "time"} <= k and bool(k & {"distance", "calories"})


_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")


def _duration(raw: str | None) -> float | None:
    if raw is None:
        return None
    m = _DURATION.match(raw.strip())
    if not m:
        raise c.RowError(f"column 'time': not h:mm:ss ({c.clip(raw)!r})")
    hours, minutes, seconds = (
        int(m.group(1) or 0),
        int(m.group(2)),
        float(m.group(3).replace(",", ".")),
    )
    return hours * 60 + minutes + seconds / 60


def read_activities(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = c.read_table(c.decode(data))
    dec = t.separator == ";"
    k_type, k_date, k_time = (
        t.need("activity type", "Activity Type"),
        t.need("date", "Date"),
        t.need("time", "Time"),
    )
    k_dist, k_cal = t.find("Distance"), t.find("Calories")
    k_avg, k_max = t.find("Avg HR"), t.find("Max HR")
    per_km = (
        1609.344
        if str(ctx.options.get("garmin_distance_unit", "km")).lower() in {"mi", "miles"}
        else 1000.0
    )

    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        local = c.parse_naive(c.required(c.text(row, k_date), "Date"), TIME_FORMATS, "Date")
        start, offset = c.localize(local, ctx.tz)
        minutes = c.required(_duration(c.text(row, k_time)), "Time")
        if minutes > 7 * 24 * 60:
            raise c.RowError("column 'time': longer than a week")
        kind = c.text(row, k_type)
        sport = c.sport_of(kind)
        dist = c.number(row, k_dist, decimal_comma=dec, lo=0, hi=1_000_000)
        if dist is not None and sport != "swimming":
            dist *= per_km
        return c.activity(
            SOURCE,
            start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            start,
            start + dt.timedelta(minutes=minutes),
            offset,
            sport,
            distance_m=dist,
            calories=c.number(row, k_cal, decimal_comma=dec, lo=0, hi=20_000),
            avg_hr=c.number(row, k_avg, decimal_comma=dec, lo=20, hi=250),
            max_hr=c.number(row, k_max, decimal_comma=dec, lo=20, hi=250),
        )

    col = c.Collector(ctx)
    acts = col.each(t.records(), row_fn)
    return c.result(ACTIVITIES, col.warnings, activities=acts)


SLEEP_FORMAT = register(
    Format(SLEEP, "Garmin Connect account export *_sleepData.json", sniff_sleep, read_sleep)
)
ACTIVITIES_FORMAT = register(
    Format(ACTIVITIES, "Garmin Connect Activities list CSV", sniff_activities, read_activities)
)
