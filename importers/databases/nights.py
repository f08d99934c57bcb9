"""Turning a database's stage spans into one sleep_sessions row and its sleep_stages rows.

Both databases describe a night as a list of spans (start, end, kind), so the minutes, latency,
WASO and awakenings are computed once here. Kinds: light, deep, rem, asleep (asleep without a
stage), awake (awake in bed), out (out of bed: not in bed at all), unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from importers.vendors import _csv as c

ASLEEP_KINDS = frozenset({"light", "deep", "rem", "asleep"})
STAGED_KINDS = frozenset({"light", "deep", "rem"})
# what the hypnogram shows (model.STAGES): asleep-without-stage has no stage of its own
STAGE_NAME = {
    "light": "light",
    "deep": "deep",
    "rem": "rem",
    "asleep": "unknown",
    "awake": "awake",
    "out": "awake",
    "unknown": "unknown",
}
# Apple Health's rule (importers/apple_health.py), so every source calls the same nights naps.
NAP_MAX_MIN = 4 * 60
NAP_HOURS = range(9, 19)


@dataclass(frozen=True)
class Span:
    start: dt.datetime  # aware, UTC
    end: dt.datetime
    kind: str


def minutes(spans: Sequence[Span], kinds: frozenset[str] | set[str]) -> float:
    return sum((s.end - s.start).total_seconds() for s in spans if s.kind in kinds) / 60.0


def offset_at(instant: dt.datetime, tz: dt.tzinfo) -> int:
    off = instant.astimezone(tz).utcoffset() or dt.timedelta(0)
    return int(off.total_seconds() // 60)


def is_nap(start: dt.datetime, offset_min: int, in_bed_min: float) -> bool:
    local = start.replace(tzinfo=None) + dt.timedelta(minutes=offset_min)
    return in_bed_min < NAP_MAX_MIN and local.hour in NAP_HOURS


def session_row(
    source: str,
    source_id: str,
    start: dt.datetime,
    end: dt.datetime,
    offset_min: int,
    spans: Sequence[Span],
    *,
    score: float | None = None,
    rem_measured: bool = True,
) -> dict[str, Any]:
    """A sleep_sessions row. Without spans only the bounds are known (asleep stays null).
    `rem_measured` False: a device that cannot tell REM (its REM minutes are unknown, not 0)."""
    spans = sorted(spans, key=lambda s: s.start)
    span_min = (end - start).total_seconds() / 60.0
    if not spans:
        return c.session(
            source,
            source_id,
            start,
            end,
            offset_min,
            is_nap=is_nap(start, offset_min, span_min),
            score=score,
        )
    in_bed = max(span_min - minutes(spans, {"out"}), 0.0)
    asleep = minutes(spans, ASLEEP_KINDS)
    staged = any(s.kind in STAGED_KINDS for s in spans)
    sleeping = [s for s in spans if s.kind in ASLEEP_KINDS]
    latency = waso = None
    awakenings = 0
    if sleeping:
        first, last = sleeping[0].start, sleeping[-1].end
        latency = max((first - start).total_seconds() / 60.0, 0.0)
        inside = [s for s in spans if first <= s.start and s.end <= last]
        waso = minutes(inside, {"awake", "out"})
        # an awakening is a run of wake between two stretches of sleep, however many spans
        was_awake = False
        for s in inside:
            awake_now = s.kind in ("awake", "out")
            if awake_now and not was_awake:
                awakenings += 1
            was_awake = awake_now
    return c.session(
        source,
        source_id,
        start,
        end,
        offset_min,
        in_bed=in_bed,
        asleep=asleep,
        awake=minutes(spans, {"awake"}),
        light=minutes(spans, {"light"}) if staged else None,
        deep=minutes(spans, {"deep"}) if staged else None,
        rem=minutes(spans, {"rem"}) if staged and rem_measured else None,
        awakenings=awakenings if sleeping else None,
        latency=latency,
        waso=waso,
        score=score,
        is_nap=is_nap(start, offset_min, in_bed),
    )


def stage_rows(source: str, source_id: str, spans: Sequence[Span]) -> list[dict[str, Any]]:
    return [
        c.stage(source, source_id, s.start, s.end, STAGE_NAME.get(s.kind, "unknown"))
        for s in spans
        if s.end > s.start
    ]
