"""Any CSV described by a mapping in the user's config (format `generic`, source `generic`).

The config's `[generic_csv.NAME]` tables arrive as ctx.options["generic_csv"]:
{NAME: {canonical_column: file_column, ..., plus settings}}. Canonical columns are those of
importers/model.py: for sleep_sessions `start`, `end`, `time_in_bed_min`, `asleep_min`,
`awake_min`, `light_min`, `deep_min`, `rem_min`, `awakenings`, `latency_min`, `waso_min`,
`efficiency`, `score`, `is_nap`, `source_id`; for activities `start`, `end` or `duration_min`,
`sport`, `distance_m`, `calories`, `avg_hr`, `max_hr`; for daily_activity `date`, `steps`,
`active_min`, `resting_hr`, `stress`. Settings (all optional):
  table          sleep_sessions | activities | daily_activity (default: daily_activity when
                 `date` is mapped, activities when `sport` is, else sleep_sessions)
  time_format    strptime format of start/end (default ISO 8601)
  date_format    strptime format of date (default %Y-%m-%d)
  timezone       "local" (ctx.tz, default), "utc", or an IANA name; used only for times that
                 carry no offset of their own
  duration_unit  min (default) | s | h | ms, for every *_min column and duration_min
  efficiency     fraction | percent (default: percent when the value is above 1)
  separator      "," or ";" (default: sniffed); decimal "," or "." (default "," with ";")

Time convention: as the mapping says (above); utc_offset_min is the zone's offset at the start.

Sniffing: sniff() sees no ReadContext, so the mappings it matches against come from
`configure()`, which the import pipeline calls with the config's generic_csv tables; a file is
claimed only when its header holds every column one mapping names. `read` uses ctx.options.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from importers.model import ImportRefused, ImportResult
from importers.registry import Format, ReadContext, register
from importers.vendors import _csv as c

NAME = "generic"
SOURCE = "generic"
SETTINGS = {
    "table",
    "time_format",
    "date_format",
    "timezone",
    "duration_unit",
    "efficiency",
    "separator",
    "decimal",
}
TABLE_COLUMNS = {
    "sleep_sessions": {
        "start",
        "end",
        "time_in_bed_min",
        "asleep_min",
        "awake_min",
        "light_min",
        "deep_min",
        "rem_min",
        "awakenings",
        "latency_min",
        "waso_min",
        "efficiency",
        "score",
        "is_nap",
        "source_id",
    },
    "activities": {
        "start",
        "end",
        "duration_min",
        "sport",
        "distance_m",
        "calories",
        "avg_hr",
        "max_hr",
        "source_id",
    },
    "daily_activity": {"date", "steps", "active_min", "resting_hr", "stress"},
}
UNIT_TO_MIN = {"min": 1.0, "m": 1.0, "s": 1 / 60, "sec": 1 / 60, "h": 60.0, "ms": 1 / 60000}

_configured: dict[str, dict[str, Any]] = {}


def configure(mappings: dict[str, dict[str, Any]] | None) -> None:
    """Tells the sniffer which mappings exist (the config's generic_csv tables)."""
    _configured.clear()
    _configured.update(mappings or {})


def _columns(mapping: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in mapping.items() if k not in SETTINGS and isinstance(v, str)}


def _matches(mapping: dict[str, Any], keys: set[str]) -> bool:
    cols = _columns(mapping)
    return bool(cols) and {c.norm(v) for v in cols.values()} <= keys


def _header_keys(head_or_text: str, sep: str | None) -> set[str]:
    first = c.lines(head_or_text, 1)
    return set(c.header_keys(first[0], sep)) if first else set()


def sniff(name: str, head: bytes) -> bool:
    text = c.head_text(head)
    return any(
        isinstance(m, dict) and _matches(m, _header_keys(text, m.get("separator")))
        for m in _configured.values()
    )


def _table_of(mapping: dict[str, Any]) -> str:
    table = mapping.get("table")
    if table is None:
        return (
            "daily_activity"
            if "date" in mapping
            else "activities"
            if "sport" in mapping
            else "sleep_sessions"
        )
    if table not in TABLE_COLUMNS:
        raise ImportRefused(
            f"mapping: unknown table {table!r} (sleep_sessions, activities, daily_activity)"
        )
    return str(table)


def _zone(mapping: dict[str, Any], ctx: ReadContext) -> dt.tzinfo:
    raw = str(mapping.get("timezone", "local"))
    if raw.lower() == "local":
        return ctx.tz
    if raw.lower() in {"utc", "gmt", "z"}:
        return c.UTC
    try:
        return ZoneInfo(raw)
    except (ValueError, KeyError, OSError):
        raise ImportRefused(f"mapping: unknown timezone {raw!r}") from None


def read(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    mappings = ctx.options.get("generic_csv") or _configured
    if not isinstance(mappings, dict) or not mappings:
        raise ImportRefused("config: no [generic_csv] mapping to read this file with")
    text = c.decode(data)
    chosen: tuple[str, dict[str, Any]] | None = None
    for mname, mapping in mappings.items():
        if isinstance(mapping, dict) and _matches(
            mapping, _header_keys(text, mapping.get("separator"))
        ):
            chosen = (str(mname), mapping)
            break
    if chosen is None:
        raise ImportRefused("header: matches no [generic_csv] mapping's columns")
    mname, mapping = chosen
    table_name = _table_of(mapping)
    cols = {k: c.norm(v) for k, v in _columns(mapping).items()}
    unknown = set(cols) - TABLE_COLUMNS[table_name]
    if unknown:
        raise ImportRefused(
            f"mapping {mname}: {', '.join(sorted(unknown))} is not a column of {table_name}"
        )
    t = c.read_table(text, sep=mapping.get("separator"))
    dec = str(mapping.get("decimal", "," if t.separator == ";" else ".")) == ","
    tz = _zone(mapping, ctx)
    unit = UNIT_TO_MIN.get(str(mapping.get("duration_unit", "min")).lower())
    if unit is None:
        raise ImportRefused(
            f"mapping {mname}: duration_unit must be one of {', '.join(UNIT_TO_MIN)}"
        )
    tfmt = mapping.get("time_format")
    dfmt = str(mapping.get("date_format", "%Y-%m-%d"))
    eff_mode = str(mapping.get("efficiency", "auto")).lower()

    def when(row: dict[str, str | None], key: str) -> tuple[dt.datetime, int]:
        name = c.label(row, cols[key])
        raw = c.required(c.text(row, cols[key]), name)
        if tfmt:
            try:
                value = dt.datetime.strptime(raw.strip(), str(tfmt))
            except ValueError:
                raise c.RowError(
                    f"column '{name}': does not match {tfmt} ({c.clip(raw)!r})"
                ) from None
        else:
            try:
                value = dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                raise c.RowError(
                    f"column '{name}': not an ISO date/time ({c.clip(raw)!r})"
                ) from None
        if value.tzinfo is not None:
            return value.astimezone(c.UTC), c.offset_of(value)
        return c.localize(value, tz)

    def minutes(row: dict[str, str | None], key: str) -> float | None:
        v = c.number(row, cols.get(key), decimal_comma=dec, lo=0)
        return None if v is None else v * unit

    def num(row: dict[str, str | None], key: str, hi: float) -> float | None:
        return c.number(row, cols.get(key), decimal_comma=dec, lo=0, hi=hi)

    def sleep_row(row: dict[str, str | None]) -> dict[str, Any]:
        start, offset = when(row, "start")
        end, _ = when(row, "end")
        eff = num(row, "efficiency", 100)
        if eff is not None and (eff_mode == "percent" or (eff_mode == "auto" and eff > 1)):
            eff /= 100
        nap = c.as_bool(row, cols.get("is_nap"))
        return c.session(
            SOURCE,
            c.text(row, cols.get("source_id")) or f"{mname}:{start:%Y-%m-%dT%H:%M:%SZ}",
            start,
            end,
            offset,
            in_bed=minutes(row, "time_in_bed_min"),
            asleep=minutes(row, "asleep_min"),
            awake=minutes(row, "awake_min"),
            light=minutes(row, "light_min"),
            deep=minutes(row, "deep_min"),
            rem=minutes(row, "rem_min"),
            awakenings=c.integer(num(row, "awakenings", 1000)),
            latency=minutes(row, "latency_min"),
            waso=minutes(row, "waso_min"),
            efficiency=eff,
            score=num(row, "score", 100),
            is_nap=bool(nap),
        )

    def activity_row(row: dict[str, str | None]) -> dict[str, Any]:
        start, offset = when(row, "start")
        if "end" in cols:
            end, _ = when(row, "end")
        else:
            dur = c.required(minutes(row, "duration_min"), cols.get("duration_min"))
            end = start + dt.timedelta(minutes=dur)
        return c.activity(
            SOURCE,
            c.text(row, cols.get("source_id")) or f"{mname}:{start:%Y-%m-%dT%H:%M:%SZ}",
            start,
            end,
            offset,
            c.sport_of(c.text(row, cols.get("sport"))),
            distance_m=num(row, "distance_m", 1_000_000),
            calories=num(row, "calories", 20_000),
            avg_hr=num(row, "avg_hr", 250),
            max_hr=num(row, "max_hr", 250),
        )

    def day_row(row: dict[str, str | None]) -> dict[str, Any]:
        name = c.label(row, cols["date"])
        raw = c.required(c.text(row, cols["date"]), name)
        date = c.parse_naive(raw, (dfmt,), name).date()
        active = minutes(row, "active_min")
        return c.day(
            SOURCE,
            date,
            steps=num(row, "steps", 500_000),
            active_min=active,
            resting_hr=num(row, "resting_hr", 250),
            stress=num(row, "stress", 100),
        )

    need = {
        "sleep_sessions": ("start", "end"),
        "activities": ("start",),
        "daily_activity": ("date",),
    }[table_name]
    missing = [k for k in need if k not in cols]
    if table_name == "activities" and "end" not in cols and "duration_min" not in cols:
        missing.append("end or duration_min")
    if missing:
        raise ImportRefused(f"mapping {mname}: no column mapped to {', '.join(missing)}")
    fn = {"sleep_sessions": sleep_row, "activities": activity_row, "daily_activity": day_row}[
        table_name
    ]
    col = c.Collector(ctx)
    rows = col.each(t.records(), fn)
    key = {"sleep_sessions": "sessions", "activities": "activities", "daily_activity": "daily"}[
        table_name
    ]
    return c.result(NAME, col.warnings, **{key: rows})


FORMAT = register(
    Format(NAME, "A CSV described by a [generic_csv] mapping in the config", sniff, read)
)
