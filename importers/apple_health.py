"""Apple Health `export.xml` (alone, or as `apple_health_export/export.xml` inside export.zip).

The file can be several gigabytes, so it is streamed through expat in 1 MiB chunks and no
element tree is ever built: one start-element callback picks out the few records we use
and keeps plain tuples (sleep segments, workouts) or running sums (steps). Sleep segments
are parsed into compact columns every BATCH records; frames are built at the end. The
other files of Apple's export folder (export_cda.xml, workout-routes/*.gpx) are claimed
and skipped, so an export.zip imports without "unrecognised format" failures.

What is read:
- sleep: `Record type="HKCategoryTypeIdentifierSleepAnalysis"`, values InBed,
  AsleepUnspecified (older: Asleep), AsleepCore (-> light), AsleepDeep, AsleepREM, Awake.
- workouts: `Workout` elements, totals from attributes (older exports) or from
  `WorkoutStatistics` children (iOS 16+), heart rate from the statistics. The statistics
  of nested `WorkoutActivity` legs (intervals, multisport) are only a fallback, summed,
  for a workout without totals of its own.
- steps: `HKQuantityTypeIdentifierStepCount`, summed per local day (of the record's start,
  in its own offset) and source; resting
  heart rate (`HKQuantityTypeIdentifierRestingHeartRate`) and exercise minutes
  (`ActivitySummary appleExerciseTime`) fill the rest of the daily row.

Sources. The phone, the watch and third-party apps all write sleep and workouts into the
same file and overlap. Sessions and workouts are kept apart with
`source = "apple_health:<sourceName>"` (e.g. "apple_health:Anna’s Apple Watch"), so the
configured priority can rank one device over another and still fall back to the family
name "apple_health" (the part before the colon); `source_id` is the start instant in UTC.
Daily steps are different: the importer itself picks one source per local day, the one
with the most steps that day (a watch left on the charger or a phone left on the desk
under-counts, never over-counts), and writes it as `source = "apple_health"`, so a
re-import replaces the day instead of adding a second row beside it.

Sleep sessions. Segments of one source less than SESSION_GAP_S apart form one session. Its
span (first to last segment, InBed included) is the time in bed; asleep time is the union
of the asleep segments (InBed never counts as asleep); `awake_min` is in-bed time not
asleep; `latency_min` runs from the session start to the first asleep segment, `waso_min`
and `awakenings` count what is not asleep between the first and the last asleep segment.
Stage rows are written for Awake and asleep segments only (in-bed-only time has no stage).
A daytime session shorter than NAP_MAX_S is a nap. Overlaps within one source resolve to the most specific value (a stage over
Awake over AsleepUnspecified over InBed). A session with no asleep segment at all (the
phone's InBed alone) has null sleep figures rather than zero, so it can never pass for a
sleepless night. Dates carry the exporting device's offset (`+0200`); each session and
workout takes the offset of its own start, and durations are computed in UTC, so a night
across a DST change has its true length.

Safety. The file is untrusted input: a document that declares entities (the
"billion laughs" expansion attack) is refused before anything is expanded. Apple's own
internal DTD is dropped unparsed, because iOS 16 and later write one that is not
well-formed (a missing `>` around line 156), and it declares nothing we need. Control
characters that XML forbids (Apple writes `\\x0b` into some metadata) become spaces.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, BinaryIO
from xml.parsers import expat

import polars as pl

from importers.model import (
    ACTIVITIES,
    DAILY_ACTIVITY,
    SLEEP_SESSIONS,
    SLEEP_STAGES,
    UTC,
    ImportRefused,
    ImportResult,
    conform,
    empty,
    night_of,
)
from importers.registry import HEAD_BYTES, Format, ReadContext, register

FORMAT_NAME = "apple-health"
SOURCE = "apple_health"
EXPORT_FOLDER = "apple_health_export"
_COMPANIONS = (
    (b"<ClinicalDocument", "clinical records (export_cda.xml) are not used"),
    (b"<gpx", "workout routes (GPX) are not used"),
)

CHUNK = 1 << 20
# Apple's DTD is about 10 KB; anything that keeps the prolog open this long is not an export.
MAX_PROLOG = 4 << 20
# Segments of one source further apart than this start a new session. Long enough that a
# wakeful hour in the middle of a withdrawal night stays part of the night (as WASO).
SESSION_GAP_S = 2 * 3600
# A session is a nap when it is short and starts in daytime (local clock).
NAP_MAX_S = 4 * 3600
NAP_HOURS = range(9, 19)

# More steps than this in one record is a corrupt value, not a walk.
MAX_STEPS = 1e6
# Sleep records are parsed into compact columns this many at a time, so the Python objects
# held while streaming stay bounded however many years the export spans.
BATCH = 20_000

SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
STEPS_TYPE = "HKQuantityTypeIdentifierStepCount"
RESTING_HR_TYPE = "HKQuantityTypeIdentifierRestingHeartRate"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"

# Sleep codes; the number is also the rank that wins where segments of one source overlap
# (a measured stage is more specific than Awake, Awake than "asleep somehow", any of them
# than "in bed").
INBED, ASLEEP, AWAKE, CORE, DEEP, REM = 0, 1, 2, 3, 4, 5
_SLEEP_VALUES = {
    "HKCategoryValueSleepAnalysisInBed": INBED,
    "HKCategoryValueSleepAnalysisAsleepUnspecified": ASLEEP,
    "HKCategoryValueSleepAnalysisAsleep": ASLEEP,
    "HKCategoryValueSleepAnalysisAwake": AWAKE,
    "HKCategoryValueSleepAnalysisAsleepCore": CORE,
    "HKCategoryValueSleepAnalysisAsleepDeep": DEEP,
    "HKCategoryValueSleepAnalysisAsleepREM": REM,
    # HealthKit's raw enum, seen in third-party re-exports
    "0": INBED,
    "1": ASLEEP,
    "2": AWAKE,
    "3": CORE,
    "4": DEEP,
    "5": REM,
}
_ASLEEP_CODES = frozenset((ASLEEP, CORE, DEEP, REM))
_STAGE_OF = {ASLEEP: "unknown", AWAKE: "awake", CORE: "light", DEEP: "deep", REM: "rem"}

_SPORTS = {
    "Running": "running",
    "Walking": "walking",
    "Cycling": "cycling",
    "HandCycling": "cycling",
    "Swimming": "swimming",
    "TraditionalStrengthTraining": "strength",
    "FunctionalStrengthTraining": "strength",
    "Yoga": "yoga",
    "Hiking": "hiking",
    "Other": "other",
}
_MINUTES_PER = {"min": 1.0, "s": 1 / 60, "sec": 1 / 60, "hr": 60.0, "h": 60.0, "ms": 1 / 60000}
_METRES_PER = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "yd": 0.9144, "ft": 0.3048, "cm": 0.01}
_KCAL_PER = {"kcal": 1.0, "Cal": 1.0, "cal": 0.001, "kJ": 1 / 4.184, "J": 1 / 4184}

_DOCTYPE = re.compile(rb"<!DOCTYPE\b")
_SUBSET_END = re.compile(rb"\]\s*>")
# XML 1.0 forbids these C0 controls; UTF-8 never uses bytes below 0x20 inside a multi-byte
# character, so replacing them byte-wise is safe.
_CONTROLS = bytes(range(9)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
_CLEAN = bytes.maketrans(_CONTROLS, b" " * len(_CONTROLS))

# expat's ways of saying "the document stopped in the middle".
_TRUNCATION = {
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
    expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
}


def sniff(name: str, head: bytes) -> bool:
    if b"<HealthData" in head or b"<!DOCTYPE HealthData" in head:
        return True
    # Apple's export.zip also holds clinical records and workout routes; claiming them (only
    # inside its folder) turns "unrecognised format" failures into a plain "skipped".
    folders = PurePosixPath(name.replace("\\", "/")).parts[:-1]
    return any(f.lower() == EXPORT_FOLDER for f in folders) and _companion(head) is not None


def _companion(head: bytes) -> str | None:
    for marker, what in _COMPANIONS:
        if marker in head:
            return what
    return None


def read(data: bytes, name: str, ctx: ReadContext) -> ImportResult:
    return read_stream(io.BytesIO(data), name, ctx, None)


def read_stream(
    stream: BinaryIO,
    name: str,
    ctx: ReadContext,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    label = PurePosixPath(name.replace("\\", "/").split("!")[-1]).name or name
    collector = _Collector(label)
    try:
        _parse(stream, label, collector, progress)
    except _Companion as skip:
        return ImportResult(format=FORMAT_NAME, skipped=str(skip))
    return collector.result(ctx)


class _Companion(Exception):
    """Another file of Apple's export folder, which holds nothing we read."""


# --------------------------------------------------------------------------------------
# streaming


def _parse(
    stream: BinaryIO,
    label: str,
    collector: _Collector,
    progress: Callable[[int], None] | None,
) -> None:
    parser = expat.ParserCreate()
    collector.attach(parser)
    consumed = 0

    def refuse_entities(*_: Any) -> None:
        raise ImportRefused(
            f"{label}: declares XML entities (refused: possible entity-expansion attack)"
        )

    parser.EntityDeclHandler = refuse_entities
    # Without this, a DTD we did not strip could still pull in external parameter entities.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    head = b""
    at_eof = False
    while len(head) < MAX_PROLOG:
        chunk = stream.read(CHUNK)
        if not chunk:
            at_eof = True
            break
        consumed += len(chunk)
        head += chunk
        if _prolog_complete(head):
            break
    if not head.strip():
        raise ImportRefused(f"{label}: empty file")
    if not sniff("", head[:HEAD_BYTES]) and (what := _companion(head[:HEAD_BYTES])):
        raise _Companion(what)
    head = _drop_internal_dtd(head, label, at_eof)

    try:
        parser.Parse(head.translate(_CLEAN), False)
        if progress:
            progress(consumed)
        while chunk := stream.read(CHUNK):
            consumed += len(chunk)
            parser.Parse(chunk.translate(_CLEAN), False)
            if progress:
                progress(consumed)
        try:
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            if exc.code in _TRUNCATION:
                raise ImportRefused(
                    f"{label}: XML ends early at line {exc.lineno} (truncated?)"
                ) from None
            raise
    except expat.ExpatError as exc:
        what = expat.errors.messages[exc.code]
        raise ImportRefused(
            f"{label}: not well-formed XML at line {exc.lineno}, column {exc.offset + 1} ({what})"
        ) from None
    except LookupError as exc:  # <?xml ... encoding="..."?> names an encoding Python lacks
        raise ImportRefused(
            f"{label}: the XML declares an encoding that does not exist ({exc})"
        ) from None
    if not collector.saw_root:
        raise ImportRefused(f"{label}: no <HealthData> element (not an Apple Health export)")


def _find_doctype(head: bytes) -> int:
    """Where `<!DOCTYPE` starts, looking only before the root element; -1 if absent."""
    root = head.find(b"<HealthData")
    m = _DOCTYPE.search(head, 0, root if root != -1 else len(head))
    return m.start() if m else -1


def _prolog_complete(head: bytes) -> bool:
    """True once the head holds the whole DOCTYPE (if any) and the start of the root."""
    start = _find_doctype(head)
    if start == -1:
        return b"<HealthData" in head or len(head) >= CHUNK
    return _doctype_end(head, start) is not None


def _doctype_end(head: bytes, start: int) -> int | None:
    close = head.find(b">", start)
    bracket = head.find(b"[", start)
    if bracket != -1 and (close == -1 or bracket < close):
        m = _SUBSET_END.search(head, bracket)
        return m.end() if m else None
    return close + 1 if close != -1 else None


def _drop_internal_dtd(head: bytes, label: str, at_eof: bool) -> bytes:
    start = _find_doctype(head)
    if start == -1:
        return head
    end = _doctype_end(head, start)
    if end is None:
        if at_eof:
            line = head.count(b"\n") + 1
            raise ImportRefused(f"{label}: XML ends early at line {line} (truncated?)")
        raise ImportRefused(
            f"{label}: DOCTYPE declaration does not end (not an Apple Health export)"
        )
    dtd = head[start:end]
    if b"<!ENTITY" in dtd:
        raise ImportRefused(
            f"{label}: declares XML entities (refused: possible entity-expansion attack)"
        )
    # Keep the newlines so expat's line numbers still point into the real file.
    return head[:start] + b"\n" * dtd.count(b"\n") + head[end:]


class _Collector:
    """Receives expat's start-element callbacks and keeps only what the frames need."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.saw_root = False
        # (sourceName, startDate, endDate, code, line)
        self.sleep: list[tuple[str, str, str, int, int]] = []
        self.sleep_parts: list[pl.DataFrame] = []
        self.unknown_sleep_values: dict[str, int] = {}
        self.workouts: list[_Workout] = []
        self._in_activity = False
        self.steps: dict[tuple[str, str], float] = {}
        self.resting_hr: dict[str, list[float]] = {}
        self.exercise_min: dict[str, float] = {}
        self.bad_count = 0
        self.first_bad = ""
        self._parser: Any = None

    def attach(self, parser: Any) -> None:
        self._parser = parser
        parser.StartElementHandler = self._root

    def _root(self, name: str, attrs: dict[str, str]) -> None:
        if name != "HealthData":
            raise ImportRefused(
                f"{self.label}: root element is <{name}>, not <HealthData> (not an Apple Health export)"
            )
        self.saw_root = True
        self._parser.StartElementHandler = self._element

    def _element(self, name: str, attrs: dict[str, str]) -> None:
        # Called for every element of a multi-GB file: the common case (a Record of a type
        # we ignore) must fall through after one comparison and one dict lookup.
        # Records inside a Correlation are repeats of top-level ones, but never of the types
        # read here, so they need no special case.
        if name == "Record":
            kind = attrs.get("type")
            if kind == STEPS_TYPE:
                key = (attrs.get("startDate", "")[:10], attrs.get("sourceName", ""))
                try:
                    count = float(attrs.get("value", ""))
                except ValueError:
                    count = -1.0
                # the comparison also turns away nan and inf
                if 0.0 <= count < MAX_STEPS:
                    self.steps[key] = self.steps.get(key, 0.0) + count
                else:
                    self._bad("step count", attrs.get("value"))
            elif kind == SLEEP_TYPE:
                value = attrs.get("value", "")
                code = _SLEEP_VALUES.get(value)
                if code is None:
                    self._unknown_sleep(value)
                    return
                self.sleep.append(
                    (
                        attrs.get("sourceName", ""),
                        attrs.get("startDate", ""),
                        attrs.get("endDate", ""),
                        code,
                        self._parser.CurrentLineNumber,
                    )
                )
                if len(self.sleep) >= BATCH:
                    self.flush_sleep()
            elif kind == RESTING_HR_TYPE:
                try:
                    bpm = float(attrs.get("value", ""))
                except ValueError:
                    self._bad("resting heart rate", attrs.get("value"))
                    return
                self.resting_hr.setdefault(attrs.get("startDate", "")[:10], []).append(bpm)
        elif name == "MetadataEntry":
            return
        elif name == "WorkoutStatistics":
            # Only found inside a Workout, so the last workout seen is theirs.
            if self.workouts:
                if self._in_activity:
                    self.workouts[-1].leg_statistics(attrs)
                else:
                    self.workouts[-1].statistics(attrs)
        elif name == "Workout":
            self.workouts.append(
                _Workout(
                    attrs.get("sourceName", ""),
                    attrs.get("workoutActivityType", ""),
                    attrs.get("duration"),
                    attrs.get("durationUnit", "min"),
                    attrs.get("startDate", ""),
                    attrs.get("endDate", ""),
                    self._parser.CurrentLineNumber,
                    distance=attrs.get("totalDistance"),
                    distance_unit=attrs.get("totalDistanceUnit"),
                    energy=attrs.get("totalEnergyBurned"),
                    energy_unit=attrs.get("totalEnergyBurnedUnit"),
                )
            )
        elif name == "WorkoutActivity":
            # iOS 16+ nests one WorkoutActivity per leg or interval, each with its own
            # statistics, before the workout's totals. An end-element handler, installed only
            # while inside one, tells the two apart without a callback per element elsewhere.
            self._in_activity = True
            self._parser.EndElementHandler = self._activity_end
        elif name == "ActivitySummary":
            day = attrs.get("dateComponents", "")
            minutes = attrs.get("appleExerciseTime")
            if day and minutes is not None:
                try:
                    self.exercise_min[day] = float(minutes)
                except ValueError:
                    self._bad("exercise minutes", minutes)

    def _activity_end(self, name: str) -> None:
        if name == "WorkoutActivity":
            self._in_activity = False
            self._parser.EndElementHandler = None

    def flush_sleep(self) -> None:
        if self.sleep:
            self.sleep_parts.append(_sleep_batch(self.sleep))
            self.sleep = []

    def _bad(self, what: str, value: str | None) -> None:
        # A count and the first example: a file of bad rows must not grow a list per row.
        if not self.bad_count:
            self.first_bad = f"{what} {value!r} at line {self._parser.CurrentLineNumber}"
        self.bad_count += 1

    def _unknown_sleep(self, value: str) -> None:
        if value not in self.unknown_sleep_values and len(self.unknown_sleep_values) >= 10:
            value = "(other values)"
        self.unknown_sleep_values[value] = self.unknown_sleep_values.get(value, 0) + 1

    # ----------------------------------------------------------------------------------
    # frames

    def result(self, ctx: ReadContext) -> ImportResult:
        warnings: list[str] = []
        if self.bad_count:
            msg = f"{self.label}: {self.bad_count} unreadable values (first: {self.first_bad})"
            if not ctx.skip_bad_rows:
                raise ImportRefused(msg)
            warnings.append(msg + "; skipped")
        for value, n in sorted(self.unknown_sleep_values.items()):
            warnings.append(f"{self.label}: {n} sleep records with unknown value {value!r} skipped")

        self.flush_sleep()
        sessions, stages = _sleep_frames(self.sleep_parts, self.label, ctx, warnings)
        self.sleep_parts = []
        tables = {
            "sleep_sessions": sessions,
            "sleep_stages": stages,
            "activities": _workout_frame(self.workouts, self.label, ctx, warnings),
            "daily_activity": _daily_frame(self, ctx, warnings),
        }
        out = ImportResult(format=FORMAT_NAME, tables=tables, warnings=warnings)
        if not out.rows():
            out.skipped = "no sleep, workouts or steps in this export"
        return out


@dataclass(slots=True)
class _Workout:
    source: str
    kind: str
    duration: str | None
    duration_unit: str | None
    start: str
    end: str
    line: int
    distance: str | None = None
    distance_unit: str | None = None
    energy: str | None = None
    energy_unit: str | None = None
    avg_hr: str | None = None
    max_hr: str | None = None
    # Summed over the WorkoutActivity legs; used only where the workout has no total itself.
    legs_m: float | None = None
    legs_kcal: float | None = None
    legs_max_hr: float | None = None

    def statistics(self, attrs: dict[str, str]) -> None:
        kind = attrs.get("type", "")
        if kind.startswith(_DISTANCE_PREFIX):
            if self.distance is None:
                self.distance, self.distance_unit = attrs.get("sum"), attrs.get("unit")
        elif kind == _ENERGY_TYPE:
            if self.energy is None:
                self.energy, self.energy_unit = attrs.get("sum"), attrs.get("unit")
        elif kind == _HR_TYPE:
            self.avg_hr, self.max_hr = attrs.get("average"), attrs.get("maximum")

    def leg_statistics(self, attrs: dict[str, str]) -> None:
        kind = attrs.get("type", "")
        if kind.startswith(_DISTANCE_PREFIX):
            metres = _scaled(attrs.get("sum"), attrs.get("unit"), _METRES_PER)
            if metres is not None:
                self.legs_m = (self.legs_m or 0.0) + metres
        elif kind == _ENERGY_TYPE:
            kcal = _scaled(attrs.get("sum"), attrs.get("unit"), _KCAL_PER)
            if kcal is not None:
                self.legs_kcal = (self.legs_kcal or 0.0) + kcal
        elif kind == _HR_TYPE:
            bpm = _number(attrs.get("maximum"))
            if bpm is not None:
                self.legs_max_hr = max(bpm, self.legs_max_hr or 0.0)


_DISTANCE_PREFIX = "HKQuantityTypeIdentifierDistance"
_ENERGY_TYPE = "HKQuantityTypeIdentifierActiveEnergyBurned"
_HR_TYPE = "HKQuantityTypeIdentifierHeartRate"


def _offset_min(col: str) -> pl.Expr:
    """`+0200` at the end of an Apple date, in minutes."""
    tail = pl.col(col).str.slice(-5)
    sign = pl.when(tail.str.slice(0, 1) == "-").then(-1).otherwise(1)
    hours = tail.str.slice(1, 2).cast(pl.Int32, strict=False)
    minutes = tail.str.slice(3, 2).cast(pl.Int32, strict=False)
    return (sign * (hours * 60 + minutes)).cast(pl.Int32)


def _parse_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """Adds `a`, `b` (epoch seconds, UTC) and `utc_offset_min`; the date text is kept only
    on rows that fail (for the message), so parsed batches stay small."""
    start = pl.col("start_s").str.to_datetime(DATE_FORMAT, time_unit="us", strict=False)
    end = pl.col("end_s").str.to_datetime(DATE_FORMAT, time_unit="us", strict=False)
    frame = frame.with_columns(
        start.dt.epoch("s").alias("a"),
        end.dt.epoch("s").alias("b"),
        _offset_min("start_s").alias("utc_offset_min"),
    )
    bad = _BAD_TIMES
    return frame.with_columns(
        pl.when(bad).then(pl.col("start_s")).alias("start_s"),
        pl.when(bad).then(pl.col("end_s")).alias("end_s"),
    )


_BAD_TIMES = pl.col("a").is_null() | pl.col("b").is_null() | (pl.col("b") < pl.col("a"))


def _drop_bad_times(
    frame: pl.DataFrame, what: str, label: str, ctx: ReadContext, warnings: list[str]
) -> pl.DataFrame:
    bad_rows = frame.filter(_BAD_TIMES)
    if bad_rows.height:
        first = bad_rows.row(0, named=True)
        msg = (
            f"{label}: {bad_rows.height} {what} with unreadable or reversed dates "
            f"(first at line {first['line']}: {first['start_s']!r} to {first['end_s']!r})"
        )
        if not ctx.skip_bad_rows:
            raise ImportRefused(msg)
        warnings.append(msg + "; skipped")
    return frame.filter(~_BAD_TIMES).drop("start_s", "end_s")


def _sleep_batch(records: list[tuple[str, str, str, int, int]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        records,
        schema={
            "src": pl.String,
            "start_s": pl.String,
            "end_s": pl.String,
            "code": pl.Int8,
            "line": pl.Int64,
        },
        orient="row",
    )
    return _parse_dates(frame)


def _sleep_frames(
    parts: list[pl.DataFrame],
    label: str,
    ctx: ReadContext,
    warnings: list[str],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    if not parts:
        return empty(SLEEP_SESSIONS), empty(SLEEP_STAGES)
    frame = _drop_bad_times(pl.concat(parts), "sleep records", label, ctx, warnings)
    frame = frame.select("src", "a", "b", "code", "utc_offset_min").sort("src", "a", "b")

    session_rows: list[tuple[Any, ...]] = []
    stage_rows: list[tuple[str, str, int, int, str]] = []
    stage_parts: list[pl.DataFrame] = []
    group: list[tuple[int, int, int]] = []
    group_src = ""
    group_offset = 0
    group_end = 0
    # Slices, so only one slice's worth of Python objects exists at a time.
    for part in frame.iter_slices(BATCH):
        for src, a, b, code, offset in zip(*(part[c].to_list() for c in part.columns), strict=True):
            if group and (src != group_src or a > group_end + SESSION_GAP_S):
                _session(group_src, group_offset, group, session_rows, stage_rows)
                group = []
                if len(stage_rows) >= BATCH:
                    stage_parts.append(_stage_frame(stage_rows))
                    stage_rows = []
            if not group:
                group_src, group_offset, group_end = src, offset, b
            group.append((a, b, code))
            group_end = max(group_end, b)
    if group:
        _session(group_src, group_offset, group, session_rows, stage_rows)
    stage_parts.append(_stage_frame(stage_rows))
    del frame

    sessions = pl.DataFrame(
        session_rows,
        schema={
            "source": pl.String,
            "source_id": pl.String,
            "start_e": pl.Int64,
            "end_e": pl.Int64,
            "utc_offset_min": pl.Int32,
            "time_in_bed_s": pl.Int64,
            "asleep_s": pl.Int64,
            "light_s": pl.Int64,
            "deep_s": pl.Int64,
            "rem_s": pl.Int64,
            "awakenings": pl.Int32,
            "latency_s": pl.Int64,
            "waso_s": pl.Int64,
        },
        orient="row",
    )
    start = _utc(pl.col("start_e"))
    sessions = sessions.with_columns(
        start.alias("start"),
        _utc(pl.col("end_e")).alias("end"),
        *(
            (pl.col(f"{k}_s") / 60.0).alias(f"{k}_min")
            for k in ("time_in_bed", "asleep", "light", "deep", "rem", "latency", "waso")
        ),
        ((pl.col("time_in_bed_s") - pl.col("asleep_s")) / 60.0).alias("awake_min"),
        (pl.col("asleep_s") / pl.col("time_in_bed_s")).alias("efficiency"),
    ).with_columns(
        night_of(pl.col("start"), pl.col("utc_offset_min")).alias("night"),
        (
            (pl.col("time_in_bed_s") < NAP_MAX_S)
            & _local_hour(pl.col("start"), pl.col("utc_offset_min")).is_in(list(NAP_HOURS))
        ).alias("is_nap"),
    )
    stages = pl.concat(stage_parts)
    return (
        conform(sessions.sort("start", "source"), SLEEP_SESSIONS),
        conform(stages.sort("start", "source"), SLEEP_STAGES),
    )


def _stage_frame(rows: list[tuple[str, str, int, int, str]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        rows,
        schema={
            "source": pl.String,
            "source_id": pl.String,
            "a": pl.Int64,
            "b": pl.Int64,
            "stage": pl.String,
        },
        orient="row",
    )
    return frame.select(
        "source",
        "source_id",
        _utc(pl.col("a")).alias("start"),
        _utc(pl.col("b")).alias("end"),
        "stage",
    )


def _utc(epoch_s: pl.Expr) -> pl.Expr:
    return pl.from_epoch(epoch_s, time_unit="s").dt.replace_time_zone("UTC").cast(UTC)


def _local_hour(start: pl.Expr, offset_min: pl.Expr) -> pl.Expr:
    return (start.dt.replace_time_zone(None) + pl.duration(minutes=offset_min)).dt.hour()


def _iso_utc(epoch_s: int) -> str:
    return dt.datetime.fromtimestamp(epoch_s, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _session(
    src: str,
    offset: int,
    segments: list[tuple[int, int, int]],
    session_rows: list[tuple[Any, ...]],
    stage_rows: list[tuple[str, str, int, int, str]],
) -> None:
    """Flattens one source's overlapping segments into a timeline and sums it up."""
    events: list[tuple[int, int, int]] = []
    for a, b, code in segments:
        if b > a:
            events.append((a, 1, code))
            events.append((b, -1, code))
    start = min(a for a, _, _ in segments)
    end = max(b for _, b, _ in segments)
    if end <= start:  # only zero-length records: nothing happened
        return
    events.sort()
    active = [0] * 6
    # (from, to, code or -1 for a gap), in time order, adjacent equal codes merged
    runs: list[list[int]] = []
    i = 0
    while i < len(events):
        t = events[i][0]
        while i < len(events) and events[i][0] == t:
            active[events[i][2]] += events[i][1]
            i += 1
        if i == len(events):
            break
        code = -1
        for c in (REM, DEEP, CORE, AWAKE, ASLEEP, INBED):
            if active[c]:
                code = c
                break
        nxt = events[i][0]
        if runs and runs[-1][2] == code and runs[-1][1] == t:
            runs[-1][1] = nxt
        else:
            runs.append([t, nxt, code])

    source = f"{SOURCE}:{src}"
    source_id = _iso_utc(start)
    in_bed = end - start
    asleep_runs = [r for r in runs if r[2] in _ASLEEP_CODES]
    if not asleep_runs:
        session_rows.append((source, source_id, start, end, offset, in_bed, *([None] * 7)))
        return
    totals = [0] * 6
    for a, b, code in runs:
        if code >= 0:
            totals[code] += b - a
    asleep = totals[ASLEEP] + totals[CORE] + totals[DEEP] + totals[REM]
    staged = bool(totals[CORE] or totals[DEEP] or totals[REM])
    onset, final = asleep_runs[0][0], asleep_runs[-1][1]
    awakenings = 0
    was_asleep = False
    for a, _, code in runs:
        if a >= final:
            break
        is_asleep = code in _ASLEEP_CODES
        if was_asleep and not is_asleep:
            awakenings += 1
        was_asleep = is_asleep
    session_rows.append(
        (
            source,
            source_id,
            start,
            end,
            offset,
            in_bed,
            asleep,
            totals[CORE] if staged else None,
            totals[DEEP] if staged else None,
            totals[REM] if staged else None,
            awakenings,
            onset - start,
            final - onset - asleep,
        )
    )
    for a, b, code in runs:
        if code in _STAGE_OF:
            stage_rows.append((source, source_id, a, b, _STAGE_OF[code]))


def _sport(activity_type: str) -> str:
    short = activity_type.removeprefix("HKWorkoutActivityType")
    if short in _SPORTS:
        return _SPORTS[short]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", short).lower() or "other"


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _scaled(value: str | None, unit: str | None, table: dict[str, float]) -> float | None:
    number = _number(value)
    factor = table.get(unit or "")
    return None if number is None or factor is None else number * factor


def _workout_frame(
    workouts: list[_Workout], label: str, ctx: ReadContext, warnings: list[str]
) -> pl.DataFrame:
    if not workouts:
        return empty(ACTIVITIES)
    rows = []
    units: set[str] = set()
    for w in workouts:
        minutes = _scaled(w.duration, w.duration_unit, _MINUTES_PER)
        if w.duration is not None and minutes is None:
            units.add(f"duration {w.duration_unit!r}")
        distance = _scaled(w.distance, w.distance_unit, _METRES_PER)
        if w.distance is not None and distance is None:
            units.add(f"distance {w.distance_unit!r}")
        calories = _scaled(w.energy, w.energy_unit, _KCAL_PER)
        if w.energy is not None and calories is None:
            units.add(f"energy {w.energy_unit!r}")
        max_hr = _number(w.max_hr)
        rows.append(
            (
                f"{SOURCE}:{w.source}",
                _sport(w.kind),
                minutes,
                w.legs_m if distance is None and w.distance is None else distance,
                w.legs_kcal if calories is None and w.energy is None else calories,
                _number(w.avg_hr),
                w.legs_max_hr if max_hr is None else max_hr,
                w.start,
                w.end,
                w.line,
            )
        )
    if units:
        warnings.append(
            f"{label}: workout values in units not understood left empty: {', '.join(sorted(units))}"
        )
    frame = pl.DataFrame(
        rows,
        schema={
            "source": pl.String,
            "sport": pl.String,
            "duration_min": pl.Float64,
            "distance_m": pl.Float64,
            "calories": pl.Float64,
            "avg_hr": pl.Float64,
            "max_hr": pl.Float64,
            "start_s": pl.String,
            "end_s": pl.String,
            "line": pl.Int64,
        },
        orient="row",
    )
    frame = _drop_bad_times(_parse_dates(frame), "workouts", label, ctx, warnings)
    frame = frame.with_columns(
        _utc(pl.col("a")).alias("start"),
        _utc(pl.col("b")).alias("end"),
        pl.col("duration_min").fill_null((pl.col("b") - pl.col("a")) / 60.0),
    ).with_columns(pl.col("start").dt.strftime("%Y-%m-%dT%H:%M:%SZ").alias("source_id"))
    return conform(frame.sort("start", "source"), ACTIVITIES)


def _daily_frame(c: _Collector, ctx: ReadContext, warnings: list[str]) -> pl.DataFrame:
    steps = pl.DataFrame(
        [(day, src, total) for (day, src), total in c.steps.items()],
        schema={"day": pl.String, "src": pl.String, "steps": pl.Float64},
        orient="row",
    )
    # One source per day, the one that counted most; ties go to the name sorting first so
    # the choice does not depend on record order.
    steps = (
        steps.sort(["day", "steps", "src"], descending=[False, True, False])
        .group_by("day", maintain_order=True)
        .first()
        .select("day", pl.col("steps").round(0).cast(pl.Int64))
    )
    hr = pl.DataFrame(
        [(day, sum(v) / len(v)) for day, v in c.resting_hr.items()],
        schema={"day": pl.String, "resting_hr": pl.Float64},
        orient="row",
    )
    ex = pl.DataFrame(
        list(c.exercise_min.items()),
        schema={"day": pl.String, "active_min": pl.Float64},
        orient="row",
    )
    daily = steps.join(hr, on="day", how="full", coalesce=True).join(
        ex, on="day", how="full", coalesce=True
    )
    daily = daily.with_columns(pl.col("day").str.to_date("%Y-%m-%d", strict=False).alias("date"))
    bad = daily.filter(pl.col("date").is_null())
    if bad.height:
        msg = f"{c.label}: {bad.height} days with unreadable dates (first: {bad['day'][0]!r})"
        if not ctx.skip_bad_rows:
            raise ImportRefused(msg)
        warnings.append(msg + "; skipped")
    daily = daily.filter(pl.col("date").is_not_null()).with_columns(pl.lit(SOURCE).alias("source"))
    return conform(daily.sort("date"), DAILY_ACTIVITY)


register(
    Format(
        FORMAT_NAME,
        "Apple Health export.xml",
        sniff=sniff,
        read=read,
        read_stream=read_stream,
    )
)
