"""Oura exports (source `oura`).

`oura-csv` — the older web "trends" CSV: one row per day, `date` = wake date. Layout from
FORMATS.md and public parsers of the file (e.g. the column lists in the Oura trends tools found
through the code search: `date, Sleep Score, Total Sleep Score, ..., Sleep Timin Score, Total
Sleep Duration, Total Bedtime , Awake Time, REM Sleep Duration, Light Sleep Duration, Deep Sleep
Duration, Restless Sleep, Sleep Efficiency, Sleep Latency, Sleep Timing, Bedtime Start, Bedtime
End, Average Resting Heart Rate, Lowest Resting Heart Rate, ..., Steps, ...`). Header names are
matched without regard to case and surrounding spaces (`Total Bedtime `); a duplicated column
keeps its first occurrence; `None` means missing. Durations and latency are seconds. Activity-only
rows (no bedtime) give only a daily_activity row (Steps, Lowest Resting Heart Rate). Active
minutes are Medium + High Activity Time (moderate and vigorous, like Fitbit's fairly + very
active); they mirror API v1's activity minutes, so they are read as minutes, and a value over a
day's 1440 as seconds (verify on a real file).

`oura-app` — the newer app export's `;`-separated sleep CSV (and the same fields from API v2):
id; bedtime_start; bedtime_end; day; type; total_sleep_duration; time_in_bed; awake_time;
light/deep/rem_sleep_duration; latency; efficiency; sleep_phase_5_min. Field names from FORMATS.md
and the Oura API v2 sleep model. type long_sleep is the main sleep; sleep, late_nap and rest are
naps; deleted rows are dropped.

`oura-json` — the v1 JSON account export {"sleep": [...], "activity": [...]}: summary_date,
bedtime_start, bedtime_end, duration, total, awake, light, rem, deep, onset_latency, efficiency,
score, hypnogram_5min, is_longest; activity: summary_date, steps.

Time convention (all three): bedtime start/end are ISO 8601 with the local offset of the night
(it changes at DST), so they are exact; ctx.tz is not needed for sleep. Stages come from the
5-minute hypnogram (1 deep, 2 light, 3 rem, 4 awake) from bedtime start. efficiency = asleep /
in bed; Oura's own sleep score is kept in `score` (trends and v1 only).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from importers.model import ImportRefused, ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

SOURCE = "oura"
CSV_NAME = "oura-csv"
APP_NAME = "oura-app"
JSON_NAME = "oura-json"
_HYPNO = {"1": "deep", "2": "light", "3": "rem", "4": "awake"}
_NAP_TYPES = {"sleep", "late_nap", "rest"}


def _hypnogram(sid: str, start: dt.datetime, raw: str | None) -> list[dict[str, Any]]:
    if not raw:
        return []
    out: list[dict[str, Any]] = []
    for i, ch in enumerate(raw.strip()):
        if ch not in _HYPNO:
            raise c.RowError(f"hypnogram: unknown stage code {ch!r} at position {i + 1}")
        a = start + dt.timedelta(minutes=5 * i)
        b = a + dt.timedelta(minutes=5)
        kind = _HYPNO[ch]
        if out and out[-1]["stage"] == kind and out[-1]["end"] == a.astimezone(c.UTC):
            out[-1]["end"] = b.astimezone(c.UTC)
        else:
            out.append(c.stage(SOURCE, sid, a, b, kind))
    return out


def _sec(value: float | None) -> float | None:
    return None if value is None else round(value / 60, 2)


# ---------------------------------------------------------------- trends CSV


def sniff_csv(name: str, head: bytes) -> bool:
    first = c.lines(c.head_text(head), 1)
    if not first:
        return False
    keys = set(c.header_keys(first[0]))
    return (
        "date" in keys
        and "bedtime start" in keys
        and bool(keys & {"total bedtime", "total sleep duration"})
    )


def read_csv(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    table = c.read_table(c.decode(data))
    dec = table.separator == ";"
    k_date = table.need("date", "date")
    k_start = table.need("bedtime start", "Bedtime Start")
    k_end = table.need("bedtime end", "Bedtime End")
    k_total = table.find("Total Sleep Duration", "Total Sleep Time")
    k_bed = table.find("Total Bedtime", "Time in Bed")
    k_awake = table.find("Awake Time")
    k_rem = table.find("REM Sleep Duration", "REM Sleep Time")
    k_light = table.find("Light Sleep Duration", "Light Sleep Time")
    k_deep = table.find("Deep Sleep Duration", "Deep Sleep Time")
    k_lat = table.find("Sleep Latency")
    k_score = table.find("Sleep Score")
    k_steps = table.find("Steps")
    k_rhr = table.find("Lowest Resting Heart Rate", "Average Resting Heart Rate")
    k_medium = table.find("Medium Activity Time")
    k_high = table.find("High Activity Time")
    sessions: list[dict[str, Any]] = []
    daily: list[dict[str, Any]] = []

    def secs(row: dict[str, str | None], key: str | None) -> float | None:
        return _sec(c.number(row, key, decimal_comma=dec, lo=0, hi=86400))

    def row_fn(row: dict[str, str | None]) -> bool:
        date_raw = c.required(c.text(row, k_date), "date")
        date = c.parse_naive(date_raw, ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y"), "date").date()
        s_raw, e_raw = c.text(row, k_start), c.text(row, k_end)
        new_sessions = []
        if s_raw or e_raw:
            start = c.parse_aware(c.required(s_raw, "Bedtime Start"), "Bedtime Start")
            end = c.parse_aware(c.required(e_raw, "Bedtime End"), "Bedtime End")
            new_sessions.append(
                c.session(
                    SOURCE,
                    start.astimezone(c.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    start,
                    end,
                    c.offset_of(start),
                    in_bed=secs(row, k_bed),
                    asleep=secs(row, k_total),
                    awake=secs(row, k_awake),
                    rem=secs(row, k_rem),
                    light=secs(row, k_light),
                    deep=secs(row, k_deep),
                    latency=secs(row, k_lat),
                    score=c.number(row, k_score, decimal_comma=dec, lo=0, hi=100),
                )
            )
        steps = c.number(row, k_steps, decimal_comma=dec, lo=0, hi=500_000)
        rhr = c.number(row, k_rhr, decimal_comma=dec, lo=20, hi=250)
        parts = [c.number(row, k, decimal_comma=dec, lo=0, hi=86400) for k in (k_medium, k_high)]
        active = None
        if any(p is not None for p in parts):
            # in the file's unit for now: minutes or seconds is decided once for the file
            active = sum(p for p in parts if p is not None)
        sessions.extend(new_sessions)
        if steps is not None or rhr is not None or active is not None:
            daily.append(c.day(SOURCE, date, steps=steps, active_min=active, resting_hr=rhr))
        return True

    col = c.Collector(ctx)
    col.each(table.records(), row_fn)
    # one unit for the whole column: a day longer than 1440 minutes means the file is in
    # seconds, quiet days included (600 s is 10 min, not 600)
    if any(d["active_min"] is not None and d["active_min"] > 1440 for d in daily):
        for d in daily:
            if d["active_min"] is not None:
                d["active_min"] /= 60
    return c.result(CSV_NAME, col.warnings, sessions=sessions, daily=daily)


# ---------------------------------------------------------------- app export / API v2 fields


def sniff_app(name: str, head: bytes) -> bool:
    first = c.lines(c.head_text(head), 1)
    if not first:
        return False
    keys = set(c.header_keys(first[0]))
    return {"bedtime_start", "bedtime_end"} <= keys and bool(
        keys & {"total_sleep_duration", "time_in_bed"}
    )


def _v2_session(
    get: Callable[[str], Any], num: Callable[[str, float, float], float | None], fallback_id: str
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    kind = (get("type") or "long_sleep").strip().lower()
    if kind == "deleted":
        return None
    start = c.parse_aware(c.required(get("bedtime_start"), "bedtime_start"), "bedtime_start")
    end = c.parse_aware(c.required(get("bedtime_end"), "bedtime_end"), "bedtime_end")
    sid = get("id") or fallback_id or start.astimezone(c.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sess = c.session(
        SOURCE,
        str(sid),
        start,
        end,
        c.offset_of(start),
        in_bed=_sec(num("time_in_bed", 0, 86400)),
        asleep=_sec(num("total_sleep_duration", 0, 86400)),
        awake=_sec(num("awake_time", 0, 86400)),
        light=_sec(num("light_sleep_duration", 0, 86400)),
        deep=_sec(num("deep_sleep_duration", 0, 86400)),
        rem=_sec(num("rem_sleep_duration", 0, 86400)),
        latency=_sec(num("latency", 0, 86400)),
        is_nap=kind in _NAP_TYPES,
    )
    return sess, _hypnogram(str(sid), start, get("sleep_phase_5_min"))


def read_app(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    table = c.read_table(c.decode(data))
    dec = table.separator == ";"
    table.need("bedtime_start", "bedtime_start")
    sessions: list[dict[str, Any]] = []
    stages: list[dict[str, Any]] = []

    def row_fn(row: dict[str, str | None]) -> bool:
        def get(key: str) -> str | None:
            return c.text(row, key)

        def num(key: str, lo: float, hi: float) -> float | None:
            return c.number(row, key, decimal_comma=dec, lo=lo, hi=hi)

        got = _v2_session(get, num, "")
        if got:
            sessions.append(got[0])
            stages.extend(got[1])
        return True

    col = c.Collector(ctx)
    col.each(table.records(), row_fn)
    return c.result(APP_NAME, col.warnings, sessions=sessions, stages=stages)


# ---------------------------------------------------------------- v1 JSON


def sniff_json(name: str, head: bytes) -> bool:
    text = c.head_text(head).lstrip()
    return text.startswith("{") and '"summary_date"' in text and '"bedtime_start"' in text


def _json_num(obj: dict[str, Any], key: str, lo: float, hi: float) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise c.RowError(f"key '{key}': not a number ({c.clip(value)!r})")
    if not lo <= value <= hi:
        raise c.RowError(f"key '{key}': {value} is out of range ({lo:g}..{hi:g})")
    return float(value)


def _json_sleep(obj: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(obj, dict):
        raise c.RowError("not a JSON object")
    start = c.parse_aware(
        str(c.required(obj.get("bedtime_start"), "bedtime_start")), "bedtime_start"
    )
    end = c.parse_aware(str(c.required(obj.get("bedtime_end"), "bedtime_end")), "bedtime_end")
    sid = start.astimezone(c.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    longest = obj.get("is_longest")
    sess = c.session(
        SOURCE,
        sid,
        start,
        end,
        c.offset_of(start),
        in_bed=_sec(_json_num(obj, "duration", 0, 86400)),
        asleep=_sec(_json_num(obj, "total", 0, 86400)),
        awake=_sec(_json_num(obj, "awake", 0, 86400)),
        light=_sec(_json_num(obj, "light", 0, 86400)),
        deep=_sec(_json_num(obj, "deep", 0, 86400)),
        rem=_sec(_json_num(obj, "rem", 0, 86400)),
        latency=_sec(_json_num(obj, "onset_latency", 0, 86400)),
        score=_json_num(obj, "score", 0, 100),
        is_nap=longest in (0, False),
    )
    hyp = obj.get("hypnogram_5min")
    return sess, _hypnogram(sid, start, hyp if isinstance(hyp, str) else None)


def _json_day(obj: Any) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise c.RowError("not a JSON object")
    raw = obj.get("summary_date")
    if not isinstance(raw, str):
        raise c.RowError("key 'summary_date': missing")
    date = c.parse_naive(raw, ("%Y-%m-%d",), "summary_date").date()
    return c.day(SOURCE, date, steps=_json_num(obj, "steps", 0, 500_000))


def read_json(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    try:
        doc = json.loads(c.decode(data))
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sleep", []), list):
        raise ImportRefused("top level: expected an object with a `sleep` array")
    col = c.Collector(ctx, unit="sleep record")
    parsed = col.each(enumerate(doc.get("sleep", []), start=1), _json_sleep)
    acts = doc.get("activity", [])
    dcol = c.Collector(ctx, unit="activity record")
    daily = dcol.each(enumerate(acts if isinstance(acts, list) else [], start=1), _json_day)
    return c.result(
        JSON_NAME,
        col.warnings + dcol.warnings,
        sessions=[p[0] for p in parsed],
        stages=[s for p in parsed for s in p[1]],
        daily=daily,
    )


CSV_FORMAT = register(Format(CSV_NAME, "Oura trends CSV (one row a day)", sniff_csv, read_csv))
APP_FORMAT = register(
    Format(APP_NAME, "Oura app export sleep CSV (`;`, API v2 fields)", sniff_app, read_app)
)
JSON_FORMAT = register(Format(JSON_NAME, "Oura v1 JSON account export", sniff_json, read_json))
