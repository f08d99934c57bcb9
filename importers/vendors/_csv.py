"""Shared helpers for the vendor readers: decoding, CSV tables via Polars, value parsing,
local-time conversion, and the bad-row policy.

Every reader reads CSV with Polars (`has_header=False`, all columns as strings) and parses the
values itself, row by row, so a bad value is reported with its line number and column instead
of a whole-column cast error. Vendor files are small (one row a night or a day), so per-row
Python costs nothing noticeable.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

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
from importers.registry import ReadContext

UTC = dt.UTC
MISSING = {"", "n/a", "na", "none", "null", "nan", "--", "-", "—"}
MAX_NIGHT_MIN = 24 * 60


class RowError(Exception):
    """One value that cannot be read; the caller adds the line number."""


def clip(value: object, width: int = 40) -> str:
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------- decoding


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # Latin-1 maps every byte, so this cannot fail.
        return data.decode("latin-1")


def head_text(head: bytes) -> str:
    """Decodes a file's first bytes for sniffing; the cut may split a multibyte character."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) - len(head) % 2].decode("utf-16", errors="ignore")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    text = head.decode("utf-8", errors="replace")
    if "\ufffd" in text[:-4]:
        text = head.decode("cp1252", errors="replace")
    return text


def lines(text: str, n: int = 3) -> list[str]:
    out = []
    for line in text.splitlines():
        if line.strip():
            out.append(line)
            if len(out) == n:
                break
    return out


def norm(name: object) -> str:
    """Header key: case, BOM, quotes and runs of spaces do not matter (Oura's `Total Bedtime `)."""
    text = str(name or "").replace("\ufeff", "").strip().strip('"').strip()
    return re.sub(r"\s+", " ", text).lower()


def header_keys(line: str, sep: str | None = None) -> list[str]:
    """The normalised names of a header line, for sniffers (no quoting subtleties needed)."""
    sep = sep or separator(line)
    return [norm(part) for part in line.split(sep)]


def separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


# ---------------------------------------------------------------- tables


class Row(dict[str, str | None]):
    """A record keyed by normalised header name; `names` gives the file's own spelling for messages."""

    names: dict[str, str]


def label(row: dict[str, str | None], key: str | None) -> str:
    names = getattr(row, "names", None)
    return names.get(key, key) if names and key else str(key)


@dataclass
class Table:
    """A CSV table as strings: normalised header names -> column index, rows with line numbers."""

    header: list[str]
    rows: list[tuple[int, list[str | None]]]
    separator: str = ","
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, name in enumerate(self.header):
            # A repeated name (Oura's second `Sleep Timing`) keeps its first column.
            self.index.setdefault(norm(name), i)

    def find(self, *aliases: str) -> str | None:
        for alias in aliases:
            if norm(alias) in self.index:
                return norm(alias)
        return None

    def need(self, what: str, *aliases: str) -> str:
        key = self.find(*aliases)
        if key is None:
            raise ImportRefused(f"header: no {what} column (expected one of: {', '.join(aliases)})")
        return key

    def records(self) -> Iterator[tuple[int, dict[str, str | None]]]:
        names = {
            key: self.header[i].replace("\ufeff", "").strip()
            for key, i in self.index.items()
            if i < len(self.header)
        }
        for line, values in self.rows:
            row = Row()
            row.names = names
            for key, i in self.index.items():
                row[key] = values[i] if i < len(values) else None
            yield line, row


def _record_lines(text: str) -> list[int]:
    """1-based first line of each CSV record, so errors can name a line.

    Polars does the parsing; this only follows quotes to know where records start, since a
    quoted field may span lines (Sleep as Android comments)."""
    if '"' not in text:
        # no quoting, so every line is one record (blank lines become empty rows in Polars too)
        count = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        return list(range(1, count + 1))
    starts: list[int] = []
    line = 1
    in_quote = False
    at_start = True
    for ch in text:
        if at_start:
            starts.append(line)
            at_start = False
        if ch == '"':
            in_quote = not in_quote
        elif ch == "\n":
            line += 1
            if not in_quote:
                at_start = True
    return starts


def read_table(text: str, *, sep: str | None = None, first_line: int = 1) -> Table:
    """Reads CSV text whose first record is the header. `first_line` is the file line it starts on."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if sep is None:
        first = next((ln for ln in text.split("\n") if ln.strip()), "")
        sep = separator(first)
    try:
        df = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=sep,
            has_header=False,
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
            quote_char='"',
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise ImportRefused(f"not readable as CSV: {clip(exc, 120)}") from exc
    starts = _record_lines(text)
    rows_raw = df.rows()
    if len(starts) < len(rows_raw):
        starts = list(range(1, len(rows_raw) + 1))
    numbered = [
        (starts[i] + first_line - 1, list(r))
        for i, r in enumerate(rows_raw)
        if any(v is not None and v.strip() for v in r)
    ]
    if not numbered:
        raise ImportRefused("empty file: no header line")
    header_line, header = numbered[0]
    del header_line
    header = [h or "" for h in header]
    # Samsung's trailing comma gives an unnamed last column; data rows keep their alignment.
    while header and not header[-1].strip():
        header.pop()
    return Table(header=header, rows=numbered[1:], separator=sep)


# ---------------------------------------------------------------- values


def text(row: dict[str, str | None], key: str | None) -> str | None:
    if key is None:
        return None
    value = row.get(key)
    if value is None:
        return None
    value = value.strip()
    return None if value.lower() in MISSING else value


def number(
    row: dict[str, str | None],
    key: str | None,
    *,
    decimal_comma: bool = False,
    lo: float | None = None,
    hi: float | None = None,
) -> float | None:
    raw = text(row, key)
    if raw is None:
        return None
    s = raw.replace("\u00a0", "").replace(" ", "").replace("'", "")
    if s.endswith("%"):
        s = s[:-1]
    if decimal_comma:
        s = s.replace(".", "").replace(",", ".") if "," in s else s
    else:
        # In a comma-separated file a comma inside a quoted number is a thousands separator.
        s = s.replace(",", "")
    try:
        value = float(s)
    except ValueError:
        raise RowError(f"column '{label(row, key)}': not a number ({clip(raw)!r})") from None
    if not math.isfinite(value):
        raise RowError(f"column '{label(row, key)}': not a finite number ({clip(raw)!r})")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        span = f"{'' if lo is None else f'{lo:g}'}..{'' if hi is None else f'{hi:g}'}"
        raise RowError(f"column '{label(row, key)}': {clip(raw)} is out of range ({span})")
    return value


def required(value: Any, key: str | None) -> Any:
    if value is None:
        raise RowError(f"column '{key}': empty")
    return value


def integer(value: float | None) -> int | None:
    return None if value is None else round(value)


def as_bool(row: dict[str, str | None], key: str | None) -> bool | None:
    raw = text(row, key)
    if raw is None:
        return None
    low = raw.lower()
    if low in {"true", "1", "yes", "y", "wahr", "ja", "sí", "si", "vrai", "oui"}:
        return True
    if low in {"false", "0", "no", "n", "falsch", "nein", "faux", "non"}:
        return False
    raise RowError(f"column '{label(row, key)}': not true/false ({clip(raw)!r})")


def parse_naive(raw: str, formats: Sequence[str], key: str | None) -> dt.datetime:
    s = re.sub(r"\s+", " ", raw.strip())
    for fmt in formats:
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
    try:
        value = dt.datetime.fromisoformat(s)
    except ValueError:
        raise RowError(f"column '{key}': not a date/time ({clip(raw)!r})") from None
    if value.tzinfo is not None:
        raise RowError(f"column '{key}': unexpected UTC offset in {clip(raw)!r}")
    return value


def parse_aware(raw: str, key: str | None) -> dt.datetime:
    """ISO 8601 with an offset (or Z)."""
    s = raw.strip().replace(" ", "T", 1) if "T" not in raw else raw.strip()
    try:
        value = dt.datetime.fromisoformat(s)
    except ValueError:
        raise RowError(f"column '{key}': not an ISO date/time ({clip(raw)!r})") from None
    if value.tzinfo is None:
        raise RowError(f"column '{key}': no UTC offset in {clip(raw)!r}")
    return value


def offset_of(value: dt.datetime) -> int:
    off = value.utcoffset()
    assert off is not None
    return int(off.total_seconds() // 60)


def localize(naive: dt.datetime, tz: dt.tzinfo) -> tuple[dt.datetime, int]:
    """A local wall-clock time in `tz` -> (UTC instant, offset minutes at that instant).

    An ambiguous time (the repeated hour in autumn) takes its first occurrence (fold=0)."""
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(UTC), offset_of(aware)


def fixed_offset(minutes: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(minutes=minutes))


_OFFSET_RE = re.compile(r"^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def parse_offset(raw: str, key: str | None) -> int:
    """`UTC+07:00`, `UTC+0100`, `+01:00`, `-5` -> minutes."""
    s = raw.strip()
    if s.upper() in {"UTC", "GMT", "Z"}:
        return 0
    m = _OFFSET_RE.match(s)
    if not m:
        raise RowError(f"column '{key}': not a UTC offset ({clip(raw)!r})")
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60 or int(m.group(3) or 0) > 59:
        raise RowError(f"column '{key}': offset {clip(raw)} is out of range")
    return -minutes if m.group(1) == "-" else minutes


def zone(raw: str, key: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(raw.strip())
    except (ValueError, KeyError, OSError):
        raise RowError(f"column '{key}': unknown time zone ({clip(raw)!r})") from None


def minutes_between(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 60


# ---------------------------------------------------------------- canonical rows


def session(
    source: str,
    source_id: str,
    start: dt.datetime,
    end: dt.datetime,
    offset_min: int,
    *,
    in_bed: float | None = None,
    asleep: float | None = None,
    awake: float | None = None,
    light: float | None = None,
    deep: float | None = None,
    rem: float | None = None,
    awakenings: int | None = None,
    latency: float | None = None,
    waso: float | None = None,
    efficiency: float | None = None,
    score: float | None = None,
    is_nap: bool = False,
) -> dict[str, Any]:
    """A sleep_sessions row. `start`/`end` are aware; in-bed defaults to end - start;
    efficiency is asleep / in bed when both are known, else the vendor's figure (0..1)."""
    start = start.astimezone(UTC)
    end = end.astimezone(UTC)
    span = minutes_between(start, end)
    if span <= 0:
        raise RowError(
            f"end {end:%Y-%m-%d %H:%M} UTC is not after start {start:%Y-%m-%d %H:%M} UTC"
        )
    if span > MAX_NIGHT_MIN:
        raise RowError(f"session of {span:.0f} min is longer than 24 h")
    if in_bed is None:
        in_bed = span
    for name, value in (
        ("time in bed", in_bed),
        ("asleep", asleep),
        ("awake", awake),
        ("light", light),
        ("deep", deep),
        ("rem", rem),
        ("latency", latency),
        ("waso", waso),
    ):
        if value is not None and not 0 <= value <= MAX_NIGHT_MIN:
            raise RowError(f"{name} of {value:g} min is out of range (0..1440)")
    if asleep is not None and asleep > in_bed + 1:
        raise RowError(f"asleep {asleep:g} min is more than the {in_bed:g} min in bed")
    if asleep is not None and in_bed:
        efficiency = min(asleep / in_bed, 1.0)
    if efficiency is not None and not 0 <= efficiency <= 1:
        raise RowError(f"efficiency {efficiency:g} is out of range (0..1)")
    return {
        "source": source,
        "source_id": source_id,
        "start": start,
        "end": end,
        "utc_offset_min": offset_min,
        "night": night_of_py(start, offset_min),
        "time_in_bed_min": in_bed,
        "asleep_min": asleep,
        "awake_min": awake,
        "light_min": light,
        "deep_min": deep,
        "rem_min": rem,
        "awakenings": awakenings,
        "latency_min": latency,
        "waso_min": waso,
        "efficiency": efficiency,
        "score": score,
        "is_nap": is_nap,
    }


def stage(
    source: str, source_id: str, start: dt.datetime, end: dt.datetime, name: str
) -> dict[str, Any]:
    return {
        "source": source,
        "source_id": source_id,
        "start": start.astimezone(UTC),
        "end": end.astimezone(UTC),
        "stage": name,
    }


def activity(
    source: str,
    source_id: str,
    start: dt.datetime,
    end: dt.datetime,
    offset_min: int,
    sport: str,
    *,
    distance_m: float | None = None,
    calories: float | None = None,
    avg_hr: float | None = None,
    max_hr: float | None = None,
) -> dict[str, Any]:
    start = start.astimezone(UTC)
    end = end.astimezone(UTC)
    span = minutes_between(start, end)
    if span < 0:
        raise RowError("activity ends before it starts")
    if span > 7 * MAX_NIGHT_MIN:
        raise RowError(f"activity of {span:.0f} min is longer than a week")
    return {
        "source": source,
        "source_id": source_id,
        "start": start,
        "end": end,
        "utc_offset_min": offset_min,
        "sport": sport,
        "duration_min": span,
        "distance_m": distance_m,
        "calories": calories,
        "avg_hr": avg_hr,
        "max_hr": max_hr,
    }


def day(
    source: str,
    date: dt.date,
    *,
    steps: float | None = None,
    active_min: float | None = None,
    resting_hr: float | None = None,
    stress: float | None = None,
) -> dict[str, Any]:
    return {
        "date": date,
        "source": source,
        "steps": integer(steps),
        "active_min": active_min,
        "resting_hr": resting_hr,
        "stress": stress,
    }


SPORTS = {
    "run": "running",
    "running": "running",
    "jog": "running",
    "treadmill": "running",
    "walk": "walking",
    "walking": "walking",
    "cycl": "cycling",
    "bik": "cycling",
    "ride": "cycling",
    "spinning": "cycling",
    "swim": "swimming",
    "strength": "strength",
    "weight": "strength",
    "functional fitness": "strength",
    "yoga": "yoga",
    "pilates": "yoga",
    "hik": "hiking",
}


def sport_of(name: str | None) -> str:
    """Maps a vendor's activity name onto model.SPORTS_HINT; the rest is `other`."""
    if not name:
        return "other"
    low = name.lower()
    for needle, sport in SPORTS.items():
        if needle in low:
            return sport
    return "other"


# ---------------------------------------------------------------- the bad-row policy


class Collector:
    """Runs a parser over numbered rows and applies ctx.skip_bad_rows."""

    def __init__(self, ctx: ReadContext, unit: str = "line") -> None:
        self.ctx = ctx
        self.unit = unit
        self.warnings: list[str] = []

    def bad(self, where: int | str, why: str) -> None:
        msg = f"{self.unit} {where}: {why}"
        if not self.ctx.skip_bad_rows:
            raise ImportRefused(msg)
        self.warnings.append(f"skipped {msg}")

    def each(
        self,
        items: Iterable[tuple[int | str, Any]],
        fn: Callable[[Any], Any],
    ) -> list[Any]:
        out = []
        for where, item in items:
            try:
                value = fn(item)
            except RowError as exc:
                self.bad(where, str(exc))
                continue
            except (OverflowError, ValueError) as exc:
                # dates near year 1/9999 or absurd magnitudes: still this row's fault
                self.bad(where, f"value out of range ({clip(exc, 80)})")
                continue
            if value is not None:
                out.append(value)
        return out


def frame(rows: list[dict[str, Any]], schema: pl.Schema) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=schema)
    return conform(pl.DataFrame(rows, schema=schema), schema)


def result(
    fmt: str,
    warnings: list[str],
    *,
    sessions: list[dict[str, Any]] | None = None,
    stages: list[dict[str, Any]] | None = None,
    activities: list[dict[str, Any]] | None = None,
    daily: list[dict[str, Any]] | None = None,
) -> ImportResult:
    tables: dict[str, pl.DataFrame] = {}
    if sessions is not None:
        tables["sleep_sessions"] = frame(sessions, SLEEP_SESSIONS)
    if stages is not None:
        tables["sleep_stages"] = frame(stages, SLEEP_STAGES)
    if activities is not None:
        tables["activities"] = frame(activities, ACTIVITIES)
    if daily is not None:
        tables["daily_activity"] = frame(dedupe_days(daily), DAILY_ACTIVITY)
    out = ImportResult(format=fmt, tables=tables, warnings=warnings)
    if not any(t.height for t in tables.values()):
        out.skipped = "no data rows"
    return out


def dedupe_days(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (source, date): a day split over rows or devices keeps the largest values."""
    merged: dict[tuple[str, dt.date], dict[str, Any]] = {}
    for row in rows:
        key = (row["source"], row["date"])
        if key not in merged:
            merged[key] = dict(row)
            continue
        have = merged[key]
        for col in ("steps", "active_min", "resting_hr", "stress"):
            if row[col] is not None and (have[col] is None or row[col] > have[col]):
                have[col] = row[col]
    return list(merged.values())
