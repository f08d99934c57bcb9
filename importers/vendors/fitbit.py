"""Fitbit exports (source `fitbit`).

`fitbit-sleep-json` — the legacy account export `sleep-YYYY-MM-DD.json`: a JSON array of sleep
logs. Layout from FORMATS.md and the Fitbit Web API sleep-log reference (keys logId,
dateOfSleep, startTime, endTime, duration, minutesToFallAsleep, minutesAsleep, minutesAwake,
minutesAfterWakeup, timeInBed, efficiency, type stages|classic, mainSleep, levels{summary,
data, shortData}). Time convention: startTime/endTime and level dateTimes are local wall clock
without an offset (`2021-02-04T00:13:00.000`): they are read in ctx.tz. Minutes are Fitbit's
own (timeInBed etc.), so a DST night keeps the length Fitbit measured. Stage rows come from
`levels.data` (wake/light/deep/rem; classic logs: awake/restless -> awake, asleep -> unknown);
`shortData` (short wakes overlapping `data`) is not added, so stages never overlap.
efficiency = minutesAsleep / timeInBed (Fitbit's own `efficiency` is a different formula);
is_nap = not mainSleep. There is no score in this file (sleep_score.csv holds it).

`fitbit-sleep-score` — `sleep_score.csv` of the same export: sleep_log_entry_id, timestamp,
overall_score, composition_score, revitalization_score, duration_score, deep_sleep_in_minutes,
resting_heart_rate, restlessness (FORMATS.md). sleep_log_entry_id is the sleep log's logId, so
each row joins the session `fitbit-sleep-json` stores under that id -> sleep_scores; the import
copies overall_score onto that session, whichever of the two files comes first. The timestamp
ends in `Z` but equalled the local end of the sleep in every row seen, so it is read as local
wall clock and gives the row's night (its date minus 12 h, as for a session's start; only for
reading the table).

`fitbit-csv` — the older dashboard export: sections headed by a title line (`Sleep`,
`Activities`, `Body`, ...) then a header line. Layout from FORMATS.md and sleepdiary/core
src/Fitbit/README.md. Every value quoted, thousands separators (`"1,234"`), `N/A` for missing.
Sleep: Start Time, End Time, Minutes Asleep, Minutes Awake, Number of Awakenings, Time in Bed,
Minutes REM Sleep, Minutes Light Sleep, Minutes Deep Sleep (the last three absent or N/A in
old files). Times `2019-01-01 11:34PM` or `01-01-2019 11:34 pm`, local without offset (read in
ctx.tz); a numeric date whose first field exceeds 12 anywhere in the section makes the whole
section day-first, otherwise month-first (Fitbit's US default). Activities: Date, Calories
Burned, Steps, Distance, Floors, Minutes Sedentary, Minutes Lightly/Fairly/Very Active, ...
-> daily_activity (active_min = fairly + very active, Fitbit's "active minutes").

`fitbit-google` — the Google Health Takeout CSVs (Fitbit's export since 2026). Layout from
FORMATS.md and a public regression test built from a real Takeout's headers (the `takeout`
source of a Fitbit/Google Health importer found through the code search):
- `Health Fitness Data_GoogleData/UserSleeps_*.csv`: sleep_id, sleep_type (CLASSIC|STAGES),
  minutes_in_sleep_period, minutes_after_wake_up, minutes_to_fall_asleep, minutes_asleep,
  minutes_awake, ..., start_utc_offset, sleep_start, end_utc_offset, sleep_end, data_source, ...
  -> sleep_sessions (in bed = minutes_in_sleep_period; no nap flag and no stage minutes here).
- `UserSleepStages_*.csv`: sleep_id, sleep_stage_id, sleep_stage_type (LIGHT|DEEP|REM|WAKE or
  AWAKE), start_utc_offset, sleep_stage_start, end_utc_offset, sleep_stage_end, ... ->
  sleep_stages keyed by sleep_id (= the session's source_id).
- `Physical Activity_GoogleData/Steps/steps_*.csv`: timestamp, steps, data source (one row a
  minute per recorder; a phone and its Health Connect mirror repeat the same minutes) -> daily
  steps: summed per recorder and local day, the largest recorder's total wins (never summed
  across recorders). Only files named steps_* are claimed: other families share the header.
Time convention: sleep_start/sleep_end and stage times are UTC (`...Z`) with the local offset in
start_utc_offset; step timestamps are UTC with no offset, so their local day uses ctx.tz.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
from typing import Any

import polars as pl

from importers.model import SLEEP_SCORES, ImportRefused, ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

SOURCE = "fitbit"
JSON_NAME = "fitbit-sleep-json"
CSV_NAME = "fitbit-csv"

_LEVELS = {
    "wake": "awake",
    "awake": "awake",
    "restless": "awake",
    "light": "light",
    "deep": "deep",
    "rem": "rem",
    "asleep": "unknown",
}


# ---------------------------------------------------------------- JSON


def sniff_json(name: str, head: bytes) -> bool:
    text = c.head_text(head).lstrip()
    if not text.startswith("["):
        return False
    return '"logId"' in text and ('"dateOfSleep"' in text or '"minutesAsleep"' in text)


def _local(raw: Any, key: str, tz: dt.tzinfo) -> tuple[dt.datetime, int]:
    if not isinstance(raw, str):
        raise c.RowError(f"key '{key}': missing or not a string")
    return c.localize(c.parse_naive(raw, (), key), tz)


def _minutes(log: dict[str, Any], key: str) -> float | None:
    value = log.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise c.RowError(f"key '{key}': not a number ({c.clip(value)!r})")
    return float(value)


def _summary(levels: dict[str, Any], *names: str) -> dict[str, Any] | None:
    summary = levels.get("summary") if isinstance(levels, dict) else None
    if not isinstance(summary, dict):
        return None
    for name in names:
        if isinstance(summary.get(name), dict):
            return summary[name]
    return None


def _json_log(log: Any, tz: dt.tzinfo) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(log, dict):
        raise c.RowError("not a JSON object")
    if log.get("logId") is None:
        raise c.RowError("key 'logId': missing")
    sid = str(log["logId"])
    start, offset = _local(log.get("startTime"), "startTime", tz)
    end, _ = _local(log.get("endTime"), "endTime", tz)
    raw_levels = log.get("levels")
    levels: dict[str, Any] = raw_levels if isinstance(raw_levels, dict) else {}
    staged = log.get("type") == "stages"

    def stage_min(*names: str) -> float | None:
        part = _summary(levels, *names)
        if part is None or not isinstance(part.get("minutes"), int | float):
            return None
        return float(part["minutes"])

    wake = _summary(levels, "wake", "awake")
    awakenings = wake.get("count") if wake else None
    main = log.get("mainSleep", log.get("isMainSleep", True))
    sess = c.session(
        SOURCE,
        sid,
        start,
        end,
        offset,
        in_bed=_minutes(log, "timeInBed"),
        asleep=_minutes(log, "minutesAsleep"),
        awake=_minutes(log, "minutesAwake"),
        light=stage_min("light") if staged else None,
        deep=stage_min("deep") if staged else None,
        rem=stage_min("rem") if staged else None,
        awakenings=awakenings if isinstance(awakenings, int) and 0 <= awakenings < 10_000 else None,
        latency=_minutes(log, "minutesToFallAsleep"),
        is_nap=main is False,
    )
    stages = []
    data = levels.get("data") if isinstance(levels, dict) else None
    for i, item in enumerate(data or [], start=1):
        if not isinstance(item, dict):
            raise c.RowError(f"levels.data[{i}]: not an object")
        kind = _LEVELS.get(str(item.get("level", "")).lower(), "unknown")
        seconds = item.get("seconds")
        if not isinstance(seconds, int | float) or seconds < 0 or seconds > 86400:
            raise c.RowError(f"levels.data[{i}]: bad seconds ({c.clip(seconds)!r})")
        s_start, _ = _local(item.get("dateTime"), f"levels.data[{i}].dateTime", tz)
        stages.append(c.stage(SOURCE, sid, s_start, s_start + dt.timedelta(seconds=seconds), kind))
    return sess, stages


def read_json(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    try:
        logs = json.loads(c.decode(data))
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if isinstance(logs, dict) and isinstance(logs.get("sleep"), list):
        logs = logs["sleep"]  # the Web API response shape, same records
    if not isinstance(logs, list):
        raise ImportRefused("top level: expected a JSON array of sleep logs")
    col = c.Collector(ctx, unit="record")
    parsed = col.each(
        ((i, log) for i, log in enumerate(logs, start=1)), lambda log: _json_log(log, ctx.tz)
    )
    sessions = [p[0] for p in parsed]
    stages = [s for p in parsed for s in p[1]]
    return c.result(JSON_NAME, col.warnings, sessions=sessions, stages=stages)


# ---------------------------------------------------------------- dashboard CSV

_SECTIONS = {"sleep": "start time", "activities": "date"}
_TIME_FORMATS_MDY: tuple[str, ...] = (
    "%Y-%m-%d %I:%M%p",
    "%Y-%m-%d %I:%M %p",
    "%m-%d-%Y %I:%M%p",
    "%m-%d-%Y %I:%M %p",
    "%m/%d/%Y %I:%M%p",
    "%m/%d/%Y %I:%M %p",
    "%Y-%m-%d %H:%M",
    "%m-%d-%Y %H:%M",
)
_DATE_FORMATS_MDY: tuple[str, ...] = ("%Y-%m-%d", "%m-%d-%Y", "%m/%d/%Y")


def _dayfirst(formats: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f.replace("%m-%d-%Y", "%d-%m-%Y").replace("%m/%d/%Y", "%d/%m/%Y") for f in formats)


def _title(line: str) -> str:
    return c.norm(line.strip().strip(","))


def sniff_csv(name: str, head: bytes) -> bool:
    ls = c.lines(c.head_text(head), 200)
    for a, b in itertools.pairwise(ls):
        t = _title(a)
        if (
            t == "sleep"
            and c.norm(b.split(",")[0]) == "start time"
            and "minutes asleep" in b.lower()
        ):
            return True
        if t == "activities" and "calories burned" in b.lower() and "steps" in b.lower():
            return True
    return False


def _sections(text: str) -> dict[str, tuple[int, str]]:
    """Title -> (line number of its header, the section's CSV text)."""
    raw = text.replace("\r\n", "\n").split("\n")
    found: dict[str, tuple[int, list[str]]] = {}
    current: list[str] | None = None
    for i, line in enumerate(raw):
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        t = _title(line)
        if line.strip() and "," not in line.strip().strip(",") and '"' not in line and nxt.strip():
            current = None
            if t in _SECTIONS and t not in found:
                found[t] = (i + 2, [])
                current = found[t][1]
            continue
        if current is not None:
            if not line.strip():
                current = None
                continue
            current.append(line)
    return {k: (n, "\n".join(ls)) for k, (n, ls) in found.items() if ls}


def _numeric_dayfirst(values: list[str]) -> bool:
    for v in values:
        m = re.match(r"^\s*(\d{1,2})[-/](\d{1,2})[-/]\d{4}", v)
        if m and int(m.group(1)) > 12:
            return True
    return False


def read_csv(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    text = c.decode(data)
    sections = _sections(text)
    if not sections:
        raise ImportRefused("line 1: no `Sleep` or `Activities` section with its header")
    col = c.Collector(ctx)
    sessions: list[dict[str, Any]] | None = None
    daily: list[dict[str, Any]] | None = None
    if "sleep" in sections:
        first, body = sections["sleep"]
        table = c.read_table(body, sep=",", first_line=first)
        k_start = table.need("start time", "Start Time")
        k_end = table.need("end time", "End Time")
        k_asleep = table.find("Minutes Asleep")
        k_awake = table.find("Minutes Awake")
        k_wakes = table.find("Number of Awakenings")
        k_bed = table.find("Time in Bed")
        k_rem = table.find("Minutes REM Sleep")
        k_light = table.find("Minutes Light Sleep")
        k_deep = table.find("Minutes Deep Sleep")
        recs = list(table.records())
        fmts = _TIME_FORMATS_MDY
        if _numeric_dayfirst([r.get(k_start) or "" for _, r in recs]):
            fmts = _dayfirst(fmts)

        def sleep_row(row: dict[str, str | None]) -> dict[str, Any]:
            s_raw = c.required(c.text(row, k_start), "Start Time")
            e_raw = c.required(c.text(row, k_end), "End Time")
            start, offset = c.localize(c.parse_naive(s_raw.upper(), fmts, "Start Time"), ctx.tz)
            end, _ = c.localize(c.parse_naive(e_raw.upper(), fmts, "End Time"), ctx.tz)
            m = {
                k: c.number(row, k, lo=0, hi=1440)
                for k in (k_asleep, k_awake, k_bed, k_rem, k_light, k_deep)
                if k
            }
            local_start = start.astimezone(c.fixed_offset(offset))
            return c.session(
                SOURCE,
                local_start.strftime("%Y-%m-%dT%H:%M"),
                start,
                end,
                offset,
                in_bed=m.get(k_bed) if k_bed else None,
                asleep=m.get(k_asleep) if k_asleep else None,
                awake=m.get(k_awake) if k_awake else None,
                rem=m.get(k_rem) if k_rem else None,
                light=m.get(k_light) if k_light else None,
                deep=m.get(k_deep) if k_deep else None,
                awakenings=c.integer(c.number(row, k_wakes, lo=0, hi=1000)),
            )

        sessions = col.each(recs, sleep_row)
    if "activities" in sections:
        first, body = sections["activities"]
        table = c.read_table(body, sep=",", first_line=first)
        k_date = table.need("date", "Date")
        k_steps = table.find("Steps")
        k_fair = table.find("Minutes Fairly Active")
        k_very = table.find("Minutes Very Active")
        recs = list(table.records())
        dfmts = _DATE_FORMATS_MDY
        if _numeric_dayfirst([r.get(k_date) or "" for _, r in recs]):
            dfmts = _dayfirst(dfmts)

        def day_row(row: dict[str, str | None]) -> dict[str, Any]:
            raw = c.required(c.text(row, k_date), "Date")
            date = c.parse_naive(raw, dfmts, "Date").date()
            fair = c.number(row, k_fair, lo=0, hi=1440)
            very = c.number(row, k_very, lo=0, hi=1440)
            active = None if fair is None and very is None else (fair or 0) + (very or 0)
            return c.day(
                SOURCE, date, steps=c.number(row, k_steps, lo=0, hi=500_000), active_min=active
            )

        daily = col.each(recs, day_row)
    return c.result(CSV_NAME, col.warnings, sessions=sessions, daily=daily)


# ---------------------------------------------------------------- Google Health Takeout

GOOGLE_NAME = "fitbit-google"
_GOOGLE_STAGES = {"LIGHT": "light", "DEEP": "deep", "REM": "rem", "WAKE": "awake", "AWAKE": "awake"}
_SLEEPS_KEYS = {"sleep_id", "sleep_start", "sleep_end", "minutes_asleep"}
_STAGES_KEYS = {"sleep_id", "sleep_stage_type", "sleep_stage_start", "sleep_stage_end"}
_STEPS_KEYS = {"timestamp", "steps", "data source"}


def _google_kind(name: str, head: bytes) -> str | None:
    first = c.lines(c.head_text(head), 1)
    if not first:
        return None
    keys = set(c.header_keys(first[0], ","))
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if keys >= _SLEEPS_KEYS:
        return "sleeps"
    if keys >= _STAGES_KEYS:
        return "stages"
    if keys == _STEPS_KEYS and base.startswith("steps"):
        return "steps"
    return None


def sniff_google(name: str, head: bytes) -> bool:
    return _google_kind(name, head) is not None


def _utc(row: dict[str, str | None], key: str) -> dt.datetime:
    name = c.label(row, key)
    value = c.parse_aware(c.required(c.text(row, key), name), name)
    return value.astimezone(c.UTC)


def _google_sleeps(table: c.Table, ctx: ReadContext) -> tuple[list[dict[str, Any]], list[str]]:
    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        start, end = _utc(row, "sleep_start"), _utc(row, "sleep_end")
        raw_off = c.text(row, "start_utc_offset")
        offset = (
            c.parse_offset(raw_off, "start_utc_offset")
            if raw_off
            else c.offset_of(start.astimezone(ctx.tz))
        )
        return c.session(
            SOURCE,
            c.required(c.text(row, "sleep_id"), "sleep_id"),
            start,
            end,
            offset,
            in_bed=c.number(row, "minutes_in_sleep_period", lo=0, hi=1440),
            asleep=c.number(row, "minutes_asleep", lo=0, hi=1440),
            awake=c.number(row, "minutes_awake", lo=0, hi=1440),
            latency=c.number(row, "minutes_to_fall_asleep", lo=0, hi=1440),
        )

    col = c.Collector(ctx)
    return col.each(table.records(), row_fn), col.warnings


def _google_stages(table: c.Table, ctx: ReadContext) -> tuple[list[dict[str, Any]], list[str]]:
    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        start, end = _utc(row, "sleep_stage_start"), _utc(row, "sleep_stage_end")
        kind = (c.text(row, "sleep_stage_type") or "").upper()
        if kind not in _GOOGLE_STAGES:
            raise c.RowError(f"column 'sleep_stage_type': unknown stage {c.clip(kind)!r}")
        if end <= start:
            raise c.RowError("column 'sleep_stage_end': not after sleep_stage_start")
        return c.stage(
            SOURCE,
            c.required(c.text(row, "sleep_id"), "sleep_id"),
            start,
            end,
            _GOOGLE_STAGES[kind],
        )

    col = c.Collector(ctx)
    return col.each(table.records(), row_fn), col.warnings


def _google_steps(text: str, ctx: ReadContext) -> tuple[list[dict[str, Any]], list[str]]:
    """Vectorised: a year of minute rows from three recorders is over a million lines."""
    try:
        df = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise ImportRefused(f"not readable as CSV: {c.clip(exc, 120)}") from exc
    df = df.rename({n: c.norm(n) for n in df.columns})
    if not set(df.columns) >= _STEPS_KEYS:
        raise ImportRefused("header: expected timestamp, steps, data source")
    parsed = df.with_row_index("line", offset=2).select(
        "line",
        pl.col("timestamp").alias("raw_ts"),
        pl.col("steps").alias("raw_steps"),
        pl.col("timestamp")
        .str.strip_chars()
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%#z", time_zone="UTC", strict=False)
        .alias("ts"),
        pl.col("steps")
        .str.strip_chars()
        .str.replace_all(",", "")
        .cast(pl.Float64, strict=False)
        .alias("steps"),
        pl.col("data source").fill_null("").alias("recorder"),
    )
    bad = parsed.filter(
        pl.col("ts").is_null() | pl.col("steps").is_null() | ~pl.col("steps").is_between(0, 100_000)
    )
    col = c.Collector(ctx)
    for line, raw_ts, raw_steps, ts, _steps in bad.select(
        "line", "raw_ts", "raw_steps", "ts", "steps"
    ).iter_rows():
        if ts is None:
            col.bad(line, f"column 'timestamp': not a UTC date/time ({c.clip(raw_ts)!r})")
        else:
            col.bad(line, f"column 'steps': not a step count ({c.clip(raw_steps)!r})")
    good = parsed.filter(pl.col("ts").is_not_null() & pl.col("steps").is_between(0, 100_000))
    key = getattr(ctx.tz, "key", None) or "UTC"
    per_day = (
        good.with_columns(pl.col("ts").dt.convert_time_zone(key).dt.date().alias("date"))
        .group_by("date", "recorder")
        .agg(pl.col("steps").sum())
        .group_by("date")
        .agg(pl.col("steps").max())
        .sort("date")
    )
    return [c.day(SOURCE, d, steps=n) for d, n in per_day.iter_rows()], col.warnings


def read_google(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    text = c.decode(data)
    kind = _google_kind(name, text[:8192].encode("utf-8", errors="replace"))
    if kind == "steps":
        daily, warnings = _google_steps(text, ctx)
        return c.result(GOOGLE_NAME, warnings, daily=daily)
    table = c.read_table(text, sep=",")
    if kind == "sleeps":
        sessions, warnings = _google_sleeps(table, ctx)
        return c.result(GOOGLE_NAME, warnings, sessions=sessions)
    if kind == "stages":
        stages, warnings = _google_stages(table, ctx)
        return c.result(GOOGLE_NAME, warnings, stages=stages)
    raise ImportRefused(
        "header: not UserSleeps, UserSleepStages or steps (timestamp,steps,data source)"
    )


SCORE_NAME = "fitbit-sleep-score"
_SCORE_KEYS = {"sleep_log_entry_id", "overall_score"}


def sniff_score(name: str, head: bytes) -> bool:
    first = c.lines(c.head_text(head), 1)
    return bool(first) and set(c.header_keys(first[0])) >= _SCORE_KEYS


def read_score(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    t = c.read_table(c.decode(data))
    k_id = t.need("sleep_log_entry_id", "sleep_log_entry_id")
    k_ts = t.find("timestamp")
    k_score = t.need("overall_score", "overall_score")
    k_deep = t.find("deep_sleep_in_minutes")
    k_rhr = t.find("resting_heart_rate")

    def row_fn(row: dict[str, str | None]) -> dict[str, Any]:
        sid = c.required(c.text(row, k_id), "sleep_log_entry_id")
        night = None
        raw = c.text(row, k_ts)
        if raw is not None:
            # `...Z` yet local (see above): the wall clock is what counts
            wall = c.parse_aware(raw, "timestamp").replace(tzinfo=None)
            night = (wall - dt.timedelta(hours=12)).date()
        return {
            "source": SOURCE,
            "source_id": sid,
            "night": night,
            "score": c.required(c.number(row, k_score, lo=0, hi=100), "overall_score"),
            "deep_min": c.number(row, k_deep, lo=0, hi=1440),
            "resting_hr": c.number(row, k_rhr, lo=20, hi=250),
        }

    col = c.Collector(ctx)
    rows = col.each(t.records(), row_fn)
    out = ImportResult(
        format=SCORE_NAME,
        tables={"sleep_scores": c.frame(rows, SLEEP_SCORES)},
        warnings=col.warnings,
    )
    if not rows:
        out.skipped = "no data rows"
    return out


SCORE_FORMAT = register(
    Format(
        SCORE_NAME,
        "Fitbit sleep_score.csv (scores joined to the sleep logs by id)",
        sniff_score,
        read_score,
    )
)

JSON_FORMAT = register(
    Format(
        JSON_NAME,
        "Fitbit account export sleep-YYYY-MM-DD.json (sleep logs with stages)",
        sniff_json,
        read_json,
    )
)
CSV_FORMAT = register(
    Format(
        CSV_NAME, "Fitbit dashboard CSV export (Sleep and Activities sections)", sniff_csv, read_csv
    )
)
GOOGLE_FORMAT = register(
    Format(
        GOOGLE_NAME,
        "Fitbit / Google Health Takeout CSVs (UserSleeps, UserSleepStages, steps)",
        sniff_google,
        read_google,
    )
)
